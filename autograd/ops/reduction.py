"""Reductions over ``dim`` (an int, a tuple of ints, or None for all) with ``keepdim``: sum, mean, prod, all/any
and sum_to_size, and the helpers the other reductions share (``normalize_dims``, ``expand_reduced``).

The extremes (amax/amin, max/min, argmax/argmin) live in ``extremes.py``, var, std, logsumexp and norm in
``statistics.py``, the scans cumsum/cumprod in ``scans.py``.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from autograd.dtypes import int64
from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.sum``).
__all__ = ["sum", "mean", "prod", "all", "any", "sum_to_size"]


def normalize_dims(op: str, dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of non-negative axes; ``None`` (or ``()``) means every axis."""
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim) if dim is not None else ()
    if not dims:
        return tuple(range(ndim))
    bound = builtins.max(ndim, 1)
    out = []
    for d in dims:
        if not isinstance(d, (int, np.integer)) or not -bound <= d < bound:
            raise IndexError(
                f"{op}: Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {d})"
            )
        out.append(int(d) % bound)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dim {dims} appears multiple times in the list of dims")
    return tuple(sorted(d for d in out if d < ndim))


def normalize_dim(op: str, dim: Any, ndim: int) -> int:
    """One ``dim`` as a non-negative axis (a 0-d tensor accepts 0 and -1)."""
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    bound = builtins.max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {dim})"
        )
    return int(dim) % bound


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


@register_op("prod", samples=[Sample((3, 4), low=0.5, high=1.5), Sample((2, 3, 4), dim=1), Sample(()),
                              Sample((2, 3, 4), dim=(0, 2), keepdim=True)])
class Prod(Function):
    """y = product of x over ``dim``;  dy/dx_i = product of the other x_j (i.e. y / x_i when x_i != 0).

    With zeros in a reduced slice: a zero gets the product of the slice's non-zero elements when it is the
    only zero, 0 otherwise; the non-zeros get 0. First derivatives are exact; when a slice holds a zero,
    the second derivative omits the cross terms through that zero.
    """

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("prod", ctx.dim, x.ndim)
        return np.prod(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        shape, dims, keepdim = x.shape, ctx.dims, ctx.keepdim
        grad = expand_reduced(grad, shape, dims, keepdim)
        zero = x._data == 0
        if not zero.any():
            return grad * expand_reduced(ctx.output, shape, dims, keepdim) / x
        count = np.sum(zero, axis=dims, keepdims=True)
        x_safe = Where.apply(zero, np.ones((), dtype=x.dtype), x)
        nonzero_product = Prod.apply(x_safe, dim=dims, keepdim=True)
        others = Where.apply(zero, nonzero_product, nonzero_product / x_safe)
        valid = np.where(zero, count == 1, count == 0)
        return grad * Where.apply(valid, others, np.zeros((), dtype=x.dtype))


def sum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:  # noqa: A001
    """Sum over ``dim`` (all elements when None). Integer and bool inputs sum to int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
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


def prod(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Product over ``dim`` (all elements when None); integer and bool inputs give int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return Prod.apply(input, dim=dim, keepdim=keepdim)


def all(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """Whether every element over ``dim`` is non-zero (bool; uint8 stays uint8, as PyTorch)."""
    dims = normalize_dims("all", dim, input.ndim)
    out = np.all(input._data, axis=dims, keepdims=keepdim)
    return wrap(out.astype(np.uint8) if input.dtype == np.uint8 else np.asarray(out))


def any(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """Whether some element over ``dim`` is non-zero (bool; uint8 stays uint8, as PyTorch)."""
    dims = normalize_dims("any", dim, input.ndim)
    out = np.any(input._data, axis=dims, keepdims=keepdim)
    return wrap(out.astype(np.uint8) if input.dtype == np.uint8 else np.asarray(out))


def sum_to_size(input: Any, *size: Any) -> Any:
    """Sum ``input`` down to ``size``, the inverse of broadcasting ``size`` to ``input.shape``."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = input.shape
    lead = len(have) - len(shape)
    if lead < 0 or builtins.any(s != 1 and s != h for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"sum_to_size: size {list(shape)} is not expandable to size {list(have)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if dims:
        input = Sum.apply(input, dim=dims, keepdim=True)
    return input.reshape(shape) if input.shape != shape else input
