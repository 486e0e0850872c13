"""scatter_reduce and scatter(reduce=): hand-computed values and gradients, ties, zeros, NaN, 0-d tensors, errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd

# Positions 1 and 3 receive src values; 0 and 2 receive none.
X = [1.0, 2.0, 3.0, 4.0]
INDEX = [1, 1, 1, 3, 3]
SRC = [5.0, 2.0, 2.0, 7.0, -1.0]
WEIGHTS = [1.0, 10.0, 100.0, 1000.0]


def _reduce(reduce: str, include_self: bool, x: list = X, src: list = SRC) -> tuple:
    """Value and the gradients of sum(WEIGHTS * y) with respect to x and src."""
    tx = autograd.tensor(x, dtype=autograd.float64, requires_grad=True)
    ts = autograd.tensor(src, dtype=autograd.float64, requires_grad=True)
    y = autograd.scatter_reduce(tx, 0, autograd.tensor(INDEX), ts, reduce, include_self=include_self)
    gx, gs = autograd.grad((y * autograd.tensor(WEIGHTS, dtype=autograd.float64)).sum(), [tx, ts])
    return y.tolist(), gx.tolist(), gs.tolist()


@pytest.mark.parametrize(("reduce", "include_self", "expected"), [
    ("sum", True, [1, 2 + 5 + 2 + 2, 3, 4 + 7 - 1]), ("sum", False, [1, 9, 3, 6]),
    ("prod", True, [1, 2 * 5 * 2 * 2, 3, 4 * 7 * -1]), ("prod", False, [1, 20, 3, -7]),
    ("mean", True, [1, 11 / 4, 3, 10 / 3]), ("mean", False, [1, 3, 3, 3]),
    ("amax", True, [1, 5, 3, 7]), ("amax", False, [1, 5, 3, 7]),
    ("amin", True, [1, 2, 3, -1]), ("amin", False, [1, 2, 3, -1]),
])
def test_values_by_hand(reduce: str, include_self: bool, expected: list) -> None:
    np.testing.assert_allclose(_reduce(reduce, include_self)[0], expected, rtol=1e-12)


def test_gradients_by_hand() -> None:
    _, gx, gs = _reduce("sum", False)
    assert gx == [1, 0, 100, 0] and gs == [10, 10, 10, 1000, 1000]  # x left out where written
    _, gx, gs = _reduce("mean", True)
    np.testing.assert_allclose(gx, [1, 10 / 4, 100, 1000 / 3])
    np.testing.assert_allclose(gs, [10 / 4] * 3 + [1000 / 3] * 2)
    _, gx, gs = _reduce("prod", True)  # the product of the other values at the same position
    assert gx == [1, 10 * 20, 100, 1000 * -7] and gs == [10 * 8, 10 * 20, 10 * 20, 1000 * -4, 1000 * 28]


def test_amax_and_amin_share_the_gradient_evenly_among_ties() -> None:
    # position 1: min(2 | 5, 2, 2) = 2 is reached by x[1], src[1] and src[2]: a third each
    _, gx, gs = _reduce("amin", True)
    np.testing.assert_allclose(gx, [1, 10 / 3, 100, 0])
    np.testing.assert_allclose(gs, [0, 10 / 3, 10 / 3, 0, 1000])
    _, gx, gs = _reduce("amin", False)  # x[1] is left out, so it takes no share (PyTorch counts it)
    np.testing.assert_allclose(gx, [1, 0, 100, 0])
    np.testing.assert_allclose(gs, [0, 5, 5, 0, 1000])


def test_nan_propagates_into_value_and_gradient() -> None:
    y, gx, gs = _reduce("amax", True, src=[math.nan, 2.0, 2.0, 7.0, -1.0])
    assert math.isnan(y[1]) and math.isnan(gx[1]) and all(math.isnan(g) for g in gs[:3])
    assert gx[3] == 0 and gs[3:] == [1000, 0]


def test_integer_mean_rounds_down_and_integer_dtypes_work() -> None:
    out = autograd.scatter_reduce(autograd.tensor([0, 0]), 0, autograd.tensor([0, 0]), autograd.tensor([-3, 0]),
                                  "mean", include_self=False)
    assert out.tolist() == [-2, 0]
    out = autograd.tensor([1, 2, 3, 4]).scatter_reduce(0, autograd.tensor(INDEX), autograd.tensor([5, 2, 2, 7, -1]),
                                                       "amax", include_self=False)
    assert out.tolist() == [1, 5, 3, 7] and out.dtype == autograd.int64


def test_prod_with_zeros_is_exact_to_second_order() -> None:
    x = autograd.tensor([2.0, 0.0, 3.0], dtype=autograd.float64, requires_grad=True)
    src = autograd.tensor([0.0, 3.0, 4.0, 5.0], dtype=autograd.float64, requires_grad=True)
    index = autograd.tensor([0, 0, 0, 1])
    y = autograd.scatter_reduce(x, 0, index, src, "prod")
    gx, gs = autograd.grad(y.sum(), [x, src])
    assert y.tolist() == [0.0, 0.0, 3.0] and gx.tolist() == [0.0, 5.0, 1.0] and gs.tolist() == [24.0, 0.0, 0.0, 0.0]
    assert autograd.gradcheck(lambda a, b: autograd.scatter_reduce(a, 0, index, b, "prod"), [x, src])
    assert autograd.gradgradcheck(lambda a, b: autograd.scatter_reduce(a, 0, index, b, "prod"), [x, src])


def test_prod_second_derivative_refuses_two_zeros_at_one_position() -> None:
    src = autograd.tensor([0.0, 0.0, 4.0], dtype=autograd.float64, requires_grad=True)
    y = autograd.scatter_reduce(autograd.ones(1, dtype=autograd.float64), 0, autograd.tensor([0, 0, 0]), src, "prod")
    assert autograd.grad(y.sum(), src, retain_graph=True)[0].tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="second derivative of reduce='prod'"):
        autograd.grad(y.sum(), src, create_graph=True)


def test_zero_dim_tensors_act_as_one_element() -> None:
    out = autograd.scatter_reduce(autograd.tensor(2.0), 0, autograd.tensor(0), autograd.tensor(3.0), "prod")
    assert out.shape == () and out.item() == 6.0
    assert autograd.scatter(autograd.tensor([1.0, 2.0]), 0, autograd.tensor(1), autograd.tensor(5.0)).tolist() == [1, 5]
    assert autograd.gather(autograd.tensor([1.0, 2.0]), 0, autograd.tensor(1)).shape == ()
    added = autograd.scatter_add(autograd.tensor(1.0), 0, autograd.tensor([0, 0]), autograd.tensor([2.0, 3.0]))
    assert added.shape == () and added.item() == 6


def test_in_place_form_continues_the_history() -> None:
    x = autograd.tensor(X, dtype=autograd.float64, requires_grad=True)
    h = x * 1
    assert h.scatter_reduce_(0, autograd.tensor([0, 0]), autograd.tensor([5.0, 9.0], dtype=autograd.float64),
                             "amax") is h
    h.sum().backward()
    assert h.tolist() == [9.0, 2.0, 3.0, 4.0] and x.grad.tolist() == [0.0, 1.0, 1.0, 1.0]


def test_scatter_reduce_errors() -> None:
    x, index = autograd.zeros(3, 4), autograd.zeros(1, 4, dtype=autograd.int64)
    with pytest.raises(RuntimeError, match="reduce argument must be one of 'sum', 'prod', 'mean', 'amax' or 'amin'"):
        autograd.scatter_reduce(x, 0, index, autograd.ones(1, 4), "add")
    with pytest.raises(TypeError, match="argument 'src' must be Tensor, not float"):
        autograd.scatter_reduce(x, 0, index, 1.0, "sum")
    with pytest.raises(RuntimeError, match="scatter_reduce: index 3 is out of bounds for dimension 0 with size 3"):
        autograd.scatter_reduce(x, 0, index + 3, autograd.ones(1, 4), "sum")
    with pytest.raises(RuntimeError, match="expected self.dtype to be equal to src.dtype"):
        autograd.scatter_reduce(x, 0, index, autograd.ones(1, 4, dtype=autograd.float64), "sum")


def test_scatter_with_reduce_accumulates_and_has_no_derivative() -> None:
    x = autograd.ones(4, requires_grad=True)
    with pytest.warns(UserWarning, match="reduce argument with a tensor src is deprecated"):
        y = autograd.scatter(x, 0, autograd.tensor([1, 1]), autograd.tensor([3.0, 4.0]), reduce="multiply")
    assert y.tolist() == [1, 12, 1, 1] and y.requires_grad
    with pytest.raises(RuntimeError, match="scatter_with_reduce: the derivative is not implemented"):
        y.sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a number src does not warn, as in PyTorch
        assert autograd.ones(4).scatter_(0, autograd.tensor([2, 2]), 2.0, reduce="add").tolist() == [1, 1, 5, 1]
    with pytest.raises(RuntimeError, match="scatter: reduce must be 'add' or 'multiply', got 'mean'"):
        autograd.scatter(x, 0, autograd.tensor([1]), 2.0, reduce="mean")
