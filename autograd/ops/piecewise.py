"""Piecewise ops on the number line: ``sign``, the rounding ops (``floor``, ``ceil``, ``round``, ``trunc``),
``sgn``, ``frac``, ``nan_to_num`` and the step function ``heaviside``.

``sign`` and the rounding ops keep integer dtypes; their derivative is taken as 0 everywhere, as PyTorch does.

``sgn``, ``frac`` and ``nan_to_num`` are built from registered ops (``sign``, ``trunc``, ``where``), whose
gradients are PyTorch's here: 0 for sgn, 1 for frac, 1 where the input is finite and 0 where nan_to_num
replaced it. PyTorch has no derivative for ``heaviside``: its output requires grad, and backward raises.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._operands import tensor_arguments
from autograd.ops.basic import Where, broadcast_error
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.frac``).
__all__ = ["sign", "floor", "ceil", "round", "trunc", "sgn", "frac", "nan_to_num", "heaviside"]

_AWAY_FROM_ZERO = [Sample((3, 4), low=0.2, high=2.0), Sample((3, 4), low=-2.0, high=-0.2), Sample(())]


def _zeros_like(grad: Any) -> Any:
    return wrap(np.zeros(grad.shape, dtype=grad.dtype))


@register_op("sign", samples=_AWAY_FROM_ZERO, differentiable=False)
class Sign(Function):
    """y = -1, 0 or 1 by the sign of x (0 for NaN, as PyTorch);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "b":  # a bool tensor is its own sign
            return x.copy()
        return np.subtract(x > 0, x < 0, dtype=x.dtype)  # np.sign would give NaN for NaN

    @staticmethod
    def backward(ctx, grad):
        return _zeros_like(grad)



# Rounding: samples away from integers (and from .5 for round), where the derivative really is 0.
@register_op("rounding", samples=[s for mode in ("floor", "ceil", "round", "trunc") for s in (
    Sample((3, 4), low=0.1, high=0.4, mode=mode), Sample((), low=-1.4, high=-1.1, mode=mode))] + [
    Sample((3, 4), low=0.12, high=0.14, mode="round", decimals=1)], differentiable=False)
class Rounding(Function):
    """y = floor(x), ceil(x), trunc(x) or x rounded half to even at ``decimals`` places (``ctx.mode``);
    dy/dx = 0 (PyTorch's convention: the derivative is taken as zero everywhere)."""

    decimals = 0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if ctx.mode == "round":
            return np.round(x, ctx.decimals)
        return _ROUNDING[ctx.mode](x)

    @staticmethod
    def backward(ctx, grad):
        return _zeros_like(grad)


_ROUNDING = {"floor": np.floor, "ceil": np.ceil, "trunc": np.trunc}


@register_op("heaviside", samples=[Sample(np.array([-1.5, 0.0, 2.0]), (3,)), Sample((3, 4), (4,)),
                                   Sample((2, 3), ())], has_derivative=False)
class Heaviside(Function):
    """y = 0 where x < 0, ``values`` where x == 0, 1 where x > 0 (0 where x is NaN, as PyTorch);
    no derivative (as in PyTorch: backward raises)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, values: np.ndarray) -> np.ndarray:
        try:
            return np.where(x == 0, values, x > 0).astype(x.dtype, copy=False)
        except ValueError:
            raise broadcast_error("heaviside", x, values) from None

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("heaviside: the derivative is not implemented (PyTorch has none either); use a smooth "
                           "step such as sigmoid(x / t) where a gradient is needed")


def sign(input: Any) -> Any:
    """-1, 0 or 1 by the sign of each element, in ``input``'s dtype."""
    return Sign.apply(input)


def _round(input: Any, mode: str, decimals: int = 0) -> Any:
    if input.dtype.kind != "f":
        if decimals:
            raise RuntimeError(f"round: decimals is not supported for integer tensors (got dtype {input.dtype})")
        return wrap(input._data.copy())  # integers are already whole numbers
    return Rounding.apply(input, mode=mode, decimals=decimals)


def floor(input: Any) -> Any:
    return _round(input, "floor")


def ceil(input: Any) -> Any:
    return _round(input, "ceil")


def round(input: Any, *, decimals: int = 0) -> Any:  # noqa: A001  (PyTorch's name)
    """Round half to even (as PyTorch), at ``decimals`` decimal places."""
    return _round(input, "round", decimals)


def trunc(input: Any) -> Any:
    return _round(input, "trunc")


def sgn(input: Any) -> Any:
    """The sign of each element (-1, 0 or 1; 0 for NaN), in ``input``'s dtype: ``sign`` for real tensors."""
    return sign(input)


def frac(input: Any) -> Any:
    """The fractional part ``input - trunc(input)``, with the sign of ``input``; floating tensors only."""
    if input.dtype.kind != "f":
        raise RuntimeError(f"frac: not implemented for {input.dtype} tensors; expected a floating point dtype")
    with np.errstate(invalid="ignore"):  # inf - inf: NaN for infinite input, silently, as PyTorch
        return input - trunc(input)


def nan_to_num(input: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Any:
    """``input`` with NaN replaced by ``nan``, +inf by ``posinf`` and -inf by ``neginf`` (by default the
    largest and the lowest finite value of the dtype). Integer and bool tensors are returned as a copy."""
    data = input._data
    if data.dtype.kind != "f":
        return wrap(data.copy())
    info = np.finfo(data.dtype)
    high = info.max if posinf is None else posinf
    low = info.min if neginf is None else neginf
    with np.errstate(over="ignore"):  # a replacement too large for the dtype becomes inf, as in PyTorch
        fill = np.where(np.isnan(data), nan, np.where(data > 0, high, low)).astype(data.dtype)
    return Where.apply(np.isfinite(data), input, fill)


def heaviside(input: Any, values: Any) -> Any:
    """The step function of ``input`` (0 below 0, 1 above), taking ``values`` (broadcast) where ``input`` is 0.
    Both must be Tensors of the same dtype, as in PyTorch."""
    tensor_arguments("heaviside", input=input, values=values)
    if input.dtype != values.dtype:
        raise RuntimeError(f"heaviside: is not yet implemented for tensors with different dtypes (got {input.dtype} "
                           f"and {values.dtype})")
    return Heaviside.apply(input, values)
