"""Searching and counting: ``isin``, ``argwhere``, ``bucketize``, ``searchsorted``, ``bincount``,
``tril_indices``/``triu_indices``, ``unique_consecutive``, ``msort``, ``kthvalue`` and ``mode``.

Index and count results are integer tensors without grad. The values of ``kthvalue`` and ``mode`` are picked
with the registered ``pick_along_dim`` (gradient to the returned index); ``bincount`` with weights is recorded
but, as in PyTorch, has no derivative.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function, wrap
from autograd.ops.extremes import pick_along_dim
from autograd.ops.reduction import normalize_dim
from autograd.ops.registry import Sample, register_op
from autograd.ops.selection import nonzero, sort

__all__ = ["isin", "argwhere", "bucketize", "searchsorted", "bincount", "tril_indices", "triu_indices",
           "unique_consecutive", "msort", "kthvalue", "mode"]

# ``torch.return_types.kthvalue``/``mode``: tuples with the fields ``values`` and ``indices``.
KthvalueResult = namedtuple("kthvalue", ["values", "indices"])
ModeResult = namedtuple("mode", ["values", "indices"])


def _array(x: Any) -> np.ndarray:
    return x._data if hasattr(x, "_data") else np.asarray(x)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Any:
    """A bool tensor of ``elements``' shape: True where the element occurs in ``test_elements`` (False with
    ``invert``). Either argument may be a number; values compare after promotion (1 equals 1.0)."""
    if not (hasattr(elements, "_data") or hasattr(test_elements, "_data")):
        raise TypeError("isin(): expected at least one Tensor argument")
    found = np.isin(_array(elements), _array(test_elements), assume_unique=assume_unique, invert=invert)
    return wrap(np.asarray(found))


def argwhere(input: Any) -> Any:
    """The indices of the non-zero elements of ``input``, one row each: an (n, ndim) int64 tensor."""
    return nonzero(input)


def _int_result(index: np.ndarray, out_int32: bool) -> Any:
    return wrap(np.asarray(index, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input: Any, boundaries: Any, *, out_int32: bool = False, right: bool = False) -> Any:
    """For each value of ``input`` (a tensor or a number), the index i of its bucket in the sorted 1-D
    ``boundaries``: boundaries[i-1] < x <= boundaries[i], or with ``right`` boundaries[i-1] <= x < boundaries[i].
    int64 (int32 with ``out_int32``), of ``input``'s shape."""
    edges = _array(boundaries)
    if edges.ndim != 1:
        raise RuntimeError(f"bucketize: boundaries tensor must be 1 dimension, but got a tensor of shape "
                           f"{list(edges.shape)}")
    return _int_result(np.searchsorted(edges, _array(input), side="right" if right else "left"), out_int32)


def searchsorted(sorted_sequence: Any, input: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Any = None) -> Any:
    """Where each value of ``input`` would be inserted into ``sorted_sequence`` to keep it sorted.

    ``side='left'`` (default) gives the first such position, ``'right'`` (or ``right=True``) the last. A 1-D
    ``sorted_sequence`` serves every value; an N-D one is searched row by row and must have ``input``'s
    leading dims. ``sorter`` holds indices that sort an unsorted sequence along its last dim.
    """
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"searchsorted: side can only be 'left' or 'right', got {side!r}")
        if right and side == "left":
            raise RuntimeError("searchsorted: side and right can't be set to opposites, got side of left while "
                               "right was True")
        right = side == "right"
    seq, values = _array(sorted_sequence), _array(input)
    if sorter is not None:
        order = _array(sorter)
        if order.shape != seq.shape:
            raise RuntimeError(f"searchsorted: sorter of shape {list(order.shape)} must have the shape of "
                               f"sorted_sequence {list(seq.shape)}")
        seq = np.take_along_axis(seq, order.astype(np.int64), axis=-1)
    how = "right" if right else "left"
    if seq.ndim <= 1:
        return _int_result(np.searchsorted(seq.reshape(-1), values, side=how), out_int32)
    if values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]:
        raise RuntimeError(f"searchsorted: boundaries of shape {list(seq.shape)} and input of shape "
                           f"{list(values.shape)} must match in every dim but the last")
    rows, flat = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
    found = np.stack([np.searchsorted(r, v, side=how) for r, v in zip(rows, flat)]) if len(rows) else flat
    return _int_result(found.reshape(values.shape), out_int32)


@register_op("bincount", samples=[Sample((4,), index=np.array([0, 2, 2, 5]), minlength=0),
                                  Sample((3,), index=np.array([1, 1, 0]), minlength=4)], has_derivative=False)
