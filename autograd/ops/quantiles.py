"""``quantile`` and ``nanquantile``: sorted values picked at a fractional rank and interpolated.

No new differentiable op lives here: the values are sorted (a ``gather``), picked with ``gather`` and blended
with constant weights, so the gradient of each result goes to the one or two elements it interpolates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import wrap
from autograd.ops.gather import gather
from autograd.ops.reduction import normalize_dim
from autograd.ops.selection import sort
from autograd.ops.shape import movedim

__all__ = ["quantile", "nanquantile"]

_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


def _levels(op: str, q: Any, input: Any) -> tuple[np.ndarray, bool]:
    """The quantile levels as a 1-D float64 array, and whether q was a scalar."""
    if hasattr(q, "_data"):
        if q.dtype != input.dtype:
            raise RuntimeError(f"{op}: expected q to have the input's dtype {input.dtype}, but got {q.dtype}")
        if q.ndim > 1:
            raise RuntimeError(f"{op}: expected q to be a scalar or 1-D tensor, but got shape {list(q.shape)}")
        levels, scalar = q._data.astype(np.float64).reshape(-1), q.ndim == 0
    else:
        levels, scalar = np.asarray([float(q)]), True
    if np.any(~((levels >= 0) & (levels <= 1))):
        raise RuntimeError(f"{op}: q values must be in the range [0, 1], got {levels.tolist()}")
    return levels, scalar


def _quantile(op: str, input: Any, q: Any, dim: int | None, keepdim: bool, interpolation: str,
              skip_nan: bool) -> Any:
    if not hasattr(input, "_data"):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(input).__name__}")
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a float32 or float64 input tensor, got {input.dtype}")
    if interpolation not in _MODES:
        raise RuntimeError(f"{op}: interpolation must be one of {', '.join(_MODES)}, got {interpolation!r}")
    levels, scalar = _levels(op, q, input)
    if dim is None:
        x, reduced = input.reshape(-1), (1,) * input.ndim
    else:
        d = normalize_dim(op, dim, input.ndim)
        x = movedim(input, d, -1) if input.ndim else input.reshape(1)
        reduced = tuple(1 if i == d else n for i, n in enumerate(input.shape))
    n = x.shape[-1]
    if n == 0:
        raise IndexError(f"{op}: input tensor must be non-empty along the reduced dim (input shape "
                         f"{list(input.shape)})")
    data = np.sort(x._data, axis=-1)  # NaN sorts last
    nan = np.isnan(data)
    count = n - nan.sum(axis=-1, keepdims=True) if skip_nan else np.full(data.shape[:-1] + (1,), n)
    rank = levels * np.maximum(count - 1, 0)  # (..., Q)
    if interpolation == "lower":
        rank = np.floor(rank)
    elif interpolation == "higher":
        rank = np.ceil(rank)
    elif interpolation == "nearest":
        rank = np.round(rank)  # half to even
    lo, hi = np.floor(rank).astype(np.int64), np.ceil(rank).astype(np.int64)
    weight = 0.5 * (hi > lo) if interpolation == "midpoint" else rank - lo
    # A slice that must give NaN (quantile: any NaN; nanquantile: all NaN) points at its last, NaN, element.
    poisoned = nan.any(axis=-1, keepdims=True) if not skip_nan else count == 0
    lo, hi = np.where(poisoned, n - 1, lo), np.where(poisoned, n - 1, hi)
    weight = np.where(poisoned, 0.0, weight).astype(input.dtype)
    values = sort(x, dim=-1).values
    low, high = gather(values, -1, wrap(lo)), gather(values, -1, wrap(hi))
    out = low + wrap(weight) * (high - low) if interpolation in ("linear", "midpoint") else low
    out = movedim(out, -1, 0)  # (Q, ...)
    if keepdim:
        out = out.reshape((len(levels),) + reduced)
    elif dim is None:
        out = out.reshape(len(levels))
    return out[0] if scalar else out


def quantile(input: Any, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Any:
    """The q-th quantiles of ``input`` (of all elements, or along ``dim``); NaN where a slice holds a NaN.

    ``q`` is a number or a 1-D tensor of levels in [0, 1] (then the levels form a new first dim). The rank
    r = q (n - 1) falls between sorted elements i = floor(r) and j = ceil(r); ``interpolation`` gives
    x_i + (r - i)(x_j - x_i) (``'linear'``), x_i (``'lower'``), x_j (``'higher'``), (x_i + x_j) / 2
    (``'midpoint'``) or the element at r rounded half to even (``'nearest'``). Differentiable in ``input``.
    """
    return _quantile("quantile", input, q, dim, keepdim, interpolation, skip_nan=False)


def nanquantile(input: Any, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Any:
    """As ``quantile``, leaving NaNs out of each slice (NaN only where a slice is all NaN)."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, skip_nan=True)
