"""Comparisons and logical ops: they return bool tensors and are not differentiable (no graph)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import wrap
from autograd.ops._operands import binary_operands, tensor_arguments
from autograd.ops.basic import broadcast_error

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = [
    "eq", "ne", "lt", "le", "gt", "ge", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "logical_not",
    "logical_and", "logical_or", "logical_xor", "isnan", "isinf", "isfinite", "equal", "allclose",
]


def _data(x: Any) -> Any:
    return x._data if hasattr(x, "_data") else x


def _compare(name: str, ufunc: np.ufunc, a: Any, b: Any) -> Any:
    a, b = binary_operands(name, a, b)
    try:
        return wrap(np.asarray(ufunc(_data(a), _data(b))))
    except ValueError:
        raise broadcast_error(name, _data(a), _data(b)) from None


def eq(input: Any, other: Any) -> Any:
    return _compare("eq", np.equal, input, other)


def ne(input: Any, other: Any) -> Any:
    return _compare("ne", np.not_equal, input, other)


def lt(input: Any, other: Any) -> Any:
    return _compare("lt", np.less, input, other)


def le(input: Any, other: Any) -> Any:
    return _compare("le", np.less_equal, input, other)


def gt(input: Any, other: Any) -> Any:
    return _compare("gt", np.greater, input, other)


def ge(input: Any, other: Any) -> Any:
    return _compare("ge", np.greater_equal, input, other)


def _logical_operand(name: str, x: Any) -> Any:
    data = _data(x)
    if isinstance(data, np.ndarray) and data.dtype.kind not in "biu":
        raise TypeError(f"{name}: bitwise ops need bool or integer tensors, got dtype {data.dtype}")
    return x


def bitwise_and(input: Any, other: Any) -> Any:
    return _compare("bitwise_and", np.bitwise_and, _logical_operand("&", input), _logical_operand("&", other))


def bitwise_or(input: Any, other: Any) -> Any:
    return _compare("bitwise_or", np.bitwise_or, _logical_operand("|", input), _logical_operand("|", other))


def bitwise_xor(input: Any, other: Any) -> Any:
    return _compare("bitwise_xor", np.bitwise_xor, _logical_operand("^", input), _logical_operand("^", other))


def bitwise_not(input: Any) -> Any:
    data = _data(_logical_operand("~", input))
    return wrap(np.logical_not(data) if data.dtype.kind == "b" else np.invert(data))


def logical_not(input: Any) -> Any:
    return wrap(np.logical_not(_data(input)))


def logical_and(input: Any, other: Any) -> Any:
    return wrap(np.logical_and(_data(input), _data(other)))


def logical_or(input: Any, other: Any) -> Any:
    return wrap(np.logical_or(_data(input), _data(other)))


def logical_xor(input: Any, other: Any) -> Any:
    """Whether exactly one of ``input`` and ``other`` is non-zero, elementwise with broadcasting (bool; both
    must be Tensors, of any dtypes, as in PyTorch)."""
    tensor_arguments("logical_xor", input=input, other=other)
    try:
        return wrap(np.asarray(np.logical_xor(input._data, other._data)))
    except ValueError:
        raise broadcast_error("logical_xor", input._data, other._data) from None


def isnan(input: Any) -> Any:
    return wrap(np.isnan(_data(input)))


def isinf(input: Any) -> Any:
    return wrap(np.isinf(_data(input)))


def isfinite(input: Any) -> Any:
    return wrap(np.isfinite(_data(input)))


def equal(input: Any, other: Any) -> bool:
    """True when both tensors have the same shape and elements."""
    a, b = _data(input), _data(other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def allclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    return bool(np.allclose(_data(input), _data(other), rtol=rtol, atol=atol, equal_nan=equal_nan))
