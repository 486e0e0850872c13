"""Diagonals: ``diagonal`` (a view, as in PyTorch), the matrix ``trace`` built on it, and ``diag_embed`` and
``diagflat``, which write a tensor onto the diagonal of zeros.

``diagonal`` and ``diagonal_backward`` (write a gradient onto the diagonal of zeros) are each other's
backward, so second derivatives work through them; ``diag_embed`` and ``diagflat`` are ``diagonal_backward``
itself (the last dim of the input becomes the diagonal).

``trace`` is the Tensor method ``x.trace()`` and ``autograd.ops.diagonal.trace``; it is not re-exported as
``autograd.trace``, which is the step-through tracer (``autograd.trace.record``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._dims import wrap_dim
from autograd.ops.indexing import view_of
from autograd.ops.reduction import sum as _sum
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.diagonal``).
__all__ = ["diagonal", "diag_embed", "diagflat"]


def diagonal_view(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The view of ``x`` whose last axis runs along x[..., i, i + offset] over ``dim1``/``dim2`` (removed from
    their places); writable when ``x`` is, unlike ``np.diagonal``'s."""
    start = [slice(None)] * x.ndim
    start[dim2 if offset >= 0 else dim1] = slice(abs(offset), None)
    part = x[tuple(start)]
    rest = [k for k in range(x.ndim) if k not in (dim1, dim2)]
    shape = tuple(part.shape[k] for k in rest) + (min(part.shape[dim1], part.shape[dim2]),)
    strides = tuple(part.strides[k] for k in rest) + (part.strides[dim1] + part.strides[dim2],)
    return np.lib.stride_tricks.as_strided(part, shape, strides, writeable=True)


_DIAGONAL_SAMPLES = [Sample((3, 4), offset=0, dim1=0, dim2=1), Sample((3, 4), offset=1, dim1=0, dim2=1),
                     Sample((2, 3, 4), offset=-1, dim1=2, dim2=0), Sample((3, 3), offset=5, dim1=0, dim2=1),
                     Sample((2, 3, 4), offset=2, dim1=1, dim2=2)]


@register_op("diagonal", samples=_DIAGONAL_SAMPLES)
class Diagonal(Function):
    """y[..., i] = x[..., i, i + offset] over dims ``dim1``, ``dim2`` (i - offset, i for a negative offset), the
    diagonal appended as the last dim (a view of x);  dy/dx = zeros of x's shape with grad on that diagonal."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return diagonal_view(x, ctx.offset, ctx.dim1, ctx.dim2)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return DiagonalBackward.apply(grad, shape=shape, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2)


@register_op("diagonal_backward", samples=[Sample((3,), shape=(3, 4), offset=0, dim1=0, dim2=1),
                                           Sample((3, 2), shape=(2, 3, 4), offset=-1, dim1=2, dim2=0),
                                           Sample((0,), shape=(3, 3), offset=5, dim1=0, dim2=1)])
class DiagonalBackward(Function):
    """y = zeros of ``shape`` with g written on the diagonal (``offset``, ``dim1``, ``dim2``), the adjoint of
    ``diagonal``;  dy/dg = the diagonal of the gradient."""

    @staticmethod
    def forward(ctx, g: np.ndarray) -> np.ndarray:
        out = np.zeros(ctx.shape, dtype=g.dtype)
        diagonal_view(out, ctx.offset, ctx.dim1, ctx.dim2)[...] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2)


def diagonal(input: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:
    """The diagonal of ``input`` over dims ``dim1`` and ``dim2``, ``offset`` above the main one (below when
    negative), as the last dim of the result: a view sharing ``input``'s memory. An offset past the edge gives
    an empty diagonal."""
    d1, d2 = wrap_dim("diagonal", dim1, input.ndim), wrap_dim("diagonal", dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal: diagonal dimensions cannot be identical {dim1}, {dim2} (input of shape "
                           f"{list(input.shape)})")
    return view_of(input, Diagonal, offset=int(offset), dim1=d1, dim2=d2)


def trace(input: Any) -> Any:
    """The sum of the main diagonal of a matrix; integer matrices give int64, as in PyTorch."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim} (shape "
                           f"{list(input.shape)})")
    if input.dtype.kind == "b":
        raise RuntimeError("trace: not implemented for bool tensors")
    return _sum(diagonal(input))


def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:
    """A tensor of zeros with one more dim whose diagonals (``offset`` above the main one, over dims ``dim1`` and
    ``dim2`` of the result, each of size n + |offset|) hold the last dim of ``input`` (size n):
    out[..., i, i + offset] = input[..., i] for dims (dim1, dim2). ``diagonal(out, offset, dim1, dim2)`` gives
    ``input`` back; the gradient is that diagonal of the incoming gradient."""
    ndim = input.ndim + 1
    d1, d2 = wrap_dim("diag_embed", dim1, ndim), wrap_dim("diag_embed", dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diag_embed: diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = input.shape[-1] + abs(int(offset))  # input.ndim >= 1 here: a 0-D input has no two distinct dims
    rest = iter(input.shape[:-1])
    shape = tuple(size if k in (d1, d2) else next(rest) for k in range(ndim))
    return DiagonalBackward.apply(input, shape=shape, offset=int(offset), dim1=d1, dim2=d2)


def diagflat(input: Any, offset: int = 0) -> Any:
    """The square matrix of zeros with the flattened ``input`` on its ``offset``-th diagonal (above the main one
    when positive, below when negative): size n + |offset| for n elements."""
    return diag_embed(input.reshape(-1), offset, 0, 1)
