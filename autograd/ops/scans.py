"""Scans and differences along one dim: ``cumsum``, ``cumprod``, ``cummax``/``cummin`` (named tuples
``(values, indices)``), ``logcumsumexp`` and ``diff``.

``cummax``/``cummin`` pick their values with ``gather`` (so the gradient goes to the index of each running
extreme, as in PyTorch); ``diff`` is built from ``narrow`` and ``sub`` (``logical_xor`` for bool tensors, as
in PyTorch); ``logcumsumexp`` is an op of its own.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from autograd.dtypes import int64
from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.comparison import logical_xor
from autograd.ops.elementwise import abs as _abs
from autograd.ops.elementwise import exp, log
from autograd.ops.gather import gather
from autograd.ops.indexing import narrow
from autograd.ops.joining import cat
from autograd.ops.reduction import normalize_dim
from autograd.ops.registry import Sample, register_op
from autograd.ops.shape import flip

# The functional forms, re-exported by ``autograd`` (``autograd.cummax``).
__all__ = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]

# ``torch.return_types.cummax``/``cummin``: tuples with the fields ``values`` and ``indices``.
CummaxResult = namedtuple("cummax", ["values", "indices"])
CumminResult = namedtuple("cummin", ["values", "indices"])


_SCAN_SAMPLES = [Sample((3, 4), dim=1), Sample((2, 3, 2), dim=0), Sample((), dim=0), Sample((2, 0), dim=1)]


@register_op("cumsum", samples=_SCAN_SAMPLES)
class Cumsum(Function):
    """y_k = sum of x_j for j <= k along ``dim``;  dL/dx_j = sum of g_k for k >= j (a reversed cumsum,
    computed as total - cumsum(g) + g)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.cumsum(x, axis=ctx.dim) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0:
            return grad
        return grad.sum(ctx.dim, keepdim=True) - Cumsum.apply(grad, dim=ctx.dim) + grad


@register_op("cumprod", samples=[Sample((3, 4), dim=1, low=0.5, high=1.5), Sample((2, 3, 2), dim=0), Sample((), dim=0)])
class Cumprod(Function):
    """y_k = product of x_j for j <= k along ``dim``;  dL/dx_j = sum over k >= j of g_k y_k / x_j.

    With zeros (z the first zero of a slice): positions before z use that formula, z itself receives the
    sum over k >= z of g_k times the cumulative product with x_z replaced by 1, positions after z get 0.
    """

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.cumprod(x, axis=ctx.dim) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, grad):
        x, d = ctx.input(0), ctx.dim
        if grad.ndim == 0:
            return grad
        zero = x._data == 0
        if not zero.any():
            return _reverse_cumsum(grad * ctx.output, d) / x
        zeros_so_far = np.cumsum(zero, axis=d)
        before_first = zeros_so_far == 0
        first = zero & (zeros_so_far == 1)
        one = np.ones((), dtype=x.dtype)
        x_safe = Where.apply(zero, one, x)
        before = _reverse_cumsum(grad * ctx.output, d) / x_safe
        at_first = _reverse_cumsum(grad * Cumprod.apply(Where.apply(first, one, x), dim=d), d)
        return Where.apply(before_first, before, Where.apply(first, at_first, np.zeros((), dtype=x.dtype)))


def _reverse_cumsum(t: Any, dim: int) -> Any:
    """sum of t_k for k >= j along ``dim``."""
    return t.sum(dim, keepdim=True) - Cumsum.apply(t, dim=dim) + t


