"""Dtypes and PyTorch's type-promotion rules.

stepgrad's dtypes are numpy dtypes: ``autograd.float32 is numpy.dtype('float32')``.
"""

from __future__ import annotations

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")

# The default floating dtype (``autograd.get_default_dtype``): what Python floats, factory functions without
# ``dtype`` and the float promotion of integers give. ``autograd.set_default_dtype`` rebinds it, so read it as
# ``dtypes.DEFAULT_FLOAT`` when it is needed; ``from autograd.dtypes import DEFAULT_FLOAT`` would freeze float32.
DEFAULT_FLOAT = float32

# Category order of PyTorch's promotion: bool < integer < floating.
_BOOL, _INT, _FLOAT = 0, 1, 2


def category(dtype: np.dtype) -> int:
    """Return 0 for bool, 1 for integers, 2 for floating dtypes."""
    kind = dtype.kind
    if kind == "f":
        return _FLOAT
    if kind in "iu":
        return _INT
    if kind == "b":
        return _BOOL
    raise TypeError(f"stepgrad: unsupported dtype {dtype}; expected a bool, integer or floating dtype")


def is_floating(dtype: np.dtype) -> bool:
    return dtype.kind == "f"


def to_dtype(dtype: object) -> np.dtype:
    """Normalise a dtype argument (numpy dtype, Python type or name) to a numpy dtype."""
    if dtype is bool or dtype == "bool":
        return bool_
    return np.dtype(dtype)


def scalar_dtype(value: object) -> np.dtype:
    """The dtype PyTorch gives a Python scalar on its own (a float gets the default dtype, ``DEFAULT_FLOAT``)."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return DEFAULT_FLOAT
    raise TypeError(f"stepgrad: expected a number, got {type(value).__name__}")


def promote(operands: list[tuple[np.dtype, int]]) -> np.dtype:
    """PyTorch's result type for operands given as (dtype, priority).

    Priority 2 is a tensor with dimensions, 1 a zero-dimensional tensor, 0 a Python scalar. The highest
    category wins; among operands of that category, only those of the highest priority decide the width,
    and a Python scalar alone gives the default dtype of its category (``DEFAULT_FLOAT`` for floats, int64 for ints).
    """
    top_cat = max(category(d) for d, _ in operands)
    top = [(d, p) for d, p in operands if category(d) == top_cat]
    best = max(p for _, p in top)
    chosen = [d for d, p in top if p == best]
    if best == 0:
        return {_FLOAT: DEFAULT_FLOAT, _INT: int64, _BOOL: bool_}[top_cat]
    result = chosen[0]
    for d in chosen[1:]:
        result = np.promote_types(result, d)
    return result
