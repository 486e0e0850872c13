"""Operands of binary ops: PyTorch's type promotion applied before numpy sees the values."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap

_NUMBER = (int, float, bool, np.number, np.bool_)


def _dtype_and_priority(x: Any) -> tuple[np.dtype, int]:
    if isinstance(x, _NUMBER):
        return dtypes.scalar_dtype(x), 0
    data = x._data if hasattr(x, "_data") else x
    return data.dtype, 2 if data.ndim else 1


def binary_operands(op: str, a: Any, b: Any) -> tuple[Any, Any]:
    """Return ``a`` and ``b`` converted to one dtype by PyTorch's promotion rules.

    Tensors stay Tensors (cast through the differentiable ``cast`` when their dtype changes); numbers and
    numpy arrays become arrays, which ops treat as constants.
    """
    a_data = getattr(a, "_data", None)
    b_data = getattr(b, "_data", None)
    if a_data is not None:
        if b_data is not None:
            if a_data.dtype == b_data.dtype:
                return a, b
        elif type(b) is float and a_data.dtype.kind == "f" or type(b) is int and a_data.dtype.kind in "fiu":
            return a, _weak_scalar(b, a_data.dtype)
    elif b_data is not None:
        if type(a) is float and b_data.dtype.kind == "f" or type(a) is int and b_data.dtype.kind in "fiu":
            return _weak_scalar(a, b_data.dtype), b
    try:
        target = dtypes.promote([_dtype_and_priority(a), _dtype_and_priority(b)])
    except (TypeError, AttributeError):
        raise TypeError(
            f"{op}: unsupported operand types {type(a).__name__} and {type(b).__name__}; expected Tensors, "
            "numpy arrays or numbers"
        ) from None
    return _convert(a, target), _convert(b, target)


def _weak_scalar(value: float | int, dtype: np.dtype) -> np.ndarray:
    """A weak Python scalar in the tensor's dtype; an int that does not fit an integer dtype wraps around
    (modulo 2**bits), as PyTorch does (``uint8_tensor + 300`` adds 44)."""
    if dtype.kind in "iu" and not np.iinfo(dtype).min <= value <= np.iinfo(dtype).max:
        bits = 8 * dtype.itemsize
        value %= 2**bits
        if dtype.kind == "i" and value >= 2 ** (bits - 1):
            value -= 2**bits
    return np.asarray(value, dtype=dtype)


def _convert(x: Any, dtype: np.dtype) -> Any:
    if hasattr(x, "_data"):
        return x if x._data.dtype == dtype else x.to(dtype)
    return np.asarray(x, dtype=dtype)


def as_tensor_operand(x: Any, like: Any) -> Any:
    """A number or array as a constant Tensor of ``like``'s dtype (for ops that need Tensor inputs)."""
    if hasattr(x, "_data"):
        return x
    return wrap(np.asarray(x, dtype=like.dtype))


def tensor_arguments(op: str, **arguments: Any) -> None:
    """TypeError naming the first argument that is not a Tensor (for ops that, as in PyTorch, take no numbers)."""
    for position, (name, value) in enumerate(arguments.items(), 1):
        if not hasattr(value, "_data"):
            kind = type(value).__name__
            raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {kind}")


def float_operands(op: str, a: Any, b: Any, integers: bool = True) -> tuple[Any, Any]:
    """``binary_operands`` for ops with real-valued results: integer and bool results of the promotion get
    the default dtype (``integers=True``, e.g. atan2) or raise (``integers=False``, e.g. hypot, which PyTorch does not
    implement for integers)."""
    promoted = binary_operands(op, a, b)
    dtype = (promoted[0] if hasattr(promoted[0], "_data") else promoted[1]).dtype
    if dtype.kind == "f":
        return promoted
    if not integers:
        raise RuntimeError(f"{op}: not implemented for {dtype} tensors; expected a floating point dtype (convert "
                           "with .float() or .double())")
    # From the original values: going through the common integer dtype could wrap (-1 as uint8 is 255)
    return _convert(a, dtypes.DEFAULT_FLOAT), _convert(b, dtypes.DEFAULT_FLOAT)
