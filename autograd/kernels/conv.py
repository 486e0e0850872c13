"""2-D convolution kernels (cross-correlation, as in PyTorch) and their numpy references.

Conventions shared by every function here
-----------------------------------------
- Layout: ``x`` is (N, C, H, W); ``weight`` is (O, C // groups, KH, KW); the output is (N, O, OH, OW).
  No bias: the caller adds it.
- ``stride``, ``padding`` and ``dilation`` are tuples of two ints ``(along H, along W)``; padding is
  symmetric (``padding[0]`` zero rows above *and* below). ``groups`` is an int dividing C and O.
- Arrays are C-contiguous and share one floating dtype (float32 or float64). The caller allocates the
  output; kernels overwrite it completely and return ``None``.
- OH and OW are read from the shape of ``out``/``grad_out``; H and W from ``x``/``grad_x``. So
  ``conv2d_backward_input`` also serves as transposed convolution, including ``output_padding``: rows and
  columns of ``grad_x`` that no output position reaches are zero.

Algorithm (fast path)
---------------------
unfold + GEMM. Images are processed in chunks of ``NB`` images so the unfolded matrix stays around
``_COLS_BYTES``. For a chunk, ``cols`` is (C * KH * KW, NB * OH * OW) with row ``(c * KH + kh) * KW + kw``
holding the input sample each output position sees through kernel tap (kh, kw) of channel c (zero in the
padding). Then, per group g (rows and output channels of group g are contiguous blocks):

- forward:          out_g  (O/g, NB*OH*OW)   = W_g (O/g, C/g*KH*KW) @ cols_g
- backward input:   dcols_g                  = W_g.T @ grad_out_g, then ``fold`` scatter-adds dcols into x
- backward weight:  grad_W_g                += grad_out_g @ cols_g.T

The GEMMs run in numpy's BLAS; unfold and fold are numba loops parallel over disjoint outputs (rows of
``cols`` for unfold, (image, channel) planes of ``grad_x`` for fold).
"""

import numpy as np

from ._jit import jit, parallel_jit, prange

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

