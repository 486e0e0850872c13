"""Masks and triangles: ``masked_fill``, ``masked_select``, ``tril``, ``triu`` (re-exported by
autograd/ops/indexing.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.registry import Sample, register_op

__all__ = ["masked_fill", "masked_select", "tril", "triu"]

MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, True, False]])


def _mask_array(op: str, mask: Any) -> np.ndarray:
    array = mask._data if hasattr(mask, "_data") else np.asarray(mask)
    if array.dtype != bool:
        raise RuntimeError(f"{op}: only boolean masks are supported, but got mask with dtype {array.dtype}")
    return array


@register_op("masked_fill", samples=[Sample((3, 4), (), mask=MASK), Sample((4,), (), mask=MASK),
                                     Sample((), (), mask=np.array(True))])
class MaskedFill(Function):
    """y = value where mask else x (mask broadcast with x);  dy/dx = grad where not mask, dy/dvalue = sum of grad
    where mask."""

    @staticmethod
    def forward(ctx, x: np.ndarray, value: np.ndarray) -> np.ndarray:
        return np.where(ctx.mask, value, x)

    @staticmethod
    def backward(ctx, grad):
        need_x, need_value = ctx.needs_input_grad
        zero = np.zeros((), grad.dtype)
        grad_x = MaskedFill.apply(grad, zero, mask=ctx.mask) if need_x else None
        grad_value = MaskedFill.apply(grad, zero, mask=~ctx.mask).sum() if need_value else None
        return grad_x, grad_value


def masked_fill(input: Any, mask: Any, value: Any) -> Any:
    """``value`` where ``mask`` (a bool tensor broadcastable with input) is True, ``input`` elsewhere; ``value`` is
    a number or a 0-d tensor."""
    array = _mask_array("masked_fill", mask)
    if hasattr(value, "_data"):
        if value.ndim:
            raise RuntimeError(f"masked_fill: only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s)")
        value = value if value.dtype == input.dtype else value.to(input.dtype)
    else:
        value = np.asarray(value, dtype=input.dtype)
    return MaskedFill.apply(input, value, mask=array)


def masked_select(input: Any, mask: Any) -> Any:
    """The entries of ``input`` where ``mask`` is True (both broadcast), as a 1-D tensor."""
    array = _mask_array("masked_select", mask)
    try:
        shape = np.broadcast_shapes(input.shape, array.shape)
    except ValueError:
        raise RuntimeError(f"masked_select: the shape of the mask {list(array.shape)} and of the input "
                           f"{list(input.shape)} cannot be broadcast") from None
    source = input if input.shape == shape else input.expand(shape)
    return source[np.broadcast_to(array, shape)]


@register_op("tril", samples=[Sample((3, 4)), Sample((2, 4, 3), diagonal=-1), Sample((3, 3), diagonal=1)])
class Tril(Function):
    """y = x with entries above diagonal ``diagonal`` of the last two dims set to 0;  dy/dx = tril(grad)."""

    diagonal = 0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.tril(x, ctx.diagonal)

    @staticmethod
    def backward(ctx, grad):
        return Tril.apply(grad, diagonal=ctx.diagonal)


@register_op("triu", samples=[Sample((3, 4)), Sample((2, 4, 3), diagonal=1), Sample((3, 3), diagonal=-1)])
class Triu(Function):
    """y = x with entries below diagonal ``diagonal`` of the last two dims set to 0;  dy/dx = triu(grad)."""

    diagonal = 0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.triu(x, ctx.diagonal)

    @staticmethod
    def backward(ctx, grad):
        return Triu.apply(grad, diagonal=ctx.diagonal)


def tril(input: Any, diagonal: int = 0) -> Any:
    """Lower triangle of the last two dims (entries with column - row <= diagonal kept), the rest 0."""
    if input.ndim < 2:
        raise RuntimeError(f"tril: input tensor must have at least 2 dimensions, got shape {list(input.shape)}")
    return Tril.apply(input, diagonal=int(diagonal))


def triu(input: Any, diagonal: int = 0) -> Any:
    """Upper triangle of the last two dims (entries with column - row >= diagonal kept), the rest 0."""
    if input.ndim < 2:
        raise RuntimeError(f"triu: input tensor must have at least 2 dimensions, got shape {list(input.shape)}")
    return Triu.apply(input, diagonal=int(diagonal))
