"""Sliding blocks: ``unfold`` (im2col) and ``fold`` (col2im), a closed pair of ops, each the other's adjoint and
so each the other's backward (second derivatives work through both).

Layout: images (N, C, H, W), columns (N, C * KH * KW, L) with row c * KH * KW + kh * KW + kw holding tap
(kh, kw) of channel c, and L = OH * OW blocks in row-major order, where along each spatial dim
O = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1 (PyTorch's ``im2col``/``col2im``).
Both are vectorised in numpy with one strided slice per kernel tap (KH * KW slices, each over every block).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._dims import pair_arg
from autograd.ops.registry import Sample, register_op

__all__ = ["fold", "unfold"]


class _Geometry:
    kernel = (1, 1)
    dilation = (1, 1)
    padding = (0, 0)
    stride = (1, 1)


def _blocks(size: tuple, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple) -> tuple[int, int]:
    """(OH, OW): how many blocks fit along each spatial dim (may be <= 0 when none does)."""
    return tuple((n + 2 * p - d * (k - 1) - 1) // s + 1
                 for n, k, d, p, s in zip(size, kernel, dilation, padding, stride))


def _tap_slices(ctx: Any, blocks: tuple[int, int]):
    """For each tap (kh, kw): its index pair and the strided slices of the padded image it reads in every block."""
    (KH, KW), (DH, DW), (SH, SW) = ctx.kernel, ctx.dilation, ctx.stride
    OH, OW = blocks
    for kh in range(KH):
        rows = slice(kh * DH, kh * DH + SH * (OH - 1) + 1, SH)
        for kw in range(KW):
            yield kh, kw, rows, slice(kw * DW, kw * DW + SW * (OW - 1) + 1, SW)


@register_op(
    "unfold",
    samples=[
        Sample((2, 2, 4, 4), kernel=(2, 2)),
        Sample((1, 2, 5, 6), kernel=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 1)),
        Sample((2, 1, 3, 3), kernel=(3, 3), padding=(1, 1), stride=(2, 2)),
    ],
)
class Unfold(_Geometry, Function):
    """im2col: y[n, c * KH * KW + kh * KW + kw, i * OW + j] = x_padded[n, c, i * SH + kh * DH, j * SW + kw * DW]
    (zero padding); dy/dx = ``fold`` of the upstream gradient (each tap's gradient added back where it was read).

    Shapes: (N, C, H, W) → (N, C * KH * KW, OH * OW).
    """

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        N, C, H, W = x.shape
        (KH, KW), (PH, PW) = ctx.kernel, ctx.padding
        blocks = _blocks((H, W), ctx.kernel, ctx.dilation, ctx.padding, ctx.stride)
        padded = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW))) if PH or PW else x
        cols = np.empty((N, C, KH, KW, *blocks), dtype=x.dtype)
        for kh, kw, rows, columns in _tap_slices(ctx, blocks):
            cols[:, :, kh, kw] = padded[:, :, rows, columns]
        return cols.reshape(N, C * KH * KW, blocks[0] * blocks[1])

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return Fold.apply(grad, size=tuple(shape[2:]), kernel=ctx.kernel, dilation=ctx.dilation,
                          padding=ctx.padding, stride=ctx.stride)


@register_op(
    "fold",
    samples=[
        Sample((2, 8, 9), size=(4, 4), kernel=(2, 2)),
        Sample((1, 12, 24), size=(5, 6), kernel=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 1)),
        Sample((2, 9, 4), size=(3, 3), kernel=(3, 3), padding=(1, 1), stride=(2, 2)),
    ],
)
class Fold(_Geometry, Function):
    """col2im: y (N, C, *size) = zeros with each g[n, c * KH * KW + kh * KW + kw, i * OW + j] added at
    (i * SH + kh * DH - PH, j * SW + kw * DW - PW) (values landing in the padding are dropped);
    dy/dg = ``unfold`` of the upstream gradient (the two are adjoint).

    Shapes: (N, C * KH * KW, OH * OW) → (N, C, *size).
    """

    size = (1, 1)

    @staticmethod
    def forward(ctx, g: np.ndarray) -> np.ndarray:
        N, rows_in, _ = g.shape
        (KH, KW), (PH, PW), (H, W) = ctx.kernel, ctx.padding, ctx.size
        blocks = _blocks((H, W), ctx.kernel, ctx.dilation, ctx.padding, ctx.stride)
        C = rows_in // (KH * KW)
        cols = g.reshape(N, C, KH, KW, *blocks)
        padded = np.zeros((N, C, H + 2 * PH, W + 2 * PW), dtype=g.dtype)
        for kh, kw, rows, columns in _tap_slices(ctx, blocks):
            padded[:, :, rows, columns] += cols[:, :, kh, kw]
        return padded[:, :, PH:PH + H, PW:PW + W]

    @staticmethod
    def backward(ctx, grad):
        return Unfold.apply(grad, kernel=ctx.kernel, dilation=ctx.dilation, padding=ctx.padding, stride=ctx.stride)


# -- functional forms ---------------------------------------------------------------------------------------


def _geometry(op: str, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> tuple:
    """The four pairs, checked as PyTorch's ``im2col``/``col2im`` check them (RuntimeError when out of range)."""
    return (_pair(op, "kernel_size", kernel_size, 1), _pair(op, "dilation", dilation, 1),
            _pair(op, "padding", padding, 0), _pair(op, "stride", stride, 1))


def _pair(op: str, name: str, value: Any, minimum: int) -> tuple[int, int]:
    if isinstance(value, (tuple, list)) and len(value) != 2:
        raise RuntimeError(f"{op}: expected {name} to be an int or a pair of ints, got {len(value)} values "
                           f"{tuple(value)}")
    return pair_arg(op, name, value, minimum)


def _check_float(op: str, input: Any) -> None:
    if input.dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for {input.dtype} input (floating point only)")


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Any:
    """Extract sliding local blocks (im2col, ``torch.nn.functional.unfold``).

    Parameters
    ----------
    input : Tensor
        (N, C, H, W), or (C, H, W) unbatched, floating point.
    kernel_size, dilation, padding, stride : int or pair of ints
        Block size, spacing of a block's taps, zero padding on both sides, step between blocks.

    Returns
    -------
    Tensor
        (N, C * KH * KW, L) (or (C * KH * KW, L)), L = OH * OW: column l holds block l's taps, channel-major.
    """
    kernel, dilation, padding, stride = _geometry("unfold", kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4) or 0 in input.shape[input.ndim - 3:]:
        raise RuntimeError(f"unfold: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input with non-zero C, H and W "
                           f"(N may be 0), got shape {list(input.shape)}")
    _check_float("unfold", input)
    blocks = _blocks(tuple(input.shape[-2:]), kernel, dilation, padding, stride)
    if min(blocks) < 1:
        raise RuntimeError(f"unfold: given input with spatial size {tuple(input.shape[-2:])}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, the calculated shape of the array of sliding "
                           f"blocks is {blocks}, but its components must be at least one")
    unbatched = input.ndim == 3
    x = input.reshape(1, *input.shape) if unbatched else input
    out = Unfold.apply(x, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    return out.reshape(out.shape[1:]) if unbatched else out


def fold(input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Any:
    """Combine sliding local blocks into an image, summing overlaps (col2im, ``torch.nn.functional.fold``); the
    adjoint of ``unfold``, so ``fold(unfold(x))`` is x times how many blocks cover each pixel.

    Parameters
    ----------
    input : Tensor
        (N, C * KH * KW, L), or (C * KH * KW, L) unbatched, floating point, L = OH * OW.
    output_size : int or pair of ints
        (H, W) of the image.
    kernel_size, dilation, padding, stride : int or pair of ints
        As for ``unfold``.

    Returns
    -------
    Tensor
        (N, C, H, W) (or (C, H, W)).
    """
    kernel, dilation, padding, stride = _geometry("fold", kernel_size, dilation, padding, stride)
    size = _pair("fold", "output_size", output_size, 1)
    if input.ndim not in (2, 3) or 0 in input.shape[input.ndim - 2:]:
        raise RuntimeError(f"fold: expected a 2-D (C * KH * KW, L) or 3-D (N, C * KH * KW, L) input with non-zero "
                           f"C * KH * KW and L (N may be 0), got shape {list(input.shape)}")
    _check_float("fold", input)
    rows, length = input.shape[-2:]
    if rows % (kernel[0] * kernel[1]):
        raise RuntimeError(f"fold: expected the size of the input's dim -2 to be divisible by the product of "
                           f"kernel_size={kernel}, but got {rows} (input of shape {list(input.shape)})")
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if min(blocks) < 1 or blocks[0] * blocks[1] != length:
        raise RuntimeError(f"fold: given output_size={size}, kernel_size={kernel}, dilation={dilation}, "
                           f"padding={padding}, stride={stride}, expected the size of the input's last dim to match "
                           f"the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{max(blocks[0], 0) * max(blocks[1], 0)}, but got {length} (input of shape "
                           f"{list(input.shape)})")
    unbatched = input.ndim == 2
    g = input.reshape(1, *input.shape) if unbatched else input
    out = Fold.apply(g, size=size, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    return out.reshape(out.shape[1:]) if unbatched else out
