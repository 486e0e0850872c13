"""NumPy-style stacking helpers: ``atleast_1d``/``2d``/``3d`` and ``vstack`` (``row_stack``), ``hstack``,
``dstack``, ``column_stack``, built from ``reshape`` and ``cat`` (their gradients are those ops')."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.ops.joining import cat

# The functional forms, re-exported by ``autograd`` (``autograd.vstack``).
__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "vstack", "row_stack", "hstack", "dstack", "column_stack"]


def _one_1d(x: Any) -> Any:
    return x.reshape(1) if x.ndim == 0 else x


def _one_2d(x: Any) -> Any:
    return x.reshape(1, -1) if x.ndim < 2 else x


def _one_3d(x: Any) -> Any:
    if x.ndim == 0:
        return x.reshape(1, 1, 1)
    if x.ndim == 1:
        return x.reshape(1, -1, 1)
    return x.unsqueeze(-1) if x.ndim == 2 else x


def _each(make: Callable[[Any], Any], tensors: tuple) -> Any:
    """PyTorch's calling convention: one tensor gives one tensor; several tensors, or one list or tuple of
    them, give a tuple."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(make(x) for x in tensors[0])
    if len(tensors) == 1:
        return make(tensors[0])
    return tuple(make(x) for x in tensors)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least one dim (a 0-d tensor becomes shape (1,)); others are returned as they are."""
    return _each(_one_1d, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least two dims: () becomes (1, 1), (n,) becomes (1, n)."""
    return _each(_one_2d, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least three dims: () becomes (1, 1, 1), (n,) becomes (1, n, 1), (m, n) becomes
    (m, n, 1)."""
    return _each(_one_3d, tensors)


def _join(op: str, tensors: Sequence[Any], make: Callable[[Any], Any], dim: Callable[[list], int]) -> Any:
    if hasattr(tensors, "_data") or not isinstance(tensors, Sequence):
        raise TypeError(f"{op}(): argument 'tensors' must be a list or tuple of Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{op} expects a non-empty TensorList")
    parts = [make(x) for x in tensors]
    d = dim(parts)
    try:
        return cat(parts, d)
    except RuntimeError as error:  # cat names itself; say which helper called it and along which dim
        raise RuntimeError(f"{op} (joining along dim {d}): {error}") from None


def vstack(tensors: Sequence[Any]) -> Any:
    """Join along the first dim after ``atleast_2d``: 1-D tensors of length n become the rows of a matrix."""
    return _join("vstack", tensors, _one_2d, lambda parts: 0)


row_stack = vstack


def hstack(tensors: Sequence[Any]) -> Any:
    """Join along the second dim after ``atleast_1d``, or along the first when the first tensor is 1-D."""
    return _join("hstack", tensors, _one_1d, lambda parts: 0 if parts[0].ndim == 1 else 1)


def dstack(tensors: Sequence[Any]) -> Any:
    """Join along the third dim after ``atleast_3d``."""
    return _join("dstack", tensors, _one_3d, lambda parts: 2)


def column_stack(tensors: Sequence[Any]) -> Any:
    """Join along the second dim, 0-d and 1-D tensors first made columns of shape (n, 1)."""
    return _join("column_stack", tensors, lambda x: x.reshape(-1, 1) if x.ndim <= 1 else x, lambda parts: 1)
