"""Arguments shared by the ops: negative dims, repeated dims, varargs sizes, the (H, W) pairs of conv and pooling."""

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


def pair_arg(op: str, name: str, value: Any, minimum: int) -> tuple[int, int]:
    """A conv/pooling argument (an int, a 1-tuple or a pair of ints) as a pair ``(along H, along W)``, each at
    least ``minimum``: ValueError for a malformed value, RuntimeError (PyTorch's kind) for one out of range."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) == 1:
        pair = (pair[0], pair[0])
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair):
        raise ValueError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if any(v < minimum for v in pair):
        what = "non-positive" if minimum == 1 else "negative"
        raise RuntimeError(f"{op}: {what} {name} is not supported, got {value!r}")
    return int(pair[0]), int(pair[1])


def c_contiguous(array: np.ndarray) -> np.ndarray:
    """``array`` itself when C-contiguous (what the numba kernels take), else a C-contiguous copy."""
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)
