"""Reductions over ``dim`` (an int, a tuple of ints, or None for all) with ``keepdim``: sum, mean, prod, the
extremes (amax/amin, max/min, argmax/argmin), all/any and the scans cumsum/cumprod.

var, std, logsumexp and norm live in ``statistics.py``.
"""

from __future__ import annotations

import builtins
from collections import namedtuple
from typing import Any

import numpy as np

from autograd.dtypes import int64
from autograd.function import Function, wrap
from autograd.ops.basic import Where, maximum, minimum
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.sum``).
__all__ = ["sum", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "all", "any", "cumsum",
           "cumprod", "sum_to_size"]

# ``torch.return_types.max``/``min``: tuples with the fields ``values`` and ``indices``.
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])


def normalize_dims(op: str, dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of non-negative axes; ``None`` (or ``()``) means every axis."""
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim) if dim is not None else ()
    if not dims:
        return tuple(range(ndim))
    bound = builtins.max(ndim, 1)
    out = []
    for d in dims:
        if not isinstance(d, (int, np.integer)) or not -bound <= d < bound:
            raise IndexError(
                f"{op}: Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {d})"
            )
        out.append(int(d) % bound)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dim {dims} appears multiple times in the list of dims")
    return tuple(sorted(d for d in out if d < ndim))


def normalize_dim(op: str, dim: Any, ndim: int) -> int:
    """One ``dim`` as a non-negative axis (a 0-d tensor accepts 0 and -1)."""
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    bound = builtins.max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {dim})"
        )
    return int(dim) % bound


def expand_reduced(grad: Any, shape: tuple, dims: tuple, keepdim: bool) -> Any:
    """Bring a reduced gradient back to ``shape``: re-insert the reduced axes, then broadcast."""
    if not keepdim and shape:
        kept = tuple(1 if i in dims else n for i, n in enumerate(shape))
        grad = grad.reshape(kept)
    return grad.expand(shape)


@register_op(
    "sum",
    samples=[Sample((3, 4)), Sample((3, 4), dim=1), Sample((2, 3, 4), dim=(0, 2), keepdim=True), Sample(()),
             Sample((2, 3), dim=-1), Sample((0, 3), dim=0)],
)
class Sum(Function):
    """y = sum of x over ``dim``;  dy/dx = 1 broadcast back over the reduced axes."""

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("sum", ctx.dim, x.ndim)
        return np.sum(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return expand_reduced(grad, shape, ctx.dims, ctx.keepdim)


@register_op(
    "mean",
    samples=[Sample((3, 4)), Sample((3, 4), dim=0), Sample((2, 3, 4), dim=(1, 2), keepdim=True), Sample(())],
)
class Mean(Function):
    """y = mean of x over ``dim``;  dy/dx = 1 / n broadcast back, n the number of reduced elements."""

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("mean", ctx.dim, x.ndim)
        return np.mean(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        count = int(np.prod([shape[d] for d in ctx.dims])) if shape else 1
        return expand_reduced(grad, shape, ctx.dims, ctx.keepdim) / count


@register_op("prod", samples=[Sample((3, 4), low=0.5, high=1.5), Sample((2, 3, 4), dim=1), Sample(()),
                              Sample((2, 3, 4), dim=(0, 2), keepdim=True)])
class Prod(Function):
    """y = product of x over ``dim``;  dy/dx_i = product of the other x_j (i.e. y / x_i when x_i != 0).

    With zeros in a reduced slice: a zero gets the product of the slice's non-zero elements when it is the
    only zero, 0 otherwise; the non-zeros get 0. First derivatives are exact; when a slice holds a zero,
    the second derivative omits the cross terms through that zero.
    """

    dim = None
    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims("prod", ctx.dim, x.ndim)
        return np.prod(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        shape, dims, keepdim = x.shape, ctx.dims, ctx.keepdim
        grad = expand_reduced(grad, shape, dims, keepdim)
        zero = x._data == 0
        if not zero.any():
            return grad * expand_reduced(ctx.output, shape, dims, keepdim) / x
        count = np.sum(zero, axis=dims, keepdims=True)
        x_safe = Where.apply(zero, np.ones((), dtype=x.dtype), x)
        nonzero_product = Prod.apply(x_safe, dim=dims, keepdim=True)
        others = Where.apply(zero, nonzero_product, nonzero_product / x_safe)
        valid = np.where(zero, count == 1, count == 0)
        return grad * Where.apply(valid, others, np.zeros((), dtype=x.dtype))


class _Extreme:
    """Shared body of amax/amin: y = max (min) of x over ``dim``;  dy/dx = 1 / k on the k elements equal to y
    (ties share the gradient evenly, as PyTorch's amax/amin and full max()/min() do), 0 elsewhere.

    A NaN result equals no element, which makes the gradient NaN, as PyTorch's amax/amin; with
    ``nan_shares`` (full max()/min()) the NaN elements share it instead, as PyTorch's max()/min() do.
    """

    dim = None
    keepdim = False
    nan_shares = False
    reduce: Any = None

    @classmethod
    def forward(cls, ctx, x: np.ndarray) -> np.ndarray:
        ctx.dims = normalize_dims(cls.op_name, ctx.dim, x.ndim)
        if x.size == 0 and builtins.any(x.shape[d] == 0 for d in ctx.dims):
            raise IndexError(f"{cls.op_name}(): Expected reduction dim {ctx.dim} to have non-zero size "
                             f"(input shape {list(x.shape)}).")
        return cls.reduce(x, axis=ctx.dims, keepdims=ctx.keepdim)

    @staticmethod
    def backward(ctx, grad):
        (shape, dtype), = ctx.input_meta()
        dims, keepdim = ctx.dims, ctx.keepdim
        x = ctx.input(0)._data
        y = expand_reduced(ctx.output, shape, dims, keepdim)._data
        hit = (x == y) | (np.isnan(x) & np.isnan(y)) if ctx.nan_shares else x == y
        share = hit / np.sum(hit, axis=dims, keepdims=True)
        return expand_reduced(grad, shape, dims, keepdim) * wrap(share.astype(dtype, copy=False))


_EXTREME_SAMPLES = [Sample((3, 4)), Sample((3, 4), dim=1), Sample((2, 3, 4), dim=(0, 2), keepdim=True), Sample(()),
                    Sample((3, 4), nan_shares=True)]


@register_op("amax", samples=_EXTREME_SAMPLES)
class Amax(_Extreme, Function):
    reduce = staticmethod(np.max)


@register_op("amin", samples=_EXTREME_SAMPLES)
class Amin(_Extreme, Function):
    reduce = staticmethod(np.min)


@register_op("pick_along_dim", samples=[Sample((3, 4), np.array([[0], [3], [1]]), dim=1),
                                        Sample((3, 4), np.array([[2, 0, 1, 1]]), dim=0, keepdim=True),
                                        Sample((), np.array(0), dim=0)])
class PickAlongDim(Function):
    """y = x[..., index, ...] along ``dim``, one index per slice (``index`` has x's shape with size 1 at
    ``dim``), as max/min with a dim select their values;  dy/dx = grad placed at the index, 0 elsewhere."""

    keepdim = False

    @staticmethod
    def forward(ctx, x: np.ndarray, index: np.ndarray) -> np.ndarray:
        if x.ndim == 0:
            return x.copy()
        picked = np.take_along_axis(x, index, axis=ctx.dim)
        return picked if ctx.keepdim else picked.squeeze(ctx.dim)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), _ = ctx.input_meta()
        return PlaceAlongDim.apply(grad, ctx.input(1), dim=ctx.dim, keepdim=ctx.keepdim, shape=shape), None


@register_op("place_along_dim", samples=[Sample((3,), np.array([[0], [3], [1]]), dim=1, shape=(3, 4)),
                                         Sample((1, 4), np.array([[2, 0, 1, 1]]), dim=0, keepdim=True, shape=(3, 4))])
class PlaceAlongDim(Function):
    """y = zeros of ``shape`` with g written at ``index`` along ``dim`` (the inverse of pick_along_dim);
    dy/dg = the values picked back at the index."""

    keepdim = False

    @staticmethod
    def forward(ctx, g: np.ndarray, index: np.ndarray) -> np.ndarray:
        if not ctx.shape:
            return g.copy()
        out = np.zeros(ctx.shape, dtype=g.dtype)
        np.put_along_axis(out, index, g if ctx.keepdim else np.expand_dims(g, ctx.dim), axis=ctx.dim)
        return out

    @staticmethod
    def backward(ctx, grad):
        return PickAlongDim.apply(grad, ctx.input(1), dim=ctx.dim, keepdim=ctx.keepdim), None


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


def sum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:  # noqa: A001
    """Sum over ``dim`` (all elements when None). Integer and bool inputs sum to int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return Sum.apply(input, dim=dim, keepdim=keepdim)


def mean(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Mean over ``dim`` (all elements when None); floating inputs only, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind != "f":
        raise RuntimeError(
            f"mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {input.dtype}"
        )
    return Mean.apply(input, dim=dim, keepdim=keepdim)


def prod(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """Product over ``dim`` (all elements when None); integer and bool inputs give int64, as in PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif input.dtype.kind in "biu":
        input = input.to(int64)
    return Prod.apply(input, dim=dim, keepdim=keepdim)


def amax(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """Maximum over ``dim`` (all elements by default); ties share the gradient evenly."""
    return Amax.apply(input, dim=dim, keepdim=keepdim)


def amin(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """Minimum over ``dim`` (all elements by default); ties share the gradient evenly."""
    return Amin.apply(input, dim=dim, keepdim=keepdim)


def _extreme_along(op: str, input: Any, dim: Any, keepdim: bool, arg: Any, result: type) -> Any:
    d = normalize_dim(op, dim, input.ndim)
    x = input._data
    if x.ndim == 0:
        index = np.zeros((), dtype=np.int64)
        return result(PickAlongDim.apply(input, index, dim=0), wrap(index))
    if x.shape[d] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size (input shape {list(x.shape)}).")
    index = arg(x, axis=d, keepdims=True)
    values = PickAlongDim.apply(input, index, dim=d, keepdim=keepdim)
    return result(values, wrap(index if keepdim else index.squeeze(d)))


def max(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """``max(input)``: the largest element (0-d; ties share the gradient evenly);
    ``max(input, dim, keepdim=False)``: a named tuple ``(values, indices)`` whose values send their gradient
    to the returned (first) index; ``max(input, other)`` with a tensor ``other``: ``maximum``."""
    if hasattr(dim, "_data"):
        return maximum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                               "reduction dim with the 'dim' argument.")
        return Amax.apply(input, nan_shares=True)
    return _extreme_along("max", input, dim, keepdim, np.argmax, MaxResult)


def min(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """As ``max``, for the smallest element (``min(input, other)`` is ``minimum``)."""
    if hasattr(dim, "_data"):
        return minimum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                               "reduction dim with the 'dim' argument.")
        return Amin.apply(input, nan_shares=True)
    return _extreme_along("min", input, dim, keepdim, np.argmin, MinResult)


def _arg_extreme(op: str, arg: Any, input: Any, dim: Any, keepdim: bool) -> Any:
    x = input._data
    if dim is None:
        if x.size == 0:
            raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = np.asarray(arg(x), dtype=np.int64)
        return wrap(index.reshape((1,) * x.ndim) if keepdim else index)
    d = normalize_dim(op, dim, x.ndim)
    if x.ndim == 0:
        return wrap(np.zeros((), dtype=np.int64))
    if x.shape[d] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size (input shape {list(x.shape)}).")
    return wrap(arg(x, axis=d, keepdims=keepdim).astype(np.int64, copy=False))


def argmax(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index (int64) of the first largest element over ``dim``, or in the flattened tensor when None."""
    return _arg_extreme("argmax", np.argmax, input, dim, keepdim)


def argmin(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index (int64) of the first smallest element over ``dim``, or in the flattened tensor when None."""
    return _arg_extreme("argmin", np.argmin, input, dim, keepdim)


def all(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """Whether every element over ``dim`` is non-zero (bool; uint8 stays uint8, as PyTorch)."""
    dims = normalize_dims("all", dim, input.ndim)
    out = np.all(input._data, axis=dims, keepdims=keepdim)
    return wrap(out.astype(np.uint8) if input.dtype == np.uint8 else np.asarray(out))


def any(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """Whether some element over ``dim`` is non-zero (bool; uint8 stays uint8, as PyTorch)."""
    dims = normalize_dims("any", dim, input.ndim)
    out = np.any(input._data, axis=dims, keepdims=keepdim)
    return wrap(out.astype(np.uint8) if input.dtype == np.uint8 else np.asarray(out))


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


def sum_to_size(input: Any, *size: Any) -> Any:
    """Sum ``input`` down to ``size``, the inverse of broadcasting ``size`` to ``input.shape``."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = input.shape
    lead = len(have) - len(shape)
    if lead < 0 or builtins.any(s != 1 and s != h for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"sum_to_size: size {list(shape)} is not expandable to size {list(have)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if dims:
        input = Sum.apply(input, dim=dims, keepdim=True)
    return input.reshape(shape) if input.shape != shape else input
