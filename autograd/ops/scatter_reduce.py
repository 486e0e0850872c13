"""``scatter_reduce``: reduce the values of ``src`` into ``input`` at the positions an index names along one dim,
with ``reduce`` one of 'sum', 'prod', 'mean', 'amax', 'amin' (re-exported by autograd/ops/indexing.py).

The backward passes are written with ``gather``, ``scatter``, ``where`` and ``scatter_reduce`` itself, so second
derivatives work (PyTorch raises for the second derivative of 'prod' where two or more zeros of ``src`` meet at
one position, and so do we).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.grad_mode import STATE as _GRAD
from autograd.ops.basic import Where
from autograd.ops.gather import Gather, Scatter, _mesh, apply_scatter
from autograd.ops.registry import Sample, register_op

__all__ = ["scatter_reduce"]

_UFUNC = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}
_ROWS = np.array([[0, 2, 2, 1], [2, 2, 0, 1]])  # repeats along dim 0; row 1 of a (3, 4) input gets nothing at col 0
_SAMPLES = [
    Sample((3, 4), (2, 4), dim=0, index=_ROWS, reduce=r, include_self=i, low=low, high=1.5)
    for r, low in (("sum", -1.0), ("mean", -1.0), ("prod", 0.5), ("amax", -1.0), ("amin", -1.0))
    for i in (True, False)
] + [Sample((2, 3), (2, 2), dim=1, index=np.array([[2, 0], [1, 1]]), reduce="prod", low=-1.5, high=-0.5),
     Sample((2, 3), (2, 2), dim=-1, index=np.array([[2, 2], [0, 0]]), reduce="amax", include_self=False)]


def _identity(reduce: str, dtype: np.dtype) -> Any:
    """The value ``reduce`` leaves unchanged: written where include_self=False leaves ``input`` out."""
    if reduce in ("sum", "mean", "prod"):
        return int(reduce == "prod")
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    if dtype.kind == "b":
        return reduce == "amin"
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _counts(ctx: Any, shape: tuple) -> np.ndarray:
    """How many values each output position reduces (input's own included when ``include_self``); 0 taken as 1."""
    count = np.full(shape, int(ctx.include_self), dtype=np.int64)
    np.add.at(count, _mesh(ctx.index, ctx.dim), 1)
    return np.maximum(count, 1)


@register_op("scatter_reduce", samples=_SAMPLES)
class ScatterReduce(Function):
    """y = x with, at each position p that ``index`` names along ``dim``, y[p] = reduce of x[p] (when
    ``include_self``) and every src[i] with index[i] = p (for dim 0: p = (index[i][j], j) for src[i][j]).

    Gradients (as PyTorch's): sum: dy/dx = 1, dy/dsrc = 1; mean: 1 / n for each of the n values reduced; prod:
    the product of the other values (computed without dividing by a zero: a single zero gets the product of the
    rest, with two or more zeros every gradient is 0); amax/amin: the gradient is shared evenly among the values
    equal to the result (NaN when the result is NaN). Where ``include_self`` is False, x's gradient is 0 at the
    written positions.
    """

    include_self = True

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        where = _mesh(ctx.index, ctx.dim)
        if not ctx.include_self:
            out[where] = _identity(ctx.reduce, x.dtype)
        with np.errstate(invalid="ignore", over="ignore"):  # inf * 0 and overflow give NaN and inf, as PyTorch
            _UFUNC[ctx.reduce].at(out, where, src)
        if ctx.reduce != "mean":
            return out
        count = _counts(ctx, x.shape)
        return out / count if x.dtype.kind == "f" else np.floor_divide(out, count, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        if ctx.reduce == "prod":
            return _prod_backward(ctx, grad)
        where = {"dim": ctx.dim, "index": ctx.index}
        if ctx.reduce in ("sum", "mean"):
            if ctx.reduce == "mean":
                grad = grad / wrap(_counts(ctx, grad.shape).astype(grad.dtype))
            return (_left_out(ctx, grad) if need_x else None), (Gather.apply(grad, **where) if need_src else None)
        x, src, y = ctx.input(0)._data, ctx.input(1)._data, ctx.output._data
        mesh = _mesh(ctx.index, ctx.dim)
        hit_x = x == y
        if not ctx.include_self:
            hit_x[mesh] = False
        hit_src = src == y[mesh]
        ties = hit_x.astype(grad.dtype)
        np.add.at(ties, mesh, hit_src)
        with np.errstate(divide="ignore"):  # no value equals a NaN result: 0 * inf makes its gradients NaN
            share = grad * wrap(1 / ties)
        grad_x = share * wrap(hit_x.astype(grad.dtype)) if need_x else None
        grad_src = Gather.apply(share, **where) * wrap(hit_src.astype(grad.dtype)) if need_src else None
        return grad_x, grad_src


def _left_out(ctx: Any, grad: Any) -> Any:
    """x's gradient from ``grad`` for sum, mean and prod: unchanged, or 0 where include_self=False left x out."""
    if ctx.include_self:
        return grad
    return Scatter.apply(grad, np.zeros(ctx.index.shape, grad.dtype), dim=ctx.dim, index=ctx.index)


def _prod_backward(ctx: Any, grad: Any) -> tuple:
    """Gradients of reduce='prod': the product of the other values reduced at the same position, by dividing the
    result by a non-zero value and, for a zero, by reducing again with that zero replaced by 1."""
    need_x, need_src = ctx.needs_input_grad
    x, src, y = ctx.input(0), ctx.input(1), ctx.output
    where = {"dim": ctx.dim, "index": ctx.index, "reduce": "prod", "include_self": ctx.include_self}
    one = np.ones((), dtype=grad.dtype)
    grad_x = grad_src = None
    if need_x:
        zero = x._data == 0
        if not ctx.include_self:
            grad_x = _left_out(ctx, grad)
        elif not zero.any():
            grad_x = grad * y / x
        else:
            x_safe = Where.apply(zero, one, x)
            grad_x = grad * ScatterReduce.apply(x_safe, src, **where) / x_safe
    if need_src:
        mesh = _mesh(ctx.index, ctx.dim)
        zero = src._data == 0
        at_target = Gather.apply(grad * y, dim=ctx.dim, index=ctx.index)
        if not zero.any():
            return grad_x, at_target / src
        zeros_per_position = np.zeros(y.shape, dtype=np.int64)
        np.add.at(zeros_per_position, mesh, zero)
        zeros_here = zeros_per_position[mesh]
        if _GRAD.enabled and (zeros_here > 1).any():
            raise RuntimeError("scatter_reduce: the second derivative of reduce='prod' is not implemented where two "
                               "or more zeros of src are reduced into one position (PyTorch raises too)")
        single = zero & (zeros_here == 1)
        without_zero = ScatterReduce.apply(x, Where.apply(single, one, src), **where)
        grad_src = Where.apply(single, Gather.apply(grad * without_zero, dim=ctx.dim, index=ctx.index),
                               at_target / Where.apply(zero, one, src))
    return grad_x, grad_src


def scatter_reduce(input: Any, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Any:
    """A copy of ``input`` in which each position that ``index`` names along ``dim`` holds the reduction
    (``reduce``: 'sum', 'prod', 'mean', 'amax' or 'amin') of the ``src`` values sent there, and of its own value
    when ``include_self`` (for dim 0, src[i][j] goes to (index[i][j], j)). Positions nothing is sent to keep
    their value. Integer 'mean' rounds down, as PyTorch's.

    Parameters
    ----------
    input : Tensor
        (*) any shape.
    dim : int
    index : Tensor
        int64 or int32, as many dims as input, no larger than input outside ``dim`` nor than ``src`` anywhere.
    src : Tensor
        Same dtype as input; only its leading ``index.shape`` block is used.
    """
    if not hasattr(src, "_data"):
        raise TypeError(f"scatter_reduce(): argument 'src' must be Tensor, not {type(src).__name__}")
    if reduce not in _UFUNC:
        raise RuntimeError(f"scatter_reduce: reduce argument must be one of 'sum', 'prod', 'mean', 'amax' or 'amin', "
                           f"got {reduce!r}")
    if reduce == "mean" and input.dtype.kind == "b":
        raise RuntimeError("scatter_reduce: reduce='mean' is not implemented for bool tensors")
    return apply_scatter(ScatterReduce, "scatter_reduce", input, dim, index, src, reduce=reduce,
                         include_self=bool(include_self))