_COLS_BYTES = 16 * 2**20  # target size of one chunk of unfolded input


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """Output length along one axis: ``floor((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1``."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


# ---------------------------------------------------------------------------------------------------------
# numpy references: one numpy slice per kernel tap (kh, kw), written for clarity
# ---------------------------------------------------------------------------------------------------------


def _tap(kh: int, kw: int, OH: int, OW: int, stride: Pair, dilation: Pair) -> tuple[slice, slice]:
    """Slices of the padded input that kernel tap (kh, kw) sees at all OH x OW output positions."""
    h0, w0 = kh * dilation[0], kw * dilation[1]
    return (slice(h0, h0 + stride[0] * (OH - 1) + 1, stride[0]), slice(w0, w0 + stride[1] * (OW - 1) + 1, stride[1]))


def conv2d_forward_ref(
    x: np.ndarray, weight: np.ndarray, out: np.ndarray, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> None:
    """Reference for :func:`conv2d_forward`: ``out[n, o] = sum_{c, kh, kw} W[o, c, kh, kw] * x_pad[n, c, ...]``."""
    O, Cg, KH, KW = weight.shape
    OH, OW = out.shape[2:]
    Og = O // groups
    (ph, pw) = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out[...] = 0
    for g in range(groups):
        xg, wg = x_pad[:, g * Cg : (g + 1) * Cg], weight[g * Og : (g + 1) * Og]
        for kh in range(KH):
            for kw in range(KW):
                rows, cols = _tap(kh, kw, OH, OW, stride, dilation)
                out[:, g * Og : (g + 1) * Og] += np.einsum("nchw,oc->nohw", xg[:, :, rows, cols], wg[:, :, kh, kw])


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
    O, Cg, KH, KW = weight.shape
    N, C, H, W = grad_x.shape
    OH, OW = grad_out.shape[2:]
    Og = O // groups
    (ph, pw) = padding
    g_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=grad_x.dtype)
    for g in range(groups):
        gog, wg = grad_out[:, g * Og : (g + 1) * Og], weight[g * Og : (g + 1) * Og]
        for kh in range(KH):
            for kw in range(KW):
                rows, cols = _tap(kh, kw, OH, OW, stride, dilation)
                g_pad[:, g * Cg : (g + 1) * Cg, rows, cols] += np.einsum("nohw,oc->nchw", gog, wg[:, :, kh, kw])
    grad_x[...] = g_pad[:, :, ph : ph + H, pw : pw + W]


def conv2d_backward_weight_ref(
    x: np.ndarray, grad_out: np.ndarray, grad_w: np.ndarray, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> None:
    """Reference for :func:`conv2d_backward_weight`: ``grad_w[o, c, kh, kw] = <grad_out[:, o], tap of x[:, c]>``."""
    O, Cg, KH, KW = grad_w.shape
    OH, OW = grad_out.shape[2:]
    Og = O // groups
    (ph, pw) = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for g in range(groups):
        xg, gog = x_pad[:, g * Cg : (g + 1) * Cg], grad_out[:, g * Og : (g + 1) * Og]
        for kh in range(KH):
            for kw in range(KW):
                rows, cols = _tap(kh, kw, OH, OW, stride, dilation)
                grad_w[g * Og : (g + 1) * Og, :, kh, kw] = np.einsum("nohw,nchw->oc", gog, xg[:, :, rows, cols])


# ---------------------------------------------------------------------------------------------------------
# numba kernels: unfold (im2col) and fold (col2im)
# ---------------------------------------------------------------------------------------------------------


@jit
def _valid_range(offset: int, stride: int, size: int, out_size: int) -> tuple[int, int]:
    """Output positions ``[lo, hi)`` whose input index ``pos * stride + offset`` lies in ``[0, size)``."""
    lo = 0 if offset >= 0 else (-offset + stride - 1) // stride
    hi = 0 if size - 1 - offset < 0 else min(out_size, (size - 1 - offset) // stride + 1)
    return lo, max(lo, hi)


@parallel_jit
def _unfold(x, cols, n0, KH, KW, sh, sw, ph, pw, dh, dw, OH, OW):
    """Fill ``cols`` (C*KH*KW, NB*OH*OW) from images ``n0 .. n0+NB`` of x; parallel over rows of cols.

    Works on flat views so each output row segment is one contiguous copy when the stride is 1.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    M = cols.shape[1]
    NB = M // (OH * OW)
    KK = KH * KW
    xf, cf = x.reshape(-1), cols.reshape(-1)
    for r in prange(C * KK):
        c, kh, kw = r // KK, (r % KK) // KW, r % KW
        w_off = kw * dw - pw
        lo, hi = _valid_range(w_off, sw, W, OW)
        for i in range(NB):
            for oh in range(OH):
                ih = oh * sh + kh * dh - ph
                dst = r * M + (i * OH + oh) * OW
                if ih < 0 or ih >= H:
                    cf[dst : dst + OW] = 0
                    continue
                src = (((n0 + i) * C + c) * H + ih) * W + w_off
                cf[dst : dst + lo] = 0
                if sw == 1:
                    cf[dst + lo : dst + hi] = xf[src + lo : src + hi]
                else:
                    for ow in range(lo, hi):
                        cf[dst + ow] = xf[src + ow * sw]
                cf[dst + hi : dst + OW] = 0


@parallel_jit
def _fold(cols, grad_x, n0, KH, KW, sh, sw, ph, pw, dh, dw, OH, OW):
    """Overwrite images ``n0 .. n0+NB`` of grad_x with the scatter-add of ``cols``; parallel over (n, c)."""
    C, H, W = grad_x.shape[1], grad_x.shape[2], grad_x.shape[3]
    M = cols.shape[1]
    NB = M // (OH * OW)
    KK = KH * KW
    gf, cf = grad_x.reshape(-1), cols.reshape(-1)
    for t in prange(NB * C):
        i, c = t // C, t % C
        plane = ((n0 + i) * C + c) * H * W
        gf[plane : plane + H * W] = 0
        for kh in range(KH):
            for kw in range(KW):
                r = c * KK + kh * KW + kw
                w_off = kw * dw - pw
                lo, hi = _valid_range(w_off, sw, W, OW)
                for oh in range(OH):
                    ih = oh * sh + kh * dh - ph
                    if ih < 0 or ih >= H:
                        continue
                    src = r * M + (i * OH + oh) * OW
                    dst = plane + ih * W + w_off
                    for ow in range(lo, hi):
                        gf[dst + ow * sw] += cf[src + ow]


# ---------------------------------------------------------------------------------------------------------
# public kernels
# ---------------------------------------------------------------------------------------------------------


