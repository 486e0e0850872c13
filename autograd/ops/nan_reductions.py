"""Reductions that skip NaN (``nansum``, ``nanmean``) and ``count_nonzero``, over ``dim`` with ``keepdim``.

``nansum`` is an op of its own (not ``sum(where(isnan(x), 0, x))``) so that its gradient is PyTorch's: the
incoming gradient times the not-NaN mask, which makes ``nanmean`` of an all-NaN slice give NaN gradients
(inf times 0) as PyTorch's does, where a ``where`` would give 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import int64
from autograd.function import Function, wrap
from autograd.ops.reduction import expand_reduced, normalize_dims
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.nansum``).
__all__ = ["nansum", "nanmean", "count_nonzero"]


@register_op("nansum", samples=[Sample((3, 4)), Sample((3, 4), dim=1), Sample((2, 3, 4), dim=(0, 2), keepdim=True),
                                Sample(()), Sample((0, 3), dim=0)])
class NanSum(Function):
    """y = sum of the non-NaN elements of x over ``dim`` (0 for none);  dy/dx = 1 where x is not NaN, else 0
    (the gradient multiplied by that mask)."""

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("nansum", ctx.dim, x.ndim)
        if x.dtype == np.float16:  # accumulate half precision in float32, as PyTorch does
            return np.nansum(x, axis=ctx.dims, keepdims=ctx.keepdim, dtype=np.float32).astype(np.float16)
        return np.nansum(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        mask = wrap((~np.isnan(x._data)).astype(x.dtype))
        return expand_reduced(grad, x.shape, ctx.dims, ctx.keepdim) * mask


def nansum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Sum over ``dim`` (all elements when None) treating NaN as 0; integer and bool inputs sum to int64."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return NanSum.apply(input, dim=dim, keepdim=keepdim)


def nanmean(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Mean over ``dim`` of the non-NaN elements (NaN where a slice has none); floating inputs only (also with
    ``dtype``, as in PyTorch)."""
    if input.dtype.kind != "f":
        raise RuntimeError(f"nanmean(): expected input to have floating point dtype but got {input.dtype}")
    if dtype is not None:
        input = input.to(dtype)
    dims = normalize_dims("nanmean", dim, input.ndim)
    count = np.sum(~np.isnan(input._data), axis=dims, keepdims=keepdim)
    return nansum(input, dim, keepdim) / wrap(np.asarray(count, dtype=input.dtype))


def count_nonzero(input: Any, dim: Any = None) -> Any:
    """The number of non-zero elements over ``dim`` (an int, a tuple of ints or None for all), as int64; NaN
    counts as non-zero. Not differentiable: the result never requires grad."""
    dims = normalize_dims("count_nonzero", dim, input.ndim)
    data = input._data
    if not dims:  # a 0-d tensor
        return wrap(np.asarray(data != 0, dtype=np.int64))
    return wrap(np.asarray(np.count_nonzero(data, axis=dims), dtype=np.int64))
