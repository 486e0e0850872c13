"""Convolution in the batch-last layout (C, H, W, N): every pass on whole rows of all images at once.

Why
---
The phase planes of :mod:`autograd.kernels.direct` run each image's output rows over the full padded width
Wq, in blocks of POSITION_BLOCK positions per image: on small maps much of that work is dropped. LeNet-5's
second convolution, (64, 6, 14, 14) with 16 5x5 filters, computes 160 positions for every 100 outputs in
the forward pass and 200 in the weight gradient. With the images innermost, output row ``oh`` of all N
images is one run of ``OW * N`` positions ``j = ow * N + n``, and kernel tap (c, kh, kw) reads that run at
one fixed offset (when the stride along W is 1): no column is computed only to be dropped, and only the
run's rounding up to POSITION_BLOCK is spare work.

Layout
------
A buffer holds one plane per channel, ``plane`` elements apart, each of ``rows`` rows of ``row_stride``
elements; a row holds ``width`` columns of N images, element ``w * N + n``, then spare elements.
:func:`to_batch_last` writes an (N, C, H, W) array into it, zero-padded; :func:`from_batch_last` reads one
back out.

Passes (stride (sh, 1), any dilation, one group; x padded to Hp x Wp, ``row = sh * Wp * N``)
------------------------------------------------------------------------------------------
- forward: :func:`~autograd.kernels.direct.correlate_taps` with the output rows as its images:
  ``out[o, oh, j] = sum_t W[o, t] * x[oh * row + offset[t] + j]``, with
  ``offset[(c, kh, kw)] = ((c * Hp + kh * dh) * Wp + kw * dw) * N``.
- weight gradient: :func:`~autograd.kernels.direct.correlate_taps_weight` over rows:
  ``grad_W[o, t] = sum_oh sum_j g[o, oh, j] * x[oh * row + offset[t] + j]``.
- input gradient: the columns ``W.T @ g`` in one BLAS GEMM ((C * KH * KW, O) @ (O, OH * OW * N)), then
  :func:`fold_batch_last` adds each tap's row runs into padded planes at that tap's offset.

The transposing copies into and out of this order cost more than the saved positions on large maps:
:mod:`autograd.kernels.conv` (Algorithm) says when each layout is used, with the measurements.

Parallel strategy: the copies run ``prange`` over (channel, block of ROW_BLOCK rows) and the fold over
channels, each iteration writing its own memory; the correlations as in
:mod:`autograd.kernels.direct`; the GEMM in numpy's BLAS.
"""

import numpy as np

from ._jit import U, parallel_jit, prange
from .direct import POSITION_BLOCK, _round_up, block_weights, correlate_taps, correlate_taps_weight

__all__ = [
    "batch_backward_input",
    "batch_backward_weight",
    "batch_forward",
    "fold_batch_last",
    "fold_batch_last_ref",
    "from_batch_last",
    "from_batch_last_ref",
    "to_batch_last",
    "to_batch_last_ref",
]

Pair = tuple[int, int]

ROW_BLOCK = 8
"""Rows per step of the copies between (N, C, H, W) and batch-last planes. A step walks image by image
through ROW_BLOCK rows of one channel, so each image's side of the copy is one contiguous run; a row at a
time read N runs a plane apart, whose cache sets collide, and ran 2-4x slower on (32, 32, 32, 32)."""

CACHE_SKEW = 16
"""Elements between consecutive planes read side by side (the input's and the weight gradient's): planes a
multiple of 4 KiB long would map the same positions of every plane to one cache set, and the weight
gradient ran 2.6x slower on (32, 3, 32, 32) without it."""


def to_batch_last_ref(
    src: np.ndarray, buffer: np.ndarray, plane: int, rows: int, width: int, ph: int, pw: int
) -> None:
    """Reference for :func:`to_batch_last`: transpose and pad with numpy."""
    N, C, H, W = src.shape
    padded = np.zeros((C, max(rows, H + ph), max(width, W + pw), N), dtype=src.dtype)
    padded[:, ph : ph + H, pw : pw + W] = src.transpose(1, 2, 3, 0)
    planes = buffer[: C * plane].reshape(C, plane)
    planes[:, rows * width * N :] = 0
    planes[:, : rows * width * N] = padded[:, :rows, :width].reshape(C, -1)