def _chunk(N: int, bytes_per_image: int) -> int:
    """Images per chunk so one chunk of unfolded input is about ``_COLS_BYTES``."""
    return max(1, min(N, _COLS_BYTES // max(1, bytes_per_image)))


def _geometry(stride: Pair, padding: Pair, dilation: Pair, KH: int, KW: int, OH: int, OW: int) -> tuple:
    return (KH, KW, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], OH, OW)


def conv2d_forward(
    x: np.ndarray, weight: np.ndarray, out: np.ndarray, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> None:
    """Convolution forward pass, written into ``out``.

    Parameters
    ----------
    x : (N, C, H, W) input.
    weight : (O, C // groups, KH, KW) filters (cross-correlation: not flipped).
    out : (N, O, OH, OW) output, overwritten; OH and OW must follow :func:`conv_output_size`.
    stride, padding, dilation : ``(along H, along W)``.
    groups : number of channel groups.

    Unfold a chunk of images, one GEMM per group in BLAS, then a transposing copy into ``out``.
    """
    N, C = x.shape[:2]
    O, Cg, KH, KW = weight.shape
    OH, OW = out.shape[2:]
    Og, K, L = O // groups, Cg * KH * KW, OH * OW
    w2 = weight.reshape(groups, Og, K)
    NB = _chunk(N, C * KH * KW * L * x.itemsize)
    geometry = _geometry(stride, padding, dilation, KH, KW, OH, OW)
    buffer = np.empty(C * KH * KW * NB * L, dtype=x.dtype)
    result = np.empty(O * NB * L, dtype=x.dtype)
    for n0 in range(0, N, NB):
        nb = min(NB, N - n0)
        cols = buffer[: C * KH * KW * nb * L].reshape(C * KH * KW, nb * L)
        res = result[: O * nb * L].reshape(O, nb * L)
        _unfold(x, cols, n0, *geometry)
        for g in range(groups):
            np.matmul(w2[g], cols[g * K : (g + 1) * K], out=res[g * Og : (g + 1) * Og])
        out[n0 : n0 + nb] = res.reshape(O, nb, OH, OW).transpose(1, 0, 2, 3)


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

    Per chunk of images: one GEMM per group ``W_g.T @ grad_out_g`` in BLAS, then ``fold`` scatter-adds the
    columns into grad_x, parallel over (image, channel) planes.
    """
    N, C = grad_x.shape[:2]
    O, Cg, KH, KW = weight.shape
    OH, OW = grad_out.shape[2:]
    Og, K, L = O // groups, Cg * KH * KW, OH * OW
    w2 = weight.reshape(groups, Og, K)
    NB = _chunk(N, C * KH * KW * L * grad_x.itemsize)
    geometry = _geometry(stride, padding, dilation, KH, KW, OH, OW)
    buffer = np.empty(C * KH * KW * NB * L, dtype=grad_x.dtype)
    for n0 in range(0, N, NB):
        nb = min(NB, N - n0)
        cols = buffer[: C * KH * KW * nb * L].reshape(C * KH * KW, nb * L)
        go = grad_out[n0 : n0 + nb].reshape(nb, O, L).transpose(1, 0, 2).reshape(O, nb * L)
        for g in range(groups):
            np.matmul(w2[g].T, go[g * Og : (g + 1) * Og], out=cols[g * K : (g + 1) * K])
        _fold(cols, grad_x, n0, *geometry)


def conv2d_backward_weight(
    x: np.ndarray, grad_out: np.ndarray, grad_w: np.ndarray, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> None:
    """Gradient of the convolution with respect to its weight, into ``grad_w``.

    Parameters
    ----------
    x : (N, C, H, W) forward input.
    grad_out : (N, O, OH, OW) gradient of the output.
    grad_w : (O, C // groups, KH, KW) result, overwritten.
    stride, padding, dilation, groups : as in :func:`conv2d_forward`.

    Per chunk of images: unfold x, then per group accumulate ``grad_out_g @ cols_g.T`` (BLAS).
    """
    N, C = x.shape[:2]
    O, Cg, KH, KW = grad_w.shape
    OH, OW = grad_out.shape[2:]
    Og, K, L = O // groups, Cg * KH * KW, OH * OW
    NB = _chunk(N, C * KH * KW * L * x.itemsize)
    geometry = _geometry(stride, padding, dilation, KH, KW, OH, OW)
    buffer = np.empty(C * KH * KW * NB * L, dtype=x.dtype)
    total = np.zeros((groups, Og, K), dtype=grad_w.dtype)
    for n0 in range(0, N, NB):
        nb = min(NB, N - n0)
        cols = buffer[: C * KH * KW * nb * L].reshape(C * KH * KW, nb * L)
        _unfold(x, cols, n0, *geometry)
        go = grad_out[n0 : n0 + nb].reshape(nb, O, L).transpose(1, 0, 2).reshape(O, nb * L)
        for g in range(groups):
            total[g] += go[g * Og : (g + 1) * Og] @ cols[g * K : (g + 1) * K].T
    grad_w[...] = total.reshape(grad_w.shape)
