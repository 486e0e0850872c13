"""Pooling functions of ``nn.functional`` composed of autograd's pooling ops: ``lp_pool1d``/``lp_pool2d`` (power
averages), ``max_unpool1d`` (the 2-D unpooling on a width-1 view), ``channel_shuffle``, and the
``*_with_indices`` forms of max pooling (which always return the indices)."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor
from nn._spatial import adaptive_max_pool1d

__all__ = [
    "lp_pool1d", "lp_pool2d", "max_unpool1d", "channel_shuffle", "native_channel_shuffle",
    "max_pool1d_with_indices", "max_pool2d_with_indices", "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
]


def _lp_pool(pool: Any, max_pool: Any, area: int, input: Tensor, norm_type: float, kernel_size: Any, stride: Any,
             ceil_mode: bool) -> Tensor:
    """PyTorch's formula: (sign(a) * relu(|a|) * area) ** (1 / p) with a = avg_pool(x ** p); p = +-inf is the
    max (min) of |x| over each window."""
    if norm_type == float("inf"):
        return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -float("inf"):
        return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = pool(input ** norm_type, kernel_size, stride, 0, ceil_mode)
    return (autograd.sign(out) * autograd.relu(out.abs()) * area) ** (1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: int | float, kernel_size: int, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling of (N, C, L) or (C, L): (sum of x**p over each window) ** (1 / p), computed as
    PyTorch does, (sign(a) * relu(|a|) * k) ** (1 / p) with a = avg_pool1d(x**p). p = 1 is sum pooling,
    p = inf max pooling of |x|. The stride defaults to the kernel size; no padding.

    Shapes: (N, C, L) → (N, C, OL), (C, L) → (C, OL), OL = (L - k) // stride + 1 (rounded up with ceil_mode).
    """
    kernel = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return _lp_pool(autograd.avg_pool1d, autograd.max_pool1d, kernel, input, norm_type, kernel_size, stride,
                    ceil_mode)


def lp_pool2d(input: Tensor, norm_type: int | float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling of (N, C, H, W) or (C, H, W): (sum of x**p over each window) ** (1 / p), computed
    as PyTorch does, (sign(a) * relu(|a|) * KH * KW) ** (1 / p) with a = avg_pool2d(x**p). The stride defaults
    to the kernel size; no padding.

    Shapes: (N, C, H, W) → (N, C, OH, OW), (C, H, W) → (C, OH, OW).
    """
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return _lp_pool(autograd.avg_pool2d, autograd.max_pool2d, kh * kw, input, norm_type, kernel_size, stride,
                    ceil_mode)


def _single(name: str, value: Any) -> int:
    value = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_unpool1d: {name} must be an int or a tuple of one int, got {value!r}")
    return value


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """Inverse of ``max_pool1d(return_indices=True)``: each value of ``input`` written at its ``indices``
    position along L of a zero tensor (the 2-D unpooling on a width-1 view, as PyTorch does).

    Shapes: input and indices (N, C, L) or (C, L) → (N, C, OL) or (C, OL), where OL = ``output_size`` (its last
    entry) or (L - 1) * stride - 2 * padding + kernel_size.
    """
    kernel = _single("kernel_size", kernel_size)
    step = kernel if stride is None else _single("stride", stride)
    pad = _single("padding", padding)
    length = (input.shape[-1] - 1) * step + kernel - 2 * pad
    if output_size is not None:
        size = list(output_size)
        if len(size) == 3:
            size = size[2:]
        if len(size) != 1:
            raise ValueError(f"max_unpool1d: output_size should be a sequence containing 1 or 3 elements, but it "
                             f"has a length of {len(size)} ({tuple(output_size)})")
        if not length - step < size[0] < length + step:
            raise ValueError(f"max_unpool1d: invalid output_size {tuple(output_size)} for input of shape "
                             f"{list(input.shape)}: its length must be between {length - step} and "
                             f"{length + step} (exclusive)")
        length = size[0]
    if input.ndim not in (2, 3):
        raise RuntimeError(f"max_unpool1d: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape "
                           f"{list(input.shape)}")
    out = autograd.max_unpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), (kernel, 1), (step, 1), (pad, 0),
                                (length, 1))
    return out.squeeze(-1)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Interleave the channels of ``groups`` groups (ShuffleNet): output channel j * groups + g is input channel
    g * (C / groups) + j. A reshape and a transpose, so the gradient is the inverse shuffle.

    Shapes: (N, C, *) with at least 3 dims and C divisible by ``groups`` → the same shape.
    """
    if input.ndim < 3:
        raise RuntimeError(f"channel_shuffle: expected an input with more than 2 dims (N, C, *), but got input of "
                           f"shape {list(input.shape)}")
    if not isinstance(groups, int) or isinstance(groups, bool):
        raise TypeError(f"channel_shuffle: groups must be an int, got {type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError(f"channel_shuffle: the number of groups must be positive, got groups={groups}")
    n, channels, *rest = input.shape
    if channels % groups:
        raise RuntimeError(f"channel_shuffle: the number of channels must be divisible by groups, got {channels} "
                           f"channels (input of shape {list(input.shape)}) and {groups} groups")
    split = input.reshape(n, groups, channels // groups, *rest)
    return split.transpose(1, 2).reshape(input.shape)


native_channel_shuffle = channel_shuffle


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` and the int64 positions of the maxima along L, whatever ``return_indices`` says."""
    return autograd.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` and the int64 flat positions of the maxima in each H * W plane, whatever
    ``return_indices`` says."""
    return autograd.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool1d`` and the positions of the maxima along L, whatever ``return_indices`` says."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` and the flat positions of the maxima in each H * W plane, whatever
    ``return_indices`` says."""
    return autograd.adaptive_max_pool2d(input, output_size, True)
