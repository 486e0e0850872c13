"""Dtype casts, copies and selection: cast, clone, where, maximum, minimum, clamp.

Also the one helper that turns numpy's broadcasting ValueError into PyTorch's RuntimeError.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops._operands import binary_operands
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.where``).
__all__ = ["cast", "clone", "where", "maximum", "minimum", "clamp", "clip"]


def broadcast_error(op: str, *operands: Any) -> RuntimeError:
    """PyTorch's error for operands whose shapes do not broadcast, naming the first clashing dimension."""
    shapes = [tuple(np.shape(x)) for x in operands]
    current = shapes[0]
    for shape in shapes[1:]:
        try:
            current = np.broadcast_shapes(current, shape)
            continue
        except ValueError:
            pass
        n = max(len(current), len(shape))
        a = (1,) * (n - len(current)) + current
        b = (1,) * (n - len(shape)) + shape
        dim = max(i for i in range(n) if a[i] != b[i] and 1 not in (a[i], b[i]))
        return RuntimeError(
            f"{op}: The size of tensor a ({a[dim]}) must match the size of tensor b ({b[dim]}) at non-singleton "
            f"dimension {dim} (shapes {list(current)} and {list(shape)})"
        )
    return RuntimeError(f"{op}: shapes {[list(s) for s in shapes]} broadcast, but the operation failed")


def _data(x: Any) -> Any:
    return x._data if hasattr(x, "_data") else x


@register_op("cast", samples=[Sample((3, 4), dtype=np.dtype("float64")), Sample((), dtype=np.dtype("float64"))])
class Cast(Function):
    """y = x converted to ``ctx.dtype``;  dy/dx = 1 (the engine casts the gradient back to x's dtype)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x.astype(ctx.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


@register_op("clone", samples=[Sample((3, 4)), Sample(())])
class Clone(Function):
    """y = a copy of x;  dy/dx = 1."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


_rng = np.random.default_rng(1)


@register_op("where", samples=[Sample(_rng.random((3, 4)) < 0.5, (3, 4), (3, 4)),
                               Sample(_rng.random((3, 1)) < 0.5, (4,), ()), Sample(np.array(True), (2, 3), (3,)),
                               Sample(_rng.random(3) < 0.5, (3,), 0.5)])
