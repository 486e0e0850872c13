"""``Flatten`` and ``Unflatten``: reshape a range of dimensions (views, no copy)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor
from nn._checks import wrap_dim
from nn.module import Module


class Flatten(Module):
    """Merge dims ``start_dim`` .. ``end_dim`` into one: (N, C, H, W) → (N, C*H*W) with the defaults."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        shape = input.shape
        start = wrap_dim("Flatten", self.start_dim, input.ndim)
        end = wrap_dim("Flatten", self.end_dim, input.ndim)
        if input.ndim == 0:
            return input.reshape(1)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        return input.reshape(*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``: Unflatten(1, (2, 5)) maps (N, 10) → (N, 2, 5)."""

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        dim = wrap_dim("Unflatten", self.dim, input.ndim)
        sizes = self.unflattened_size
        if -1 not in sizes and math.prod(sizes) != input.shape[dim]:
            raise RuntimeError(
                f"Unflatten: provided sizes {list(sizes)} don't multiply up to the size of dim {self.dim} "
                f"({input.shape[dim]}) in the input tensor"
            )
        return input.reshape(*input.shape[:dim], *sizes, *input.shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
