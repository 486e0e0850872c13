"""Direct convolution for one group: every pass is a correlation with a list of taps, over phase planes.

Taps
----
The input is laid out in the phase planes of :mod:`autograd.kernels._planes`, where kernel tap (kh, kw)
reads one phase plane at a fixed shift for all output positions ``j = oh * Wq + ow`` at once (a strided
convolution becomes a stride-1 correlation; with stride (1, 1) the plane is simply the padded input).
Columns with ``ow >= OW`` are garbage that the caller drops. A *tap* is an offset into one image's planes
plus a weight per output plane:

    dst[p, n, j] = sum_t weights[t, p] * src[n * image + offsets[t] + j]

- forward: taps (c, kh, kw) of x's phase planes, weights ``W[:, c, kh, kw]``, planes o, ``j < OH * Wq``.
- backward input: per input phase, the full correlation of grad_out (on a grid of width Wq, ``front`` zeros
  before each plane) with the flipped filters of the taps in that phase: taps (o, kh, kw) at
  ``o * plane + front - shift``, weights ``W[o, :, kh, kw]``, planes c; the phases are then interleaved.
- backward weight: channel-major planes instead, x as (C, phases, N) planes and grad_out as (O, N) planes of
  the same length (zero past OH rows and OW columns), so that with M = N * plane
  ``grad_W[o, t] = sum_m grad[o, m] * src[offsets[t] + m]`` is one long loop per (tap, o).

Register blocking
-----------------
:func:`correlate_taps` computes blocks of PLANE_BLOCK planes x POSITION_BLOCK positions, accumulated over
all taps in a :func:`~autograd.kernels._jit.register_block`: LLVM keeps the block in vector registers (16
accumulators of 16 float32 in 512-bit registers), so each tap costs two loads of 16 inputs and PLANE_BLOCK
weight broadcasts for PLANE_BLOCK * POSITION_BLOCK multiply-adds. Planes are zero-padded to a multiple of
PLANE_BLOCK and positions to a multiple of POSITION_BLOCK. This only works while LLVM fully unrolls the loop
over positions, which keeps every index into the block constant: the loop body is kept small, and the
planes are written out (a loop over them was vectorised across planes, with gathers). Measured on this
machine (AMD EPYC, Zen 5, one core, float32, random taps): 199 GFLOP/s for 150 taps x 16 planes x 64
images x 160 positions and 212 for 1,152 taps x 128 planes x 16 images x 96 positions, against 162 and 158
with blocks of 8 x 16 and 80 for the earlier loop, which kept its sums in memory.

:func:`correlate_taps_weight` reduces over positions into 16 scalar sums (4 taps x 4 planes) that LLVM
vectorises along m, one vector of partial sums each: 199 GFLOP/s on the same machine, against 130 with 4
taps x 2 planes. (Register blocks were slower here: the loop body with two streams is too large for LLVM to
unroll, and the block then stays in memory.) Sums run in the arrays' dtype.

Parallel strategy: :func:`correlate_taps` runs ``prange`` over (block of planes, image); the weight
gradient over (group of 4 taps, group of 4 planes), each summing over all images. Writes are disjoint.
"""

import numpy as np

from ._jit import U, parallel_jit, prange, register_block
from ._planes import Phases, from_planes, to_planes

__all__ = [
    "correlate_taps",
    "correlate_taps_ref",
    "correlate_taps_weight",
    "correlate_taps_weight_ref",
    "direct_backward_input",
    "direct_backward_weight",
    "direct_forward",
]

Pair = tuple[int, int]

PLANE_BLOCK = 8  # output planes per register block (the kernel body names them w0 .. w7)
POSITION_BLOCK = 32  # output positions per register block, in two halves of one 512-bit float32 vector each
_HALF = POSITION_BLOCK // 2
_BLOCK = PLANE_BLOCK * POSITION_BLOCK