def cumsum(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """Cumulative sum along ``dim``; integer and bool inputs give int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return Cumsum.apply(input, dim=normalize_dim("cumsum", dim, input.ndim))


def cumprod(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """Cumulative product along ``dim``; integer and bool inputs give int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return Cumprod.apply(input, dim=normalize_dim("cumprod", dim, input.ndim))


def _running_extreme(op: str, input: Any, dim: int, accumulate: np.ufunc, result: type) -> Any:
    d = normalize_dim(op, dim, input.ndim)
    x = input._data
    if x.ndim == 0:
        return result(input.clone(), wrap(np.zeros((), dtype=np.int64)))
    running = accumulate.accumulate(x, axis=d)
    # Position k takes over when x_k equals the running extreme (ties: the later one, as PyTorch's >= / <=) or is
    # NaN (a NaN sticks, and each later NaN takes over).
    takes_over = x == running
    if x.dtype.kind == "f":
        takes_over |= np.isnan(x)
    position = np.arange(x.shape[d]).reshape((-1,) + (1,) * (x.ndim - 1 - d))
    indices = np.maximum.accumulate(np.where(takes_over, position, 0), axis=d).astype(np.int64)
    return result(gather(input, d, wrap(indices)), wrap(indices))


def cummax(input: Any, dim: int) -> Any:
    """The running maximum along ``dim`` and the index it was taken from (the last of equal values; once a NaN
    appears the values stay NaN), as a named tuple ``(values, indices)``."""
    return _running_extreme("cummax", input, dim, np.maximum, CummaxResult)


def cummin(input: Any, dim: int) -> Any:
    """The running minimum along ``dim`` and its index, as ``cummax``."""
    return _running_extreme("cummin", input, dim, np.minimum, CumminResult)


@register_op("logcumsumexp", samples=[Sample((3, 4), dim=1), Sample((2, 3, 2), dim=0, low=-3.0, high=3.0),
                                      Sample((), dim=0), Sample((2, 0), dim=1)])
class LogCumSumExp(Function):
    """y_k = log(sum over j <= k of exp(x_j)) along ``dim`` (np.logaddexp.accumulate: no overflow, and no
    underflow of terms far below the running maximum);
    dL/dx_j = sum over k >= j of g_k exp(x_j - y_k).

    The gradient is computed in log space, as PyTorch does, separately for the positive and the negative
    parts of g: exp(x_j + L_j(log g+ - y)) - exp(x_j + L_j(log g- - y)), with L_j(z) = log(sum over k >= j of
    exp(z_k)) a reversed logcumsumexp, and log 0 taken as the dtype's lowest finite value. So it inherits
    PyTorch's values at the edges (NaN at x_j = -inf when y_j = -inf).
    """

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if x.ndim == 0:
            return x.copy()
        with np.errstate(invalid="ignore"):  # inf - inf inside logaddexp gives NaN, as in PyTorch
            return np.logaddexp.accumulate(x, axis=ctx.dim)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0 or grad.numel() == 0:
            return grad
        x, y, d = ctx.input(0), ctx.output, ctx.dim
        g = grad._data
        lowest = np.asarray(np.finfo(g.dtype).min, dtype=g.dtype)
        # |g| with 1 where g is 0: log(1) is finite, so no 0/0 reaches the second derivative
        log_size = log(_abs(Where.apply(g == 0, np.ones((), dtype=g.dtype), grad)))

        def reversed_scan(z: Any) -> Any:
            return flip(LogCumSumExp.apply(flip(z, d), dim=d), d)

        positive = reversed_scan(Where.apply(g > 0, log_size, lowest) - y)
        negative = reversed_scan(Where.apply(g < 0, log_size, lowest) - y)
        return exp(positive + x) - exp(negative + x)


def logcumsumexp(input: Any, dim: int) -> Any:
    """log(cumsum(exp(input))) along ``dim``, computed stably; floating tensors only (as in PyTorch)."""
    if input.dtype.kind != "f":
        raise RuntimeError(f"logcumsumexp: not implemented for {input.dtype} tensors; expected a floating dtype")
    return LogCumSumExp.apply(input, dim=normalize_dim("logcumsumexp", dim, input.ndim))


def diff(input: Any, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """The ``n``-th forward difference along ``dim``: out[i] = x[i + 1] - x[i], applied ``n`` times, after
    joining ``prepend`` and ``append`` (tensors of the same shape but along ``dim``) to the ends. Bool tensors
    give x[i + 1] != x[i]. ``n`` beyond the length leaves an empty dim."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"diff: order must be non-negative but got {n}")
    if n == 0:  # PyTorch returns the input then, without looking at dim, prepend or append
        return input.clone()
    d = normalize_dim("diff", dim, input.ndim)
    parts = [input]
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is None:
            continue
        if not hasattr(extra, "_data"):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
        if extra.ndim != input.ndim:
            raise RuntimeError(f"diff expects prepend or append to be the same dimension as input (input shape "
                               f"{list(input.shape)}, {name} shape {list(extra.shape)})")
        mismatch = [k for k in range(input.ndim) if k != d and extra.shape[k] != input.shape[k]]
        if mismatch:
            raise RuntimeError(f"diff expects the shape of tensor to prepend or append to match that of input except "
                               f"along the differencing dimension {d}; input shape {list(input.shape)}, {name} shape "
                               f"{list(extra.shape)}")
        parts.insert(0 if name == "prepend" else len(parts), extra)
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in range(n):
        length = x.shape[d]
        if length == 0:
            break
        later, earlier = narrow(x, d, 1, length - 1), narrow(x, d, 0, length - 1)
        x = logical_xor(later, earlier) if x.dtype.kind == "b" else later - earlier
    return x
