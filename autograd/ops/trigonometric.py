"""Trigonometric and hyperbolic functions and their inverses, sinc, angle conversion, atan2 and hypot.

Each op states y = f(x) and dy/dx in its docstring. The derivatives are PyTorch's formulas, including their
values at the edges of the domain (inf for asin at x = +-1, NaN outside [-1, 1], 0 for atan2 at the origin,
NaN for hypot there). Integer and bool inputs are promoted to the default dtype first, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._operands import float_operands, tensor_arguments
from autograd.ops.basic import Where, broadcast_error
from autograd.ops.elementwise import _floating
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.asin``), with NumPy's names as PyTorch's aliases.
__all__ = [
    "sin", "cos", "tan", "tanh", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin",
    "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sinc", "deg2rad", "rad2deg", "atan2", "arctan2", "hypot",
]

_ANY = [Sample((3, 4)), Sample(()), Sample((2, 0))]
_OPEN_UNIT = [Sample((3, 4), low=-0.9, high=0.9), Sample((), low=-0.9, high=0.9)]
_PAIRS = [Sample((3, 4), (3, 4)), Sample((3, 4), (4,)), Sample((), (2, 3)), Sample((2, 0), (2, 1))]


def _zero(like: Any) -> np.ndarray:
    return np.zeros((), dtype=like.dtype)


@register_op("sin", samples=_ANY)
class Sin(Function):
    """y = sin(x);  dy/dx = cos(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * cos(ctx.input(0))


@register_op("cos", samples=_ANY)
class Cos(Function):
    """y = cos(x);  dy/dx = -sin(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        return -grad * sin(ctx.input(0))


@register_op("tan", samples=_ANY)
class Tan(Function):
    """y = tan(x);  dy/dx = 1 + y**2."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.tan(x)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        return grad * (1 + y * y)


@register_op("tanh", samples=_ANY)
class Tanh(Function):
    """y = tanh(x);  dy/dx = 1 - y**2."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        return grad * (1 - y * y)


@register_op("asin", samples=_OPEN_UNIT)
class Asin(Function):
    """y = asin(x);  dy/dx = 1 / sqrt(1 - x**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # NaN outside [-1, 1], silently, as PyTorch
            return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad * (1 - x * x).rsqrt()


@register_op("acos", samples=_OPEN_UNIT)
class Acos(Function):
    """y = acos(x);  dy/dx = -1 / sqrt(1 - x**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.arccos(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return -grad * (1 - x * x).rsqrt()


@register_op("atan", samples=_ANY)
class Atan(Function):
    """y = atan(x);  dy/dx = 1 / (1 + x**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad / (x * x + 1)


@register_op("sinh", samples=_ANY)
class Sinh(Function):
    """y = sinh(x);  dy/dx = cosh(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # inf for large |x|, as PyTorch
            return np.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * Cosh.apply(ctx.input(0))


@register_op("cosh", samples=_ANY)
class Cosh(Function):
    """y = cosh(x);  dy/dx = sinh(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * Sinh.apply(ctx.input(0))


@register_op("asinh", samples=_ANY)
class Asinh(Function):
    """y = asinh(x);  dy/dx = 1 / sqrt(x**2 + 1)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad * (x * x + 1).rsqrt()


@register_op("acosh", samples=[Sample((3, 4), low=1.2, high=3.0), Sample((), low=1.2, high=3.0)])
class Acosh(Function):
    """y = acosh(x) (NaN for x < 1);  dy/dx = 1 / sqrt(x**2 - 1) (inf at x = 1)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad * (x * x - 1).rsqrt()


@register_op("atanh", samples=_OPEN_UNIT)
class Atanh(Function):
    """y = atanh(x) (+-inf at x = +-1);  dy/dx = 1 / (1 - x**2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        return grad / (1 - x * x)


@register_op("sinc", samples=[Sample((3, 4), low=-2.0, high=2.0), Sample((), low=0.1, high=0.9), Sample((2, 0))])
class Sinc(Function):
    """y = sin(pi x) / (pi x), 1 at x = 0;  dy/dx = (cos(pi x) - y) / x (PyTorch's form), 0 at x = 0.

    At x = 0 the derivative is written as x * (-pi**2 / 3): 0, with the true second derivative (PyTorch's is
    NaN there).
    """

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        work = x.astype(np.float32) if x.dtype == np.float16 else x  # half precision computes in float32
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.pi * work
            out = np.where(work == 0, np.ones((), dtype=work.dtype), np.sin(scaled) / scaled)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.input(0), ctx.output
        zero = x._data == 0
        if not zero.any():
            return grad * ((cos(x * math.pi) - y) / x)
        one = np.ones((), dtype=x.dtype)
        x_safe = Where.apply(zero, one, x)  # keeps 0/0 out of the masked branch and its derivatives
        slope = (cos(x_safe * math.pi) - y) / x_safe
        return grad * Where.apply(zero, x * (-math.pi**2 / 3), slope)


@register_op("atan2", samples=_PAIRS)
class Atan2(Function):
    """y = atan2(a, b), the angle of the point (b, a) in (-pi, pi];
    dy/da = b / (a**2 + b**2), dy/db = -a / (a**2 + b**2), both 0 where a**2 + b**2 is 0 (PyTorch's convention).
    """

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.arctan2(a, b)
        except ValueError:
            raise broadcast_error("atan2", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        a, b = ctx.input(0), ctx.input(1)
        recip = 1 / (a * a + b * b)
        infinite = np.isinf(recip._data)
        if infinite.any():
            recip = Where.apply(infinite, _zero(recip), recip)
        return (grad * b * recip if need_a else None), (grad * -a * recip if need_b else None)


@register_op("hypot", samples=_PAIRS)
class Hypot(Function):
    """y = sqrt(a**2 + b**2) (without overflow);  dy/da = a / y, dy/db = b / y (NaN at the origin, as PyTorch)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.hypot(a, b)
        except ValueError:
            raise broadcast_error("hypot", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        y = ctx.output
        return (grad * ctx.input(0) / y if need_a else None), (grad * ctx.input(1) / y if need_b else None)


def sin(input: Any) -> Any:
    return Sin.apply(_floating(input, "sin"))


def cos(input: Any) -> Any:
    return Cos.apply(_floating(input, "cos"))


def tan(input: Any) -> Any:
    return Tan.apply(_floating(input, "tan"))


def tanh(input: Any) -> Any:
    return Tanh.apply(_floating(input, "tanh"))


def asin(input: Any) -> Any:
    """Inverse sine, in [-pi/2, pi/2]; NaN outside [-1, 1]."""
    return Asin.apply(_floating(input, "asin"))


def acos(input: Any) -> Any:
    """Inverse cosine, in [0, pi]; NaN outside [-1, 1]."""
    return Acos.apply(_floating(input, "acos"))


def atan(input: Any) -> Any:
    """Inverse tangent, in (-pi/2, pi/2)."""
    return Atan.apply(_floating(input, "atan"))


def sinh(input: Any) -> Any:
    """Hyperbolic sine."""
    return Sinh.apply(_floating(input, "sinh"))


def cosh(input: Any) -> Any:
    """Hyperbolic cosine."""
    return Cosh.apply(_floating(input, "cosh"))


def asinh(input: Any) -> Any:
    """Inverse hyperbolic sine."""
    return Asinh.apply(_floating(input, "asinh"))


def acosh(input: Any) -> Any:
    """Inverse hyperbolic cosine, >= 0; NaN for input < 1."""
    return Acosh.apply(_floating(input, "acosh"))


def atanh(input: Any) -> Any:
    """Inverse hyperbolic tangent; +-inf at +-1, NaN outside [-1, 1]."""
    return Atanh.apply(_floating(input, "atanh"))


arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


def sinc(input: Any) -> Any:
    """The normalised sinc, sin(pi x) / (pi x), with sinc(0) = 1."""
    return Sinc.apply(_floating(input, "sinc"))


def deg2rad(input: Any) -> Any:
    """Degrees to radians: ``input * (pi / 180)`` (the product PyTorch computes, so results agree bit for bit)."""
    return _floating(input, "deg2rad") * (math.pi / 180)


def rad2deg(input: Any) -> Any:
    """Radians to degrees: ``input * (180 / pi)``."""
    return _floating(input, "rad2deg") * (180 / math.pi)


def atan2(input: Any, other: Any) -> Any:
    """The angle of the point (other, input), elementwise with broadcasting, in (-pi, pi]; integer tensors give
    the default dtype."""
    tensor_arguments("atan2", input=input, other=other)
    return Atan2.apply(*float_operands("atan2", input, other))


arctan2 = atan2


def hypot(input: Any, other: Any) -> Any:
    """sqrt(input**2 + other**2) elementwise with broadcasting, computed without overflow; floating tensors only
    (an integer tensor may meet a floating one, as in PyTorch)."""
    tensor_arguments("hypot", input=input, other=other)
    return Hypot.apply(*float_operands("hypot", input, other, integers=False))
