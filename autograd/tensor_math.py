"""Tensor methods for arithmetic, elementwise maths, reductions and comparisons (their in-place forms are in
``tensor_inplace.py``).

Each method forwards to the functional form in ``autograd.ops`` (one definition of each op); they are
written out here rather than attached at run time.
"""

from __future__ import annotations

from typing import Any

from autograd.ops import (
    activation,
    arithmetic,
    basic,
    comparison,
    elementwise,
    extremes,
    piecewise,
    reduction,
    scans,
    statistics,
    trigonometric,
)


class TensorMath:
    """Arithmetic, elementwise, reduction and comparison methods of ``Tensor``."""

    __slots__ = ()

    # -- operators ----------------------------------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        return arithmetic.add(self, other)

    def __radd__(self, other: Any) -> Any:
        return arithmetic.add(other, self)

    def __sub__(self, other: Any) -> Any:
        return arithmetic.sub(self, other)

    def __rsub__(self, other: Any) -> Any:
        return arithmetic.sub(other, self)

    def __mul__(self, other: Any) -> Any:
        return arithmetic.mul(self, other)

    def __rmul__(self, other: Any) -> Any:
        return arithmetic.mul(other, self)

    def __truediv__(self, other: Any) -> Any:
        return arithmetic.div(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return arithmetic.div(other, self)

    def __floordiv__(self, other: Any) -> Any:
        return arithmetic.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return arithmetic.floor_divide(other, self)

    def __mod__(self, other: Any) -> Any:
        return arithmetic.remainder(self, other)

    def __rmod__(self, other: Any) -> Any:
        return arithmetic.remainder(other, self)

    def __neg__(self) -> Any:
        return arithmetic.neg(self)

    def __pos__(self) -> Any:
        return self

    def __pow__(self, exponent: Any) -> Any:
        return arithmetic.pow(self, exponent)

    def __rpow__(self, base: Any) -> Any:
        return arithmetic.pow(base, self)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return comparison.eq(self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return comparison.ne(self, other)

    def __lt__(self, other: Any) -> Any:
        return comparison.lt(self, other)

    def __le__(self, other: Any) -> Any:
        return comparison.le(self, other)

    def __gt__(self, other: Any) -> Any:
        return comparison.gt(self, other)

    def __ge__(self, other: Any) -> Any:
        return comparison.ge(self, other)

    def __and__(self, other: Any) -> Any:
        return comparison.bitwise_and(self, other)

    def __rand__(self, other: Any) -> Any:
        return comparison.bitwise_and(other, self)

    def __or__(self, other: Any) -> Any:
        return comparison.bitwise_or(self, other)

    def __ror__(self, other: Any) -> Any:
        return comparison.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Any:
        return comparison.bitwise_xor(self, other)

    def __invert__(self) -> Any:
        return comparison.bitwise_not(self)

    # -- named arithmetic -----------------------------------------------------------------------------------
    def add(self, other: Any, *, alpha: float = 1) -> Any:
        return arithmetic.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: float = 1) -> Any:
        return arithmetic.sub(self, other, alpha=alpha)

    def mul(self, other: Any) -> Any:
        return arithmetic.mul(self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        return arithmetic.div(self, other, rounding_mode=rounding_mode)

    def neg(self) -> Any:
        return arithmetic.neg(self)

    def pow(self, exponent: Any) -> Any:
        return arithmetic.pow(self, exponent)

    def floor_divide(self, other: Any) -> Any:
        return arithmetic.floor_divide(self, other)

    def remainder(self, other: Any) -> Any:
        return arithmetic.remainder(self, other)

    def fmod(self, other: Any) -> Any:
        return arithmetic.fmod(self, other)

    def eq(self, other: Any) -> Any:
        return comparison.eq(self, other)

    def ne(self, other: Any) -> Any:
        return comparison.ne(self, other)

    def lt(self, other: Any) -> Any:
        return comparison.lt(self, other)

    def le(self, other: Any) -> Any:
        return comparison.le(self, other)

    def gt(self, other: Any) -> Any:
        return comparison.gt(self, other)

    def ge(self, other: Any) -> Any:
        return comparison.ge(self, other)

    def equal(self, other: Any) -> bool:
        return comparison.equal(self, other)

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return comparison.allclose(self, other, rtol, atol, equal_nan)

    def isnan(self) -> Any:
        return comparison.isnan(self)

    def isinf(self) -> Any:
        return comparison.isinf(self)

    def isfinite(self) -> Any:
        return comparison.isfinite(self)

    def logical_not(self) -> Any:
        return comparison.logical_not(self)

    def clone(self) -> Any:
        return basic.clone(self)

    # -- elementwise ----------------------------------------------------------------------------------------
    def exp(self) -> Any:
        return elementwise.exp(self)

    def log(self) -> Any:
        return elementwise.log(self)

    def log1p(self) -> Any:
        return elementwise.log1p(self)

    def expm1(self) -> Any:
        return elementwise.expm1(self)

    def sqrt(self) -> Any:
        return elementwise.sqrt(self)

    def rsqrt(self) -> Any:
        return elementwise.rsqrt(self)

    def square(self) -> Any:
        return elementwise.square(self)

    def reciprocal(self) -> Any:
        return elementwise.reciprocal(self)

    def abs(self) -> Any:
        return elementwise.abs(self)

    __abs__ = abs

    def sign(self) -> Any:
        return piecewise.sign(self)

    def sin(self) -> Any:
        return trigonometric.sin(self)

    def cos(self) -> Any:
        return trigonometric.cos(self)

    def tan(self) -> Any:
        return trigonometric.tan(self)

    def tanh(self) -> Any:
        return trigonometric.tanh(self)

    def sigmoid(self) -> Any:
        return elementwise.sigmoid(self)

    def relu(self) -> Any:
        return elementwise.relu(self)

    def erf(self) -> Any:
        return elementwise.erf(self)

    def floor(self) -> Any:
        return piecewise.floor(self)

    def ceil(self) -> Any:
        return piecewise.ceil(self)

    def round(self, *, decimals: int = 0) -> Any:
        return piecewise.round(self, decimals=decimals)

    def trunc(self) -> Any:
        return piecewise.trunc(self)

    def softmax(self, dim: int, dtype: Any = None) -> Any:
        return activation.softmax(self, dim, dtype=dtype)

    def log_softmax(self, dim: int, dtype: Any = None) -> Any:
        return activation.log_softmax(self, dim, dtype=dtype)

    # -- selection ------------------------------------------------------------------------------------------
    def where(self, condition: Any, other: Any) -> Any:
        return basic.where(condition, self, other)

    def maximum(self, other: Any) -> Any:
        return basic.maximum(self, other)

    def minimum(self, other: Any) -> Any:
        return basic.minimum(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002  (PyTorch's names)
        return basic.clamp(self, min, max)

    clip = clamp

    def lerp(self, end: Any, weight: Any) -> Any:
        return arithmetic.lerp(self, end, weight)

    # -- reductions -----------------------------------------------------------------------------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return reduction.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return reduction.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return reduction.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        return extremes.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        return extremes.min(self, dim, keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Any:
        return extremes.amax(self, dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Any:
        return extremes.amin(self, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return extremes.argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return extremes.argmin(self, dim, keepdim)

    def all(self, dim: Any = None, keepdim: bool = False) -> Any:
        return reduction.all(self, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Any:
        return reduction.any(self, dim, keepdim)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Any:
        return scans.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Any:
        return scans.cumprod(self, dim, dtype=dtype)

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None) -> Any:
        return statistics.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None) -> Any:
        return statistics.std(self, dim, unbiased, keepdim, correction=correction)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Any:
        return statistics.logsumexp(self, dim, keepdim)

    def norm(self, p: float | str = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        return statistics.norm(self, p, dim, keepdim, dtype)

    def sum_to_size(self, *size: Any) -> Any:
        return reduction.sum_to_size(self, *size)
