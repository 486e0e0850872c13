"""Out-of-place writes into a view: ``slice_scatter``, ``select_scatter`` and ``diagonal_scatter`` return a copy
of ``input`` whose slice (``input[..., start:end:step]`` along ``dim``), selected index along ``dim``, or diagonal
is replaced by ``src``.

Each op's gradient goes to both inputs: to ``input`` the incoming gradient with the written region zeroed (the
op itself, writing zeros), to ``src`` that region of the gradient (the view op: ``getitem`` or ``diagonal``), so
second derivatives work through them. ``src`` is converted to ``input``'s dtype, as PyTorch's copy does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._dims import wrap_dim
from autograd.ops._operands import tensor_arguments
from autograd.ops.diagonal import diagonal, diagonal_view
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.slice_scatter``).
__all__ = ["slice_scatter", "select_scatter", "diagonal_scatter"]


def _region(ndim: int, dim: int, part: slice | int) -> tuple:
    return (slice(None),) * dim + (part,) + (slice(None),) * (ndim - dim - 1)


def _write(op: str, view: np.ndarray, src: np.ndarray, shape: tuple) -> None:
    """Write ``src`` into ``view`` (a view into the output copy) after checking that it has the region's
    ``shape`` (``view``'s, or for a selected index ``view``'s without its size-1 dim)."""
    if shape != src.shape:
        raise RuntimeError(f"{op}: expected src to have a size equal to the slice of self. src size = "
                           f"{list(src.shape)}, slice size = {list(shape)}")
    view[...] = src.reshape(view.shape)


def _zeros_like(t: Any) -> np.ndarray:
    return np.zeros(t.shape, dtype=t.dtype)


@register_op("slice_scatter", samples=[Sample((3, 4), (3, 2), dim=1, start=0, end=4, step=2),
                                       Sample((3, 4), (1, 4), dim=0, start=2, end=3, step=1),
                                       Sample((2, 3, 4), (2, 0, 4), dim=1, start=3, end=1, step=1)])
class SliceScatter(Function):
    """y = x with y[..., start:end:step, ...] (along ``dim``) = src;  dy/dx = grad with that slice zeroed,
    dy/dsrc = grad[..., start:end:step, ...]."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        view = out[_region(x.ndim, ctx.dim, slice(ctx.start, ctx.end, ctx.step))]
        _write(ctx.op_name, view, src, view.shape)
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        arguments = {"dim": ctx.dim, "start": ctx.start, "end": ctx.end, "step": ctx.step}
        part = _region(grad.ndim, ctx.dim, slice(ctx.start, ctx.end, ctx.step))
        grad_x = SliceScatter.apply(grad, _zeros_like(grad[part]), **arguments) if need_x else None
        return grad_x, (grad[part] if need_src else None)


@register_op("select_scatter", samples=[Sample((3, 4), (4,), dim=0, index=1), Sample((3, 4), (3,), dim=1, index=3),
                                        Sample((2, 3, 4), (2, 4), dim=1, index=0)])
class SelectScatter(Function):
    """y = x with y[..., index, ...] (along ``dim``) = src;  dy/dx = grad with that index zeroed,
    dy/dsrc = grad[..., index, ...]."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        view = out[_region(x.ndim, ctx.dim, slice(ctx.index, ctx.index + 1))]  # keeps the dim: a view even in 1-D
        _write(ctx.op_name, view, src, view.shape[:ctx.dim] + view.shape[ctx.dim + 1:])
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        part = _region(grad.ndim, ctx.dim, ctx.index)
        grad_x = SelectScatter.apply(grad, _zeros_like(grad[part]), dim=ctx.dim, index=ctx.index) if need_x else None
        return grad_x, (grad[part] if need_src else None)


@register_op("diagonal_scatter", samples=[Sample((3, 4), (3,), offset=0, dim1=0, dim2=1),
                                          Sample((3, 4), (2,), offset=-1, dim1=0, dim2=1),
                                          Sample((2, 3, 3), (3, 2), offset=0, dim1=0, dim2=2),
                                          Sample((3, 4), (0,), offset=10, dim1=1, dim2=0)])
class DiagonalScatter(Function):
    """y = x with diagonal(y, offset, dim1, dim2) = src;  dy/dx = grad with that diagonal zeroed,
    dy/dsrc = diagonal(grad, offset, dim1, dim2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        view = diagonal_view(out, ctx.offset, ctx.dim1, ctx.dim2)
        _write(ctx.op_name, view, src, view.shape)
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        arguments = {"offset": ctx.offset, "dim1": ctx.dim1, "dim2": ctx.dim2}
        part = diagonal(grad, **arguments)
        grad_x = DiagonalScatter.apply(grad, _zeros_like(part), **arguments) if need_x else None
        return grad_x, (part if need_src else None)


def _operands(op: str, input: Any, src: Any) -> Any:
    tensor_arguments(op, input=input, src=src)
    return src if src.dtype == input.dtype else src.to(input.dtype)


def _bound(value: int | None, size: int, default: int) -> int:
    """A slice bound as Python (and PyTorch) clamp it: negative counts from the end, then into [0, size]."""
    if value is None:
        return default
    value = int(value)
    return min(max(value + size if value < 0 else value, 0), size)


def slice_scatter(input: Any, src: Any, dim: int = 0, start: int | None = None, end: int | None = None,
                  step: int = 1) -> Any:
    """A copy of ``input`` with ``input[..., start:end:step, ...]`` along ``dim`` replaced by ``src`` (which must
    have that slice's shape). Gradients flow to ``input`` (outside the slice) and to ``src``."""
    src = _operands("slice_scatter", input, src)
    if input.ndim == 0:
        raise IndexError("slice_scatter: slice() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim("slice_scatter", dim, input.ndim)
    if step <= 0:
        raise RuntimeError(f"slice_scatter: slice step must be positive (got {step})")
    size = input.shape[dim]
    begin = _bound(start, size, 0)
    return SliceScatter.apply(input, src, dim=dim, start=begin, end=max(_bound(end, size, size), begin),
                              step=int(step))


def select_scatter(input: Any, src: Any, dim: int, index: int) -> Any:
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src`` (of that shape: ``input``'s
    without ``dim``). Gradients flow to ``input`` (outside that index) and to ``src``."""
    src = _operands("select_scatter", input, src)
    if input.ndim == 0:
        raise IndexError("select_scatter: select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim("select_scatter", dim, input.ndim)
    size = input.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select_scatter: select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {dim}")
    return SelectScatter.apply(input, src, dim=dim, index=int(index) % size)


def diagonal_scatter(input: Any, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:
    """A copy of ``input`` with ``diagonal(input, offset, dim1, dim2)`` replaced by ``src`` (of that diagonal's
    shape). Gradients flow to ``input`` (off that diagonal) and to ``src``."""
    src = _operands("diagonal_scatter", input, src)
    d1, d2 = wrap_dim("diagonal_scatter", dim1, input.ndim), wrap_dim("diagonal_scatter", dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal_scatter: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagonalScatter.apply(input, src, offset=int(offset), dim1=d1, dim2=d2)
