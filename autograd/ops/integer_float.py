"""Integer and floating-point utilities: ``ldexp`` (differentiable), ``frexp`` (its mantissa differentiable,
as in PyTorch), ``nextafter`` (PyTorch's gradients: the identity to ``input``, zero to ``other``), and ``gcd``
and ``lcm`` (integer tensors only, no graph, like the bitwise ops).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._operands import binary_operands, float_operands, tensor_arguments
from autograd.ops.basic import broadcast_error
from autograd.ops.registry import Sample, register_op
from autograd.ops.special import Exp2

# The functional forms, re-exported by ``autograd`` (``autograd.ldexp``).
__all__ = ["ldexp", "frexp", "nextafter", "gcd", "lcm"]

FrexpResult = namedtuple("frexp", ["mantissa", "exponent"])
_LN2 = math.log(2)


@register_op("ldexp", samples=[Sample((3, 4), (3, 4), low=-3.0, high=3.0),
                               Sample((3, 4), np.array([1.0, -2.0, 3.0, 0.0])), Sample((), (2, 3)),
                               Sample((2, 0), (2, 1))])
class Ldexp(Function):
    """y = x * 2**e;  dy/dx = 2**e, dy/de = y ln 2 (an integer exponent takes no gradient)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, e: np.ndarray) -> np.ndarray:
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                return x * np.exp2(e)
        except ValueError:
            raise broadcast_error("ldexp", x, e) from None

    @staticmethod
    def backward(ctx, grad):
        need_x, need_e = ctx.needs_input_grad
        e = ctx.input(1)
        grad_x = grad * (Exp2.apply(e) if hasattr(e, "_data") else wrap(np.exp2(e))) if need_x else None
        return grad_x, (grad * ctx.output * _LN2 if need_e else None)


@register_op("frexp", differentiable=False, samples=[Sample((3, 4), low=0.55, high=0.95),
                                                     Sample((2, 3), low=1.1, high=1.9),
                                                     Sample((), low=-3.5, high=-2.2), Sample((2, 0))])
class Frexp(Function):
    """y = m, the mantissa of x = m * 2**e with 0.5 <= |m| < 1 (m = x for 0, inf and NaN);
    dy/dx = 1 / 2**e, piecewise constant (jumps at the powers of two), PyTorch's gradient."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.frexp(x)[0]

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)._data
        return grad / wrap(np.exp2(np.frexp(x)[1].astype(x.dtype)))


@register_op("nextafter", differentiable=False,
             samples=[Sample((3, 4), (3, 4)), Sample((3, 4), (4,)), Sample((), (2, 3))])
class Nextafter(Function):
    """y = the next representable value after x towards other (other itself where they are equal);
    dy/dx = 1 and dy/dother = 0, PyTorch's gradients."""

    @staticmethod
    def forward(ctx, x: np.ndarray, other: np.ndarray) -> np.ndarray:
        try:
            return np.nextafter(x, other)
        except ValueError:
            raise broadcast_error("nextafter", x, other) from None

    @staticmethod
    def backward(ctx, grad):
        need_x, need_other = ctx.needs_input_grad
        return (grad if need_x else None), (wrap(np.zeros(grad.shape, dtype=grad.dtype)) if need_other else None)


def ldexp(input: Any, other: Any) -> Any:
    """``input * 2**other`` elementwise with broadcasting (both Tensors); integer results get the default float
    dtype, as in PyTorch. Differentiable in ``input`` and in a floating ``other``."""
    tensor_arguments("ldexp", input=input, other=other)
    return Ldexp.apply(*float_operands("ldexp", input, other))


def frexp(input: Any) -> FrexpResult:
    """The decomposition ``input = mantissa * 2**exponent`` with 0.5 <= |mantissa| < 1 (mantissa and exponent 0
    for 0; mantissa inf or NaN and exponent 0 for those), as ``(mantissa, exponent)``: the mantissa has
    ``input``'s floating dtype, the exponent is int32."""
    tensor_arguments("frexp", input=input)
    if input.dtype.kind != "f":
        raise RuntimeError(f"frexp: only supports floating-point dtypes, got {input.dtype}")
    exponent = np.frexp(input._data)[1].astype(np.int32)
    return FrexpResult(Frexp.apply(input), wrap(exponent))


def nextafter(input: Any, other: Any) -> Any:
    """The next floating-point value after ``input`` towards ``other``, elementwise with broadcasting (both
    floating Tensors, promoted to one dtype)."""
    tensor_arguments("nextafter", input=input, other=other)
    for x in (input, other):
        if x.dtype.kind != "f":
            raise NotImplementedError(f"nextafter: not implemented for {x.dtype} tensors; expected floating point")
    return Nextafter.apply(*binary_operands("nextafter", input, other))


def _integers(op: str, input: Any, other: Any) -> tuple[np.ndarray, np.ndarray]:
    tensor_arguments(op, input=input, other=other)
    for x in (input, other):
        if x.dtype.kind not in "iu":
            raise NotImplementedError(f"{op}: not implemented for {x.dtype} tensors; expected integer tensors")
    a, b = binary_operands(op, input, other)
    return a._data, b._data


def gcd(input: Any, other: Any) -> Any:
    """The greatest common divisor of ``input`` and ``other`` elementwise (integer Tensors; gcd(0, 0) = 0,
    non-negative otherwise, except that -2**63 has no positive int64 divisor of its own size)."""
    a, b = _integers("gcd", input, other)
    try:
        return wrap(np.asarray(np.gcd(a, b)))
    except ValueError:
        raise broadcast_error("gcd", a, b) from None


def lcm(input: Any, other: Any) -> Any:
    """The least common multiple of ``input`` and ``other`` elementwise (integer Tensors; 0 when either is 0),
    computed as |a / gcd(a, b) * b| as PyTorch's C++ kernel does (in int for 8- and 16-bit dtypes, then
    narrowed), so it wraps around on overflow exactly as PyTorch's does."""
    a, b = _integers("lcm", input, other)
    try:
        divisor = np.gcd(a, b)
    except ValueError:
        raise broadcast_error("lcm", a, b) from None
    dtype = divisor.dtype
    # C++ computes 8- and 16-bit integers as int, then narrows: so do we (int64 holds every such product)
    wide = np.int64 if dtype.itemsize < 4 else dtype
    safe = np.where(divisor == 0, 1, divisor).astype(wide)
    with np.errstate(over="ignore"):
        out = np.abs(a.astype(wide) // safe * b.astype(wide))
    return wrap(np.asarray(np.where(divisor == 0, 0, out).astype(dtype)))
