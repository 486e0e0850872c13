"""Dtype casts and copies."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["cast", "clone"]


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


def cast(input: Any, dtype: np.dtype) -> Any:
    """``input`` converted to ``dtype`` (differentiable between floating dtypes)."""
    return Cast.apply(input, dtype=np.dtype(dtype))


def clone(input: Any) -> Any:
    """A copy of ``input`` that stays in the graph."""
    return Clone.apply(input)
