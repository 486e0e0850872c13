"""Sorting and selection built from registered ops: ``sort``, ``topk``, ``argsort``, ``nonzero``, ``unique``,
``isclose``, ``diag``, ``repeat_interleave``, ``meshgrid``, ``clamp_min``/``clamp_max``.

No new differentiable op lives here: values are picked with ``gather``/``index_select``/indexing, whose
gradients (first and second order) the registry already checks; index results are int64 and carry no grad.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from autograd.function import wrap
from autograd.ops.basic import clamp
from autograd.ops.gather import gather
from autograd.ops.indexing import index_select

__all__ = ["sort", "topk", "argsort", "nonzero", "unique", "isclose", "diag", "repeat_interleave", "meshgrid",
           "clamp_min", "clamp_max", "numel", "is_tensor"]

# ``torch.return_types.sort``/``topk``: tuples with the fields ``values`` and ``indices``.
SortResult = namedtuple("sort", ["values", "indices"])
TopkResult = namedtuple("topk", ["values", "indices"])


def _dim(op: str, dim: int, ndim: int) -> int:
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(f"{op}: dimension out of range (expected to be in range of [{-bound}, {bound - 1}], "
                         f"but got {dim})")
    return dim % bound


def _order(data: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable sorting permutation along ``dim`` (ascending, or descending with ties kept in order)."""
    if descending:
        # Reverse, sort stably, map back: descending order that keeps equal elements in their original order.
        flipped = np.flip(data, axis=dim)
        order = np.argsort(flipped, axis=dim, kind="stable")
        order = data.shape[dim] - 1 - np.flip(order, axis=dim)
        return order
    return np.argsort(data, axis=dim, kind="stable")


def argsort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    """Indices (int64) that sort ``input`` along ``dim``; equal elements keep their order."""
    if input.ndim == 0:
        return wrap(np.zeros((), dtype=np.int64))
    d = _dim("argsort", dim, input.ndim)
    return wrap(_order(input._data, d, descending).astype(np.int64))


def sort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> SortResult:
    """``(values, indices)`` of ``input`` sorted along ``dim``; values are differentiable (a gather)."""
    if input.ndim == 0:
        return SortResult(input.clone(), wrap(np.zeros((), dtype=np.int64)))
    indices = argsort(input, dim, descending)
    return SortResult(gather(input, _dim("sort", dim, input.ndim), indices), indices)


def topk(input: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> TopkResult:  # noqa: A002
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices, in sorted order."""
    d = _dim("topk", dim, max(input.ndim, 1))
    size = input.shape[d] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk: selected index k={k} out of range for dimension {d} of size {size}")
    if input.ndim == 0:
        return TopkResult(input.clone(), wrap(np.zeros((), dtype=np.int64)))
    order = _order(input._data, d, largest)
    indices = wrap(np.take(order, np.arange(k), axis=d).astype(np.int64))
    return TopkResult(gather(input, d, indices), indices)


def nonzero(input: Any, *, as_tuple: bool = False) -> Any:
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one index tensor per dim."""
    where = np.nonzero(input._data) if input.ndim else np.nonzero(input._data.reshape(1))
    if as_tuple:
        return tuple(wrap(w.astype(np.int64)) for w in where)
    return wrap(np.stack(where, axis=1).astype(np.int64) if input.ndim else np.zeros((int(where[0].size), 0),
                                                                                     dtype=np.int64))


def unique(input: Any, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
           dim: int | None = None) -> Any:
    """The distinct elements of the flattened ``input`` (sorted), optionally with inverse indices and counts."""
    if dim is not None:
        raise NotImplementedError("unique: dim is not supported by stepgrad")
    values, inverse, counts = np.unique(input._data, return_inverse=True, return_counts=True)
    result = [wrap(values)]
    if return_inverse:
        result.append(wrap(inverse.reshape(input.shape).astype(np.int64)))
    if return_counts:
        result.append(wrap(counts.astype(np.int64)))
    return result[0] if len(result) == 1 else tuple(result)


def isclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Any:
    """Elementwise |input - other| <= atol + rtol * |other| (bool tensor)."""
    a = input._data if hasattr(input, "_data") else input
    b = other._data if hasattr(other, "_data") else other
    return wrap(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def diag(input: Any, diagonal: int = 0) -> Any:
    """A 1-D input becomes a square matrix with it on the ``diagonal``-th diagonal; a 2-D input gives that
    diagonal as a vector. Differentiable (indexing)."""
    if input.ndim == 1:
        n = input.shape[0] + abs(diagonal)
        rows = np.arange(input.shape[0]) + max(-diagonal, 0)
        cols = np.arange(input.shape[0]) + max(diagonal, 0)
        spread = np.zeros((input.shape[0], n * n), dtype=input.dtype)
        spread[np.arange(input.shape[0]), rows * n + cols] = 1
        return (input.reshape(1, -1) @ wrap(spread)).reshape(n, n)
    if input.ndim == 2:
        rows = np.arange(max(-diagonal, 0), input.shape[0])
        cols = rows + diagonal
        keep = (cols >= 0) & (cols < input.shape[1])
        return input[wrap(rows[keep].astype(np.int64)), wrap(cols[keep].astype(np.int64))]
    raise RuntimeError(f"diag: expected a 1-D or 2-D input, got shape {tuple(input.shape)}")


def repeat_interleave(input: Any, repeats: Any, dim: int | None = None) -> Any:
    """Repeat each element ``repeats`` times (an int or one count per element) along ``dim`` (flattened when
    None). Differentiable (``index_select`` with repeated indices adds the gradients)."""
    if dim is None:
        input, dim = input.reshape(-1), 0
    d = _dim("repeat_interleave", dim, input.ndim)
    counts = repeats._data if hasattr(repeats, "_data") else np.asarray(repeats)
    index = np.repeat(np.arange(input.shape[d]), counts)
    return index_select(input, d, wrap(index.astype(np.int64)))


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors (``indexing='ij'``: the i-th output varies along dim i; ``'xy'``
    swaps the first two). Differentiable (reshape and expand)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    sizes = [t.numel() for t in tensors]
    if indexing == "xy" and len(tensors) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, t in enumerate(tensors):
        axis = i
        if indexing == "xy" and i < 2 and len(tensors) >= 2:
            axis = 1 - i
        shape = [1] * len(tensors)
        shape[axis] = t.numel()
        grids.append(t.reshape(shape).expand(sizes))
    return tuple(grids)


def clamp_min(input: Any, min: Any) -> Any:  # noqa: A002  (PyTorch's name)
    return clamp(input, min=min)


def clamp_max(input: Any, max: Any) -> Any:  # noqa: A002
    return clamp(input, max=max)


def numel(input: Any) -> int:
    return int(input._data.size)


def is_tensor(obj: Any) -> bool:
    from autograd.tensor import Tensor

    return isinstance(obj, Tensor)
