"""Logarithms and exponentials in other bases, the complementary and inverse error functions, logit, xlogy and
logaddexp. Each op states y = f(x) and its derivative.

``log2``, ``log10`` and ``exp2`` are ops of their own rather than ``log(x) / log(2)`` and the like: numpy's
functions are correctly rounded where the quotient is not (``log10(1000)`` is 3 exactly, as in PyTorch).
Integer and bool inputs are promoted to the default dtype first, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._operands import float_operands, tensor_arguments
from autograd.ops.basic import Where, broadcast_error
from autograd.ops.elementwise import _floating, erf_array, exp, log, sigmoid
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.log2``).
__all__ = ["log2", "log10", "exp2", "erfc", "erfinv", "logit", "xlogy", "logaddexp", "logaddexp2"]

_LN2 = math.log(2)
_LN10 = math.log(10)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_POSITIVE = [Sample((3, 4), low=0.2, high=2.0), Sample((), low=0.2, high=2.0), Sample((2, 0))]
_PAIRS = [Sample((3, 4), (3, 4)), Sample((3, 4), (4,)), Sample((), (2, 3)), Sample((2, 0), (2, 1))]

_erfc_scalar = np.frompyfunc(math.erfc, 1, 1)


def erfc_array(x: np.ndarray) -> np.ndarray:
    """1 - erf(x) with ``math.erfc`` per element: full relative precision in the tail, where 1 - erf(x) has none."""
    return np.asarray(_erfc_scalar(x), dtype=x.dtype)


def erfinv_array(x: np.ndarray) -> np.ndarray:
    """The inverse of erf on [-1, 1] (+-inf at +-1, NaN outside), to double precision.

    A closed-form first guess (Winitzki's approximation, relative error below 2e-3) is refined by two Halley
    steps: on erf(y) = |x| where |x| <= 1/2 and on erfc(y) = 1 - |x| beyond, where 1 - |x| is exact, so the
    tail keeps its precision. Halley's update for f(y) = erf(y) - c (or erfc(y) - c) is y -= u / (1 + y u)
    with u = f / f', since f'' / f' = -2y; it triples the number of correct digits per step.
    """
    t = np.asarray(x, dtype=np.float64)
    size = np.abs(t)
    out = np.where(size == 1, np.inf, np.nan)
    inside = size < 1
    s = size[inside]
    a = 0.147
    log_rest = np.where(s < 0.5, np.log1p(-s * s), np.log((1 - s) * (1 + s)))  # log(1 - s**2), accurately
    half = 2 / (math.pi * a) + log_rest / 2
    spread = -log_rest / a
    root = np.sqrt(half * half + spread)
    # sqrt(half**2 + spread) - half, rationalised where half > 0 to avoid cancellation for small s
    y = np.sqrt(np.where(half > 0, spread / (root + np.maximum(half, 0)), root - half))
    tail = s > 0.5
    for _ in range(2):
        residual = np.where(tail, erfc_array(y) - (1 - s), erf_array(y) - s)
        slope = np.where(tail, -_TWO_OVER_SQRT_PI, _TWO_OVER_SQRT_PI) * np.exp(-y * y)
        step = residual / slope
        y = y - step / (1 + y * step)
    out[inside] = y
    return (np.sign(t) * out).astype(x.dtype, copy=False)


@register_op("log2", samples=_POSITIVE)
class Log2(Function):
    """y = log2(x);  dy/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):  # -inf at 0, NaN below, silently, as PyTorch
            return np.log2(x)

    @staticmethod
    def backward(ctx, grad):
        return grad / (ctx.input(0) * _LN2)


@register_op("log10", samples=_POSITIVE)
class Log10(Function):
    """y = log10(x);  dy/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(x)

    @staticmethod
    def backward(ctx, grad):
        return grad / (ctx.input(0) * _LN10)


@register_op("exp2", samples=[Sample((3, 4), low=-2.0, high=2.0), Sample(()), Sample((2, 0))])
class Exp2(Function):
    """y = 2**x;  dy/dx = y ln 2."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.exp2(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.output * _LN2


