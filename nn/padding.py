"""Padding layers over ``F.pad``, with PyTorch's arguments and reprs: ``ConstantPad1d``/``2d``/``3d`` and
``ZeroPad1d``/``2d``/``3d`` (a fill value), ``ReflectionPad1d``/``2d``/``3d`` (mirrored about the edge, which is
not repeated), ``ReplicationPad1d``/``2d``/``3d`` (the edge repeated) and ``CircularPad1d``/``2d``/``3d`` (the other
end wrapped around).

``padding`` is an int (the same on every side) or one amount per side, last dim first: (left, right) for 1d,
(left, right, top, bottom) for 2d, (left, right, top, bottom, front, back) for 3d. Negative amounts crop.
The constant layers pad the last 1, 2 or 3 dims of any input with at least that many dims; the others take
batched (N, C, *spatial) or unbatched (C, *spatial) input, as in PyTorch. Reflection needs each amount to be
smaller than the padded dim, circular padding at most its size.
"""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class _PadNd(Module):
    """``F.pad`` with ``mode`` over the last ``_spatial_dims`` dims of (N, C, *spatial) or (C, *spatial) input.

    ``_wrong_dims_error`` is the exception PyTorch raises for input with another number of dims.
    """

    _spatial_dims = 0
    _mode = "constant"
    _wrong_dims_error: type[Exception] = NotImplementedError

    def __init__(self, padding: int | tuple[int, ...]) -> None:
        super().__init__()
        sides = 2 * self._spatial_dims
        if isinstance(padding, int):
            padding = (padding,) * sides
        elif not (isinstance(padding, (tuple, list)) and len(padding) == sides
                  and all(isinstance(p, int) for p in padding)):
            raise ValueError(f"{self._get_name()}: padding must be an int or a tuple of {sides} ints, got {padding!r}")
        self.padding = tuple(padding)

    def forward(self, input: Tensor) -> Tensor:
        dims = self._spatial_dims
        if input.ndim not in (dims + 1, dims + 2):
            raise self._wrong_dims_error(
                f"{self._get_name()}: expected {dims + 1}-D (C, *spatial) or {dims + 2}-D (N, C, *spatial) input "
                f"for {self._mode} padding of the last {dims} dim(s), got {input.ndim}-D input of shape "
                f"{list(input.shape)}")
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: int | tuple[int, ...], value: float) -> None:
        super().__init__(padding)
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


class ReflectionPad1d(_PadNd):
    """Mirror the last dim about its edges: (N, C, W) or (C, W) → W + left + right; [1, 2, 3] padded by 2 on
    the left reads [3, 2, 1, 2, 3]."""

    _spatial_dims = 1
    _mode = "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror the last two dims about their edges: (N, C, H, W) or (C, H, W) → (H + top + bottom,
    W + left + right)."""

    _spatial_dims = 2
    _mode = "reflect"


class ReflectionPad3d(_PadNd):
    """Mirror the last three dims about their edges: (N, C, D, H, W) or (C, D, H, W)."""

    _spatial_dims = 3
    _mode = "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the edge values of the last dim: (N, C, W) or (C, W) → W + left + right; [1, 2, 3] padded by 2 on
    the left reads [1, 1, 1, 2, 3]."""

    _spatial_dims = 1
    _mode = "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the edge values of the last two dims: (N, C, H, W) or (C, H, W) → (H + top + bottom,
    W + left + right)."""

    _spatial_dims = 2
    _mode = "replicate"


class ReplicationPad3d(_PadNd):
    """Repeat the edge values of the last three dims: (N, C, D, H, W) or (C, D, H, W)."""

    _spatial_dims = 3
    _mode = "replicate"


class CircularPad1d(_PadNd):
    """Wrap the last dim around: (N, C, W) or (C, W) → W + left + right; [1, 2, 3] padded by 2 on the left reads
    [2, 3, 1, 2, 3]."""

    _spatial_dims = 1
    _mode = "circular"
    _wrong_dims_error = ValueError


class CircularPad2d(_PadNd):
    """Wrap the last two dims around (a torus): (N, C, H, W) or (C, H, W) → (H + top + bottom, W + left + right)."""

    _spatial_dims = 2
    _mode = "circular"
    _wrong_dims_error = ValueError


class CircularPad3d(_PadNd):
    """Wrap the last three dims around: (N, C, D, H, W) or (C, D, H, W)."""

    _spatial_dims = 3
    _mode = "circular"
    _wrong_dims_error = ValueError
