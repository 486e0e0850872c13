"""nansum, nanmean, count_nonzero, median, nanmedian, var_mean and std_mean: values by hand, the gradient rules
PyTorch uses (NaN masks, ties, the chosen index), dtypes and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

NAN = math.nan


def test_nansum_and_nanmean_skip_nan() -> None:
    x = autograd.tensor([[1.0, NAN, 3.0], [NAN, NAN, NAN]])
    assert autograd.nansum(x).item() == 4.0
    assert x.nansum(1).tolist() == [4.0, 0.0]
    out = autograd.nanmean(x, dim=1, keepdim=True).tolist()
    assert out[0] == [2.0] and math.isnan(out[1][0])
    assert autograd.nansum(autograd.tensor([1, 2]), dtype=autograd.float64).dtype == np.float64
    assert autograd.nansum(autograd.tensor([True, True])).dtype == np.int64


def test_nan_reduction_gradients_follow_the_mask() -> None:
    x = autograd.tensor([1.0, NAN, 3.0, math.inf], dtype=autograd.float64, requires_grad=True)
    autograd.nansum(x).backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0, 1.0]
    y = autograd.tensor([[1.0, NAN, 3.0], [NAN, NAN, NAN]], dtype=autograd.float64, requires_grad=True)
    y.nanmean(1).sum().backward()
    assert y.grad.tolist()[0] == [0.5, 0.0, 0.5]
    assert np.isnan(y.grad.numpy()[1]).all()  # 1/0 times the mask 0, as PyTorch (not 0)


def test_nanmean_refuses_integers_even_with_dtype() -> None:
    with pytest.raises(RuntimeError, match="nanmean\\(\\): expected input to have floating point dtype but got int64"):
        autograd.nanmean(autograd.tensor([1, 2]), dtype=autograd.float32)


def test_count_nonzero_counts_nan_and_never_requires_grad() -> None:
    x = autograd.tensor([[0.0, 1.0, NAN], [2.0, 0.0, -0.0]], requires_grad=True)
    total = autograd.count_nonzero(x)
    assert total.item() == 3 and total.dtype == np.int64 and not total.requires_grad
    assert x.count_nonzero(0).tolist() == [1, 1, 1]
    assert autograd.count_nonzero(x, (0, 1)).item() == 3
    assert autograd.count_nonzero(autograd.tensor(5), 0).item() == 1
    with pytest.raises(RuntimeError, match="count_nonzero: dim"):
        autograd.count_nonzero(x, (0, 0))


def test_median_is_the_lower_middle_value() -> None:
    assert autograd.median(autograd.tensor([4.0, 1.0, 3.0, 2.0])).item() == 2.0  # of 1, 2, 3, 4: the lower
    assert autograd.median(autograd.tensor([[5, 1], [3, 9]])).item() == 3
    assert math.isnan(autograd.median(autograd.tensor([1.0, NAN, 2.0])).item())
    assert autograd.nanmedian(autograd.tensor([1.0, NAN, 2.0, 7.0])).item() == 2.0
    assert math.isnan(autograd.median(autograd.tensor([])).item())


def test_median_along_a_dim_returns_values_and_indices() -> None:
    x = autograd.tensor([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 5.0], [NAN, 1.0, 2.0, 3.0]])
    result = autograd.median(x, 1)
    assert type(result).__name__ == "median" and result._fields == ("values", "indices")
    values, indices = result
    assert values.tolist()[:2] == [2.0, 5.0] and math.isnan(values.tolist()[2])
    # Ties: the element's place in a stable sort (row 1: the second of four 5s, as PyTorch); NaN: the first NaN.
    assert indices.tolist() == [3, 1, 0] and indices.dtype == np.int64
    kept = x.median(dim=0, keepdim=True)
    assert kept.values.shape == (1, 4) and kept.indices.shape == (1, 4)
    skip = autograd.nanmedian(x, 1)
    assert skip.values.tolist() == [2.0, 5.0, 2.0] and skip.indices.tolist() == [3, 1, 2]


def test_median_gradients() -> None:
    # of all elements: shared evenly by the elements equal to the median, as PyTorch
    x = autograd.tensor([1.0, 2.0, 2.0, 1.0, 3.0, 1.0], dtype=autograd.float64, requires_grad=True)
    autograd.median(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), [1 / 3, 0, 0, 1 / 3, 0, 1 / 3])
    # along a dim: all of it to the returned index
    y = autograd.tensor([[3.0, 1.0, 2.0]], dtype=autograd.float64, requires_grad=True)
    autograd.median(y, 1).values.sum().backward()
    assert y.grad.tolist() == [[0.0, 0.0, 1.0]]


def test_median_errors() -> None:
    with pytest.raises(RuntimeError, match="median: not implemented for bool tensors"):
        autograd.median(autograd.tensor([True, False]))
    with pytest.raises(IndexError, match="median\\(\\): Expected reduction dim 1 to have non-zero size"):
        autograd.median(autograd.ones(2, 0), 1)
    with pytest.raises(RuntimeError, match="an empty int64 tensor has no median"):
        autograd.median(autograd.tensor([], dtype=autograd.int64))


def test_var_mean_and_std_mean_are_plain_tuples_of_both_reductions() -> None:
    x = autograd.tensor([1.0, 2.0, 4.0], dtype=autograd.float64)
    result = autograd.var_mean(x)
    assert type(result) is tuple
    var, mean = result
    assert var.item() == pytest.approx(7 / 3) and mean.item() == pytest.approx(7 / 3)
    assert autograd.var_mean(x, unbiased=False)[0].item() == pytest.approx(14 / 9)
    assert autograd.var_mean(x, False)[0].item() == pytest.approx(14 / 9)  # var_mean(input, unbiased)
    m = autograd.tensor([[1.0, 3.0], [4.0, 8.0]], dtype=autograd.float64)
    std, mean = autograd.std_mean(m, 1, keepdim=True, correction=0)
    assert std.tolist() == [[1.0], [2.0]] and mean.tolist() == [[2.0], [6.0]]
    with pytest.raises(RuntimeError, match="std_mean\\(\\): input dtype should be floating point"):
        autograd.std_mean(autograd.tensor([1, 2]))


def test_var_mean_gradient_is_the_sum_of_both() -> None:
    x = autograd.tensor([1.0, 2.0, 6.0], dtype=autograd.float64, requires_grad=True)
    var, mean = autograd.var_mean(x)
    (var + mean).backward()
    # d var / dx = 2 (x - 3) / 2, d mean / dx = 1/3
    np.testing.assert_allclose(x.grad.numpy(), [-2 + 1 / 3, -1 + 1 / 3, 3 + 1 / 3])