@register_op("erfc", samples=[Sample((3, 4), low=-2.0, high=2.0), Sample(()), Sample((2, 0))])
class Erfc(Function):
    """y = 1 - erf(x);  dy/dx = -2 / sqrt(pi) * exp(-x**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return erfc_array(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad * -_TWO_OVER_SQRT_PI * exp(-(x * x))


@register_op("erfinv", samples=[Sample((3, 4), low=-0.8, high=0.8), Sample((), low=0.6, high=0.8), Sample((2, 0))])
class Erfinv(Function):
    """y = erf^-1(x) (+-inf at x = +-1, NaN outside [-1, 1]);  dy/dx = sqrt(pi) / 2 * exp(y**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return erfinv_array(x)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        return grad * (math.sqrt(math.pi) / 2) * exp(y * y)


@register_op("logit", samples=[Sample((3, 4), low=0.1, high=0.9), Sample((), low=0.2, high=0.8),
                               Sample((3, 4), low=0.1, high=0.9, eps=0.05),
                               Sample((2, 3), low=0.01, high=0.04, eps=0.05)])
class Logit(Function):
    """y = log(z / (1 - z)) with z = x, or with ``eps`` z = x clamped to [eps, 1 - eps];
    dy/dx = 1 / (x (1 - x)): with ``eps`` 0 where x lies outside [eps, 1 - eps], without it NaN outside [0, 1]
    (PyTorch's conventions)."""

    eps = None

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if ctx.eps is not None:
            lo = np.asarray(ctx.eps, dtype=x.dtype)
            hi = 1 - lo
            x = np.where(x < lo, lo, np.where(x > hi, hi, x))  # x < lo first: lo > hi clamps below to lo
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        slope = grad / (x * (1 - x))
        data = x._data
        if ctx.eps is None:
            outside, fill = (data < 0) | (data > 1), np.full((), np.nan, dtype=data.dtype)
        else:
            lo = np.asarray(ctx.eps, dtype=data.dtype)
            outside, fill = (data < lo) | (data > 1 - lo), np.zeros((), dtype=data.dtype)
        return Where.apply(outside, fill, slope) if outside.any() else slope


def _data(x: Any) -> Any:
    return x._data if hasattr(x, "_data") else x


@register_op("xlogy", samples=[Sample((3, 4), (3, 4), low=0.2, high=2.0), Sample((3, 4), (4,), low=0.2, high=2.0),
                               Sample(np.array([0.0, 0.0, 2.0]), (3,), low=0.2, high=2.0),
                               Sample((2, 3), np.array(0.5), low=0.2, high=2.0)])
class Xlogy(Function):
    """y = x log(b), 0 where x = 0 (unless b is NaN);  dy/dx = log(b), 0 where x = 0 and b <= 0;
    dy/db = x / b (PyTorch's conventions). Either operand may be a constant array (a number)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = x * np.log(b)
            return np.where((x == 0) & ~np.isnan(b), np.zeros((), dtype=out.dtype), out)
        except ValueError:
            raise broadcast_error("xlogy", x, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_x, need_b = ctx.needs_input_grad
        x, b = ctx.input(0), ctx.input(1)
        grad_x = None
        if need_x:
            flat = (_data(x) == 0) & (_data(b) <= 0)
            if flat.any():  # log(1) = 0 there; the 1 also keeps 0/0 out of the second derivative
                b = Where.apply(flat, np.ones((), dtype=grad.dtype), b)
            grad_x = grad * log(b if hasattr(b, "_data") else wrap(b))
        return grad_x, (grad * x / ctx.input(1) if need_b else None)


@register_op("logaddexp", samples=_PAIRS)
class LogAddExp(Function):
    """y = log(exp(a) + exp(b)) (without overflow);  dy/da = sigmoid(a - b) = 1 / (1 + exp(b - a)),
    dy/db = sigmoid(b - a) (NaN where a = b = +-inf, as PyTorch)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(invalid="ignore"):
                return np.logaddexp(a, b)
        except ValueError:
            raise broadcast_error("logaddexp", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        a, b = ctx.input(0), ctx.input(1)
        return (grad * sigmoid(a - b) if need_a else None), (grad * sigmoid(b - a) if need_b else None)


@register_op("logaddexp2", samples=_PAIRS)
class LogAddExp2(Function):
    """y = log2(2**a + 2**b) (without overflow);  dy/da = 1 / (1 + 2**(b - a)) = sigmoid((a - b) ln 2), dy/db
    likewise."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(invalid="ignore"):
                return np.logaddexp2(a, b)
        except ValueError:
            raise broadcast_error("logaddexp2", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        a, b = ctx.input(0), ctx.input(1)
        grad_a = grad * sigmoid((a - b) * _LN2) if need_a else None
        return grad_a, (grad * sigmoid((b - a) * _LN2) if need_b else None)


def log2(input: Any) -> Any:
    """Base-2 logarithm."""
    return Log2.apply(_floating(input, "log2"))


def log10(input: Any) -> Any:
    """Base-10 logarithm."""
    return Log10.apply(_floating(input, "log10"))


def exp2(input: Any) -> Any:
    """2 to the power ``input``."""
    return Exp2.apply(_floating(input, "exp2"))


def erfc(input: Any) -> Any:
    """The complementary error function 1 - erf(input), accurate where it is tiny (large input)."""
    return Erfc.apply(_floating(input, "erfc"))


def erfinv(input: Any) -> Any:
    """The inverse error function: erfinv(erf(x)) = x; +-inf at +-1 and NaN outside [-1, 1]."""
    return Erfinv.apply(_floating(input, "erfinv"))


def logit(input: Any, eps: float | None = None) -> Any:
    """log(p / (1 - p)), the inverse of sigmoid; with ``eps`` the input is first clamped to [eps, 1 - eps]
    (a negative ``eps`` means none, as in PyTorch)."""
    x = _floating(input, "logit")
    if eps is not None and eps < 0:
        eps = None
    return Logit.apply(x, eps=None if eps is None else float(eps))


def xlogy(input: Any, other: Any) -> Any:
    """``input * log(other)``, 0 where ``input`` is 0 (even where ``other`` is 0 or inf; NaN where ``other`` is
    NaN). Either argument may be a number; integer results get the default dtype."""
    if not (hasattr(input, "_data") or hasattr(other, "_data")):
        raise TypeError(f"xlogy(): expected at least one Tensor argument, got {type(input).__name__} and "
                        f"{type(other).__name__}")
    return Xlogy.apply(*float_operands("xlogy", input, other))


def logaddexp(input: Any, other: Any) -> Any:
    """log(exp(input) + exp(other)) elementwise with broadcasting, without overflow; floating tensors only."""
    tensor_arguments("logaddexp", input=input, other=other)
    return LogAddExp.apply(*float_operands("logaddexp", input, other, integers=False))


def logaddexp2(input: Any, other: Any) -> Any:
    """log2(2**input + 2**other) elementwise with broadcasting, without overflow; floating tensors only."""
    tensor_arguments("logaddexp2", input=input, other=other)
    return LogAddExp2.apply(*float_operands("logaddexp2", input, other, integers=False))

