"""2-D convolution kernels (cross-correlation, as in PyTorch) and their numpy references.

Conventions shared by every function here
-----------------------------------------
- Layout: ``x`` is (N, C, H, W); ``weight`` is (O, C // groups, KH, KW); the output is (N, O, OH, OW).
  No bias: the caller adds it.
- ``stride``, ``padding`` and ``dilation`` are tuples of two ints ``(along H, along W)``; padding is
  symmetric (``padding[0]`` zero rows above *and* below). ``groups`` is an int dividing C and O.
- Arrays share one floating dtype (float32 or float64). Inputs may be any layout (they are made
  C-contiguous, a no-op when they already are); the caller allocates the output C-contiguous, and kernels
  overwrite it completely and return ``None``.
- OH and OW are read from the shape of ``out``/``grad_out``; H and W from ``x``/``grad_x``. So
  ``conv2d_backward_input`` also serves as transposed convolution, including ``output_padding``: rows and
  columns of ``grad_x`` that no output position reaches are zero.

Algorithm
---------
Four algorithms; :mod:`autograd.kernels.algorithm` picks one per pass, with the measurements behind its rules:
direct convolution on phase planes (:mod:`autograd.kernels.direct`), the batch-last layout
(:mod:`autograd.kernels.batch_last`), channels-last unfold + GEMM (:mod:`autograd.kernels.channels_last`),
and otherwise unfold + GEMM, described below.

unfold + GEMM works in chunks of NB images so the unfolded matrix ``cols`` stays near ``_workspace.COLS_BYTES`` (it is
reused across chunks and stays in the last-level cache). ``cols`` is (C * KH * KW, NB * S): row
``(c * KH + kh) * KW + kw`` holds what kernel tap (kh, kw) of channel c sees, S columns per image. Rows and
output channels of group g are contiguous blocks, so each group is one GEMM:

- forward:          out_g (O/g, NB*S)  = W_g (O/g, C/g*KH*KW) @ cols_g, then copied into NCHW ``out``
- backward input:   dcols_g            = W_g.T @ grad_out_g, then fold scatter-adds dcols into grad_x
- backward weight:  grad_W_g          += grad_out_g @ cols_g.T

With stride (1, 1) the columns use the padded grid layout of :mod:`autograd.kernels._unfold` (S = OH * Wp:
each image's row of ``cols`` is one contiguous copy of a zero-padded plane, plus a few discarded columns);
otherwise the strided layout (S = OH * OW). Non-finite inputs in the grid layout (both algorithms) can turn
weight gradients of taps that never see them into NaN (a discarded column times a zero gradient).

Parallel strategy: direct loops as in :mod:`autograd.kernels.direct`; the GEMMs run in numpy's BLAS (its
own threads); unfold, fold and the copies between NCHW and the GEMM layout are numba loops, ``prange`` over
disjoint outputs (rows of ``cols``, or (image, channel) planes). See :mod:`autograd.kernels._jit` for how
the two thread pools are kept from fighting. Intermediate arrays (padded planes, ``cols``, GEMM results) come from
:func:`~autograd.kernels._workspace.scratch`, which reuses them from call to call.
"""

from collections.abc import Iterator

import numpy as np

from ._planes import from_planes, to_planes
from ._unfold import (
    fold_grid,
    fold_padded,
    grid_plane,
    grid_view,
    unfold_grid,
    unfold_padded,
)
from ._workspace import image_chunk_size, scratch
from .algorithm import choose
from .batch_last import batch_backward_input, batch_backward_weight, batch_forward
from .channels_last import channels_last_backward_input, channels_last_backward_weight, channels_last_forward
from .direct import (
    direct_backward_input,
    direct_backward_weight,
    direct_forward,
)

__all__ = [
    "conv2d_backward_input",
    "conv2d_backward_input_ref",
    "conv2d_backward_weight",
    "conv2d_backward_weight_ref",
    "conv2d_forward",
    "conv2d_forward_ref",
    "conv_output_size",
]

Pair = tuple[int, int]

