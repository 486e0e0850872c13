"""Convolution layers: ``Conv1d``, ``Conv2d``, ``ConvTranspose1d`` and ``ConvTranspose2d``, initialised exactly as
PyTorch does."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor
from nn import init
from nn.module import Module
from nn.parameter import Parameter


def _tuple(value: Any, n: int) -> tuple:
    """An int or a sequence as a tuple of ``n`` values, as PyTorch's ``_single`` and ``_pair`` store them."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


class _ConvNd(Module):
    """Shared construction of the convolution layers (PyTorch's ``_ConvNd``).

    weight: (out_channels, in_channels // groups, *kernel_size), or (in_channels, out_channels // groups,
    *kernel_size) when transposed; both initialised by ``kaiming_uniform_(a=sqrt(5))``, the bias uniformly on
    (-1/sqrt(fan_in), 1/sqrt(fan_in)).
    """

    _dims = 2
    transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any, padding: Any,
                 dilation: Any, groups: int, bias: bool, padding_mode: str, output_padding: Any = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        name = type(self).__name__
        if groups <= 0:
            raise ValueError(f"{name}: groups must be a positive integer, got {groups}")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) must be divisible by groups ({groups})")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels ({out_channels}) must be divisible by groups ({groups})")
        if padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported by stepgrad, got {padding_mode!r}")
        n = self._dims
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in _tuple(stride, n)):
                raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _tuple(kernel_size, n)
        self.stride = _tuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.dilation = _tuple(dilation, n)
        self.output_padding = _tuple(output_padding, n)
        self.groups = groups
        self.padding_mode = padding_mode
        shape = (in_channels, out_channels // groups) if self.transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(autograd.empty(*shape, *self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(autograd.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._reset_weight_and_bias(self.weight, self.bias)

    def _check_input(self, input: Tensor) -> None:
        """A clear message for the classic mistakes: a missing channel dimension, the wrong channel count."""
        want = self._dims + 2
        channels = self.in_channels
        if input.ndim == want - 1 and input.shape[0] != channels:
            raise RuntimeError(
                f"{self._layer()}: expected {want}-D input (N, C, ...) or unbatched {want - 1}-D input (C, ...) "
                f"with C = {channels}, got input of shape {tuple(input.shape)}; a batch of single-channel images "
                f"needs a channel dimension: input.unsqueeze(1)"
            )
        if input.ndim == want and input.shape[1] != channels:
            raise RuntimeError(f"{self._layer()}: expected input with {channels} channels (dimension 1), got input "
                               f"of shape {tuple(input.shape)}")
        if input.ndim not in (want - 1, want):
            raise RuntimeError(f"{self._layer()}: expected {want}-D (batched) or {want - 1}-D (unbatched) input, got "
                               f"input of shape {tuple(input.shape)}")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input(input)
        try:
            return self._convolve(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                                  self.groups)
        except RuntimeError as error:
            raise RuntimeError(f"{self._layer()}: {error}") from None

    def _layer(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self) -> str:
        n = self._dims
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class Conv2d(_ConvNd):
    """2-D convolution: input (N, C_in, H, W) → (N, C_out, OH, OW), OH = floor((H + 2p - d(k-1) - 1)/s) + 1."""

    _convolve = staticmethod(autograd.conv2d)

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, dtype=dtype)


class Conv1d(_ConvNd):
    """1-D convolution: input (N, C_in, L) → (N, C_out, OL)."""

    _dims = 1
    _convolve = staticmethod(autograd.conv1d)

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, dtype=dtype)


class _ConvTransposeNd(_ConvNd):
    """Transposed convolution; ``forward`` also takes PyTorch's ``output_size`` (it picks output_padding)."""

    transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        if isinstance(padding, str):
            raise ValueError(f"{type(self).__name__}: padding must be an int or a tuple, not a string")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, output_padding, dtype=dtype)

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        self._check_input(input)
        output_padding = self.output_padding
        if output_size is not None:
            # Choose the output padding that gives the requested size, as PyTorch does.
            n = self._dims
            smallest = tuple((size - 1) * s - 2 * p + d * (k - 1) + 1 for size, s, p, d, k in zip(
                input.shape[-n:], self.stride, self.padding, self.dilation, self.kernel_size))
            want = tuple(int(v) for v in tuple(output_size)[-n:])
            # output_padding must stay below the stride or the dilation
            largest = tuple(low + max(s, d) - 1 for low, s, d in zip(smallest, self.stride, self.dilation))
            if len(want) != n or any(not low <= w <= high for w, low, high in zip(want, smallest, largest)):
                raise ValueError(f"{self._layer()}: requested an output size of {tuple(output_size)}, but valid "
                                 f"sizes range from {list(smallest)} to {list(largest)} (for an input of "
                                 f"{tuple(input.shape[-n:])})")
            output_padding = tuple(w - low for w, low in zip(want, smallest))
        try:
            return self._convolve(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                  self.groups, self.dilation)
        except RuntimeError as error:
            raise RuntimeError(f"{self._layer()}: {error}") from None


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-D convolution: input (N, C_in, H, W) → (N, C_out, (H-1)s - 2p + d(k-1) + output_padding + 1,
    ...); weight (C_in, C_out // groups, KH, KW)."""

    _convolve = staticmethod(autograd.conv_transpose2d)


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-D convolution: input (N, C_in, L) → (N, C_out, (L-1)s - 2p + d(k-1) + output_padding + 1);
    weight (C_in, C_out // groups, K)."""

    _dims = 1
    _convolve = staticmethod(autograd.conv_transpose1d)
