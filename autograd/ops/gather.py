"""Gather and scatter along one dim: ``gather``, ``scatter`` (also with PyTorch's deprecated ``reduce=``),
``scatter_add``, ``take_along_dim`` (re-exported by autograd/ops/indexing.py).

``gather`` and ``scatter_add`` are each other's backward; ``scatter``'s backward is a ``scatter`` of zeros and a
``gather``, so second derivatives work throughout. ``scatter(..., reduce='add'|'multiply')`` has no derivative
in PyTorch, nor here (``scatter_reduce``, in scatter_reduce.py, is the differentiable form).

As in PyTorch, a 0-d input, index or src counts as one of shape (1,).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._dims import wrap_dim
from autograd.ops.registry import Sample, register_op

__all__ = ["gather", "scatter", "scatter_add", "take_along_dim"]


def _mesh(index: np.ndarray, dim: int) -> tuple:
    """The advanced index that reads ``x[..., index[i, j, k], ...]`` at position (i, j, k) (``index`` in slot
    ``dim``, broadcast ranges elsewhere)."""
    ndim = index.ndim
    return tuple(index if d == dim else np.arange(n).reshape((n,) + (1,) * (ndim - 1 - d))
                 for d, n in enumerate(index.shape))


_GATHER_INDEX = np.array([[0, 3, 3], [1, 0, 2], [2, 2, 2]])


@register_op("gather", samples=[Sample((3, 4), dim=1, index=_GATHER_INDEX), Sample((4, 3), dim=0, index=_GATHER_INDEX),
                                Sample((3, 4), dim=0, index=np.zeros((0, 2), dtype=np.int64))])
class Gather(Function):
    """y[i][j] = x[index[i][j]][j] for dim 0 (likewise for other dims);  dy/dx = ``scatter_add`` of grad into zeros
    at the same positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x[_mesh(ctx.index, ctx.dim)]

    @staticmethod
    def backward(ctx, grad):
        (shape, dtype), = ctx.input_meta()
        return ScatterAdd.apply(wrap(np.zeros(shape, dtype)), grad, dim=ctx.dim, index=ctx.index)


@register_op("scatter_add", samples=[Sample((3, 4), (3, 3), dim=1, index=_GATHER_INDEX),
                                     Sample((4, 3), (3, 3), dim=0, index=_GATHER_INDEX)])
class ScatterAdd(Function):
    """y = x with y[index[i][j]][j] += src[i][j] for dim 0 (repeats accumulate);  dy/dx = grad,
    dy/dsrc = ``gather`` of grad at the same positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        np.add.at(out, _mesh(ctx.index, ctx.dim), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_src = Gather.apply(grad, dim=ctx.dim, index=ctx.index) if ctx.needs_input_grad[1] else None
        return grad, grad_src


@register_op("scatter", samples=[Sample((3, 4), (3, 2), dim=1, index=np.array([[0, 3], [1, 0], [2, 1]])),
                                 Sample((4, 3), (2, 3), dim=0, index=np.array([[0, 1, 2], [3, 2, 1]]))])
class Scatter(Function):
    """y = x with y[index[i][j]][j] = src[i][j] for dim 0;  dy/dx = grad with the written positions zeroed,
    dy/dsrc = ``gather`` of grad at those positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        out[_mesh(ctx.index, ctx.dim)] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        zeros = np.zeros(ctx.index.shape, grad.dtype)
        grad_x = Scatter.apply(grad, zeros, dim=ctx.dim, index=ctx.index) if need_x else None
        return grad_x, (Gather.apply(grad, dim=ctx.dim, index=ctx.index) if need_src else None)


_REDUCE_AT = {"add": np.add, "multiply": np.multiply}


@register_op("scatter_with_reduce", samples=[
    Sample((3, 4), (3, 3), dim=1, index=_GATHER_INDEX, reduce="add"),
    Sample((4, 3), (3, 3), dim=0, index=_GATHER_INDEX, reduce="multiply")], has_derivative=False)
