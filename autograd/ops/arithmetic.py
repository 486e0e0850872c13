"""Arithmetic: add, sub, mul, div, neg, pow. Broadcasting is undone by the engine, not here."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._operands import binary_operands
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["add", "sub", "mul", "div", "neg", "pow"]

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
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


@register_op("sub", samples=_BROADCAST_SAMPLES)
class Sub(Function):
    """y = a - b;  dy/da = 1, dy/db = -1."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.needs_input_grad[1] else None


@register_op("mul", samples=_BROADCAST_SAMPLES)
class Mul(Function):
    """y = a * b;  dy/da = b, dy/db = a."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b

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
        return a / b

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


@register_op("pow", samples=[Sample((3, 4), (3, 4), low=0.5, high=2.0), Sample((3, 4), (), low=0.5, high=2.0)])
class Pow(Function):
    """y = a ** b;  dy/da = b * a**(b - 1), dy/db = y * log(a)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.power(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad * b * a ** (b - 1) if need_a else None
        grad_b = grad * ctx.output * a.log() if need_b else None
        return grad_a, grad_b


@register_op("pow_scalar", samples=[Sample((3, 4), exponent=3.0), Sample((2, 3), low=0.5, high=2.0, exponent=-1.5),
                                    Sample((), exponent=2)])
class PowScalar(Function):
    """y = x ** e for a number e;  dy/dx = e * x**(e - 1)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.power(x, np.asarray(ctx.exponent, dtype=x.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.inputs
        e = ctx.exponent
        if e == 0:
            return grad * 0
        return grad * e * (x if e == 2 else x ** (e - 1))


def add(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``input + alpha * other`` with broadcasting."""
    a, b = binary_operands("add", input, other)
    if alpha != 1:
        b = mul(b, alpha)
    return Add.apply(a, b)


def sub(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``input - alpha * other`` with broadcasting."""
    a, b = binary_operands("sub", input, other)
    if alpha != 1:
        b = mul(b, alpha)
    return Sub.apply(a, b)


def mul(input: Any, other: Any) -> Any:
    """Elementwise product with broadcasting."""
    return Mul.apply(*binary_operands("mul", input, other))


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Any:
    """True division (``rounding_mode=None``); ``'floor'`` and ``'trunc'`` round the quotient."""
    a, b = binary_operands("div", input, other)
    if rounding_mode is None:
        if a.dtype.kind != "f":
            from autograd.dtypes import DEFAULT_FLOAT

            a, b = _float(a, DEFAULT_FLOAT), _float(b, DEFAULT_FLOAT)
        return Div.apply(a, b)
    from autograd.ops import elementwise

    if rounding_mode == "floor":
        return elementwise.floor_divide(a, b)
    if rounding_mode == "trunc":
        return elementwise.trunc(Div.apply(a, b)) if a.dtype.kind == "f" else elementwise.trunc_divide(a, b)
    raise ValueError(f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}")


def _float(x: Any, dtype: np.dtype) -> Any:
    return x.to(dtype) if hasattr(x, "_data") else x.astype(dtype)


def neg(input: Any) -> Any:
    return Neg.apply(input)


def pow(input: Any, exponent: Any) -> Any:
    """``input ** exponent``; a number exponent uses the cheaper ``pow_scalar``."""
    if isinstance(exponent, (int, float)) and not isinstance(exponent, bool) and hasattr(input, "_data"):
        if input.dtype.kind != "f" and isinstance(exponent, float):
            from autograd.dtypes import DEFAULT_FLOAT

            input = input.to(DEFAULT_FLOAT)
        return PowScalar.apply(input, exponent=exponent)
    return Pow.apply(*binary_operands("pow", input, exponent))
