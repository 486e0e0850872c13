"""Tensor methods for shapes, indexing and linear algebra (forwarding to ``autograd.ops``)."""

from __future__ import annotations

from typing import Any

from autograd.ops import shape


class TensorShape:
    """Shape, indexing and linear-algebra methods of ``Tensor``."""

    __slots__ = ()

    def reshape(self, *shape_: Any) -> Any:
        return shape.reshape(self, *shape_)

    def view(self, *shape_: Any) -> Any:
        return shape.reshape(self, *shape_)

    def expand(self, *sizes: Any) -> Any:
        return shape.expand(self, *sizes)

    def expand_as(self, other: Any) -> Any:
        return shape.expand(self, other.shape)
