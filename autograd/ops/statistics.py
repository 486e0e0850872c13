"""Statistical reductions over ``dim`` with ``keepdim``: var, std (and var_mean, std_mean), logsumexp and the
vector norm."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.elementwise import abs as _abs
from autograd.ops.elementwise import exp
from autograd.ops.reduction import Mean, expand_reduced, normalize_dims
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.var``).
__all__ = ["var", "std", "var_mean", "std_mean", "logsumexp", "norm"]


def _count(shape: tuple, dims: tuple) -> int:
    return math.prod(shape[d] for d in dims)


def _per_degree_of_freedom(shape: tuple, dims: tuple, correction: float) -> float:
    """1 / (N - c), or NaN when N - c <= 0: there the forward pass gives inf (N - c taken as 0) and PyTorch's
    gradient is NaN."""
    free = _count(shape, dims) - correction
    return 1 / free if free > 0 else math.nan


def _zeros(dtype: np.dtype) -> np.ndarray:
    return np.zeros((), dtype=dtype)


_SPREAD_SAMPLES = [Sample((3, 4)), Sample((3, 4), dim=1, correction=0), Sample((2, 3, 4), dim=(0, 2), keepdim=True),
                   Sample((5,), correction=2)]


@register_op("var", samples=_SPREAD_SAMPLES)
class Var(Function):
    """y = sum((x - mean)**2) / (N - c) over ``dim`` (N elements, c = ``correction``);
    dy/dx = 2 (x - mean) / (N - c)."""

    dim = None
    keepdim = False
    correction = 1

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("var", ctx.dim, x.ndim)
        return np.var(x, axis=ctx.dims, ddof=ctx.correction, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        dims = ctx.dims
        centered = x - x.mean(dims, keepdim=True)
        scale = 2 * _per_degree_of_freedom(x.shape, dims, ctx.correction)
        return expand_reduced(grad, x.shape, dims, ctx.keepdim) * centered * scale


@register_op("std", samples=_SPREAD_SAMPLES)
class Std(Function):
    """y = sqrt(var(x));  dy/dx = (x - mean) / ((N - c) y), taken as 0 where y = 0 (PyTorch's convention)."""

    dim = None
    keepdim = False
    correction = 1

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("std", ctx.dim, x.ndim)
        return np.std(x, axis=ctx.dims, ddof=ctx.correction, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.input(0), ctx.output
        dims = ctx.dims
        flat = y._data == 0
        y_safe = Where.apply(flat, np.ones((), dtype=y.dtype), y)
        grad = Where.apply(flat, _zeros(y.dtype), grad / y_safe)
        centered = x - x.mean(dims, keepdim=True)
        scale = _per_degree_of_freedom(x.shape, dims, ctx.correction)
        return expand_reduced(grad, x.shape, dims, ctx.keepdim) * centered * scale


@register_op("logsumexp", samples=[Sample((3, 4), dim=1), Sample((2, 3, 4), dim=(0, 2), keepdim=True),
                                   Sample((), dim=0)])
class LogSumExp(Function):
    """y = log(sum(exp(x))) over ``dim``, computed as m + log(sum(exp(x - m))) with m the (finite) maximum;
    dy/dx = exp(x - y) (the softmax)."""

    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        dims = ctx.dims = normalize_dims("logsumexp", ctx.dim, x.ndim)
        if x.size == 0:
            return np.log(np.sum(np.exp(x), axis=dims, keepdims=ctx.keepdim))
        m = np.max(x, axis=dims, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # log(0) = -inf when every element is -inf, as PyTorch (silently)
            out = np.log(np.sum(np.exp(x - m), axis=dims, keepdims=True)) + m
        return out if ctx.keepdim else np.squeeze(out, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        dims, keepdim = ctx.dims, ctx.keepdim
        y = expand_reduced(ctx.output, x.shape, dims, keepdim)
        return expand_reduced(grad, x.shape, dims, keepdim) * exp(x - y)


_NORM_SAMPLES = [Sample((3, 4)), Sample((3, 4), p=1.0, dim=1, low=0.2, high=1.0), Sample((3, 4), p=3.0, dim=0),
                 Sample((2, 3, 4), p=1.5, dim=(0, 2), keepdim=True), Sample((3, 4), p=math.inf, dim=1),
                 Sample((3, 4), p=-math.inf), Sample((3, 4), p=0.5, low=0.2, high=1.0), Sample(())]


@register_op("norm", samples=_NORM_SAMPLES)
class Norm(Function):
    """y = (sum |x|**p)**(1/p) over ``dim`` (p = 2 by default; p = inf: max |x|, -inf: min |x|, 0: the count of
    non-zeros);  dy/dx = sign(x) |x|**(p-1) / y**(p-1), i.e. x / y for p = 2 and sign(x) for p = 1; for
    p = +-inf the gradient sign(x) is shared evenly among the elements attaining y (none when y is NaN); 0 for
    p = 0. sign(NaN) is taken as 0, as PyTorch does.

    Where y = 0 the gradient is 0 (PyTorch's convention: no NaN at the origin).
    """

    p = 2.0
    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        dims = ctx.dims = normalize_dims("norm", ctx.dim, x.ndim)
        p, keepdim = ctx.p, ctx.keepdim
        if p == 2:
            return np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
        a = np.abs(x)
        if p == 1:
            return np.sum(a, axis=dims, keepdims=keepdim)
        if math.isinf(p):
            if x.size == 0:
                return np.sum(a, axis=dims, keepdims=keepdim)
            return (np.max if p > 0 else np.min)(a, axis=dims, keepdims=keepdim)
        if p == 0:
            return np.sum(x != 0, axis=dims, keepdims=keepdim).astype(x.dtype)
        return np.sum(a**p, axis=dims, keepdims=keepdim) ** (1 / p)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.input(0), ctx.output
        dims, keepdim, p = ctx.dims, ctx.keepdim, ctx.p
        shape, dtype = x.shape, x.dtype
        grad = expand_reduced(grad, shape, dims, keepdim)
        sign = wrap(np.subtract(x._data > 0, x._data < 0, dtype=dtype))  # 0 at NaN, as PyTorch's sgn
        if p == 0:
            return grad * 0
        if p == 1:
            return grad * sign
        y_full = expand_reduced(y, shape, dims, keepdim)
        if math.isinf(p):
            hit = np.abs(x._data) == y_full._data
            # no element equals a NaN norm: the gradient is then 0, as PyTorch's
            share = hit / np.maximum(np.sum(hit, axis=dims, keepdims=True), 1)
            return grad * sign * wrap(share.astype(dtype, copy=False))
        flat = y_full._data == 0
        y_safe = Where.apply(flat, np.ones((), dtype=dtype), y_full)
        if p == 2:
            scaled = x / y_safe
        else:
            magnitude = _abs(x)
            if p < 1:
                magnitude = Where.apply(x._data == 0, np.ones((), dtype=dtype), magnitude)
            scaled = sign * magnitude ** (p - 1) / y_safe ** (p - 1)
        return grad * Where.apply(flat, _zeros(dtype), scaled)


def _floating_input(op: str, input: Any) -> Any:
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}(): input dtype should be floating point, got {input.dtype}")
    return input


def _correction(op: str, dim: Any, unbiased: bool | None, correction: float | None) -> tuple[Any, float]:
    if isinstance(dim, bool):  # var(input, unbiased): PyTorch's older overload
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{op}: cannot specify both unbiased and correction")
    if correction is None:
        correction = 0 if unbiased is False else 1
    return dim, correction


def var(input: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Any:
    """Variance over ``dim`` (all elements when None) with ``correction`` (1 = Bessel's, the default;
    ``unbiased=False`` means correction 0)."""
    dim, correction = _correction("var", dim, unbiased, correction)
    return Var.apply(_floating_input("var", input), dim=dim, keepdim=keepdim, correction=correction)


def std(input: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Any:
    """Standard deviation over ``dim``; the arguments are those of ``var``."""
    dim, correction = _correction("std", dim, unbiased, correction)
    return Std.apply(_floating_input("std", input), dim=dim, keepdim=keepdim, correction=correction)


def var_mean(input: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Any, Any]:
    """The tuple ``(var(input, ...), mean(input, ...))`` over the same ``dim``; the arguments are those of
    ``var``."""
    dim, correction = _correction("var_mean", dim, unbiased, correction)
    x = _floating_input("var_mean", input)
    return Var.apply(x, dim=dim, keepdim=keepdim, correction=correction), Mean.apply(x, dim=dim, keepdim=keepdim)


def std_mean(input: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Any, Any]:
    """The tuple ``(std(input, ...), mean(input, ...))`` over the same ``dim``; the arguments are those of
    ``var``."""
    dim, correction = _correction("std_mean", dim, unbiased, correction)
    x = _floating_input("std_mean", input)
    return Std.apply(x, dim=dim, keepdim=keepdim, correction=correction), Mean.apply(x, dim=dim, keepdim=keepdim)


def logsumexp(input: Any, dim: Any, keepdim: bool = False) -> Any:
    """log(sum(exp(input))) over ``dim``, stable for large inputs; integer inputs give the default dtype."""
    if input.dtype.kind != "f":
        input = input.to(dtypes.DEFAULT_FLOAT)
    return LogSumExp.apply(input, dim=dim, keepdim=keepdim)


def norm(input: Any, p: float | str = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
    """The vector p-norm over ``dim`` (all elements when None); ``'fro'`` is the 2-norm. p may be any float,
    ``inf`` or ``-inf``. The nuclear norm (``'nuc'``) is not supported."""
    if dtype is not None:
        input = input.to(dtype)
    if p == "fro" or p is None:
        p = 2.0
    elif isinstance(p, str):
        raise ValueError(f"norm: p={p!r} is not supported; expected a number, inf, -inf or 'fro'")
    return Norm.apply(_floating_input("norm", input), p=float(p), dim=dim, keepdim=keepdim)
