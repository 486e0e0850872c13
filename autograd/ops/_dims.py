"""Dimension arguments shared by the shape and indexing ops: negative dims, repeated dims, varargs sizes."""

from __future__ import annotations

from typing import Any

import numpy as np


def size_arg(size: tuple) -> tuple:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as PyTorch does."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def wrap_dim(op: str, dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-D tensor (0-d tensors accept -1 and 0); IndexError if out of
    range."""
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(
            f"{op}: dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {dim})"
        )
    return dim % bound


def wrap_dims(op: str, dims: Any, ndim: int) -> tuple[int, ...]:
    """An int or a sequence of dims, wrapped, without repeats (RuntimeError naming the repeated dim)."""
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    out = tuple(wrap_dim(op, d, ndim) for d in dims)
    if len(set(out)) != len(out):
        repeated = next(d for d in out if out.count(d) > 1)
        raise RuntimeError(f"{op}: dim {repeated} appears multiple times in the list of dims")
    return out
