"""cummax, cummin, logcumsumexp and diff: values by hand, PyTorch's ties, NaN and edge rules, gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

NAN, INF = math.nan, math.inf


def test_cummax_and_cummin_by_hand() -> None:
    x = autograd.tensor([1.0, 3.0, 3.0, 2.0, 5.0])
    result = autograd.cummax(x, 0)
    assert type(result).__name__ == "cummax" and result._fields == ("values", "indices")
    assert result.values.tolist() == [1.0, 3.0, 3.0, 3.0, 5.0]
    assert result.indices.tolist() == [0, 1, 2, 2, 4]  # ties: the later index, as PyTorch
    low = x.cummin(0)
    assert low.values.tolist() == [1.0, 1.0, 1.0, 1.0, 1.0] and low.indices.tolist() == [0, 0, 0, 0, 0]
    assert autograd.cummin(autograd.tensor([[3, 1, 2]]), 1).indices.tolist() == [[0, 1, 1]]


def test_cummax_nan_sticks_and_each_later_nan_takes_over() -> None:
    values, indices = autograd.cummax(autograd.tensor([1.0, NAN, 5.0, NAN, 7.0]), 0)
    assert values.tolist()[0] == 1.0 and np.isnan(values.numpy()[1:]).all()
    assert indices.tolist() == [0, 1, 1, 3, 3]


def test_cummax_gradient_goes_to_the_running_maximum() -> None:
    x = autograd.tensor([1.0, 3.0, 3.0, 2.0], dtype=autograd.float64, requires_grad=True)
    autograd.cummax(x, 0).values.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 2.0, 0.0]


def test_logcumsumexp_is_stable_at_both_ends() -> None:
    x = autograd.tensor([-1000.0, 0.0, 1000.0], dtype=autograd.float64)
    np.testing.assert_allclose(autograd.logcumsumexp(x, 0).numpy(), [-1000.0, 0.0, 1000.0], rtol=1e-15)
    y = autograd.tensor([[0.0, 0.0, math.log(2)]], dtype=autograd.float64)
    np.testing.assert_allclose(y.logcumsumexp(1).numpy(), [[0.0, math.log(2), math.log(4)]], rtol=1e-15)
    assert autograd.logcumsumexp(autograd.tensor([-INF, -INF, 1.0]), 0).tolist() == [-INF, -INF, 1.0]
    with pytest.raises(RuntimeError, match="logcumsumexp: not implemented for int64 tensors"):
        autograd.logcumsumexp(autograd.tensor([1, 2]), 0)


def test_logcumsumexp_gradient_by_hand() -> None:
    # y_k = log(sum_{j<=k} e^{x_j}); dL/dx_j = sum_{k>=j} g_k e^{x_j - y_k}. With x = (0, 0): y = (0, log 2).
    x = autograd.tensor([0.0, 0.0], dtype=autograd.float64, requires_grad=True)
    autograd.logcumsumexp(x, 0).backward(autograd.tensor([1.0, -2.0], dtype=autograd.float64))
    np.testing.assert_allclose(x.grad.numpy(), [1 - 2 * 0.5, -2 * 0.5], atol=1e-15)


def test_logcumsumexp_second_derivative_has_no_nan_where_grad_is_zero() -> None:
    x = autograd.tensor([0.3, -1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(autograd.logcumsumexp(x, 0), x, autograd.tensor([0.0, 1.0, 0.0], dtype=autograd.float64),
                         create_graph=True)
    (h,) = autograd.grad(g.sum(), x)
    assert np.isfinite(h.numpy()).all()


def test_diff_by_hand() -> None:
    x = autograd.tensor([1, 4, 9, 16])
    assert autograd.diff(x).tolist() == [3, 5, 7]
    assert x.diff(n=2).tolist() == [2, 2]
    assert autograd.diff(autograd.tensor([1.0, 4.0]), n=3).shape == (0,)
    assert autograd.diff(autograd.tensor([[1, 2], [4, 8]]), dim=0).tolist() == [[3, 6]]
    both = autograd.diff(autograd.tensor([1, 2]), prepend=autograd.tensor([0]), append=autograd.tensor([5, 6]))
    assert both.tolist() == [1, 1, 3, 1]
    assert autograd.diff(autograd.tensor([True, False, False])).tolist() == [True, False]  # x[i+1] != x[i]
    assert autograd.diff(autograd.ones(2, 3), prepend=autograd.ones(2, 1, dtype=autograd.float64)).dtype == np.float64


def test_diff_gradient() -> None:
    x = autograd.tensor([1.0, 2.0, 4.0, 8.0], dtype=autograd.float64, requires_grad=True)
    autograd.diff(x, n=2).backward(autograd.tensor([1.0, 10.0], dtype=autograd.float64))
    # second differences: x2 - 2 x1 + x0 and x3 - 2 x2 + x1
    assert x.grad.tolist() == [1.0, -2.0 + 10.0, 1.0 - 20.0, 10.0]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: autograd.diff(autograd.tensor(3.0)), RuntimeError, "diff expects input to be at least one-dimensional"),
    (lambda: autograd.diff(autograd.ones(3), n=-1), RuntimeError, "diff: order must be non-negative but got -1"),
    (lambda: autograd.diff(autograd.ones(2, 3), prepend=autograd.ones(3)), RuntimeError,
     "diff expects prepend or append to be the same dimension as input"),
    (lambda: autograd.diff(autograd.ones(2, 3), prepend=autograd.ones(1, 3)), RuntimeError,
     "diff expects the shape of tensor to prepend or append to match that of input except along the differencing "
     "dimension 1"),
    (lambda: autograd.diff(autograd.ones(2), prepend=1.0), TypeError, "diff\\(\\): argument 'prepend' must be Tensor"),
])
def test_diff_errors(call, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()
