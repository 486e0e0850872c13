"""``repr`` of a tensor, laid out like PyTorch's: ``tensor([[1., 2.]], requires_grad=True)``, and the print
options that govern it (``set_printoptions``).

The layout follows ``torch._tensor_str``: one width for every element (the widest one), floats that are all
whole printed as ``1.``, scientific notation when the nonzero finite magnitudes span more than 1000x, exceed
1e8 or go below 1e-4; ``precision`` digits; vectors wrapped to ``linewidth``; tensors
with more than ``threshold`` elements summarized to ``edgeitems`` items at each end of every dimension.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import dtypes

# Dtypes a repr leaves out, besides the default floating dtype (as PyTorch, which names float32 when the
# default is float64).
_IMPLIED_DTYPES = (dtypes.int64, dtypes.bool_)
_PREFIX = "tensor("


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()
_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors are printed (process-wide), as ``torch.set_printoptions``.

    Parameters
    ----------
    precision : int, optional
        Digits after the decimal point (default 4).
    threshold : float, optional
        Tensors with more elements than this are summarized (default 1000).
    edgeitems : int, optional
        Items shown at each end of every dimension of a summarized tensor (default 3).
    linewidth : int, optional
        Characters per line at which vectors wrap (default 80).
    profile : str, optional
        ``'default'``, ``'short'`` (precision 2, edgeitems 2) or ``'full'`` (never summarize), applied before
        the other arguments; any other name is ignored, as in PyTorch.
    sci_mode : bool, optional
        Force scientific notation on (True) or off (False); None (also what omitting it means) lets the values
        decide. Unlike the other options, it is reset by every call.
    """
    if profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


class _Formatter:
    """Formats every element of one tensor to a common width (PyTorch's ``_Formatter``)."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        precision = PRINT_OPTS.precision
        if not self.floating:
            self.width = max((len(str(v)) for v in values.ravel().tolist()), default=1)
        else:
            flat = values.ravel().astype(np.float64)
            shown = flat[np.isfinite(flat) & (flat != 0)]
            if shown.size:
                magnitude = np.abs(shown)
                low, high = magnitude.min(), magnitude.max()
                self.int_mode = bool(np.all(shown == np.ceil(shown)))
                if PRINT_OPTS.sci_mode is None:
                    # high > 1000 * low rather than high / low > 1000: the quotient overflows for subnormal low
                    self.sci_mode = bool(high > 1000.0 * low or high > 1.0e8 or low < 1.0e-4)
                else:
                    self.sci_mode = PRINT_OPTS.sci_mode
                if self.sci_mode:
                    self.width = max(len(f"{v:.{precision}e}") for v in shown.tolist())
                elif self.int_mode:
                    self.width = max(len(f"{v:.0f}") + 1 for v in shown.tolist())
                else:
                    self.width = max(len(f"{v:.{precision}f}") for v in shown.tolist())

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return " " * (self.width - len(text)) + text


def _summarized(array: np.ndarray) -> np.ndarray:
    """The elements a summarized repr shows: ``edgeitems`` from each end of every dimension."""
    edge = PRINT_OPTS.edgeitems
    if not edge:
        return np.empty((0,), dtype=array.dtype)
    for axis, size in enumerate(array.shape):
        if size > 2 * edge:
            keep = np.r_[0:edge, size - edge:size]
            array = np.take(array, keep, axis=axis)
    return array


def _vector(array: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / (formatter.width + 2))))
    if summarize and not edge:
        items = ["..."]
    elif summarize and array.shape[0] > 2 * edge:
        items = ([formatter.format(v) for v in array[:edge].tolist()] + [" ..."]
                 + [formatter.format(v) for v in array[-edge:].tolist()])
    else:
        items = [formatter.format(v) for v in array.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(array: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector(array, indent, summarize, formatter)
    edge = PRINT_OPTS.edgeitems
    if summarize and array.shape[0] > 2 * edge:
        parts = ([_nested(array[i], indent + 1, summarize, formatter) for i in range(edge)] + ["..."]
                 + [_nested(array[i], indent + 1, summarize, formatter)
                    for i in range(array.shape[0] - edge, array.shape[0])])
    else:
        parts = [_nested(row, indent + 1, summarize, formatter) for row in array]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_array(array: np.ndarray, indent: int = len(_PREFIX)) -> str:
    """The values of ``array`` as PyTorch prints them inside ``tensor(...)`` (lines indented by ``indent``)."""
    if array.size == 0:
        return "[]"
    summarize = array.size > PRINT_OPTS.threshold
    formatter = _Formatter(_summarized(array) if summarize else array)
    return _nested(array, indent, summarize, formatter)


def format_tensor(t: Any) -> str:
    """``repr(t)``: values, then size (when empty and not 1-D, or with ``edgeitems=0``), dtype and grad info."""
    data = t._data
    extras = []
    if data.size == 0 and data.ndim != 1 or data.size and not PRINT_OPTS.edgeitems:
        extras.append(f"size={tuple(data.shape)}")
    implied = (dtypes.DEFAULT_FLOAT,) if data.size == 0 else (dtypes.DEFAULT_FLOAT, *_IMPLIED_DTYPES)
    if data.dtype not in implied:
        extras.append(f"dtype=autograd.{data.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    return _with_suffixes(_PREFIX + format_array(data), extras)


def _with_suffixes(text: str, suffixes: list[str]) -> str:
    """Append ``, suffix`` items, starting a new line (indented under the values) when one would pass the line
    width, as PyTorch does."""
    parts = [text]
    line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * len(_PREFIX) + suffix)
            line_length = len(_PREFIX) + len(suffix)
        else:
            parts.append(", " + suffix)
            line_length += len(suffix) + 2
    return "".join(parts) + ")"
