"""Reductions over ``dim`` (an int, a tuple of ints, or None for all) with ``keepdim``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["sum", "mean", "sum_to_size"]


def normalize_dims(op: str, dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of non-negative axes; ``None`` (or ``()``) means every axis."""
    if dim is None or dim == ():
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    bound = max(ndim, 1)
    out = []
    for d in dims:
        if not isinstance(d, (int, np.integer)) or not -bound <= d < bound:
            raise IndexError(
                f"{op}: dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {d})"
            )
        out.append(int(d) % bound)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dim {dims} appears multiple times in the list of dims")
    return tuple(sorted(d for d in out if d < ndim or ndim > 0))


def expand_reduced(grad: Any, shape: tuple, dims: tuple, keepdim: bool) -> Any:
    """Bring a reduced gradient back to ``shape``: re-insert the reduced axes, then broadcast."""
    if not keepdim and shape:
        kept = tuple(1 if i in dims else n for i, n in enumerate(shape))
        grad = grad.reshape(kept)
    return grad.expand(shape)


@register_op(
    "sum",
    samples=[Sample((3, 4)), Sample((3, 4), dim=1), Sample((2, 3, 4), dim=(0, 2), keepdim=True), Sample(()),
             Sample((2, 3), dim=-1), Sample((0, 3), dim=0)],
)
class Sum(Function):
    """y = sum of x over ``dim``;  dy/dx = 1 broadcast back over the reduced axes."""

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("sum", ctx.dim, x.ndim)
        return np.sum(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return expand_reduced(grad, shape, ctx.dims, ctx.keepdim)


@register_op(
    "mean",
    samples=[Sample((3, 4)), Sample((3, 4), dim=0), Sample((2, 3, 4), dim=(1, 2), keepdim=True), Sample(())],
)
class Mean(Function):
    """y = mean of x over ``dim``;  dy/dx = 1 / n broadcast back, n the number of reduced elements."""

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("mean", ctx.dim, x.ndim)
        return np.mean(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        count = int(np.prod([shape[d] for d in ctx.dims])) if shape else 1
        return expand_reduced(grad, shape, ctx.dims, ctx.keepdim) / count


def sum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Sum over ``dim`` (all elements when None). Integer and bool inputs sum to int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(np.dtype("int64"))
    return Sum.apply(input, dim=dim, keepdim=keepdim)


def mean(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Mean over ``dim`` (all elements when None); floating inputs only, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind != "f":
        raise RuntimeError(
            f"mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {input.dtype}"
        )
    return Mean.apply(input, dim=dim, keepdim=keepdim)


def sum_to_size(input: Any, *size: Any) -> Any:
    """Sum ``input`` down to ``size``, the inverse of broadcasting ``size`` to ``input.shape``."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = input.shape
    lead = len(have) - len(shape)
    if lead < 0 or any(s != 1 and s != h for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"sum_to_size: size {list(shape)} is not expandable to size {list(have)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if dims:
        input = Sum.apply(input, dim=dims, keepdim=True)
    return input.reshape(shape) if input.shape != shape else input