# the channels-last forward and weight passes are called by name: they hand over the kept unfolded input
_PASSES = {
    "channels_last": {"input": channels_last_backward_input},
    "direct": {"forward": direct_forward, "input": direct_backward_input, "weight": direct_backward_weight},
    "batch": {"forward": batch_forward, "input": batch_backward_input, "weight": batch_backward_weight},
}


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """Output length along one axis: ``floor((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1``."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


# ---------------------------------------------------------------------------------------------------------
# numpy references: one numpy slice per kernel tap (kh, kw), written for clarity
# ---------------------------------------------------------------------------------------------------------


def _group_taps(w_shape: tuple, groups: int, out_hw: tuple, stride: Pair, dilation: Pair) -> Iterator[tuple]:
    """Yield ``(o, c, kh, kw, rows, cols)`` for every group and kernel tap: the group's output and input
    channel slices, the tap, and the slices of the padded input it sees at all OH x OW output positions."""
    O, Cg, KH, KW = w_shape
    (OH, OW), Og = out_hw, O // groups
    for g in range(groups):
        for kh in range(KH):
            for kw in range(KW):
                h0, w0 = kh * dilation[0], kw * dilation[1]
                rows = slice(h0, h0 + stride[0] * (OH - 1) + 1, stride[0])
                cols = slice(w0, w0 + stride[1] * (OW - 1) + 1, stride[1])
                yield slice(g * Og, (g + 1) * Og), slice(g * Cg, (g + 1) * Cg), kh, kw, rows, cols


def conv2d_forward_ref(
    x: np.ndarray,
    weight: np.ndarray,
    out: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    keep_unfolded: bool = False,
) -> None:
    """Reference for :func:`conv2d_forward`: ``out[n, o] = sum_{c, kh, kw} W[o, c, kh, kw] * x_pad[n, c, ...]``.
    It unfolds nothing, so there is nothing to keep: returns None whatever ``keep_unfolded`` says."""
    (ph, pw) = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out[...] = 0
    for o, c, kh, kw, rows, cols in _group_taps(weight.shape, groups, out.shape[2:], stride, dilation):
        out[:, o] += np.einsum("nchw,oc->nohw", x_pad[:, c, rows, cols], weight[o, :, kh, kw])


def conv2d_backward_input_ref(
    grad_out: np.ndarray,
    weight: np.ndarray,
    grad_x: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
) -> None:
    """Reference for :func:`conv2d_backward_input`: each tap scatter-adds ``W[:, :, kh, kw].T @ grad_out``."""
    N, C, H, W = grad_x.shape
    (ph, pw) = padding
    g_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=grad_x.dtype)
    for o, c, kh, kw, rows, cols in _group_taps(weight.shape, groups, grad_out.shape[2:], stride, dilation):
        g_pad[:, c, rows, cols] += np.einsum("nohw,oc->nchw", grad_out[:, o], weight[o, :, kh, kw])
    grad_x[...] = g_pad[:, :, ph : ph + H, pw : pw + W]


def conv2d_backward_weight_ref(
    x: np.ndarray,
    grad_out: np.ndarray,
    grad_w: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    unfolded: np.ndarray | None = None,
) -> None:
    """Reference for :func:`conv2d_backward_weight`: ``grad_w[o, c, kh, kw] = <grad_out[:, o], tap of x[:, c]>``
    (``unfolded`` is ignored: the reference reads x)."""
    (ph, pw) = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for o, c, kh, kw, rows, cols in _group_taps(grad_w.shape, groups, grad_out.shape[2:], stride, dilation):
        grad_w[o, :, kh, kw] = np.einsum("nohw,nchw->oc", grad_out[:, o], x_pad[:, c, rows, cols])


# ---------------------------------------------------------------------------------------------------------
# fast kernels: unfold + GEMM
# ---------------------------------------------------------------------------------------------------------


class _Columns:
    """Geometry of one call's unfolded matrix: grid layout for stride (1, 1), strided layout otherwise."""

    def __init__(self, x_shape: tuple, w_shape: tuple, out_hw: tuple, stride: Pair, padding: Pair, dilation: Pair):
        self.N, self.C, self.H, self.W = x_shape
        self.O, _, self.KH, self.KW = w_shape
        self.OH, self.OW = out_hw
        self.stride, (self.ph, self.pw), (self.dh, self.dw) = stride, padding, dilation
        self.grid = tuple(stride) == (1, 1)
        self.Hp, self.Wp = self.H + 2 * self.ph, self.W + 2 * self.pw
        self.plane = grid_plane(self.Hp, self.Wp, self.KW, self.dw)
        self.width = self.Wp if self.grid else self.OW  # columns per output row
        self.S = self.OH * self.width  # columns per image
        self.rows = self.C * self.KH * self.KW
        reach_h = (self.OH - 1) * self.stride[0] + (self.KH - 1) * self.dh + 1
        reach_w = (self.OW - 1) * self.stride[1] + (self.KW - 1) * self.dw + 1
        if reach_h > self.Hp or reach_w > self.Wp:  # the kernels would read past the padded planes
            raise ValueError(
                f"conv2d: output {self.OH}x{self.OW} needs a padded input of at least {reach_h}x{reach_w}, "
                f"got {self.Hp}x{self.Wp} (input {self.H}x{self.W}, padding {self.ph},{self.pw})"
            )

    def chunks(self, dtype: np.dtype) -> Iterator[tuple[int, int, np.ndarray]]:
        """Yield ``(n0, nb, cols)`` per chunk of nb images; ``cols`` (rows, nb*S) reuses one buffer."""
        NB = image_chunk_size(self.N, self.rows * self.S * np.dtype(dtype).itemsize)
        buffer = scratch("conv.cols", self.rows * NB * self.S, dtype)
        for n0 in range(0, self.N, NB):
            nb = min(NB, self.N - n0)
            yield n0, nb, buffer[: self.rows * nb * self.S].reshape(self.rows, nb * self.S)

    def source(self, x: np.ndarray) -> np.ndarray:
        """What :meth:`unfold` reads: x copied into zero-padded planes."""
        buffer = scratch("conv.source", self.N * self.C * self.plane, x.dtype)
        to_planes(x, buffer, False, 0, self.plane, self.ph, self.pw, 1, 1, self.Hp, self.Wp)
        return buffer

    def unfold(self, source: np.ndarray, cols: np.ndarray, n0: int) -> None:
        if self.grid:
            unfold_grid(source, cols, n0, *self._geometry()[:7], self.S)
        else:
            unfold_padded(source, cols, n0, *self._geometry())

    def fold(self, cols: np.ndarray, target: np.ndarray, n0: int) -> None:
        """Scatter-add ``cols`` into the padded planes ``target`` (see :meth:`crop`)."""
        if self.grid:
            fold_grid(cols, target, n0, *self._geometry()[:7], self.S)
        else:
            fold_padded(cols, target, n0, *self._geometry())

    def crop(self, target: np.ndarray, grad_x: np.ndarray) -> None:
        """Copy the inside of the padded planes ``target`` into grad_x."""
        padded = grid_view(target, self.N, self.C, self.Hp, self.Wp, self.plane)
        grad_x[...] = padded[:, :, self.ph : self.ph + self.H, self.pw : self.pw + self.W]

    def _geometry(self) -> tuple:
        return (self.C, self.plane, self.Wp, self.KH, self.KW, self.dh, self.dw, *self.stride, self.OH, self.OW)

    def gather(self, grad_out: np.ndarray, n0: int, nb: int) -> np.ndarray:
        """grad_out of images ``n0 .. n0+nb`` as an (O, nb*S) matrix; garbage grid columns are zero."""
        matrix = scratch("conv.grad_out", (self.O, nb * self.S), grad_out.dtype)
        to_planes(grad_out[n0 : n0 + nb], matrix.reshape(-1), True, 0, self.S, 0, 0, 1, 1, self.OH, self.width)
        return matrix

    def scatter(self, result: np.ndarray, out: np.ndarray, n0: int, nb: int) -> None:
        """Copy an (O, nb*S) GEMM result into ``out[n0 : n0+nb]``, dropping garbage grid columns."""
        from_planes(result.reshape(-1), out[n0 : n0 + nb], self.O, self.S, 0, 0, 1, 1, self.width)


