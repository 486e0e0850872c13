"""NaN-ignoring extremes and sign manipulation: ``fmax``, ``fmin``, ``copysign``, ``signbit`` and
``float_power``. Each op states y = f(a, b) and its derivative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._operands import binary_operands, float_operands
from autograd.ops.arithmetic import pow as _pow
from autograd.ops.basic import broadcast_error
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.fmax``).
__all__ = ["fmax", "fmin", "copysign", "signbit", "float_power"]

_PAIRS = [Sample((3, 4), (3, 4)), Sample((3, 4), (4,)), Sample((), (2, 3)), Sample((2, 0), (2, 1))]


def _data(x: Any) -> Any:
    return x._data if hasattr(x, "_data") else x


def _pick_grads(ctx: Any, grad: Any, to_a: np.ndarray) -> tuple:
    """The whole gradient to ``a`` where ``to_a`` holds, to ``b`` elsewhere (constant masks)."""
    need_a, need_b = ctx.needs_input_grad
    zero = np.zeros((), dtype=grad.dtype)
    grad_a = grad * wrap(np.where(to_a, np.ones((), dtype=grad.dtype), zero)) if need_a else None
    grad_b = grad * wrap(np.where(to_a, zero, np.ones((), dtype=grad.dtype))) if need_b else None
    return grad_a, grad_b


@register_op("fmax", samples=_PAIRS, differentiable=False)
class Fmax(Function):
    """y = max(a, b), the other operand where one is NaN (NaN only where both are);
    dy/da = 1 where a >= b or b is NaN, else 0; dy/db = 1 - dy/da (ties go to a, as PyTorch)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.fmax(a, b)
        except ValueError:
            raise broadcast_error("fmax", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        a, b = _data(ctx.input(0)), _data(ctx.input(1))
        return _pick_grads(ctx, grad, (a >= b) | np.isnan(b))


@register_op("fmin", samples=_PAIRS, differentiable=False)
class Fmin(Function):
    """y = min(a, b), the other operand where one is NaN (NaN only where both are);
    dy/da = 1 where a <= b or b is NaN, else 0; dy/db = 1 - dy/da (ties go to a, as PyTorch)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.fmin(a, b)
        except ValueError:
            raise broadcast_error("fmin", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        a, b = _data(ctx.input(0)), _data(ctx.input(1))
        return _pick_grads(ctx, grad, (a <= b) | np.isnan(b))


@register_op("copysign", samples=_PAIRS, differentiable=False)
class Copysign(Function):
    """y = |a| with the sign bit of b;  dy/da = y / a (+-1), 0 where a = 0; dy/db = 0 (as PyTorch)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.copysign(a, b)
        except ValueError:
            raise broadcast_error("copysign", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        grad_a = None
        if need_a:
            a, y = _data(ctx.input(0)), ctx.output._data
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(a == 0, np.zeros((), dtype=y.dtype), y / a)
            grad_a = grad * wrap(np.broadcast_to(factor, y.shape))
        return grad_a, (grad * 0 if need_b else None)


def fmax(input: Any, other: Any) -> Any:
    """Elementwise maximum that ignores NaN (the other value is taken; NaN only where both are NaN)."""
    return Fmax.apply(*(x if hasattr(x, "_data") else wrap(x) for x in binary_operands("fmax", input, other)))


def fmin(input: Any, other: Any) -> Any:
    """Elementwise minimum that ignores NaN (the other value is taken; NaN only where both are NaN)."""
    return Fmin.apply(*(x if hasattr(x, "_data") else wrap(x) for x in binary_operands("fmin", input, other)))


def copysign(input: Any, other: Any) -> Any:
    """The magnitude of ``input`` with the sign of ``other`` (also of -0.0); integer results get the default dtype."""
    if not (hasattr(input, "_data") or hasattr(other, "_data")):
        raise TypeError(f"copysign(): expected at least one Tensor argument, got {type(input).__name__} and "
                        f"{type(other).__name__}")
    return Copysign.apply(*float_operands("copysign", input, other))


def signbit(input: Any) -> Any:
    """True where the sign bit of ``input`` is set (negative numbers, -0.0 and negative NaN); bool, no grad."""
    if not hasattr(input, "_data"):
        raise TypeError(f"signbit(): argument 'input' must be Tensor, not {type(input).__name__}")
    return wrap(np.signbit(input._data))


def float_power(input: Any, exponent: Any) -> Any:
    """``input ** exponent`` computed in float64 whatever the dtypes (numbers included), as PyTorch does."""
    if not (hasattr(input, "_data") or hasattr(exponent, "_data")):
        raise TypeError(f"float_power(): expected at least one Tensor argument, got {type(input).__name__} and "
                        f"{type(exponent).__name__}")
    base = input.to(np.float64) if hasattr(input, "_data") else wrap(np.asarray(input, dtype=np.float64))
    if hasattr(exponent, "_data"):
        return _pow(base, exponent.to(np.float64))
    return _pow(base, float(exponent))
