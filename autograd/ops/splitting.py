"""Splitting at given positions: ``tensor_split`` and its fixed-dim forms ``hsplit``, ``vsplit``, ``dsplit``.

No new differentiable op lives here: every piece is a ``narrow`` view, whose gradients the registry checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.ops._dims import wrap_dim
from autograd.ops.indexing import narrow
from autograd.ops.joining import split

__all__ = ["tensor_split", "hsplit", "vsplit", "dsplit"]


def _split_points(op: str, indices_or_sections: Any) -> int | list[int]:
    """An int number of sections, or the list of split positions (from a list or an integer tensor)."""
    value = indices_or_sections
    if hasattr(value, "_data"):
        data = value._data
        if data.dtype.kind not in "iu" or data.ndim > 1:
            raise RuntimeError(f"{op}: expected indices_or_sections to be a 0-D or 1-D integer tensor, got dtype "
                               f"{data.dtype} and shape {list(data.shape)}")
        return int(data) if data.ndim == 0 else [int(i) for i in data]
    if isinstance(value, (int, np.integer)):
        return int(value)
    return [int(i) for i in value]


def tensor_split(input: Any, indices_or_sections: int | Sequence[int] | Any, dim: int = 0) -> tuple:
    """Views of ``input`` split along ``dim``.

    An int n gives n pieces whose sizes differ by at most one (the first ``size % n`` are one longer); a list
    of positions ``[i, j, ...]`` gives ``input[:i], input[i:j], ..., input[last:]`` along ``dim`` (positions
    past the end, or decreasing, give empty pieces).
    """
    if input.ndim == 0:
        raise RuntimeError("tensor_split: expected at least a 1-dimensional tensor, got a 0-d tensor")
    d = wrap_dim("tensor_split", dim, input.ndim)
    size = input.shape[d]
    points = _split_points("tensor_split", indices_or_sections)
    if isinstance(points, int):
        if points <= 0:
            raise RuntimeError(f"tensor_split: number of sections must be larger than 0, got {points}")
        base, extra = divmod(size, points)
        lengths = [base + 1 if i < extra else base for i in range(points)]
        starts = np.cumsum([0] + lengths[:-1]).tolist()
        return tuple(narrow(input, d, s, n) for s, n in zip(starts, lengths))
    bounds = [0] + [min(max(p + size if p < 0 else p, 0), size) for p in points] + [size]
    return tuple(narrow(input, d, start, max(stop - start, 0)) for start, stop in zip(bounds[:-1], bounds[1:]))


def _fixed_split(op: str, input: Any, indices_or_sections: Any, dim: int, min_ndim: int) -> tuple:
    if input.ndim < min_ndim:
        raise RuntimeError(f"{op}: requires a tensor with at least {min_ndim} dimension(s), but got a tensor with "
                           f"{input.ndim} dimension(s)")
    points = _split_points(op, indices_or_sections)
    if isinstance(points, int):
        size = input.shape[dim]
        if points <= 0 or size % points:
            raise RuntimeError(f"{op}: attempted to split along dimension {dim}, but the size of the dimension "
                               f"({size}) is not divisible by the number of sections ({points})")
        return split(input, size // points, dim)
    return tensor_split(input, points, dim)


def hsplit(input: Any, indices_or_sections: int | Sequence[int]) -> tuple:
    """``tensor_split`` along dim 1 (dim 0 for a 1-D tensor); an int must divide that dim's size."""
    return _fixed_split("hsplit", input, indices_or_sections, 0 if input.ndim == 1 else 1, 1)


def vsplit(input: Any, indices_or_sections: int | Sequence[int]) -> tuple:
    """``tensor_split`` along dim 0 of a tensor with at least 2 dims; an int must divide that dim's size."""
    return _fixed_split("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Any, indices_or_sections: int | Sequence[int]) -> tuple:
    """``tensor_split`` along dim 2 of a tensor with at least 3 dims; an int must divide that dim's size."""
    return _fixed_split("dsplit", input, indices_or_sections, 2, 3)
