"""Padding layers over ``F.pad``: ``ConstantPad1d``/``2d``/``3d`` and ``ZeroPad1d``/``2d``/``3d``, with PyTorch's
arguments and reprs.

``padding`` is an int (the same on every side) or one amount per side, last dim first: (left, right) for 1d,
(left, right, top, bottom) for 2d, (left, right, top, bottom, front, back) for 3d. Negative amounts crop.
The layers pad the last 1, 2 or 3 dims of any input with at least that many dims.
"""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class _ConstantPadNd(Module):
    _spatial_dims = 0

    def __init__(self, padding: int | tuple[int, ...], value: float) -> None:
        super().__init__()
        sides = 2 * self._spatial_dims
        if isinstance(padding, int):
            padding = (padding,) * sides
        elif not (isinstance(padding, (tuple, list)) and len(padding) == sides
                  and all(isinstance(p, int) for p in padding)):
            raise ValueError(f"{self._get_name()}: padding must be an int or a tuple of {sides} ints, got {padding!r}")
        self.padding = tuple(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``: (*, L) → (*, L + left + right)."""

    _spatial_dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: (*, H, W) → (*, H + top + bottom, W + left + right)."""

    _spatial_dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``: (*, D, H, W) → (*, D + front + back, H + top + bottom,
    W + left + right)."""

    _spatial_dims = 3


class _ZeroPad(_ConstantPadNd):
    """Zero padding: a constant pad with value 0.0, printed with its amounts only (as in PyTorch). Mixed in
    before a ``ConstantPad*d``, which supplies the number of dims (so ``ZeroPad2d`` is a ``ConstantPad2d``)."""

    def __init__(self, padding: int | tuple[int, ...]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    """Pad the last dim with zeros: (*, L) → (*, L + left + right)."""


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    """Pad the last two dims with zeros: (*, H, W) → (*, H + top + bottom, W + left + right)."""


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    """Pad the last three dims with zeros: (*, D, H, W) → (*, D + front + back, H + top + bottom,
    W + left + right)."""
