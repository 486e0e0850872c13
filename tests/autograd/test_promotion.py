"""PyTorch's type promotion for binary ops and the result dtypes of maths ops (expected dtypes checked with
torch by hand)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

f32, f64 = autograd.float32, autograd.float64


def _t(dtype, shape=(2,)):
    return autograd.ones(*shape, dtype=dtype)


PROMOTION = [
    ("int64 tensor + 2.5", lambda: _t(autograd.int64) + 2.5, f32),
    ("int64 tensor + 2", lambda: _t(autograd.int64) + 2, autograd.int64),
    ("int32 tensor + 2", lambda: _t(autograd.int32) + 2, autograd.int32),
    ("float32 tensor + float64 0-d", lambda: _t(f32) + autograd.tensor(1.0, dtype=f64), f32),
    ("float32 + float64 with dims", lambda: _t(f32) + _t(f64), f64),
    ("float64 0-d + float32 tensor", lambda: autograd.tensor(1.0, dtype=f64) * _t(f32), f32),
    ("int32 tensor + int64 0-d", lambda: _t(autograd.int32) + autograd.tensor(1), autograd.int32),
    ("int64 tensor + float64 0-d", lambda: _t(autograd.int64) + autograd.tensor(1.0, dtype=f64), f64),
    ("uint8 + int8", lambda: _t(autograd.uint8) + _t(autograd.int8), autograd.int16),
    ("int / int", lambda: _t(autograd.int64) / _t(autograd.int64), f32),
    ("int // int", lambda: _t(autograd.int64) // _t(autograd.int64), autograd.int64),
    ("bool + bool", lambda: _t(autograd.bool) + _t(autograd.bool), autograd.bool),
    ("bool + 1", lambda: _t(autograd.bool) + 1, autograd.int64),
    ("float16 + 1.5", lambda: _t(autograd.float16) + 1.5, autograd.float16),
    ("2.5 ** int tensor", lambda: 2.5 ** _t(autograd.int64), f32),
    ("maximum(int, float64 0-d)", lambda: autograd.maximum(_t(autograd.int64), autograd.tensor(1.0, dtype=f64)), f64),
    ("where(cond, int, 0.5)", lambda: autograd.where(_t(autograd.bool), _t(autograd.int64), 0.5), f32),
    ("clamp(int, max=2.5)", lambda: _t(autograd.int64).clamp(max=2.5), f32),
    ("exp(int)", lambda: autograd.exp(_t(autograd.int32)), f32),
    ("sqrt(bool)", lambda: autograd.sqrt(_t(autograd.bool)), f32),
    ("abs(int32)", lambda: autograd.abs(_t(autograd.int32)), autograd.int32),
    ("sum(int32)", lambda: _t(autograd.int32).sum(), autograd.int64),
    ("prod(bool)", lambda: _t(autograd.bool).prod(), autograd.int64),
    ("cumsum(int32)", lambda: _t(autograd.int32).cumsum(0), autograd.int64),
    ("logsumexp(int)", lambda: autograd.logsumexp(_t(autograd.int64), 0), f32),
    ("amax(int)", lambda: _t(autograd.int64).amax(), autograd.int64),
    ("softmax(float64)", lambda: autograd.softmax(_t(f64), 0), f64),
]


@pytest.mark.parametrize(("case", "make", "dtype"), PROMOTION, ids=[p[0] for p in PROMOTION])
def test_result_dtype(case: str, make, dtype) -> None:
    assert make().dtype == dtype


def test_mean_of_integers_raises() -> None:
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        _t(autograd.int64).mean()


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparisons_return_bool_without_grad(op: str) -> None:
    x = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = getattr(x, op)(2)
    assert out.dtype == np.bool_ and not out.requires_grad and out.grad_fn is None
    mixed = getattr(autograd, op)(autograd.tensor([1, 2, 3]), autograd.tensor([1.5, 2.0, 2.5], dtype=f64))
    assert mixed.dtype == np.bool_


def test_gradient_reaches_each_input_in_its_own_dtype() -> None:
    a = autograd.tensor([1.0, 2.0], dtype=f32, requires_grad=True)
    b = autograd.tensor([3.0, 4.0], dtype=f64, requires_grad=True)
    out = a * b
    assert out.dtype == f64
    out.sum().backward()
    assert a.grad.dtype == f32 and b.grad.dtype == f64
    assert a.grad.tolist() == [3.0, 4.0] and b.grad.tolist() == [1.0, 2.0]


def test_python_ints_that_overflow_an_integer_dtype_wrap_around() -> None:
    """PyTorch keeps the tensor's dtype and wraps the Python int modulo 2**bits (no numpy OverflowError)."""
    assert (autograd.tensor([1], dtype=autograd.uint8) + 300).tolist() == [(1 + 300) % 256]
    assert (1000 * autograd.tensor([1], dtype=autograd.int8)).tolist() == [1000 % 256 - 256]
    big = autograd.tensor([1], dtype=autograd.int64) + 2**63
    assert big.dtype == autograd.int64 and big.tolist() == [1 - 2**63]
