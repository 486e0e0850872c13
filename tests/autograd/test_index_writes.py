"""index_add, index_copy, index_fill, index_put, put, masked_scatter and their in-place forms: hand-computed values
and gradients (repeated indices included), broadcasting, 0-d inputs, errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd


def leaf(values: list) -> autograd.Tensor:
    return autograd.tensor(values, dtype=autograd.float64, requires_grad=True)


def grads(out: autograd.Tensor, *inputs: autograd.Tensor, weights: list | None = None) -> list:
    w = autograd.ones(*out.shape, dtype=out.dtype) if weights is None else autograd.tensor(weights, dtype=out.dtype)
    return [g.tolist() for g in autograd.grad((out * w).sum(), list(inputs))]


def test_index_add_accumulates_repeats_and_scales_by_alpha() -> None:
    x, source = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), leaf([[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]])
    out = autograd.index_add(x, 0, autograd.tensor([2, 0, 2]), source, alpha=2)
    assert out.tolist() == [[1 + 60.0, 2 + 80.0], [3.0, 4.0], [5 + 20 + 100.0, 6 + 40 + 120.0]]
    gx, gs = grads(out, x, source, weights=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert gx == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert gs == [[10.0, 12.0], [2.0, 4.0], [10.0, 12.0]]  # alpha times the gradient where each row went
    assert autograd.tensor([1, 2]).index_add(0, autograd.tensor([1], dtype=autograd.int32),
                                             autograd.tensor([5])).tolist() == [1, 7]


def test_index_copy_writes_rows_and_zeroes_their_gradient() -> None:
    x, source = leaf([1.0, 2.0, 3.0, 4.0]), leaf([7.0, 8.0])
    out = x.index_copy(0, autograd.tensor([3, 1]), source)
    assert out.tolist() == [1.0, 8.0, 3.0, 7.0]
    assert grads(out, x, source, weights=[1.0, 2.0, 3.0, 4.0]) == [[1.0, 0.0, 3.0, 0.0], [4.0, 2.0]]
    # repeats: the last write wins, and (as in PyTorch) each repeated row still receives the position's gradient
    out = x.index_copy(0, autograd.tensor([2, 2]), source)
    assert out.tolist() == [1.0, 2.0, 8.0, 4.0] and grads(out, source) == [[1.0, 1.0]]


def test_index_fill_counts_each_filled_position_once() -> None:
    x, value = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), leaf(0.5)
    out = autograd.index_fill(x, 1, autograd.tensor([0, -1, 0]), value)  # -1 is column 2
    assert out.tolist() == [[0.5, 2.0, 0.5], [0.5, 5.0, 0.5]]
    gx, gv = grads(out, x, value)
    assert gx == [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]] and gv == 4.0
    assert x.detach().index_fill(0, autograd.tensor([1]), 9).tolist() == [[1, 2, 3], [9, 9, 9]]


def test_index_put_assigns_or_accumulates_with_broadcast_values() -> None:
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    rows, cols = autograd.tensor([0, 1, 0]), autograd.tensor([1, 0, 1])
    values = leaf([10.0, 20.0, 30.0])
    out = autograd.index_put(x, (rows, cols), values, accumulate=True)
    assert out.tolist() == [[1.0, 42.0], [23.0, 4.0]]
    assert grads(out, x, values, weights=[[1.0, 2.0], [3.0, 4.0]]) == [[[1.0, 2.0], [3.0, 4.0]], [2.0, 3.0, 2.0]]
    out = x.index_put((autograd.tensor([True, False]),), leaf([7.0]))  # a bool mask row, the value broadcast
    assert out.tolist() == [[7.0, 7.0], [3.0, 4.0]]


def test_put_uses_flat_positions() -> None:
    x, source = leaf([[1.0, 2.0], [3.0, 4.0]]), leaf([10.0, 20.0])
    out = autograd.put(x, autograd.tensor([-1, 1]), source)
    assert out.tolist() == [[1.0, 20.0], [3.0, 10.0]]
    assert grads(out, x, source, weights=[[1.0, 2.0], [3.0, 4.0]]) == [[[1.0, 0.0], [3.0, 0.0]], [4.0, 2.0]]
    assert x.put(autograd.tensor([[0, 0]]), source, accumulate=True).tolist() == [[31.0, 2.0], [3.0, 4.0]]


def test_masked_scatter_fills_in_row_major_order_and_broadcasts() -> None:
    x, source = leaf([1.0, 2.0, 3.0]), leaf([10.0, 20.0, 30.0, 40.0, 50.0])
    mask = autograd.tensor([[True, False, True], [False, True, False]])
    out = autograd.masked_scatter(x, mask, source)  # x broadcast to (2, 3)
    assert out.tolist() == [[10.0, 2.0, 20.0], [1.0, 30.0, 3.0]]
    gx, gs = grads(out, x, source, weights=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert gx == [4.0, 2.0, 6.0] and gs == [1.0, 3.0, 5.0, 0.0, 0.0]  # unused source elements get 0


def test_zero_dim_inputs() -> None:
    one = autograd.tensor(1.0)
    assert autograd.index_add(one, 0, autograd.tensor(0), autograd.tensor(2.0)).item() == 3.0
    assert autograd.index_copy(one, -1, autograd.tensor([0]), autograd.tensor(5.0)).item() == 5.0
    assert autograd.index_fill(one, 0, autograd.tensor([0, 0]), 4.0).item() == 4.0
    with pytest.raises(IndexError, match="index_add: a 0-d input takes exactly one index"):
        autograd.index_add(one, 0, autograd.tensor([0, 0]), autograd.tensor(2.0))


def test_in_place_forms_write_into_the_tensor_and_keep_its_history() -> None:
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2
    assert h.index_add_(0, autograd.tensor([0]), leaf([5.0])) is h
    h.index_fill_(0, autograd.tensor([2]), 0.0).masked_scatter_(autograd.tensor([False, True, False]), leaf([9.0]))
    h.put_(autograd.tensor([0]), leaf([1.0]), accumulate=True).index_copy_(0, autograd.tensor([2]), leaf([4.0]))
    h.index_put_((autograd.tensor([0]),), leaf([0.5]), accumulate=True)
    assert h.tolist() == [2.0 + 5.0 + 1.0 + 0.5, 9.0, 4.0] and h._version == 6
    h.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="index_add_: a leaf Variable that requires grad"):
        x.index_add_(0, autograd.tensor([0]), leaf([5.0]))
    with pytest.raises(RuntimeError, match=r"masked_scatter_: output with shape \[3\] doesn't match"):
        autograd.zeros(3).masked_scatter_(autograd.ones(2, 3, dtype=autograd.bool), autograd.ones(6))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda x: x.index_add(0, autograd.tensor([0, 3]), autograd.ones(2, 4)), IndexError,
     r"index_add: index 3 is out of bounds for a dimension of size 3"),
    (lambda x: x.index_add(0, autograd.tensor([-1]), autograd.ones(1, 4)), IndexError, r"index -1 is out of bounds"),
    (lambda x: x.index_add(0, autograd.tensor([[0]]), autograd.ones(1, 4)), IndexError, "supposed to be a vector"),
    (lambda x: x.index_add(0, autograd.tensor([0]), autograd.ones(1, 3)), RuntimeError,
     r"source of shape \[1, 3\] does not match input of shape \[3, 4\] .* \(expected \[1, 4\]\)"),
    (lambda x: x.index_add(0, autograd.tensor([0]), autograd.ones(1, 4, dtype=autograd.float64)), RuntimeError,
     r"index_add: input \(float32\) and source \(float64\) must have the same dtype"),
    (lambda x: x.index_copy(0, autograd.tensor([0], dtype=autograd.int32), autograd.ones(1, 4)), RuntimeError,
     "index_copy: expected dtype int64 for index, got int32"),
    (lambda x: x.index_fill(1, autograd.tensor([4]), 1.0), IndexError, "index 4 is out of bounds"),
    (lambda x: x.index_fill(1, autograd.tensor([0]), autograd.ones(1)), RuntimeError, "0-dimensional value"),
    (lambda x: x.put(autograd.tensor([12]), autograd.ones(1)), IndexError, "put: index 12 is out of bounds"),
    (lambda x: x.put(autograd.tensor([0, 1]), autograd.ones(3)), IndexError, "same number of elements"),
    (lambda x: x.index_put((autograd.tensor([0, 1]),), autograd.ones(3)), RuntimeError,
     r"values of shape \[3\] cannot be broadcast to the indexing result of shape \[2, 4\]"),
    (lambda x: x.index_put((autograd.tensor([3]),), autograd.ones(4)), IndexError, "index 3 is out of bounds"),
    (lambda x: x.index_put([None], autograd.ones(4)), TypeError, "expected Tensor as element 0 of indices"),
    (lambda x: x.masked_scatter(autograd.ones(3, 4, dtype=autograd.bool), autograd.ones(11)), RuntimeError,
     "source has 11 elements, fewer than the 12 True entries of mask"),
    (lambda x: x.masked_scatter(autograd.ones(3, 4, dtype=autograd.uint8), autograd.ones(12)), RuntimeError,
     "only supports boolean masks"),
])
def test_errors_name_the_op_and_what_was_expected(call, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call(autograd.zeros(3, 4))


def test_second_derivatives_flow_through_the_writes() -> None:
    x, source = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0])
    index = autograd.tensor([2, 0])
    for fn in (lambda a, s: autograd.index_add(a * a, 0, index, s * s),
               lambda a, s: autograd.index_copy(a * a, 0, index, s * s),
               lambda a, s: autograd.masked_scatter(a * a, autograd.tensor([True, False, True]), s * s)):
        assert autograd.gradgradcheck(fn, [x, source])
    assert np.isclose(autograd.index_put(x, (index,), source).sum().item(), 2.0 + 9.0)