class Where(Function):
    """y = a where ``condition`` else b (broadcast together);  dy/da = condition, dy/db = not condition."""

    @staticmethod
    def forward(ctx, condition: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.where(condition, a, b)
        except ValueError:
            raise broadcast_error("where", condition, a, b) from None

    @staticmethod
    def backward(ctx, grad):
        _, need_a, need_b = ctx.needs_input_grad
        condition = _data(ctx.input(0))
        zero = np.zeros((), dtype=grad.dtype)
        return (
            None,
            Where.apply(condition, grad, zero) if need_a else None,
            Where.apply(condition, zero, grad) if need_b else None,
        )


def _masked(grad: Any, mask: np.ndarray) -> Any:
    """``grad`` where ``mask`` is true, else 0 (exact even where ``grad`` is infinite)."""
    return Where.apply(mask, grad, np.zeros((), dtype=grad.dtype))


_TIES = [Sample((3, 4), (3, 4)), Sample((3, 4), (4,)), Sample((), (2, 3)), Sample((2, 0), (2, 1))]


@register_op("maximum", samples=_TIES)
class Maximum(Function):
    """y = max(a, b) elementwise;  dy/da = 1 where a > b, 1/2 where a = b, else 0 (dy/db alike), as PyTorch."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.maximum(a, b)
        except ValueError:
            raise broadcast_error("maximum", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        return _split_ties(ctx, grad, np.less)


@register_op("minimum", samples=_TIES)
class Minimum(Function):
    """y = min(a, b) elementwise;  dy/da = 1 where a < b, 1/2 where a = b, else 0 (dy/db alike), as PyTorch."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.minimum(a, b)
        except ValueError:
            raise broadcast_error("minimum", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        return _split_ties(ctx, grad, np.greater)


def _split_ties(ctx: Any, grad: Any, loses: np.ufunc) -> tuple:
    """Gradients of maximum/minimum: ``loses(a, b)`` is where ``a`` was not selected; ties share equally."""
    a, b = _data(ctx.input(0)), _data(ctx.input(1))
    tie = (a == b) * 0.5
    need_a, need_b = ctx.needs_input_grad
    weight_a = (1 - loses(a, b) - tie).astype(grad.dtype) if need_a else None
    weight_b = (1 - loses(b, a) - tie).astype(grad.dtype) if need_b else None
    return (grad * wrap(weight_a) if need_a else None), (grad * wrap(weight_b) if need_b else None)


@register_op("clamp", samples=[Sample((3, 4), np.array(-0.5), np.array(0.5)), Sample((3, 4), None, np.array(0.3)),
                               Sample((), np.array(-0.2), None), Sample((3, 4), (3, 4), (4,)),
                               Sample((3, 4), (4,), None), Sample((2, 3), None, (3,))])
class Clamp(Function):
    """y = min(max(x, lo), hi) (either bound may be absent; lo > hi gives hi);
    dy/dx = 1 where lo <= x <= hi, else 0; dy/dlo = 1 where x < lo < hi; dy/dhi = 1 where x > hi or hi < lo.

    These are PyTorch's conventions, including the closed interval at the bounds. The masks are computed in
    forward (only when recording), so ``clamp_`` on a recorded tensor keeps a valid history.
    """

    @staticmethod
    def forward(ctx, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        try:
            out = x if lo is None else np.maximum(x, lo)
            out = out if hi is None else np.minimum(out, hi)
        except ValueError:
            raise broadcast_error("clamp", *(v for v in (x, lo, hi) if v is not None)) from None
        if True in ctx.needs_input_grad:
            if lo is None:
                ctx.keep = x <= hi
                ctx.to_hi = ~ctx.keep
            elif hi is None:
                ctx.keep = x >= lo
                ctx.to_lo = ~ctx.keep
            else:
                ctx.keep = (x >= lo) & (x <= hi)
                ctx.to_lo = (x < lo) & (lo < hi)
                ctx.to_hi = (x > hi) | (hi < lo)
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_lo, need_hi = ctx.needs_input_grad
        return (
            _masked(grad, ctx.keep) if need_x else None,
            _masked(grad, ctx.to_lo) if need_lo else None,
            _masked(grad, ctx.to_hi) if need_hi else None,
        )


def cast(input: Any, dtype: np.dtype) -> Any:
    """``input`` converted to ``dtype`` (differentiable between floating dtypes)."""
    return Cast.apply(input, dtype=np.dtype(dtype))


def clone(input: Any) -> Any:
    """A copy of ``input`` that stays in the graph."""
    return Clone.apply(input)


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """Elements of ``input`` where ``condition`` (a bool tensor) is true, else of ``other``; all three broadcast.

    ``where(condition)`` alone returns the indices of the true elements, one int64 tensor per dimension.
    """
    cond = _data(condition)
    if not isinstance(cond, np.ndarray) or cond.dtype.kind != "b":
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {np.asarray(cond).dtype}"
        )
    if input is None and other is None:
        return tuple(wrap(i.astype(np.int64)) for i in np.nonzero(cond))
    a, b = binary_operands("where", input, other)
    return Where.apply(condition, a, b)


def maximum(input: Any, other: Any) -> Any:
    """Elementwise maximum (NaN propagates); on ties each input receives half of the gradient."""
    return Maximum.apply(*binary_operands("maximum", input, other))


def minimum(input: Any, other: Any) -> Any:
    """Elementwise minimum (NaN propagates); on ties each input receives half of the gradient."""
    return Minimum.apply(*binary_operands("minimum", input, other))


def clamp(input: Any, min: Any = None, max: Any = None) -> Any:  # noqa: A002  (PyTorch's names)
    """Clamp ``input`` into [min, max]; bounds are numbers or tensors (broadcast), either may be None.

    The result dtype follows PyTorch's promotion of ``input`` with the bounds (an integer tensor clamped by a
    float gets the default dtype).
    """
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    x, lo, hi = input, min, max
    if lo is not None:
        x, lo = binary_operands("clamp", x, lo)
    if hi is not None:
        x, hi = binary_operands("clamp", x, hi)
        if lo is not None and lo.dtype != x.dtype:
            lo = lo.to(x.dtype) if hasattr(lo, "_data") else lo.astype(x.dtype)
    return Clamp.apply(x, lo, hi)


clip = clamp
