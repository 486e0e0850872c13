"""Medians: ``median`` and ``nanmedian``, of all elements or along one dim (then a named tuple
``(values, indices)``, as ``max(dim=...)``).

The median of n values is the lower one, the ((n - 1) // 2)-th smallest, as in PyTorch. Along a dim the index
is that element's position in a stable sort (which agrees with PyTorch's choice among equal values in every
case we compared; PyTorch documents that choice as unspecified); its gradient goes to that index, through
``pick_along_dim``. Of all elements, the gradient is shared evenly among the elements equal to the median,
as PyTorch does.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.extremes import _Extreme, pick_along_dim
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.median``).
__all__ = ["median", "nanmedian"]

# ``torch.return_types.median``/``nanmedian``: tuples with the fields ``values`` and ``indices``.
MedianResult = namedtuple("median", ["values", "indices"])
NanmedianResult = namedtuple("nanmedian", ["values", "indices"])


def _median_position(x: np.ndarray, axis: int, skip_nan: bool) -> np.ndarray:
    """Index along ``axis`` (kept, size 1) of each slice's lower median. NaNs sort last: without ``skip_nan``
    a slice holding NaN picks its first NaN (the median is NaN); with it they are left out (an all-NaN slice
    picks its first NaN)."""
    order = np.argsort(x, axis=axis, kind="stable")
    nan = np.isnan(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=bool)
    if skip_nan:
        count = x.shape[axis] - np.sum(nan, axis=axis, keepdims=True)
        rank = np.maximum(count - 1, 0) // 2
    else:
        rank = np.full((1,) * x.ndim, (x.shape[axis] - 1) // 2)
    index = np.take_along_axis(order, np.broadcast_to(rank, order.shape[:axis] + (1,) + order.shape[axis + 1:]), axis)
    if not skip_nan and nan.any():
        index = np.where(nan.any(axis=axis, keepdims=True), np.argmax(nan, axis=axis, keepdims=True), index)
    return index.astype(np.int64)


class _WholeMedian(_Extreme):
    """Shared body of median()/nanmedian() of all elements: y = the lower median (NaN when a NaN counts);
    dy/dx = 1 / k on the k elements equal to y (on the NaNs when y is NaN), 0 elsewhere."""

    nan_shares = True
    skip_nan = False

    @classmethod
    def forward(cls, ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims, ctx.keepdim = tuple(range(x.ndim)), False
        flat = x.reshape(-1)
        if flat.size == 0:
            return np.full((), np.nan, dtype=x.dtype)
        return flat[_median_position(flat, 0, cls.skip_nan)[0]].copy()


@register_op("median", samples=[Sample((3, 4)), Sample((5,)), Sample(())])
class Median(_WholeMedian, Function):
    """y = the lower median of all elements of x (NaN if any is NaN);  dy/dx = 1 / k on the k elements equal
    to y (on the NaNs when y is NaN), 0 elsewhere."""


@register_op("nanmedian", samples=[Sample((3, 4)), Sample((2, 3)), Sample(())])
class Nanmedian(_WholeMedian, Function):
    """y = the lower median of the non-NaN elements of x (NaN if all are);  dy/dx = 1 / k on the k elements
    equal to y (on the NaNs when y is NaN), 0 elsewhere."""

    skip_nan = True


def _median(op: str, input: Any, dim: int | None, keepdim: bool, whole: type, result: type) -> Any:
    if input.dtype.kind == "b":
        raise RuntimeError(f"{op}: not implemented for bool tensors")
    if dim is None:
        if input._data.size == 0 and input.dtype.kind != "f":
            raise RuntimeError(f"{op}(): an empty {input.dtype} tensor has no median")
        return whole.apply(input)
    return pick_along_dim(op, input, dim, keepdim, lambda x, d: _median_position(x, d, whole.skip_nan), result)


def median(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:
    """``median(input)``: the lower median of all elements (NaN if any is NaN; ties share the gradient evenly);
    ``median(input, dim, keepdim=False)``: a named tuple ``(values, indices)`` of the lower medians along
    ``dim``, whose values send their gradient to the returned index."""
    return _median("median", input, dim, keepdim, Median, MedianResult)


def nanmedian(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:
    """As ``median``, leaving NaNs out (NaN only where every element of a slice is NaN)."""
    return _median("nanmedian", input, dim, keepdim, Nanmedian, NanmedianResult)