def correlate_taps_ref(
    src: np.ndarray, image: int, offsets: np.ndarray, weights: np.ndarray, dst: np.ndarray
) -> None:
    """Reference for :func:`correlate_taps`: one numpy product per tap."""
    P, N, S = dst.shape
    flat_weights = unblock_weights(weights)
    dst[...] = 0
    for t, offset in enumerate(offsets):
        rows = np.stack([src[n * image + offset : n * image + offset + S] for n in range(N)])  # (N, S)
        dst += flat_weights[t][:, None, None] * rows[None]


def correlate_taps_weight_ref(
    src: np.ndarray, offsets: np.ndarray, grad: np.ndarray, rows: int, run: int, row_stride: int, out: np.ndarray
) -> None:
    """Reference for :func:`correlate_taps_weight`: one matrix-vector product per tap and row."""
    out[...] = 0
    for t, offset in enumerate(offsets):
        for r in range(rows):
            start = r * row_stride + offset
            out[t] += grad[:, r * run : (r + 1) * run] @ src[start : start + run]


def _multiply_adds(offsets: np.ndarray, planes: np.ndarray) -> int:
    """Cost estimate for :func:`~autograd.kernels._jit.parallel_jit`: one multiply-add per tap and element of
    ``planes``; vectorised, it costs about a sixteenth of a copied element."""
    return offsets.shape[0] * planes.size // 16