class ScatterWithReduce(Function):
    """y = x with y[index[i][j]][j] += src[i][j] (``reduce='add'``) or *= src[i][j] (``'multiply'``) for dim 0,
    repeats accumulating; no derivative (as in PyTorch: backward raises)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        with np.errstate(invalid="ignore", over="ignore"):  # inf * 0 and overflow give NaN and inf, as PyTorch
            _REDUCE_AT[ctx.reduce].at(out, _mesh(ctx.index, ctx.dim), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("scatter_with_reduce: the derivative is not implemented (PyTorch has none for scatter with "
                           "reduce= either); use scatter_add, or scatter_reduce with reduce='sum' or 'prod'")


def _scatter_index(op: str, input: Any, dim: int, index: Any) -> tuple[int, np.ndarray]:
    """Validate a gather/scatter index (int64 or int32, as many dims as input, within range and bounds) as PyTorch
    does; returned as int64, with the dim it applies to."""
    array = index._data if hasattr(index, "_data") else np.asarray(index)
    if array.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}: expected dtype int64 or int32 for index, got {array.dtype}")
    array = array.astype(np.int64, copy=False)
    d = wrap_dim(op, dim, input.ndim)
    if max(array.ndim, 1) != max(input.ndim, 1):
        raise RuntimeError(f"{op}: index tensor must have the same number of dimensions as input tensor "
                           f"(index shape {list(array.shape)}, input shape {list(input.shape)})")
    if any(n > m for k, (n, m) in enumerate(zip(array.shape, input.shape)) if k != d):
        raise RuntimeError(f"{op}: size does not match: expected index {list(array.shape)} to be no larger than input "
                           f"{list(input.shape)} apart from dimension {d}")
    size = input.shape[d] if input.ndim else 1
    if array.size and (array.min() < 0 or array.max() >= size):
        bad = array.min() if array.min() < 0 else array.max()
        raise RuntimeError(f"{op}: index {bad} is out of bounds for dimension {d} with size {size}")
    return d, array


def gather(input: Any, dim: int, index: Any) -> Any:
    """``out[i][j][k] = input[index[i][j][k]][j][k]`` for ``dim=0`` (likewise for other dims); out has index's
    shape."""
    d, array = _scatter_index("gather", input, dim, index)
    if input.ndim == 0 or array.ndim == 0:
        source = input.reshape(1) if input.ndim == 0 else input
        return Gather.apply(source, dim=d, index=array.reshape(array.shape or (1,))).reshape(array.shape)
    return Gather.apply(input, dim=d, index=array)


def _scatter_src(op: str, input: Any, array: np.ndarray, src: Any) -> Any:
    if not hasattr(src, "_data"):
        return np.full(array.shape, src, dtype=input.dtype)
    if src.dtype != input.dtype:
        raise RuntimeError(f"{op}: expected self.dtype to be equal to src.dtype, got {input.dtype} and {src.dtype}")
    if src.ndim == 0:
        src = src.reshape((1,) * array.ndim)
    if any(n > m for n, m in zip(array.shape, src.shape)) or src.ndim != array.ndim:
        raise RuntimeError(f"{op}: expected index {list(array.shape)} to be no larger than src {list(src.shape)}")
    if src.shape != array.shape:
        src = src[tuple(slice(0, n) for n in array.shape)]
    return src


def apply_scatter(op: type[Function], name: str, input: Any, dim: int, index: Any, src: Any, **kwargs: Any) -> Any:
    """Validate the arguments of a scatter-family op (``name`` in errors) and apply ``op`` to ``input`` and ``src``
    (a number becomes a constant of index's shape); 0-d tensors act as (1,)-shaped ones."""
    d, array = _scatter_index(name, input, dim, index)
    source = input.reshape(1) if input.ndim == 0 else input
    array = array.reshape(array.shape or (1,))
    out = op.apply(source, _scatter_src(name, source, array, src), dim=d, index=array, **kwargs)
    return out.reshape(()) if input.ndim == 0 else out


def scatter(input: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Any:
    """A copy of ``input`` with ``out[index[i][j]][j] = src[i][j]`` for ``dim=0`` (likewise for other dims);
    ``src`` may be a number (or pass ``value=``). With repeated positions, one of the writes wins.

    ``reduce='add'`` or ``'multiply'`` accumulates instead (repeats included); that form is deprecated in PyTorch
    (it warns when ``src`` is a tensor, as here) and has no derivative.
    """
    if src is None:
        src = value
    if reduce is None:
        return apply_scatter(Scatter, "scatter", input, dim, index, src)
    if reduce not in _REDUCE_AT:
        raise RuntimeError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r} (scatter_reduce offers "
                           "'sum', 'prod', 'mean', 'amax' and 'amin')")
    if hasattr(src, "_data"):
        warnings.warn("scatter: the reduce argument with a tensor src is deprecated (as in PyTorch); use "
                      "scatter_reduce instead, which offers more reductions and is differentiable",
                      UserWarning, stacklevel=2)
    return apply_scatter(ScatterWithReduce, "scatter", input, dim, index, src, reduce=reduce)


def scatter_add(input: Any, dim: int, index: Any, src: Any) -> Any:
    """A copy of ``input`` with ``out[index[i][j]][j] += src[i][j]`` for ``dim=0``; repeated positions add up."""
    return apply_scatter(ScatterAdd, "scatter_add", input, dim, index, src)


def take_along_dim(input: Any, indices: Any, dim: int | None = None) -> Any:
    """``gather`` after broadcasting ``input`` and ``indices`` in every dim but ``dim``; with ``dim=None`` both are
    flattened."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    d = wrap_dim("take_along_dim", dim, input.ndim)
    if input.ndim != indices.ndim:
        raise RuntimeError(f"take_along_dim: input and indices should have the same number of dimensions, but got "
                           f"{input.ndim} and {indices.ndim}")
    rest = [n for k, n in enumerate(input.shape) if k != d], [n for k, n in enumerate(indices.shape) if k != d]
    try:
        common = list(np.broadcast_shapes(tuple(rest[0]), tuple(rest[1])))
    except ValueError:
        raise RuntimeError(f"take_along_dim: shapes {list(input.shape)} and {list(indices.shape)} cannot be broadcast "
                           f"outside dimension {d}") from None
    shape_in, shape_idx = common[:d] + [input.shape[d]] + common[d:], common[:d] + [indices.shape[d]] + common[d:]
    return gather(input.expand(shape_in), d, indices.expand(shape_idx))
