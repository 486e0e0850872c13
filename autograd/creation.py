"""Tensor creation: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``linspace``, ``eye`` and friends.

Without ``dtype=``, floating results take the default dtype (``autograd.get_default_dtype()``, float32 unless
``autograd.set_default_dtype`` changed it), read when the function is called.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.ops.shape import size_arg
from autograd.tensor import Tensor, infer_array


def _finish(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(array)
    return t.requires_grad_(True) if requires_grad else t


def _dtype(dtype: Any, default: np.dtype | None = None) -> np.dtype:
    """``dtype`` normalised, else ``default``, else the default floating dtype (as it is now)."""
    if dtype is not None:
        return dtypes.to_dtype(dtype)
    return default if default is not None else dtypes.DEFAULT_FLOAT


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``.

    Python floats get the default dtype (float32 unless ``set_default_dtype`` changed it), ints int64, bools bool;
    numpy arrays and numpy scalars keep their dtype (as ``torch.tensor``).
    """
    return _finish(np.array(infer_array(data, dtype), copy=True), requires_grad)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a numpy array or Tensor when no conversion is needed."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtypes.to_dtype(dtype)):
        return data
    return Tensor._make(infer_array(data, dtype))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    dtypes.category(array.dtype)
    return Tensor._make(array)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.zeros(size_arg(size), dtype=_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.ones(size_arg(size), dtype=_dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.empty(size_arg(size), dtype=_dtype(dtype)), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``; the dtype follows the value (as PyTorch)."""
    default = dtypes.scalar_dtype(fill_value) if not isinstance(fill_value, Tensor) else fill_value.dtype
    return _finish(np.full(size_arg((size,)), fill_value, dtype=_dtype(dtype, default)), requires_grad)


def zeros_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return zeros(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return ones(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return empty(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return full(input.shape, fill_value, dtype=dtype or input.dtype, requires_grad=requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 unless a bound or step is a float, then the
    default dtype."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange: upper bound and larger bound inconsistent with step sign (start={start}, "
                           f"end={end}, step={step})")
    is_float = any(isinstance(v, float) for v in (start, end, step))
    default = dtypes.DEFAULT_FLOAT if is_float else dtypes.int64
    return _finish(np.arange(start, end, step).astype(_dtype(dtype, default)), requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if steps < 0:
        raise RuntimeError(f"linspace: number of steps must be non-negative, got {steps}")
    return _finish(np.linspace(start, end, int(steps)).astype(_dtype(dtype)), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """An identity matrix of shape (n, m) (m defaults to n)."""
    return _finish(np.eye(n, m if m is not None else n, dtype=_dtype(dtype)), requires_grad)


def scalar_tensor(s: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A 0-d tensor holding the number ``s``, of the default floating dtype unless ``dtype`` is given (even for
    an int or bool ``s``, as ``torch.scalar_tensor``)."""
    value = s.item() if isinstance(s, Tensor) else s
    return _finish(np.array(value, dtype=_dtype(dtype)), requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values ``base ** e`` for ``e`` evenly spaced from ``start`` to ``end`` inclusive.

    As PyTorch: the exponents are computed in ``dtype`` (the default floating dtype unless given) from both ends
    towards the middle; an integer ``dtype`` truncates ``start`` and ``end`` first, computes in float64 and
    truncates the powers.
    """
    if steps < 0:
        raise RuntimeError(f"logspace: number of steps must be non-negative, got {steps}")
    target = _dtype(dtype)
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    compute = target if target.kind == "f" else np.dtype(np.float64)
    if target.kind != "f":
        start, end = int(start), int(end)
    first, last = compute.type(start), compute.type(end)
    index = np.arange(int(steps))
    step = (last - first) / compute.type(builtins.max(int(steps) - 1, 1))
    exponents = np.where((index < steps // 2) | (index == 0), first + step * index.astype(compute),
                         last - step * (steps - 1 - index).astype(compute)).astype(compute)
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.power(compute.type(base), exponents)
    return _finish(values.astype(target), requires_grad)
