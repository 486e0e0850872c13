"""Sorting and selection: values against numpy, stable tie order, gradients through the picked values."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

A = np.array([[3.0, 1.0, 2.0, 1.0], [0.0, 5.0, 4.0, 5.0]])


def test_sort_is_stable_in_both_directions_and_values_match_numpy() -> None:
    x = autograd.tensor(A)
    values, indices = x.sort(dim=1)
    np.testing.assert_array_equal(values.numpy(), np.sort(A, axis=1))
    assert indices.tolist() == [[1, 3, 2, 0], [0, 2, 1, 3]]  # the tied 1s keep their order: 1 before 3
    values, indices = autograd.sort(x, dim=1, descending=True)
    assert indices.tolist() == [[0, 2, 1, 3], [1, 3, 2, 0]]  # the tied 5s keep their order: 1 before 3
    np.testing.assert_array_equal(values.numpy(), -np.sort(-A, axis=1))
    assert x.argsort(dim=0).tolist() == [[1, 0, 0, 0], [0, 1, 1, 1]]


def test_topk_picks_the_largest_or_smallest_and_routes_gradients() -> None:
    x = autograd.tensor(A, requires_grad=True)
    top = x.topk(2, dim=1)
    np.testing.assert_array_equal(top.values.detach().numpy(), [[3.0, 2.0], [5.0, 5.0]])
    top.values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 0, 1, 0], [0, 1, 0, 1]])
    assert autograd.topk(autograd.tensor(A), 1, dim=0, largest=False).indices.tolist() == [[1, 0, 0, 0]]
    with pytest.raises(RuntimeError, match="selected index k=5 out of range"):
        x.topk(5)


def test_sort_and_topk_gradcheck() -> None:
    rng = np.random.default_rng(0)
    x = autograd.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    assert autograd.gradcheck(lambda t: autograd.sort(t, dim=0).values * t, (x,))
    assert autograd.gradgradcheck(lambda t: autograd.topk(t * t, 2).values, (x,))


def test_nonzero_unique_isclose() -> None:
    x = autograd.tensor(A)
    assert (x > 2).nonzero().tolist() == [[0, 0], [1, 1], [1, 2], [1, 3]]
    rows, cols = (x > 2).nonzero(as_tuple=True)
    assert rows.tolist() == [0, 1, 1, 1] and cols.tolist() == [0, 1, 2, 3]
    values, inverse, counts = autograd.unique(autograd.tensor([3, 1, 3, 2]), return_inverse=True,
                                               return_counts=True)
    assert values.tolist() == [1, 2, 3] and inverse.tolist() == [2, 0, 2, 1] and counts.tolist() == [1, 1, 2]
    assert autograd.isclose(autograd.tensor([1.0, 2.0]), autograd.tensor([1.0 + 1e-9, 2.1])).tolist() == [True, False]


def test_diag_both_ways_with_offsets_and_gradients() -> None:
    v = autograd.tensor([1.0, 2.0], requires_grad=True)
    m = autograd.diag(v, 1)
    np.testing.assert_array_equal(m.detach().numpy(), np.diag([1.0, 2.0], 1))
    (m * autograd.tensor(np.arange(9.0).reshape(3, 3))).sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [1.0, 5.0])  # entries (0, 1) and (1, 2)
    np.testing.assert_array_equal(autograd.tensor(A).diag(-1).numpy(), np.diag(A, -1))


def test_repeat_interleave_and_meshgrid() -> None:
    x = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.repeat_interleave(autograd.tensor([2, 0, 1]))
    assert y.tolist() == [1.0, 1.0, 3.0]
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 1.0]
    gi, gj = autograd.meshgrid(autograd.tensor([1, 2]), autograd.tensor([5, 6, 7]), indexing="ij")
    assert gi.tolist() == [[1, 1, 1], [2, 2, 2]] and gj.tolist() == [[5, 6, 7], [5, 6, 7]]
    gx, _ = autograd.meshgrid(autograd.tensor([1, 2]), autograd.tensor([5, 6, 7]), indexing="xy")
    assert gx.shape == (3, 2)


def test_new_tensor_helpers_take_the_dtype_of_self() -> None:
    t = autograd.zeros(2, dtype=autograd.float64)
    assert t.new_zeros(3).dtype == np.float64 and t.new_ones((2, 2)).shape == (2, 2)
    assert t.new_full((2,), 7.0).tolist() == [7.0, 7.0] and t.new_tensor([1, 2]).dtype == np.float64
    assert autograd.numel(t) == 2 and autograd.is_tensor(t) and not autograd.is_tensor(np.zeros(2))
    assert t.clamp_min(1.0).tolist() == [1.0, 1.0] and autograd.clamp_max(t, -1.0).tolist() == [-1.0, -1.0]
