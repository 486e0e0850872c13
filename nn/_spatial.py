"""Spatial rearrangements of ``nn.functional``: ``pixel_shuffle`` and ``pixel_unshuffle`` (reshape and
permute, so the gradient is the inverse rearrangement), and ``adaptive_avg_pool1d`` and ``adaptive_max_pool1d``
(the 2-D ops on a height-1 view)."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor

__all__ = ["pixel_shuffle", "pixel_unshuffle", "adaptive_avg_pool1d", "adaptive_max_pool1d"]


def _check_factor(name: str, argument: str, factor: Any, input: Tensor) -> None:
    if not isinstance(factor, int) or isinstance(factor, bool):
        raise TypeError(f"{name}: {argument} must be an int, got {type(factor).__name__}")
    if factor <= 0:
        raise RuntimeError(f"{name}: expected a positive {argument}, but got {factor}")
    if input.ndim < 3:
        raise RuntimeError(f"{name}: expected an input of shape (*, C, H, W) with at least 3 dimensions, got shape "
                           f"{list(input.shape)}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Move channels into space: out[..., c, h * r + i, w * r + j] = in[..., c * r * r + i * r + j, h, w].

    Shapes: (*, C * r**2, H, W) → (*, C, H * r, W * r), r = ``upscale_factor`` (sub-pixel convolution).
    """
    _check_factor("pixel_shuffle", "upscale_factor", upscale_factor, input)
    r = upscale_factor
    *batch, channels, height, width = input.shape
    if channels % (r * r):
        raise RuntimeError(f"pixel_shuffle: expected the channel dim (-3) of the input of shape {list(input.shape)} "
                           f"to be divisible by upscale_factor**2 = {r * r}, but {channels} is not")
    lead = len(batch)
    split = input.reshape(*batch, channels // (r * r), r, r, height, width)
    moved = split.permute(*range(lead), lead, lead + 3, lead + 1, lead + 4, lead + 2)
    return moved.reshape(*batch, channels // (r * r), height * r, width * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Move space into channels, the inverse of ``pixel_shuffle``.

    Shapes: (*, C, H * r, W * r) → (*, C * r**2, H, W), r = ``downscale_factor``.
    """
    _check_factor("pixel_unshuffle", "downscale_factor", downscale_factor, input)
    r = downscale_factor
    *batch, channels, height, width = input.shape
    for dim, label, size in ((-2, "height", height), (-1, "width", width)):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle: expected the {label} (dim {dim}) of the input of shape "
                               f"{list(input.shape)} to be divisible by downscale_factor={r}, but {size} is not")
    lead = len(batch)
    split = input.reshape(*batch, channels, height // r, r, width // r, r)
    moved = split.permute(*range(lead), lead, lead + 2, lead + 4, lead + 1, lead + 3)
    return moved.reshape(*batch, channels * r * r, height // r, width // r)


def _pool1d_length(name: str, input: Tensor, output_size: int | tuple[int]) -> int:
    """The output length of a 1-D adaptive pooling of (N, C, L) or (C, L) ``input``, after checking both."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"{name}: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape {list(input.shape)}")
    size = output_size
    if isinstance(size, (tuple, list)):
        if len(size) != 1:
            raise RuntimeError(f"{name}: output_size should contain one int, got {tuple(size)}")
        (size,) = size
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError(f"{name}: output_size must be an int or a tuple of one int, got {output_size!r}")
    if size < 0:
        raise RuntimeError(f"{name}: output_size must be >= 0, got {size}")
    if input.shape[-1] == 0:
        raise RuntimeError(f"{name}: expected a non-empty length L (the last dim), got input of shape "
                           f"{list(input.shape)}")
    return size


def adaptive_avg_pool1d(input: Tensor, output_size: int | tuple[int]) -> Tensor:
    """Average pooling of (N, C, L) or (C, L) to length ``output_size``, over PyTorch's adaptive windows
    [floor(i * L / out), ceil((i + 1) * L / out)).

    Shapes: (N, C, L) → (N, C, output_size), (C, L) → (C, output_size).
    """
    size = _pool1d_length("adaptive_avg_pool1d", input, output_size)
    if size == 0:  # an empty result, as PyTorch's; the 2-D op wants positive sizes
        return autograd.narrow(input, input.ndim - 1, 0, 0)
    return autograd.adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size: int | tuple[int],
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Max pooling of (N, C, L) or (C, L) to length ``output_size`` over PyTorch's adaptive windows
    [floor(i * L / out), ceil((i + 1) * L / out)); with ``return_indices`` also the int64 positions of the maxima
    along L. The gradient goes to the maximum of each window.

    Shapes: (N, C, L) → (N, C, output_size), (C, L) → (C, output_size); indices the same.
    """
    size = _pool1d_length("adaptive_max_pool1d", input, output_size)
    if size == 0:  # an empty result, as PyTorch's; the 2-D op wants positive sizes
        empty = autograd.narrow(input, input.ndim - 1, 0, 0)
        return (empty, autograd.zeros(*empty.shape, dtype=autograd.int64)) if return_indices else empty
    # on a height-1 view the 2-D op's flat positions in each 1 x L plane are the positions along L
    pooled = autograd.adaptive_max_pool2d(input.unsqueeze(-2), (1, size), return_indices)
    if return_indices:
        return pooled[0].squeeze(-2), pooled[1].squeeze(-2)
    return pooled.squeeze(-2)
