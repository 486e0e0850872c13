"""Questions about tensors: ``is_nonzero``, ``is_same_size``, ``is_signed``, ``is_complex`` (Python bools) and
the elementwise ``isposinf``, ``isneginf``, ``isreal`` (bool tensors, outside the graph)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import wrap

# The functional forms, re-exported by ``autograd`` (``autograd.isposinf``).
__all__ = ["is_nonzero", "is_same_size", "is_signed", "is_complex", "isposinf", "isneginf", "isreal"]


def _tensor(op: str, input: Any) -> np.ndarray:
    if not hasattr(input, "_data"):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input._data


def is_nonzero(input: Any) -> bool:
    """Whether the one element of ``input`` is not zero (NaN counts as nonzero); RuntimeError unless it has
    exactly one element."""
    data = _tensor("is_nonzero", input)
    if data.size != 1:
        amount = "no values" if data.size == 0 else "more than one value"
        raise RuntimeError(f"is_nonzero: Boolean value of Tensor with {amount} is ambiguous (shape {list(data.shape)})")
    return bool(data.reshape(()).item() != 0)


def is_same_size(input: Any, other: Any) -> bool:
    """Whether both tensors have the same shape."""
    return _tensor("is_same_size", input).shape == _tensor("is_same_size", other).shape


def is_signed(input: Any) -> bool:
    """Whether the dtype can hold negative values (False for uint8 and bool)."""
    return _tensor("is_signed", input).dtype.kind in "if"


def is_complex(input: Any) -> bool:
    """Always False: stepgrad has no complex dtypes."""
    _tensor("is_complex", input)
    return False


def isposinf(input: Any) -> Any:
    """Elementwise ``input == +inf`` (all False for integer and bool tensors)."""
    return wrap(np.isposinf(_tensor("isposinf", input)))


def isneginf(input: Any) -> Any:
    """Elementwise ``input == -inf`` (all False for integer and bool tensors)."""
    return wrap(np.isneginf(_tensor("isneginf", input)))


def isreal(input: Any) -> Any:
    """Elementwise "has no imaginary part": all True, as every stepgrad dtype is real (NaN included)."""
    return wrap(np.ones(_tensor("isreal", input).shape, dtype=bool))