def conv2d_forward(
    x: np.ndarray,
    weight: np.ndarray,
    out: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    keep_unfolded: bool = False,
) -> np.ndarray | None:
    """Convolution forward pass, written into ``out``.

    Parameters
    ----------
    x : (N, C, H, W) input.
    weight : (O, C // groups, KH, KW) filters (cross-correlation: not flipped).
    out : (N, O, OH, OW) output, overwritten; OH and OW must follow :func:`conv_output_size`.
    stride, padding, dilation : ``(along H, along W)``.
    groups : number of channel groups.
    keep_unfolded : keep the unfolded input for :func:`conv2d_backward_weight`, if the pass builds one it
        can reuse (the channels-last pass, with the whole batch in one chunk).

    Returns
    -------
    The kept unfolded input (pass it as ``unfolded`` to the weight gradient of the same x), or None.

    Per chunk of images: unfold (numba, parallel over rows of cols), one GEMM per group (BLAS), then a
    transposing copy into ``out``.
    """
    x, weight = np.ascontiguousarray(x), np.ascontiguousarray(weight)
    layout = _Columns(x.shape, weight.shape, out.shape[2:], stride, padding, dilation)
    algorithm = choose("forward", stride, groups, layout)
    if algorithm == "channels_last":
        return channels_last_forward(x, weight, out, stride, padding, dilation, keep_unfolded)
    if algorithm != "gemm":
        _PASSES[algorithm]["forward"](x, weight, out, stride, padding, dilation)
        return None
    O, K = weight.shape[0], weight[0].size
    Og = O // groups
    w2 = weight.reshape(groups, Og, K)
    source = layout.source(x)
    for n0, nb, cols in layout.chunks(x.dtype):
        res = scratch("conv.result", (O, nb * layout.S), x.dtype)
        layout.unfold(source, cols, n0)
        for g in range(groups):
            np.matmul(w2[g], cols[g * K : (g + 1) * K], out=res[g * Og : (g + 1) * Og])
        layout.scatter(res, out, n0, nb)
    return None


