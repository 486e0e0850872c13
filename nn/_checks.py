"""Argument checks shared by the layers and functional forms of ``nn``, raising PyTorch's exception types with
messages that name the caller and the shapes involved."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor


def wrap_dim(name: str, dim: int, ndim: int) -> int:
    """``dim`` as an index in [0, ndim) (negative counts from the end; a 0-d tensor accepts 0 and -1), or an
    IndexError naming ``name``."""
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(f"{name}: dimension out of range (expected to be in range of [{-bound}, {bound - 1}], "
                         f"but got {dim})")
    return dim % bound


def broadcast_shape(name: str, **shapes: Sequence[int]) -> tuple[int, ...]:
    """The shape that the keyword-named shapes broadcast to, or a RuntimeError listing each name and shape."""
    try:
        return tuple(np.broadcast_shapes(*(tuple(shape) for shape in shapes.values())))
    except ValueError:
        listed = ", ".join(f"{key} of shape {list(shape)}" for key, shape in shapes.items())
        raise RuntimeError(f"{name}: {listed} cannot be broadcast to a common shape") from None


def check_floating(name: str, **tensors: Tensor) -> None:
    """A RuntimeError naming ``name`` unless every tensor has a floating dtype."""
    if not all(t.is_floating_point() for t in tensors.values()):
        listed = ", ".join(f"{key} {t.dtype}" for key, t in tensors.items())
        raise RuntimeError(f"{name}: expected floating-point inputs, got {listed}")
