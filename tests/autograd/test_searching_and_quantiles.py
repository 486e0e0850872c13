"""quantile/nanquantile, kthvalue, mode, msort, searching, counting and index helpers, random draws:
hand-computed values, gradients and error messages."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

NAN = float("nan")


def test_quantile_interpolation_modes_by_hand() -> None:
    x = autograd.tensor([4.0, 1.0, 3.0, 2.0])  # sorted 1 2 3 4; q = 0.5 gives rank 1.5
    expected = {"linear": 2.5, "lower": 2.0, "higher": 3.0, "midpoint": 2.5, "nearest": 3.0}  # 1.5 rounds to 2
    for mode, value in expected.items():
        assert autograd.quantile(x, 0.5, interpolation=mode).item() == value, mode
    assert autograd.quantile(x, 0.25).item() == 1.75
    q = autograd.tensor([0.0, 1.0])
    m = autograd.tensor([[1.0, 5.0, 3.0], [2.0, 0.0, 4.0]])
    assert m.quantile(q, dim=1).tolist() == [[1.0, 0.0], [5.0, 4.0]]
    assert m.quantile(q, dim=0, keepdim=True).shape == (2, 1, 3)
    assert m.quantile(0.5, keepdim=True).shape == (1, 1)


def test_quantile_nan_handling_and_gradient() -> None:
    x = autograd.tensor([[1.0, NAN, 3.0], [NAN, NAN, NAN]])
    assert np.isnan(autograd.quantile(x, 0.5, dim=1)._data).all()
    assert np.array_equal(autograd.nanquantile(x, 0.5, dim=1)._data, [2.0, NAN], equal_nan=True)
    w = autograd.tensor([4.0, 1.0, 3.0, 2.0], dtype=autograd.float64, requires_grad=True)
    autograd.quantile(w, 0.25).backward()  # 1.75 = 0.25 * 1 + 0.75 * 2
    assert w.grad.tolist() == [0.0, 0.25, 0.0, 0.75]
    v = autograd.tensor(np.random.default_rng(0).normal(size=(3, 5)), requires_grad=True)
    levels = autograd.tensor([0.1, 0.6], dtype=autograd.float64)
    assert autograd.gradgradcheck(lambda t: autograd.nanquantile(t, levels, dim=1), [v])


def test_quantile_errors() -> None:
    with pytest.raises(RuntimeError, match=r"quantile: q values must be in the range \[0, 1\]"):
        autograd.quantile(autograd.tensor([1.0]), 1.5)
    with pytest.raises(RuntimeError, match="quantile: expected q to have the input's dtype float32"):
        autograd.quantile(autograd.tensor([1.0]), autograd.tensor([0.5], dtype=autograd.float64))
    with pytest.raises(RuntimeError, match="quantile: interpolation must be one of"):
        autograd.quantile(autograd.tensor([1.0]), 0.5, interpolation="cubic")
    with pytest.raises(RuntimeError, match="quantile: expected a float32 or float64"):
        autograd.quantile(autograd.tensor([1, 2]), 0.5)


def test_kthvalue_mode_msort() -> None:
    x = autograd.tensor([[1.0, 3.0, 3.0, 2.0, 1.0], [5.0, 5.0, 4.0, 4.0, 0.0]], dtype=autograd.float64,
                        requires_grad=True)
    values, indices = autograd.kthvalue(x, 3)
    assert values.tolist() == [2.0, 4.0] and indices.tolist() == [3, 3]
    values, indices = x.mode()
    assert values.tolist() == [1.0, 4.0] and indices.tolist() == [4, 3]  # smallest modal value, last position
    (values.sum() + autograd.kthvalue(x, 1, dim=0, keepdim=True).values.sum()).backward()
    # mode sends 1 to (0, 4) and (1, 3); the column minima are in row 0 except the last column's
    assert x.grad.tolist() == [[1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0, 1.0]]
    assert autograd.kthvalue(autograd.tensor(3.0), 1).values.item() == 3.0
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k=6 out of range for dimension 1 of size"):
        autograd.kthvalue(x, 6)
    assert autograd.msort(autograd.tensor([[3, 1], [1, 2]])).tolist() == [[1, 1], [3, 2]]


def test_bucketize_and_searchsorted() -> None:
    edges = autograd.tensor([1, 3, 5, 7, 9])
    v = autograd.tensor([[3, 6, 9], [3, 6, 9]])
    assert autograd.bucketize(v, edges).tolist() == [[1, 3, 4], [1, 3, 4]]
    assert autograd.bucketize(v, edges, right=True).tolist() == [[2, 3, 5], [2, 3, 5]]
    assert autograd.bucketize(4, edges).item() == 2
    assert autograd.bucketize(v, edges, out_int32=True).dtype == autograd.int32
    rows = autograd.tensor([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]])
    assert autograd.searchsorted(rows, v).tolist() == [[1, 3, 4], [1, 2, 4]]
    assert autograd.searchsorted(rows, v, side="right").tolist() == [[2, 3, 5], [1, 3, 4]]
    assert autograd.searchsorted(autograd.tensor([5, 1, 3]), autograd.tensor([2, 4]),
                                 sorter=autograd.tensor([1, 2, 0])).tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="searchsorted: side and right can't be set to opposites"):
        autograd.searchsorted(edges, v, right=True, side="left")
    with pytest.raises(RuntimeError, match="searchsorted: boundaries of shape \\[2, 5\\] and input of shape \\[3\\]"):
        autograd.searchsorted(rows, autograd.tensor([1, 2, 3]))


def test_bincount_counts_weights_and_errors() -> None:
    assert autograd.bincount(autograd.tensor([0, 2, 2, 5]), minlength=8).tolist() == [1, 0, 2, 0, 0, 1, 0, 0]
    weighted = autograd.tensor([0, 2, 2]).bincount(autograd.tensor([0.5, 1.0, 2.0]))
    assert weighted.dtype == autograd.float32 and weighted.tolist() == [0.5, 0.0, 3.0]
    assert autograd.bincount(autograd.tensor([0, 1]), autograd.tensor([1, 2])).dtype == autograd.float64
    assert autograd.bincount(autograd.tensor([], dtype=autograd.int64)).dtype == autograd.int64
    with pytest.raises(RuntimeError, match="bincount: only supports 1-d non-negative integral inputs"):
        autograd.bincount(autograd.tensor([-1]))
    with pytest.raises(RuntimeError, match="bincount: weights of shape \\[2\\]"):
        autograd.bincount(autograd.tensor([0, 1, 1]), autograd.tensor([1.0, 2.0]))


def test_index_helpers_isin_argwhere_unique_consecutive() -> None:
    assert autograd.tril_indices(3, 3).tolist() == [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
    assert autograd.triu_indices(3, 4, 1).tolist() == [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]
    assert autograd.tril_indices(4, 3, -1).tolist() == [[1, 2, 2, 3, 3, 3], [0, 0, 1, 0, 1, 2]]
    assert autograd.isin(autograd.tensor([[1, 2], [3, 4]]), autograd.tensor([2, 3])).tolist() == [[False, True],
                                                                                                  [True, False]]
    assert autograd.isin(2, autograd.tensor([1, 2])).item() is True
    assert autograd.isin(autograd.tensor([1.0, 2.0]), autograd.tensor([2]), invert=True).tolist() == [True, False]
    assert autograd.argwhere(autograd.tensor([[1, 0], [0, 3]])).tolist() == [[0, 0], [1, 1]]
    values, inverse, counts = autograd.unique_consecutive(autograd.tensor([1, 1, 2, 2, 3, 1, 1, 2]),
                                                          return_inverse=True, return_counts=True)
    assert values.tolist() == [1, 2, 3, 1, 2] and counts.tolist() == [2, 2, 1, 2, 1]
    assert inverse.tolist() == [0, 0, 1, 1, 2, 3, 3, 4]
    rows = autograd.tensor([[1, 1], [1, 1], [2, 2]]).unique_consecutive(dim=0)
    assert rows.tolist() == [[1, 1], [2, 2]]


def test_random_draws() -> None:
    autograd.manual_seed(0)
    certain = autograd.bernoulli(autograd.tensor([0.0, 1.0, 1.0, 0.0]))
    assert certain.tolist() == [0.0, 1.0, 1.0, 0.0] and certain.dtype == autograd.float32
    draws = autograd.zeros(10000).bernoulli(0.25)
    assert abs(draws.mean().item() - 0.25) < 0.02
    with pytest.raises(RuntimeError, match="bernoulli: expected all probabilities to be in \\[0, 1\\]"):
        autograd.bernoulli(autograd.tensor([1.5]))
    counts = autograd.poisson(autograd.full((10000,), 3.0, dtype=autograd.float64))
    assert counts.dtype == autograd.float64 and abs(counts.mean().item() - 3.0) < 0.1
    assert autograd.poisson(autograd.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    ints = autograd.randint_like(autograd.zeros(2, 3, dtype=autograd.int32), 2, 5)
    assert ints.shape == (2, 3) and ints.dtype == autograd.int32 and set(ints.reshape(-1).tolist()) <= {2, 3, 4}