def conv2d_backward_input(
    grad_out: np.ndarray,
    weight: np.ndarray,
    grad_x: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
) -> None:
    """Gradient of the convolution with respect to its input (= transposed convolution), into ``grad_x``.

    Parameters
    ----------
    grad_out : (N, O, OH, OW) gradient of the output.
    weight : (O, C // groups, KH, KW) filters.
    grad_x : (N, C, H, W) result, overwritten. H and W may exceed what the forward pass needs
        (transposed convolution's ``output_padding``); unreached positions get zero.
    stride, padding, dilation, groups : as in :func:`conv2d_forward`.

    Per chunk of images: one GEMM per group ``W_g.T @ grad_out_g`` (BLAS), then fold scatter-adds the
    columns into grad_x (numba, parallel over (image, channel) planes).
    """
    grad_out, weight = np.ascontiguousarray(grad_out), np.ascontiguousarray(weight)
    layout = _Columns(grad_x.shape, weight.shape, grad_out.shape[2:], stride, padding, dilation)
    algorithm = choose("input", stride, groups, layout)
    if algorithm != "gemm":
        _PASSES[algorithm]["input"](grad_out, weight, grad_x, stride, padding, dilation)
        return
    O, K = weight.shape[0], weight[0].size
    Og = O // groups
    w2 = weight.reshape(groups, Og, K)
    target = scratch("conv.target", layout.N * layout.C * layout.plane, grad_x.dtype)
    for n0, nb, cols in layout.chunks(grad_x.dtype):
        go = layout.gather(grad_out, n0, nb)
        for g in range(groups):
            np.matmul(w2[g].T, go[g * Og : (g + 1) * Og], out=cols[g * K : (g + 1) * K])
        layout.fold(cols, target, n0)
    layout.crop(target, grad_x)


def conv2d_backward_weight(
    x: np.ndarray,
    grad_out: np.ndarray,
    grad_w: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    unfolded: np.ndarray | None = None,
) -> None:
    """Gradient of the convolution with respect to its weight, into ``grad_w``.

    Parameters
    ----------
    x : (N, C, H, W) forward input.
    grad_out : (N, O, OH, OW) gradient of the output.
    grad_w : (O, C // groups, KH, KW) result, overwritten.
    stride, padding, dilation, groups : as in :func:`conv2d_forward`.
    unfolded : what :func:`conv2d_forward` returned for this same x (unchanged since), or None; it saves
        unfolding x again. It is used only by the pass that built it.

    Per chunk of images: unfold x (numba, parallel over rows), then per group accumulate
    ``grad_out_g @ cols_g.T`` (BLAS).
    """
    x, grad_out = np.ascontiguousarray(x), np.ascontiguousarray(grad_out)
    layout = _Columns(x.shape, grad_w.shape, grad_out.shape[2:], stride, padding, dilation)
    algorithm = choose("weight", stride, groups, layout)
    if algorithm == "channels_last":
        channels_last_backward_weight(x, grad_out, grad_w, stride, padding, dilation, unfolded)
        return
    if algorithm != "gemm":
        _PASSES[algorithm]["weight"](x, grad_out, grad_w, stride, padding, dilation)
        return
    O, K = grad_w.shape[0], grad_w[0].size
    Og = O // groups
    source = layout.source(x)
    total = np.zeros((groups, Og, K), dtype=grad_w.dtype)
    for n0, nb, cols in layout.chunks(x.dtype):
        layout.unfold(source, cols, n0)
        go = layout.gather(grad_out, n0, nb)
        for g in range(groups):
            total[g] += go[g * Og : (g + 1) * Og] @ cols[g * K : (g + 1) * K].T
    grad_w[...] = total.reshape(grad_w.shape)