class BincountWeighted(Function):
    """y[k] = sum of the weights w[i] with index[i] = k (length max(index) + 1, at least ``minlength``);
    no derivative (as in PyTorch: backward raises)."""

    @staticmethod
    def forward(ctx, weights: np.ndarray) -> np.ndarray:
        return np.bincount(ctx.index, weights=weights, minlength=ctx.minlength).astype(weights.dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("bincount: the derivative is not implemented (PyTorch has none either); index_add or "
                           "scatter_add sum weights by index differentiably")


def bincount(input: Any, weights: Any = None, minlength: int = 0) -> Any:
    """How often each value 0, 1, ..., max(input) occurs in the 1-D non-negative integer ``input`` (at least
    ``minlength`` counts), or with ``weights`` (of ``input``'s shape) the sum of the weights per value:
    float32 weights give float32, any other dtype float64."""
    index = _array(input)
    if index.ndim != 1 or index.dtype.kind not in "iu" or (index.size and index.min() < 0):
        raise RuntimeError(f"bincount: only supports 1-d non-negative integral inputs, got shape "
                           f"{list(index.shape)} and dtype {index.dtype}")
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    if weights is None:
        return wrap(np.bincount(index, minlength=minlength).astype(np.int64))
    if tuple(weights.shape) != index.shape:
        raise RuntimeError(f"bincount: weights of shape {list(weights.shape)} should have the input's shape "
                           f"{list(index.shape)}")
    if not hasattr(weights, "_data"):
        weights = wrap(np.asarray(weights))
    if weights.dtype != dtypes.float32:
        weights = weights.to(dtypes.float64)
    return BincountWeighted.apply(weights, index=index.astype(np.int64), minlength=int(minlength))


def _triangle(op: str, row: int, col: int, offset: int, dtype: Any, lower: bool) -> Any:
    if row < 0 or col < 0:
        raise RuntimeError(f"{op}: row and col must be non-negative, got row={row} and col={col}")
    target = dtypes.int64 if dtype is None else dtypes.to_dtype(dtype)
    if target.kind not in "iu":
        raise RuntimeError(f"{op}: expected an integer dtype, got {target}")
    rows, cols = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    return wrap(np.stack([rows, cols]).astype(target))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Any:
    """The (2, N) coordinates (row-major) of the lower triangle of a row x col matrix: the entries with
    j - i <= offset."""
    return _triangle("tril_indices", row, col, offset, dtype, True)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Any:
    """The (2, N) coordinates (row-major) of the upper triangle of a row x col matrix: the entries with
    j - i >= offset."""
    return _triangle("triu_indices", row, col, offset, dtype, False)


def unique_consecutive(input: Any, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """``input`` with each run of equal consecutive elements (of the flattened input, or slices along ``dim``)
    kept once; optionally with the run number of every element (``inverse``) and the run lengths
    (``counts``)."""
    x = input._data
    if dim is None:
        x = x.reshape(-1)
        d = 0
    else:
        d = normalize_dim("unique_consecutive", dim, x.ndim)
    moved = np.moveaxis(x, d, 0).reshape(x.shape[d] if x.ndim else 1, -1)
    if moved.shape[0]:
        starts = np.concatenate([[True], np.any(moved[1:] != moved[:-1], axis=1)])
    else:
        starts = np.zeros(0, dtype=bool)
    first = np.flatnonzero(starts)
    result = [wrap(np.take(x, first, axis=d))]
    if return_inverse:
        inverse = np.cumsum(starts) - 1
        result.append(wrap(inverse.reshape(input.shape if dim is None else (-1,)).astype(np.int64)))
    if return_counts:
        result.append(wrap(np.diff(np.append(first, moved.shape[0])).astype(np.int64)))
    return result[0] if len(result) == 1 else tuple(result)


def msort(input: Any) -> Any:
    """``input`` sorted along dim 0 (ascending); differentiable."""
    return sort(input, dim=0).values


def kthvalue(input: Any, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The k-th smallest value (k = 1 is the minimum) of each slice along ``dim`` and its index, as a named
    tuple ``(values, indices)``; the value's gradient goes to that index."""

    def index_of(x: np.ndarray, d: int) -> np.ndarray:
        if not 1 <= k <= x.shape[d]:
            raise RuntimeError(f"kthvalue(): selected number k={k} out of range for dimension {d} of size "
                               f"{x.shape[d]}")
        order = np.argsort(x, axis=d, kind="stable")
        return np.take(order, [k - 1], axis=d).astype(np.int64)

    return pick_along_dim("kthvalue", input, dim, keepdim, index_of, KthvalueResult)


def _mode_index(x: np.ndarray, d: int) -> np.ndarray:
    """Per slice along ``d``: the last position of the most frequent value (the smallest one among ties)."""
    moved = np.moveaxis(x, d, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    picks = np.empty(len(flat), dtype=np.int64)
    for i, row in enumerate(flat):
        values, counts = np.unique(row, return_counts=True)
        best = values[np.argmax(counts)]  # np.unique sorts, and argmax takes the first (smallest) of ties
        picks[i] = np.flatnonzero((row == best) | (np.isnan(row) & np.isnan(best)))[-1]
    return np.expand_dims(picks.reshape(moved.shape[:-1]), d)


def mode(input: Any, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value of each slice along ``dim`` (the smallest among equally frequent ones) and the
    index of its last occurrence, as a named tuple ``(values, indices)``; the gradient goes to that index."""
    return pick_along_dim("mode", input, dim, keepdim, _mode_index, ModeResult)