@parallel_jit(cost=lambda src, image, offsets, weights, dst: _multiply_adds(offsets, dst))
def correlate_taps(src, image, offsets, weights, dst):
    """``dst[p, n, j] = sum_t W[t, p] * src[n*image + offsets[t] + j]``, with W given by :func:`block_weights`.

    dst is (P, N, S) with P % PLANE_BLOCK == 0 and S % POSITION_BLOCK == 0; weights is
    (P // PLANE_BLOCK, T, PLANE_BLOCK); src must hold ``(N-1)*image + max(offsets) + S`` elements.
    """
    P, N, S = dst.shape
    T = offsets.shape[0]
    df = dst.reshape(-1)
    for q in prange((P // PLANE_BLOCK) * N):
        block, n = q // N, q % N
        w = weights[block]
        for j0 in range(0, S, POSITION_BLOCK):
            acc = register_block(_BLOCK, dst.dtype)  # acc[(h * PLANE_BLOCK + k) * _HALF + j]: plane k, half h
            for i in range(_BLOCK):
                acc[i] = 0
            start = n * image + j0
            for t in range(T):
                s = U(start + offsets[t])
                w0, w1, w2, w3 = w[t, 0], w[t, 1], w[t, 2], w[t, 3]
                w4, w5, w6, w7 = w[t, 4], w[t, 5], w[t, 6], w[t, 7]
                # both halves of the block, each plane written out: a loop over planes here is vectorised the
                # wrong way (across planes, with gathers)
                for j in range(_HALF):
                    x, z = src[s + U(j)], src[s + U(_HALF + j)]
                    acc[j] += w0 * x
                    acc[_HALF + j] += w1 * x
                    acc[2 * _HALF + j] += w2 * x
                    acc[3 * _HALF + j] += w3 * x
                    acc[4 * _HALF + j] += w4 * x
                    acc[5 * _HALF + j] += w5 * x
                    acc[6 * _HALF + j] += w6 * x
                    acc[7 * _HALF + j] += w7 * x
                    acc[8 * _HALF + j] += w0 * z
                    acc[9 * _HALF + j] += w1 * z
                    acc[10 * _HALF + j] += w2 * z
                    acc[11 * _HALF + j] += w3 * z
                    acc[12 * _HALF + j] += w4 * z
                    acc[13 * _HALF + j] += w5 * z
                    acc[14 * _HALF + j] += w6 * z
                    acc[15 * _HALF + j] += w7 * z
            for k in range(PLANE_BLOCK):
                d = U(((block * PLANE_BLOCK + k) * N + n) * S + j0)
                for j in range(_HALF):
                    df[d + U(j)] = acc[k * _HALF + j]
                    df[d + U(_HALF + j)] = acc[(PLANE_BLOCK + k) * _HALF + j]


@parallel_jit(cost=lambda src, offsets, grad, rows, run, row_stride, out: _multiply_adds(offsets, grad))
def correlate_taps_weight(src, offsets, grad, rows, run, row_stride, out):
    """``out[t, p] = sum_r sum_m grad[p, r * run + m] * src[r * row_stride + offsets[t] + m]`` over
    ``r < rows`` and ``m < run``: grad (P, L) with P % 4 == 0 and L >= rows * run (elements past the last
    row are not read: room that keeps planes apart in the cache), out (T, P) with T % 4 == 0; src must hold
    ``(rows - 1) * row_stride + max(offsets) + run`` elements."""
    P, L = grad.shape
    R, M = rows, run
    T = offsets.shape[0]
    gf = grad.reshape(-1)
    zero = np.zeros(1, dtype=grad.dtype)[0]  # sums in the arrays' dtype (float64 sums would not vectorise)
    for q in prange((T // 4) * (P // 4)):
        t, p = 4 * (q // (P // 4)), 4 * (q % (P // 4))
        # sums a, b, c, d for planes p .. p+3, digits for taps t .. t+3
        a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = c0 = c1 = c2 = c3 = d0 = d1 = d2 = d3 = zero
        for r in range(R):
            row = r * row_stride
            s0, s1 = U(row + offsets[t]), U(row + offsets[t + 1])
            s2, s3 = U(row + offsets[t + 2]), U(row + offsets[t + 3])
            g0 = U(p * L + r * M)
            g1, g2, g3 = g0 + U(L), g0 + U(2 * L), g0 + U(3 * L)
            for m in range(U(M)):
                x0, x1, x2, x3 = src[s0 + m], src[s1 + m], src[s2 + m], src[s3 + m]
                y0, y1, y2, y3 = gf[g0 + m], gf[g1 + m], gf[g2 + m], gf[g3 + m]
                a0, a1, a2, a3 = a0 + x0 * y0, a1 + x1 * y0, a2 + x2 * y0, a3 + x3 * y0
                b0, b1, b2, b3 = b0 + x0 * y1, b1 + x1 * y1, b2 + x2 * y1, b3 + x3 * y1
                c0, c1, c2, c3 = c0 + x0 * y2, c1 + x1 * y2, c2 + x2 * y2, c3 + x3 * y2
                d0, d1, d2, d3 = d0 + x0 * y3, d1 + x1 * y3, d2 + x2 * y3, d3 + x3 * y3
        out[t, p], out[t + 1, p], out[t + 2, p], out[t + 3, p] = a0, a1, a2, a3
        out[t, p + 1], out[t + 1, p + 1], out[t + 2, p + 1], out[t + 3, p + 1] = b0, b1, b2, b3
        out[t, p + 2], out[t + 1, p + 2], out[t + 2, p + 2], out[t + 3, p + 2] = c0, c1, c2, c3
        out[t, p + 3], out[t + 1, p + 3], out[t + 2, p + 3], out[t + 3, p + 3] = d0, d1, d2, d3


def _round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def block_weights(matrix: np.ndarray) -> np.ndarray:
    """(T, P) tap weights as (ceil(P / PLANE_BLOCK), T, PLANE_BLOCK), planes zero-padded, C-contiguous."""
    T, P = matrix.shape
    padded = np.zeros((T, _round_up(P, PLANE_BLOCK)), dtype=matrix.dtype)
    padded[:, :P] = matrix
    return np.ascontiguousarray(padded.reshape(T, -1, PLANE_BLOCK).transpose(1, 0, 2))


def unblock_weights(blocked: np.ndarray) -> np.ndarray:
    """Inverse of :func:`block_weights` (planes stay padded): (T, P)."""
    return blocked.transpose(1, 0, 2).reshape(blocked.shape[1], -1)


def direct_forward(
    x: np.ndarray, weight: np.ndarray, out: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """One-group convolution of x (N, C, H, W) with weight (O, C, KH, KW) into out (N, O, OH, OW)."""
    N, C = x.shape[:2]
    O = weight.shape[0]
    layout = Phases(x.shape[2:], weight.shape[2:], out.shape[2:], stride, padding, dilation)
    S = _round_up(layout.OH * layout.Wq, POSITION_BLOCK)
    src = layout.split(x, channel_major=False, extra=S - layout.OH * layout.Wq)
    weights = block_weights(weight.reshape(O, -1).T)
    dst = np.empty((weights.shape[0] * PLANE_BLOCK, N, S), dtype=x.dtype)
    image = C * layout.phases * layout.plane
    correlate_taps(src, image, layout.offsets(C, layout.phases * layout.plane), weights, dst)
    from_planes(dst.reshape(-1), out, dst.shape[0], S, 0, 0, 1, 1, layout.Wq)


def direct_backward_input(
    grad_out: np.ndarray, weight: np.ndarray, grad_x: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Input gradient (transposed convolution) of :func:`direct_forward` into grad_x (N, C, H, W).

    Each input phase is a full correlation of grad_out with the flipped filters of its taps; taps of no
    phase (a stride larger than the dilated kernel) leave zeros.
    """
    N, C = grad_x.shape[:2]
    O = weight.shape[0]
    layout = Phases(grad_x.shape[2:], weight.shape[2:], grad_out.shape[2:], stride, padding, dilation)
    Hq, Wq = layout.Hq, layout.Wq
    front = int(layout.taps[:, 1].max())
    plane = front + Hq * Wq  # grad_out planes: front zeros, then OH rows of Wq (zero past OW), then zeros
    S = _round_up(Hq * Wq, POSITION_BLOCK)
    src = np.empty(N * O * plane + S - Hq * Wq, dtype=grad_out.dtype)
    src[N * O * plane :] = 0
    to_planes(grad_out, src, False, front, plane, 0, 0, 1, 1, layout.OH, Wq)
    P = _round_up(C, PLANE_BLOCK)
    results = np.zeros((layout.phases, P, N, S), dtype=grad_x.dtype)
    flipped = weight.transpose(2, 3, 0, 1).reshape(-1, O, C)  # (KH * KW, O, C)
    for phase in range(layout.phases):
        taps = np.flatnonzero(layout.taps[:, 0] == phase)
        if taps.size:
            offsets = np.arange(O)[None, :] * plane + front - layout.taps[taps, 1][:, None]  # (taps, O)
            weights = block_weights(flipped[taps].reshape(-1, C))
            correlate_taps(src, O * plane, offsets.ravel().astype(np.int64), weights, results[phase])
    from_planes(results.reshape(-1), grad_x, P, S, layout.ph, layout.pw, layout.sh, layout.sw, Wq)


def direct_backward_weight(
    x: np.ndarray, grad_out: np.ndarray, grad_w: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Weight gradient of :func:`direct_forward` into grad_w (O, C, KH, KW).

    Channel-major planes: x as (C, phases, N) phase planes and grad_out as (O, N) planes of the same
    length (OH rows of Wq, zero past OW), so each (tap, o) sum is one long loop over all images.
    """
    N, C = x.shape[:2]
    O = grad_w.shape[0]
    layout = Phases(x.shape[2:], grad_w.shape[2:], grad_out.shape[2:], stride, padding, dilation)
    plane = layout.plane
    T = C * layout.KH * layout.KW
    offsets = np.zeros(_round_up(T, 4), dtype=np.int64)  # padded taps read offset 0 and are dropped
    offsets[:T] = layout.offsets(C, layout.phases * N * plane)
    src = layout.split(x, channel_major=True, extra=int(layout.taps[:, 1].max()))  # the last taps read past
    P = _round_up(O, 4)
    grad = np.empty((P, N * plane), dtype=grad_out.dtype)
    grad[O:] = 0
    to_planes(grad_out, grad.reshape(-1), True, 0, plane, 0, 0, 1, 1, layout.OH, layout.Wq)
    out = np.empty((offsets.shape[0], P), dtype=grad_w.dtype)
    correlate_taps_weight(src, offsets, grad, 1, N * plane, 0, out)  # one row: each (tap, o) sum is one loop
    grad_w[...] = out[:T, :O].T.reshape(grad_w.shape)
