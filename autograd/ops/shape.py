"""Shape ops: views and rearrangements whose backward moves gradients back into place."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["reshape", "expand"]


def size_arg(size: tuple) -> tuple:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as PyTorch does."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


@register_op("reshape", samples=[Sample((3, 4), shape=(2, 6)), Sample((3, 4), shape=(-1,)), Sample((), shape=(1, 1)),
                                 Sample((2, 0), shape=(0, 5))])
class Reshape(Function):
    """y = x with shape ``ctx.shape`` (one entry may be -1);  dy/dx = grad reshaped to x's shape."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        try:
            return x.reshape(ctx.shape)
        except ValueError:
            raise RuntimeError(f"reshape: shape {list(ctx.shape)} is invalid for input of size {x.size}") from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return grad.reshape(shape)


@register_op("expand", samples=[Sample((3, 1), shape=(3, 4)), Sample((4,), shape=(2, 3, 4)), Sample((), shape=(2,)),
                                Sample((1, 3), shape=(2, -1))])
class Expand(Function):
    """y = x broadcast to ``ctx.shape`` (-1 keeps a size);  dy/dx = grad summed over the broadcast axes."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        shape = ctx.shape
        lead = len(shape) - x.ndim
        if lead < 0:
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({x.ndim})"
            )
        target = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
        try:
            return np.broadcast_to(x, target)
        except ValueError:
            raise RuntimeError(
                f"expand: the expanded size of the tensor must match the existing size at non-singleton "
                f"dimensions; cannot expand shape {list(x.shape)} to {list(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return grad.sum_to_size(shape)


def reshape(input: Any, *shape: Any) -> Any:
    """The same values with a new shape (a view when possible); one dimension may be -1."""
    return Reshape.apply(input, shape=size_arg(shape))


def expand(input: Any, *sizes: Any) -> Any:
    """Broadcast singleton dimensions to ``sizes`` without copying; -1 keeps a dimension's size."""
    return Expand.apply(input, shape=size_arg(sizes))
