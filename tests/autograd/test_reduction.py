"""Reductions, extremes, scans and statistics against numpy, with the subtle gradients checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(1)
DATA = RNG.normal(size=(3, 4, 5))


def test_prod_values_and_gradient_without_zeros() -> None:
    x = autograd.tensor(DATA, requires_grad=True)
    out = x.prod(1)
    np.testing.assert_allclose(out.detach().numpy(), np.prod(DATA, axis=1), rtol=1e-12)
    out.sum().backward()
    expected = np.stack([np.prod(np.delete(DATA, j, axis=1), axis=1) for j in range(4)], axis=1)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-10)
    assert autograd.tensor([[1, 2], [3, 4]]).prod().item() == 24
    assert autograd.tensor([True, True]).prod().dtype == np.int64


def test_prod_gradient_with_zeros() -> None:
    # torch: tensor([1., 0., 3.]).prod() gives the gradient [0., 3., 0.]
    x = autograd.tensor([1.0, 0.0, 3.0], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 3.0, 0.0]
    two_zeros = autograd.tensor([[0.0, 2.0, 0.0], [1.0, 2.0, 3.0]], requires_grad=True)
    two_zeros.prod(dim=1).sum().backward()
    assert two_zeros.grad.tolist() == [[0.0, 0.0, 0.0], [6.0, 3.0, 2.0]]


def test_max_with_dim_returns_named_values_and_indices() -> None:
    x = autograd.tensor([[1.0, 3.0, 3.0], [4.0, -1.0, 0.0]], requires_grad=True)
    result = x.max(1)
    values, indices = result
    assert values.tolist() == [3.0, 4.0] and indices.tolist() == [1, 0]
    assert result.values is values and result.indices is indices and indices.dtype == np.int64
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]  # torch: the returned index only
    low = autograd.min(x, dim=0, keepdim=True)
    assert low.values.tolist() == [[1.0, -1.0, 0.0]] and low.indices.tolist() == [[0, 1, 1]]


def test_full_max_and_amax_share_ties_evenly() -> None:
    # torch: tensor([1., 3., 3.]).max().backward() -> [0., 0.5, 0.5]
    for reduce in (autograd.max, autograd.amax):
        x = autograd.tensor([1.0, 3.0, 3.0], requires_grad=True)
        out = reduce(x)
        assert out.shape == () and out.item() == 3.0
        out.backward()
        assert x.grad.tolist() == [0.0, 0.5, 0.5]
    x = autograd.tensor([[2.0, 2.0], [5.0, 1.0]], requires_grad=True)
    x.amin(dim=1).sum().backward()
    assert x.grad.tolist() == [[0.5, 0.5], [0.0, 1.0]]


def test_max_with_a_tensor_means_maximum_and_empty_inputs_raise() -> None:
    assert autograd.max(autograd.tensor([1.0, 5.0]), autograd.tensor([3.0, 2.0])).tolist() == [3.0, 5.0]
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        autograd.zeros(0).max()
    with pytest.raises(IndexError, match="max\\(\\): Expected reduction dim 0 to have non-zero size"):
        autograd.zeros(0, 3).max(0)
    with pytest.raises(IndexError, match="argmax"):
        autograd.zeros(0).argmax()


def test_argmax_argmin() -> None:
    x = autograd.tensor([[1, 3], [3, 0]])
    assert x.argmax().item() == 1 and x.argmin().item() == 3
    assert autograd.argmax(x, dim=1, keepdim=True).tolist() == [[1], [0]]
    assert autograd.argmin(x, dim=0).tolist() == [0, 1]
    assert x.argmax().dtype == np.int64


@pytest.mark.parametrize("kwargs", [{}, {"dim": 1}, {"dim": (0, 2), "keepdim": True}, {"dim": -1, "unbiased": False},
                                    {"dim": 1, "correction": 0}, {"correction": 2}])
def test_var_and_std_match_numpy(kwargs: dict) -> None:
    ddof = 0 if kwargs.get("unbiased") is False else kwargs.get("correction", 1)
    axis = kwargs.get("dim")
    x = autograd.tensor(DATA)
    expected = np.var(DATA, axis=axis, ddof=ddof, keepdims=kwargs.get("keepdim", False))
    np.testing.assert_allclose(x.var(**kwargs).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(autograd.std(x, **kwargs).numpy(), np.sqrt(expected), rtol=1e-12)


def test_var_gradient_and_std_gradient_at_zero_spread() -> None:
    x = autograd.tensor([1.0, 2.0, 6.0], requires_grad=True)
    x.var().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (np.array([1.0, 2.0, 6.0]) - 3.0) / 2)
    flat = autograd.tensor([2.0, 2.0, 2.0], requires_grad=True)
    flat.std().backward()
    assert flat.grad.tolist() == [0.0, 0.0, 0.0]  # torch masks the 0/0 to 0
    assert autograd.var(autograd.tensor([1.0, 3.0]), False).item() == 1.0  # var(input, unbiased)


def test_logsumexp_is_stable_and_correct() -> None:
    x = autograd.tensor(DATA)
    np.testing.assert_allclose(autograd.logsumexp(x, 1).numpy(), np.log(np.exp(DATA).sum(axis=1)), rtol=1e-12)
    big = autograd.tensor([1e4, 1e4, -1e4])
    np.testing.assert_allclose(big.logsumexp(0).item(), 1e4 + math.log(2), rtol=1e-7)
    assert autograd.logsumexp(autograd.tensor([-math.inf, -math.inf]), 0).item() == -math.inf
    y = autograd.tensor([[1.0, 2.0, 3.0]], dtype=autograd.float64, requires_grad=True)
    y.logsumexp(1, keepdim=True).sum().backward()
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(y.grad.numpy()[0], e / e.sum(), rtol=1e-12)


@pytest.mark.parametrize("p", [2, 1, math.inf, -math.inf, 3, 0.5, 0, "fro"])
def test_norm_matches_numpy(p) -> None:
    flat = DATA.reshape(-1)
    order = 2 if p == "fro" else p
    expected = np.linalg.norm(flat, ord=order)
    np.testing.assert_allclose(autograd.norm(autograd.tensor(DATA), p).item(), expected, rtol=1e-12)
    if p not in (0, "fro"):
        by_row = np.linalg.norm(DATA, ord=order, axis=2, keepdims=True)
        np.testing.assert_allclose(autograd.tensor(DATA).norm(p, dim=2, keepdim=True).numpy(), by_row, rtol=1e-12)


def test_norm_gradients() -> None:
    zero = autograd.zeros(3, requires_grad=True)
    zero.norm().backward()
    assert zero.grad.tolist() == [0.0, 0.0, 0.0]  # torch: 0, not NaN
    x = autograd.tensor([3.0, -4.0], requires_grad=True)
    x.norm().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.6, -0.8], rtol=1e-6)
    tie = autograd.tensor([3.0, -3.0, 1.0], requires_grad=True)
    tie.norm(math.inf).backward()
    assert tie.grad.tolist() == [0.5, -0.5, 0.0]
    one = autograd.tensor([2.0, -1.0, 0.0], requires_grad=True)
    one.norm(1).backward()
    assert one.grad.tolist() == [1.0, -1.0, 0.0]
    with pytest.raises(ValueError, match="nuc"):
        autograd.norm(x, "nuc")


def test_all_any() -> None:
    x = autograd.tensor([[1, 0], [2, 3]])
    assert x.all().item() is False and x.any().item() is True
    assert x.all(dim=1).tolist() == [False, True] and x.all(dim=1).dtype == np.bool_
    assert autograd.any(autograd.tensor([0.0, 0.0]), dim=0, keepdim=True).tolist() == [False]


def test_cumsum_values_gradient_and_dtype() -> None:
    x = autograd.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    out = x.cumsum(1)
    assert out.tolist() == [[1.0, 3.0, 6.0], [4.0, 9.0, 15.0]]
    (out * autograd.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [[111.0, 110.0, 100.0]] * 2  # the reversed cumulative sum of the weights
    assert autograd.cumsum(autograd.tensor([True, True]), 0).tolist() == [1, 2]
    assert autograd.cumsum(autograd.tensor([1, 2]), 0).dtype == np.int64


def test_cumprod_gradient_with_zeros() -> None:
    # gradients of cumprod(x).sum() computed with torch
    for values, grad in (([1.0, 0.0, 3.0, 0.0, 2.0], [1.0, 4.0, 0.0, 0.0, 0.0]),
                         ([1.0, 2.0, 3.0, 0.0, 2.0], [9.0, 4.0, 2.0, 18.0, 0.0])):
        x = autograd.tensor(values, requires_grad=True)
        out = x.cumprod(0)
        np.testing.assert_allclose(out.detach().numpy(), np.cumprod(values))
        out.sum().backward()
        assert x.grad.tolist() == grad


def test_bad_dims_raise_index_error_naming_op_and_range() -> None:
    x = autograd.ones(2, 3)
    for call, op in ((lambda: x.sum(2), "sum"), (lambda: x.amax(-3), "amax"), (lambda: x.var(5), "var"),
                     (lambda: x.max(2), "max"), (lambda: x.cumsum(2), "cumsum"), (lambda: x.norm(dim=3), "norm"),
                     (lambda: x.argmax(4), "argmax"), (lambda: autograd.softmax(x, 2), "softmax")):
        with pytest.raises(IndexError, match=rf"{op}: Dimension out of range \(expected to be in range of \[-2, 1\]"):
            call()


def test_full_max_and_min_send_the_gradient_to_nans_as_pytorch() -> None:
    """max()/min() share the gradient among NaN elements; amax/amin, whose NaN result equals no element, give
    NaN (both as PyTorch)."""
    for reduce in (autograd.max, autograd.min):
        x = autograd.tensor([1.0, float("nan"), 2.0, float("nan")], requires_grad=True)
        reduce(x).backward()
        np.testing.assert_array_equal(x.grad.numpy(), [0, 0.5, 0, 0.5])
    x = autograd.tensor([1.0, float("nan")], requires_grad=True)
    autograd.amax(x).backward()
    assert np.isnan(x.grad.numpy()).all()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_var_and_std_without_degrees_of_freedom_give_nan_gradients() -> None:
    """N - correction <= 0: the forward pass gives inf or NaN and the gradient is NaN, as in PyTorch (no
    ZeroDivisionError)."""
    for spread, correction in ((autograd.var, 1), (autograd.std, 1), (autograd.std, 4)):
        x = autograd.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        spread(x, 0 if correction == 1 else None, correction=correction).sum().backward()
        assert np.isnan(x.grad.numpy()).all()
