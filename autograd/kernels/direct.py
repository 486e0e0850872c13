"""Direct convolution for stride 1 and one group: every pass is a correlation with a list of taps.

Layouts
-------
The input is copied into the zero-padded planes of the grid layout (:mod:`autograd.kernels._unfold`): one
flat buffer, ``image`` elements per image. A *tap* is an offset into one image's planes plus a weight per
output plane; with Wp the padded width, output position ``j = oh * Wp + ow`` of plane p is

    dst[p, n, j] = sum_t weights[t, p] * src[n * image + offsets[t] + j]

Columns with ``ow >= OW`` are garbage and dropped by the caller. The three passes are:

- forward: taps (c, kh, kw) at ``c * plane + kh*dh*Wp + kw*dw``, weights ``W[:, c, kh, kw]``, planes o.
- backward input: the full correlation of grad_out (in grid layout, ``front`` zeros before each plane, where
  front is the largest forward offset) with the flipped filters: taps (o, kh, kw) at
  ``o * plane + front - (kh*dh*Wp + kw*dw)``, weights ``W[o, :, kh, kw]``, planes c of the padded input.
- backward weight: channel-major planes instead, x as (C, N) padded planes and grad_out as (O, N) planes of
  the same length (zero past its OH rows and OW columns), so that with M = N * Hp * Wp
  ``grad_W[o, t] = sum_m grad[o, m] * src[offsets[t] + m]`` is one long loop per (tap, o). (Per image loops
  of OH * Wp were slower for the (64, 6, 14, 14) LeNet layer: a horizontal sum per image and tap group.)
  Sums run in the arrays' dtype.

Taps are padded to a multiple of 4 (offset 0, weight 0) and output planes to a multiple of 2, so each inner
loop reads 4 shifted input rows and updates 2 output rows: 8 multiply-adds per 6 loads and 2 stores, which
LLVM vectorises along j. No unfolded matrix is built, so the passes run from the caches.

Parallel strategy: forward and input gradient run ``prange`` over (image, pair of output planes); the weight
gradient over (group of 4 taps, pair of output planes), each summing over all images. Writes are disjoint.
"""

import numpy as np

from ._jit import U, parallel_jit, prange
from ._unfold import grid_plane, pad_to_grid, scatter_columns

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


def correlate_taps_ref(
    src: np.ndarray, image: int, offsets: np.ndarray, weights: np.ndarray, dst: np.ndarray
) -> None:
    """Reference for :func:`correlate_taps`: one numpy product per tap."""
    P, N, S = dst.shape
    dst[...] = 0
    for t, offset in enumerate(offsets):
        rows = np.stack([src[n * image + offset : n * image + offset + S] for n in range(N)])  # (N, S)
        dst += weights[t][:, None, None] * rows[None]


def correlate_taps_weight_ref(src: np.ndarray, offsets: np.ndarray, grad: np.ndarray, out: np.ndarray) -> None:
    """Reference for :func:`correlate_taps_weight`: one matrix-vector product per tap."""
    M = grad.shape[1]
    for t, offset in enumerate(offsets):
        out[t] = grad @ src[offset : offset + M]


def _multiply_adds(offsets: np.ndarray, planes: np.ndarray) -> int:
    """Cost estimate for :func:`~autograd.kernels._jit.parallel_jit`: one multiply-add per tap and element of
    ``planes``; vectorised, it costs about a sixteenth of a copied element."""
    return offsets.shape[0] * planes.size // 16


