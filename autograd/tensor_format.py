"""``repr`` of a tensor, laid out like PyTorch's: ``tensor([[1., 2.]], requires_grad=True)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes

# Dtypes a repr leaves out, besides the default floating dtype (as PyTorch, which names float32 when the
# default is float64).
_IMPLIED_DTYPES = (dtypes.int64, dtypes.bool_)


def _float_formatter(values: np.ndarray) -> Any:
    finite = values[np.isfinite(values)]
    if finite.size == 0 or np.all(finite == np.round(finite)) and np.abs(finite).max() < 1e8:
        return lambda v: f"{v:.0f}." if np.isfinite(v) else str(v)
    magnitude = np.abs(finite[finite != 0])
    if magnitude.size and (magnitude.max() >= 1e8 or magnitude.min() < 1e-4):
        return lambda v: f"{v:.4e}"
    return lambda v: f"{v:.4f}"


def format_array(array: np.ndarray, prefix: str) -> str:
    """Format values as PyTorch does (4 decimals, ``1.`` for whole floats, scientific for wide ranges)."""
    if array.size == 0:
        return "[]"
    if array.dtype.kind == "f":
        formatter = {"float_kind": _float_formatter(array)}
    else:
        formatter = None
    return np.array2string(
        array, separator=", ", prefix=prefix, formatter=formatter, threshold=1000, edgeitems=3, max_line_width=80
    )


def format_tensor(t: Any) -> str:
    prefix = "tensor("
    body = format_array(t._data, prefix)
    extras = []
    if t._data.size == 0 and t._data.ndim > 1:
        extras.append(f"size={tuple(t._data.shape)}")
    dtype = t._data.dtype
    if dtype != dtypes.DEFAULT_FLOAT and dtype not in _IMPLIED_DTYPES:
        extras.append(f"dtype=autograd.{dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    return prefix + ", ".join([body, *extras]) + ")"
