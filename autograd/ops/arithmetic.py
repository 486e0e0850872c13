"""Arithmetic: add, sub, mul, div (with rounding modes), neg, pow, remainder, fmod, lerp.

Broadcasting is undone by the engine, not here. A shape mismatch surfaces as numpy's ValueError inside
``forward``; it is caught there (free on the success path) and re-raised as PyTorch's RuntimeError.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function, wrap
from autograd.ops._operands import binary_operands
from autograd.ops.basic import broadcast_error, where
from autograd.ops.elementwise import log
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["add", "sub", "mul", "div", "true_divide", "neg", "pow", "floor_divide", "remainder", "fmod", "lerp"]

_BROADCAST_SAMPLES = [
    Sample((3, 4), (3, 4)),
    Sample((3, 4), (4,)),
    Sample((2, 1, 3), (4, 1)),
    Sample((), (2, 3)),
    Sample((2, 0), (2, 1)),
]


@register_op("add", samples=_BROADCAST_SAMPLES)
class Add(Function):
    """y = a + b;  dy/da = 1, dy/db = 1."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return a + b
        except ValueError:
            raise broadcast_error("add", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


@register_op("sub", samples=_BROADCAST_SAMPLES)
class Sub(Function):
    """y = a - b;  dy/da = 1, dy/db = -1."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return a - b
        except ValueError:
            raise broadcast_error("sub", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.needs_input_grad[1] else None


@register_op("mul", samples=_BROADCAST_SAMPLES)
class Mul(Function):
    """y = a * b;  dy/da = b, dy/db = a."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return a * b
        except ValueError:
            raise broadcast_error("mul", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        return (grad * ctx.input(1) if need_a else None), (grad * ctx.input(0) if need_b else None)


@register_op("div", samples=[Sample((3, 4), (3, 4), low=0.5, high=2.0), Sample((3, 4), (4,), low=0.5, high=2.0),
                             Sample((), (2, 3), low=0.5, high=2.0)])
class Div(Function):
    """y = a / b;  dy/da = 1 / b, dy/db = -a / b**2."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is inf or nan, silently, as in PyTorch
                return a / b
        except ValueError:
            raise broadcast_error("div", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        b = ctx.input(1)
        grad_a = grad / b if need_a else None
        grad_b = -grad * ctx.input(0) / (b * b) if need_b else None
        return grad_a, grad_b


@register_op("neg", samples=[Sample((3, 4)), Sample(())])
class Neg(Function):
    """y = -x;  dy/dx = -1."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


@register_op("pow", samples=[Sample((3, 4), (3, 4), low=0.5, high=2.0), Sample((3, 4), (), low=0.5, high=2.0),
                             Sample((2, 1), (3,), low=0.5, high=2.0)])
class Pow(Function):
    """y = a ** b;  dy/da = b * a**(b - 1) (0 where b = 0), dy/db = y * log(a) (0 where a = 0 and b >= 0), as
    in PyTorch."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return np.power(a, b)
        except ValueError as error:
            if str(error).startswith("Integers to negative"):
                raise RuntimeError("pow: Integers to negative integer powers are not allowed.") from None
            raise broadcast_error("pow", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        a, b = ctx.input(0), ctx.input(1)
        grad_a = None
        if need_a:
            grad_a = grad * b * a ** (b - 1)
            if (b._data == 0).any():  # 0 * 0**-1 would be NaN at a = 0
                grad_a = where(wrap(b._data == 0), 0.0, grad_a)
        grad_b = None
        if need_b:
            zero_base = (a._data == 0) & (b._data >= 0)
            if zero_base.any():  # log(1) = 0 there, so the gradient is 0 (PyTorch's convention)
                a = where(wrap(zero_base), 1.0, a)
            grad_b = grad * ctx.output * log(a)
        return grad_a, grad_b


@register_op("pow_scalar", samples=[Sample((3, 4), exponent=3.0), Sample((2, 3), low=0.5, high=2.0, exponent=-1.5),
                                    Sample((), exponent=2)])
class PowScalar(Function):
    """y = x ** e for a number e;  dy/dx = e * x**(e - 1) (0 when e = 0)."""

    node_name = "Pow"

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.power(x, np.asarray(ctx.exponent, dtype=x.dtype))

    @staticmethod
    def backward(ctx, grad):
        e = ctx.exponent
        if e == 0:
            return grad * 0
        x = ctx.input(0)
        return grad * e * (x if e == 2 else x ** (e - 1))


_DIVISION_SAMPLES = [Sample((3, 4), (3, 4), low=0.3, high=3.0), Sample((3, 4), (4,), low=0.3, high=3.0),
                     Sample((), (2, 3), low=0.3, high=3.0)]


def _int_division_by_zero(a: np.ndarray, b: np.ndarray) -> None:
    if b.dtype.kind in "iub" and np.size(a) and not np.all(b):  # an empty result divides nothing
        raise RuntimeError("ZeroDivisionError: integer division or remainder by zero")


@register_op("div_rounded", samples=[Sample((3, 4), (3, 4), low=0.3, high=3.0, rounding_mode=mode)
                                     for mode in ("floor", "trunc")], differentiable=False)
class DivRounded(Function):
    """y = floor(a / b) or trunc(a / b) (``ctx.rounding_mode``);  dy/da = dy/db = 0 (PyTorch's convention).

    ``floor`` follows Python's ``//`` (e.g. -5 // 3 = -2), also for integers.
    """

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _int_division_by_zero(a, b)
        try:
            if ctx.rounding_mode == "floor":
                return np.floor_divide(a, b)
            if a.dtype.kind == "f":
                return np.trunc(a / b)
            quotient = np.floor_divide(a, b)
            return quotient + ((quotient < 0) & (quotient * b != a))  # round towards zero
        except ValueError:
            raise broadcast_error(f"div(rounding_mode={ctx.rounding_mode!r})", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, grad * 0


@register_op("remainder", samples=_DIVISION_SAMPLES)
class Remainder(Function):
    """y = a - floor(a / b) * b (the sign of b, as Python's %);  dy/da = 1, dy/db = -floor(a / b)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _int_division_by_zero(a, b)
        try:
            return np.remainder(a, b)
        except ValueError:
            raise broadcast_error("remainder", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_b = ctx.needs_input_grad[1]
        return grad, -grad * DivRounded.apply(ctx.input(0), ctx.input(1), rounding_mode="floor") if need_b else None


@register_op("fmod", samples=_DIVISION_SAMPLES)
class Fmod(Function):
    """y = a - trunc(a / b) * b (the sign of a, as C's fmod);  dy/da = 1, dy/db = -trunc(a / b)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _int_division_by_zero(a, b)
        try:
            return np.fmod(a, b)
        except ValueError:
            raise broadcast_error("fmod", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_b = ctx.needs_input_grad[1]
        return grad, -grad * DivRounded.apply(ctx.input(0), ctx.input(1), rounding_mode="trunc") if need_b else None


@register_op("lerp", samples=[Sample((3, 4), (3, 4), (3, 4)), Sample((3, 4), (4,), ()), Sample((2, 3), (2, 3), 0.7),
                              Sample((), (2,), (3, 1))])
class Lerp(Function):
    """y = a + w (b - a);  dy/da = 1 - w, dy/db = w, dy/dw = b - a.

    Evaluated as PyTorch does: a + w (b - a) when |w| < 0.5, else b - (b - a)(1 - w), so w = 1 gives b exactly.
    """

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray, w: Any) -> np.ndarray:
        try:
            diff = b - a
            return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))
        except ValueError:
            raise broadcast_error("lerp", a, b, w) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b, need_w = ctx.needs_input_grad
        w = ctx.input(2)
        grad_a = grad * (1 - w) if need_a else None
        grad_b = grad * w if need_b else None
        grad_w = grad * (ctx.input(1) - ctx.input(0)) if need_w else None
        return grad_a, grad_b, grad_w


def add(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``input + alpha * other`` with broadcasting."""
    a, b = binary_operands("add", input, other)
    if alpha != 1:
        b = mul(b, alpha)
    return Add.apply(a, b)


def _is_bool(value: Any) -> bool:
    return value.__class__ is bool or getattr(value, "dtype", None) is dtypes.bool_


def _refuse_bool_subtraction(input: Any, other: Any) -> None:
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError("sub: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
                           "or `logical_xor()` operator instead.")
    raise RuntimeError("sub: Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                       "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def sub(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``input - alpha * other`` with broadcasting; RuntimeError when an operand is a bool tensor, as PyTorch."""
    if _is_bool(input) or _is_bool(other):
        _refuse_bool_subtraction(input, other)
    a, b = binary_operands("sub", input, other)
    if alpha != 1:
        b = mul(b, alpha)
    return Sub.apply(a, b)


def mul(input: Any, other: Any) -> Any:
    """Elementwise product with broadcasting."""
    return Mul.apply(*binary_operands("mul", input, other))


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Any:
    """``input / other``: true division (integers give the default dtype), or the quotient rounded by
    ``rounding_mode`` ``'floor'`` or ``'trunc'`` (integers stay integers)."""
    a, b = binary_operands("div", input, other)
    if rounding_mode is None:
        if a.dtype.kind != "f":
            a, b = _to_float(a), _to_float(b)
        return Div.apply(a, b)
    if rounding_mode not in ("floor", "trunc"):
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found {rounding_mode!r}"
        )
    return DivRounded.apply(a, b, rounding_mode=rounding_mode)


def true_divide(dividend: Any, divisor: Any) -> Any:
    """``div(dividend, divisor)`` with true division (integers give the default dtype)."""
    return div(dividend, divisor)


def _to_float(x: Any) -> Any:
    return x.to(dtypes.DEFAULT_FLOAT) if hasattr(x, "_data") else x.astype(dtypes.DEFAULT_FLOAT)


def floor_divide(input: Any, other: Any) -> Any:
    """``input // other``: the quotient rounded down (Python's rule), as ``div(..., rounding_mode='floor')``."""
    return DivRounded.apply(*binary_operands("floor_divide", input, other), rounding_mode="floor")


def remainder(input: Any, other: Any) -> Any:
    """``input % other`` with the sign of ``other`` (Python's rule, as PyTorch)."""
    return Remainder.apply(*binary_operands("remainder", input, other))


def fmod(input: Any, other: Any) -> Any:
    """The remainder of ``input / other`` with the sign of ``input`` (C's fmod)."""
    return Fmod.apply(*binary_operands("fmod", input, other))


def neg(input: Any) -> Any:
    if input.dtype.kind == "b":
        raise RuntimeError("neg: negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(input)


def pow(input: Any, exponent: Any) -> Any:
    """``input ** exponent``; a number exponent uses the cheaper ``pow_scalar``."""
    if type(exponent) in (int, float) and hasattr(input, "_data"):
        kind = input.dtype.kind
        if kind != "f":
            if type(exponent) is float:
                input = input.to(dtypes.DEFAULT_FLOAT)
            elif exponent < 0:
                raise RuntimeError("pow: Integers to negative integer powers are not allowed.")
        return PowScalar.apply(input, exponent=exponent)
    a, b = binary_operands("pow", input, exponent)
    return Pow.apply(a if hasattr(a, "_data") else wrap(a), b if hasattr(b, "_data") else wrap(b))


def lerp(input: Any, end: Any, weight: Any) -> Any:
    """``input + weight * (end - input)``; ``end`` (and a tensor ``weight``) must have ``input``'s dtype."""
    for name, value in (("end", end), ("weight", weight)):
        if hasattr(value, "_data") and value.dtype != input.dtype:
            raise RuntimeError(f"lerp: expected dtype {input.dtype} for `{name}` but got dtype {value.dtype}")
    if not hasattr(weight, "_data"):
        weight = np.asarray(weight, dtype=input.dtype)
    return Lerp.apply(input, end, weight)
