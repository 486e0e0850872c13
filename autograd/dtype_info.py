"""Questions about dtypes, as ``torch`` answers them: ``finfo``, ``iinfo``, ``promote_types``, ``result_type``,
``can_cast``, ``is_floating_point`` and ``get_default_dtype``.

The promotion rules are those of ``autograd.dtypes.promote`` (the ones every binary op applies).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.ops._operands import _dtype_and_priority

__all__ = ["finfo", "iinfo", "promote_types", "result_type", "can_cast", "is_floating_point", "get_default_dtype"]


def get_default_dtype() -> np.dtype:
    """The floating dtype given to Python floats and to factory functions without ``dtype`` (float32)."""
    return dtypes.DEFAULT_FLOAT


def _dtype(op: str, dtype: Any) -> np.dtype:
    try:
        result = dtypes.to_dtype(dtype)
        dtypes.category(result)
    except TypeError:
        raise TypeError(f"{op}(): expected a bool, integer or floating dtype, got {dtype!r}") from None
    return result


class finfo:
    """Numerical limits of a floating dtype (the default dtype when none is given).

    Attributes
    ----------
    bits : int
        Width in bits.
    eps : float
        The gap between 1.0 and the next representable number.
    max, min : float
        The largest and the most negative finite values.
    tiny, smallest_normal : float
        The smallest positive normal number (two names for the same value).
    resolution : float
        10 ** -precision, precision being the number of reliable decimal digits.
    dtype : str
        The dtype's name, e.g. ``'float32'``.
    """

    def __init__(self, type: Any = None) -> None:  # noqa: A002  (PyTorch's name)
        dtype = dtypes.DEFAULT_FLOAT if type is None else _dtype("finfo", type)
        if dtype.kind != "f":
            raise TypeError(f"finfo(): expected a floating dtype, got {dtype} (use iinfo for integer dtypes)")
        info = np.finfo(dtype)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision  # exact in float64, not rounded to the dtype
        self.dtype = str(dtype)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Numerical limits of an integer dtype: ``bits``, ``max``, ``min`` (ints) and ``dtype`` (its name)."""

    def __init__(self, type: Any) -> None:  # noqa: A002  (PyTorch's name)
        dtype = _dtype("iinfo", type)
        if dtype.kind not in "iu":
            raise TypeError(f"iinfo(): expected an integer dtype, got {dtype} (use finfo for floating dtypes)")
        info = np.iinfo(dtype)
        self.bits, self.max, self.min, self.dtype = int(info.bits), int(info.max), int(info.min), str(dtype)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def is_floating_point(input: Any) -> bool:
    """True when ``input`` (a Tensor) has a floating dtype."""
    if not hasattr(input, "_data"):
        raise TypeError(f"is_floating_point(): argument 'input' must be Tensor, not {type(input).__name__}")
    return input._data.dtype.kind == "f"


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype to which both dtypes convert under PyTorch's rules: bool < integers < floating, and
    within a category the wider one (int8 with uint8 gives int16; float16 with int64 gives float16)."""
    a, b = _dtype("promote_types", type1), _dtype("promote_types", type2)
    return dtypes.promote([(a, 2), (b, 2)])


def result_type(tensor: Any, other: Any) -> np.dtype:
    """The dtype an arithmetic op gives ``tensor`` and ``other`` (Tensors or numbers): the highest category wins;
    within it, tensors with dimensions outrank zero-dimensional ones, which outrank Python numbers."""
    try:
        return dtypes.promote([_dtype_and_priority(tensor), _dtype_and_priority(other)])
    except (TypeError, AttributeError):
        raise TypeError(f"result_type(): expected Tensors or numbers, got {type(tensor).__name__} and "
                        f"{type(other).__name__}") from None


def can_cast(from_: Any, to: Any) -> bool:
    """Whether the type promotion rules allow converting ``from_`` to ``to``: never to a lower category
    (floating to integer, or anything but bool to bool); any width within or above the category is allowed."""
    a, b = _dtype("can_cast", from_), _dtype("can_cast", to)
    return dtypes.category(a) <= dtypes.category(b)
