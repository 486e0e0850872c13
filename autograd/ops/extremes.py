"""The extremes of a tensor: ``amax``/``amin`` over dims, ``max``/``min`` (of everything, along a dim with the
index, or of two tensors) and ``argmax``/``argmin``.

amax/amin and the full max()/min() share the gradient evenly among ties, as PyTorch does; max/min along a dim
send it to the returned index (``pick_along_dim``, whose backward ``place_along_dim`` is its inverse).
"""

from __future__ import annotations

import builtins
from collections import namedtuple
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.basic import maximum, minimum
from autograd.ops.reduction import expand_reduced, normalize_dim, normalize_dims
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.amax``).
__all__ = ["amax", "amin", "aminmax", "max", "min", "argmax", "argmin"]

# ``torch.return_types.max``/``min``: tuples with the fields ``values`` and ``indices``.
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])
# ``torch.return_types.aminmax``: the fields ``min`` and ``max``.
AminmaxResult = namedtuple("aminmax", ["min", "max"])


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


def amax(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """Maximum over ``dim`` (all elements by default); ties share the gradient evenly."""
    return Amax.apply(input, dim=dim, keepdim=keepdim)


def amin(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """Minimum over ``dim`` (all elements by default); ties share the gradient evenly."""
    return Amin.apply(input, dim=dim, keepdim=keepdim)


def aminmax(input: Any, *, dim: int | None = None, keepdim: bool = False) -> AminmaxResult:
    """``(min, max)`` of ``input`` over one ``dim`` (all elements when ``dim`` is None), as a named tuple.

    Both are ``amin``/``amax``, so ties share each gradient evenly and NaN propagates. RuntimeError for an
    empty input without ``dim``, IndexError when ``dim`` has size 0, TypeError for a ``dim`` that is not an int.
    """
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has "
                               "no identity.")
        dims: Any = ()
    elif isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
        dims = int(dim)
    else:
        raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
    if dim is not None and input.ndim == 0:  # dim 0 (or -1) of a 0-d tensor: the value itself
        normalize_dim("aminmax", dims, 0)
        dims = ()
    return AminmaxResult(amin(input, dims, keepdim), amax(input, dims, keepdim))


def pick_along_dim(op: str, input: Any, dim: Any, keepdim: bool, index_of: Any, result: type) -> Any:
    """``result(values, indices)`` for the element each slice of ``input`` along ``dim`` selects:
    ``index_of(x, d)`` gives, in numpy, the positions along axis ``d`` (kept, of size 1). The values send
    their gradient to those positions. A 0-d input is its own slice (``index_of`` still sees it, as one
    element, so it can check its arguments)."""
    d = normalize_dim(op, dim, input.ndim)
    x = input._data
    if x.ndim == 0:
        index_of(x.reshape(1), 0)
        index = np.zeros((), dtype=np.int64)
        return result(PickAlongDim.apply(input, index, dim=0), wrap(index))
    if x.shape[d] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size (input shape {list(x.shape)}).")
    index = index_of(x, d)
    values = PickAlongDim.apply(input, index, dim=d, keepdim=keepdim)
    return result(values, wrap(index if keepdim else index.squeeze(d)))


def _argmax(x: np.ndarray, d: int) -> np.ndarray:
    return np.argmax(x, axis=d, keepdims=True)


def _argmin(x: np.ndarray, d: int) -> np.ndarray:
    return np.argmin(x, axis=d, keepdims=True)


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
    return pick_along_dim("max", input, dim, keepdim, _argmax, MaxResult)


def min(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001  (PyTorch's name)
    """As ``max``, for the smallest element (``min(input, other)`` is ``minimum``)."""
    if hasattr(dim, "_data"):
        return minimum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                               "reduction dim with the 'dim' argument.")
        return Amin.apply(input, nan_shares=True)
    return pick_along_dim("min", input, dim, keepdim, _argmin, MinResult)


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