@parallel_jit(cost=lambda src, image, offsets, weights, dst: _multiply_adds(offsets, dst))
def correlate_taps(src, image, offsets, weights, dst):
    """``dst[p, n, j] = sum_t weights[t, p] * src[n*image + offsets[t] + j]``; dst (P, N, S), P even, T % 4 == 0."""
    P, N, S = dst.shape
    T = offsets.shape[0]
    df = dst.reshape(-1)
    for q in prange(N * (P // 2)):
        n, p = q // (P // 2), 2 * (q % (P // 2))
        a = U((p * N + n) * S)
        b = U(((p + 1) * N + n) * S)
        for j in range(U(S)):
            df[a + j] = 0
            df[b + j] = 0
        for t in range(0, T, 4):
            s0, s1 = U(n * image + offsets[t]), U(n * image + offsets[t + 1])
            s2, s3 = U(n * image + offsets[t + 2]), U(n * image + offsets[t + 3])
            u0, u1, u2, u3 = weights[t, p], weights[t + 1, p], weights[t + 2, p], weights[t + 3, p]
            v0, v1, v2, v3 = weights[t, p + 1], weights[t + 1, p + 1], weights[t + 2, p + 1], weights[t + 3, p + 1]
            for j in range(U(S)):
                x0, x1, x2, x3 = src[s0 + j], src[s1 + j], src[s2 + j], src[s3 + j]
                df[a + j] += u0 * x0 + u1 * x1 + u2 * x2 + u3 * x3
                df[b + j] += v0 * x0 + v1 * x1 + v2 * x2 + v3 * x3


@parallel_jit(cost=lambda src, offsets, grad, out: _multiply_adds(offsets, grad))
def correlate_taps_weight(src, offsets, grad, out):
    """``out[t, p] = sum_m grad[p, m] * src[offsets[t] + m]``; grad (P, M), P even, T % 4 == 0."""
    P, M = grad.shape
    T = offsets.shape[0]
    gf = grad.reshape(-1)
    zero = np.zeros(1, dtype=grad.dtype)[0]  # sums in the arrays' dtype (float64 sums would not vectorise)
    for q in prange((T // 4) * (P // 2)):
        t, p = 4 * (q // (P // 2)), 2 * (q % (P // 2))
        s0, s1, s2, s3 = U(offsets[t]), U(offsets[t + 1]), U(offsets[t + 2]), U(offsets[t + 3])
        ga, gb = U(p * M), U((p + 1) * M)
        a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = zero
        for m in range(U(M)):
            x0, x1, x2, x3 = src[s0 + m], src[s1 + m], src[s2 + m], src[s3 + m]
            y, z = gf[ga + m], gf[gb + m]
            a0 += y * x0
            a1 += y * x1
            a2 += y * x2
            a3 += y * x3
            b0 += z * x0
            b1 += z * x1
            b2 += z * x2
            b3 += z * x3
        out[t, p], out[t + 1, p], out[t + 2, p], out[t + 3, p] = a0, a1, a2, a3
        out[t, p + 1], out[t + 1, p + 1], out[t + 2, p + 1], out[t + 3, p + 1] = b0, b1, b2, b3


def _round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def _tap_offsets(C: int, plane: int, Wp: int, KH: int, KW: int, dilation: Pair, front: int = -1) -> np.ndarray:
    """Offsets of taps (c, kh, kw) in row-major order, padded with zeros to a multiple of 4: ``c * plane`` plus
    the shift ``kh*dh*Wp + kw*dw`` (forward), or plus ``front - shift`` when ``front >= 0`` (flipped)."""
    shift = np.arange(KH)[:, None] * (dilation[0] * Wp) + np.arange(KW) * dilation[1]  # (KH, KW)
    offsets = np.zeros(_round_up(C * KH * KW, 4), dtype=np.int64)
    offsets[: C * KH * KW] = (np.arange(C)[:, None, None] * plane + (shift if front < 0 else front - shift)).ravel()
    return offsets


def _tap_weights(matrix: np.ndarray) -> np.ndarray:
    """(T, P) weights zero-padded to (multiple of 4, multiple of 2), C-contiguous."""
    T, P = matrix.shape
    padded = np.zeros((_round_up(T, 4), _round_up(P, 2)), dtype=matrix.dtype)
    padded[:T, :P] = matrix
    return padded


def _grid_grad(grad_out: np.ndarray, Wp: int, P: int, front: int, plane: int) -> np.ndarray:
    """grad_out (N, O, OH, OW) as (N, P, plane) grid planes: ``front`` zeros, then OH rows of Wp (zero past OW)."""
    N, O, OH, OW = grad_out.shape
    grid = np.zeros((N, P, plane), dtype=grad_out.dtype)
    grid[:, :O, front : front + OH * Wp].reshape(N, O, OH, Wp)[..., :OW] = grad_out
    return grid


def direct_forward(x: np.ndarray, weight: np.ndarray, out: np.ndarray, padding: Pair, dilation: Pair) -> None:
    """Stride-1, one-group convolution of x (N, C, H, W) with weight (O, C, KH, KW) into out (N, O, OH, OW)."""
    N, C, H, W = x.shape
    O, _, KH, KW = weight.shape
    OH, OW = out.shape[2:]
    Hp, Wp = H + 2 * padding[0], W + 2 * padding[1]
    plane = grid_plane(Hp, Wp, KW, dilation[1])
    src = pad_to_grid(x, *padding, KW, dilation[1])
    weights = _tap_weights(weight.reshape(O, -1).T)
    dst = np.empty((weights.shape[1], N, OH * Wp), dtype=x.dtype)
    correlate_taps(src, C * plane, _tap_offsets(C, plane, Wp, KH, KW, dilation), weights, dst)
    scatter_columns(dst.reshape(dst.shape[0], -1), out, 0, Wp)


def direct_backward_input(
    grad_out: np.ndarray, weight: np.ndarray, grad_x: np.ndarray, padding: Pair, dilation: Pair
) -> None:
    """Input gradient (transposed convolution) of :func:`direct_forward` into grad_x (N, C, H, W)."""
    N, C, H, W = grad_x.shape
    O, _, KH, KW = weight.shape
    Hp, Wp = H + 2 * padding[0], W + 2 * padding[1]
    front = (KH - 1) * dilation[0] * Wp + (KW - 1) * dilation[1]
    plane = front + Hp * Wp
    offsets = _tap_offsets(O, plane, Wp, KH, KW, dilation, front)
    weights = _tap_weights(weight.transpose(0, 2, 3, 1).reshape(-1, C))
    src = _grid_grad(grad_out, Wp, O, front, plane)
    dst = np.empty((weights.shape[1], N, Hp * Wp), dtype=grad_x.dtype)
    correlate_taps(src.reshape(-1), O * plane, offsets, weights, dst)
    planes = dst.reshape(-1, N, Hp, Wp)[:C, :, padding[0] : padding[0] + H, padding[1] : padding[1] + W]
    grad_x[...] = planes.transpose(1, 0, 2, 3)


def direct_backward_weight(
    x: np.ndarray, grad_out: np.ndarray, grad_w: np.ndarray, padding: Pair, dilation: Pair
) -> None:
    """Weight gradient of :func:`direct_forward` into grad_w (O, C, KH, KW).

    Channel-major planes: x as (C, N) padded planes and grad_out as (O, N) grid planes of the same length
    (zero past OH rows and OW columns), so each (tap, o) sum is one long loop over all images.
    """
    N, C, H, W = x.shape
    O, _, KH, KW = grad_w.shape
    OH, OW = grad_out.shape[2:]
    Hp, Wp = H + 2 * padding[0], W + 2 * padding[1]
    plane = Hp * Wp
    offsets = _tap_offsets(C, N * plane, Wp, KH, KW, dilation)
    src = np.zeros(C * N * plane + offsets.max() + 1, dtype=x.dtype)  # room for the last taps' reads
    src[: C * N * plane].reshape(C, N, Hp, Wp)[:, :, padding[0] : padding[0] + H, padding[1] : padding[1] + W] = (
        x.transpose(1, 0, 2, 3)
    )
    P = _round_up(O, 2)
    grad = np.zeros((P, N, plane), dtype=grad_out.dtype)
    grad[:O, :, : OH * Wp].reshape(O, N, OH, Wp)[..., :OW] = grad_out.transpose(1, 0, 2, 3)
    out = np.empty((offsets.shape[0], P), dtype=grad_w.dtype)
    correlate_taps_weight(src, offsets, grad.reshape(P, -1), out)
    grad_w[...] = out[: C * KH * KW, :O].T.reshape(grad_w.shape)