@parallel_jit
def to_batch_last(src, buffer, plane, rows, width, ph, pw):
    """Write src (N, C, H, W) into the first ``C * plane`` elements of ``buffer``: element
    ``c * plane + (i * width + j) * N + n`` is ``src[n, c, i - ph, j - pw]``, zero outside src and in the
    ``plane - rows * width * N`` elements at the end of each plane."""
    N, C, H, W = src.shape
    sf = src.reshape(-1)
    line = width * N
    lo, hi = min(pw, width), min(pw + W, width)  # the columns that hold src
    blocks = -(-rows // ROW_BLOCK)
    for q in prange(C * blocks):
        c, i0 = q // blocks, q % blocks * ROW_BLOCK
        i1 = min(i0 + ROW_BLOCK, rows)
        for i in range(i0, i1):
            base = U(c * plane + i * line)
            inside = 0 <= i - ph < H
            for k in range(U(lo * N if inside else line)):
                buffer[base + k] = 0
            for k in range(U(hi * N if inside else line), U(line)):
                buffer[base + k] = 0
        if i1 == rows:
            for k in range(U(c * plane + rows * line), U((c + 1) * plane)):
                buffer[k] = 0
        for n in range(N):
            for h in range(max(i0 - ph, 0), min(i1 - ph, H)):
                first = U(((n * C + c) * H + h) * W)
                dst = U(c * plane + (h + ph) * line + lo * N + n)
                for w in range(U(hi - lo)):
                    buffer[dst + w * U(N)] = sf[first + w]


def from_batch_last_ref(buffer: np.ndarray, out: np.ndarray, rows: int, row_stride: int, ph: int, pw: int) -> None:
    """Reference for :func:`from_batch_last`: crop and transpose with numpy."""
    N, C, H, W = out.shape
    planes = buffer[: C * rows * row_stride].reshape(C, rows, row_stride)
    out[...] = planes[:, ph : ph + H, pw * N : (pw + W) * N].reshape(C, H, W, N).transpose(3, 0, 1, 2)


@parallel_jit
def from_batch_last(buffer, out, rows, row_stride, ph, pw):
    """Read out (N, C, H, W) from batch-last planes: ``out[n, c, h, w]`` is element
    ``(c * rows + h + ph) * row_stride + (w + pw) * N + n`` of ``buffer``."""
    N, C, H, W = out.shape
    of = out.reshape(-1)
    blocks = -(-H // ROW_BLOCK)
    for q in prange(C * blocks):
        c, h0 = q // blocks, q % blocks * ROW_BLOCK
        for n in range(N):
            for h in range(h0, min(h0 + ROW_BLOCK, H)):
                row = U((c * rows + h + ph) * row_stride + pw * N + n)
                dst = U(((n * C + c) * H + h) * W)
                for w in range(U(W)):
                    of[dst + w] = buffer[row + w * U(N)]


def fold_batch_last_ref(cols: np.ndarray, target: np.ndarray, KH: int, KW: int, sh: int, dh: int, dw: int) -> None:
    """Reference for :func:`fold_batch_last`: one strided numpy slice per tap."""
    C, _, _, N = target.shape
    taps, OH, run = cols.shape
    OW = run // N
    for r in range(taps):
        c, kh, kw = r // (KH * KW), r // KW % KH, r % KW
        rows = slice(kh * dh, kh * dh + sh * (OH - 1) + 1, sh)
        target[c, rows, kw * dw : kw * dw + OW] += cols[r].reshape(OH, OW, N)


@parallel_jit
def fold_batch_last(cols, target, KH, KW, sh, dh, dw):
    """Add the columns of the input gradient into padded planes: target (C, Hp, Wp, N) gets, for each tap
    (c, kh, kw) = row r of cols (C * KH * KW, OH, OW * N) and output row oh, the run ``cols[r, oh]`` added
    at row ``oh * sh + kh * dh``, column ``kw * dw``."""
    C, Hp, Wp, N = target.shape
    _, OH, run = cols.shape
    tf, cf = target.reshape(-1), cols.reshape(-1)
    for c in prange(C):
        for kh in range(KH):
            for kw in range(KW):
                r = (c * KH + kh) * KW + kw
                for oh in range(OH):
                    src = U((r * OH + oh) * run)
                    dst = U(((c * Hp + oh * sh + kh * dh) * Wp + kw * dw) * N)
                    for j in range(U(run)):
                        tf[dst + j] += cf[src + j]


class _Rows:
    """Geometry of one batch-last convolution (stride (sh, 1)): padded sizes, tap offsets, run lengths."""

    def __init__(self, x_shape: tuple, w_shape: tuple, out_hw: tuple, stride: Pair, padding: Pair, dilation: Pair):
        self.N, self.C, H, W = x_shape
        self.O, _, self.KH, self.KW = w_shape
        self.OH, self.OW = out_hw
        (self.sh, _), (self.ph, self.pw), (self.dh, self.dw) = stride, padding, dilation
        self.Hp, self.Wp = H + 2 * self.ph, W + 2 * self.pw
        self.run = self.OW * self.N  # positions of one output row of every image
        self.row = self.sh * self.Wp * self.N  # distance between the input rows of consecutive output rows
        kh, kw = np.arange(self.KH) * self.dh, np.arange(self.KW) * self.dw
        per_channel = (kh[:, None] * self.Wp + kw).ravel() * self.N
        self.plane = self.Hp * self.Wp * self.N + CACHE_SKEW
        self.offsets = (np.arange(self.C)[:, None] * self.plane + per_channel).ravel().astype(np.int64)

    def source(self, x: np.ndarray, extra: int) -> np.ndarray:
        """x as zero-padded batch-last planes, followed by ``extra`` zeros."""
        buffer = np.empty(self.C * self.plane + extra, dtype=x.dtype)
        buffer[buffer.shape[0] - extra :] = 0
        to_batch_last(x, buffer, self.plane, self.Hp, self.Wp, self.ph, self.pw)
        return buffer


def batch_forward(
    x: np.ndarray, weight: np.ndarray, out: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """One-group convolution of x (N, C, H, W) with weight (O, C, KH, KW) into out (N, O, OH, OW)."""
    layout = _Rows(x.shape, weight.shape, out.shape[2:], stride, padding, dilation)
    S = _round_up(layout.run, POSITION_BLOCK)
    src = layout.source(x, extra=S - layout.run)  # the last row's rounding reads past the planes
    weights = block_weights(weight.reshape(layout.O, -1).T)
    dst = np.empty((weights.shape[0] * weights.shape[2], layout.OH, S), dtype=x.dtype)
    correlate_taps(src, layout.row, layout.offsets, weights, dst)
    from_batch_last(dst.reshape(-1), out, layout.OH, S, 0, 0)


def batch_backward_input(
    grad_out: np.ndarray, weight: np.ndarray, grad_x: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Input gradient (transposed convolution) of :func:`batch_forward` into grad_x (N, C, H, W); positions
    no tap reaches (transposed convolution's ``output_padding``) get zero."""
    layout = _Rows(grad_x.shape, weight.shape, grad_out.shape[2:], stride, padding, dilation)
    grad = np.empty((layout.O, layout.OH * layout.run), dtype=grad_out.dtype)
    to_batch_last(grad_out, grad.reshape(-1), grad.shape[1], layout.OH, layout.OW, 0, 0)
    cols = weight.reshape(layout.O, -1).T @ grad  # (C * KH * KW, OH * OW * N)
    target = np.zeros((layout.C, layout.Hp, layout.Wp, layout.N), dtype=grad_x.dtype)
    fold_batch_last(
        cols.reshape(-1, layout.OH, layout.run), target, layout.KH, layout.KW, layout.sh, layout.dh, layout.dw
    )
    from_batch_last(target.reshape(-1), grad_x, layout.Hp, layout.Wp * layout.N, layout.ph, layout.pw)


def batch_backward_weight(
    x: np.ndarray, grad_out: np.ndarray, grad_w: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Weight gradient of :func:`batch_forward` into grad_w (O, C, KH, KW)."""
    layout = _Rows(x.shape, grad_w.shape, grad_out.shape[2:], stride, padding, dilation)
    T = layout.offsets.shape[0]
    offsets = np.zeros(_round_up(T, 4), dtype=np.int64)  # padded taps read offset 0 and are dropped
    offsets[:T] = layout.offsets
    P = _round_up(layout.O, 4)
    # planes of OH rows, each CACHE_SKEW elements longer: planes a multiple of 4 KiB apart share cache sets
    grad = np.empty((P, layout.OH * layout.run + CACHE_SKEW), dtype=grad_out.dtype)
    grad[layout.O :] = 0
    to_batch_last(grad_out, grad.reshape(-1), grad.shape[1], layout.OH, layout.OW, 0, 0)
    out = np.empty((offsets.shape[0], P), dtype=grad_w.dtype)
    correlate_taps_weight(layout.source(x, extra=0), offsets, grad, layout.OH, layout.run, layout.row, out)
    grad_w[...] = out[:T, : layout.O].T.reshape(grad_w.shape)
