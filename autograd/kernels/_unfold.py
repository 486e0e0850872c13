"""unfold (im2col) and fold (col2im) for the GEMM convolution in :mod:`autograd.kernels.conv`.

Layouts
-------
``cols`` is (C * KH * KW, NB * S): row ``(c * KH + kh) * KW + kw`` holds, for each of NB images, the S
input samples that kernel tap (kh, kw) of channel c sees. unfold reads (and fold writes) zero-padded
planes of Hp x Wp (Hp = H + 2*pad_h, Wp = W + 2*pad_w), held in a flat buffer of ``grid_plane(...)``
elements per plane, so no kernel tests for padding. Two column layouts exist:

- strided (any stride): S = OH * OW, one column per output position; each output row is one (strided)
  copy of OW samples.
- grid (stride 1 only): S = OH * Wp: column ``oh * Wp + ow`` of tap (kh, kw) is padded sample
  ``oh * Wp + ow + kh*dh*Wp + kw*dw``. Each image's row segment is then one contiguous copy; columns with
  ``ow >= OW`` are garbage that the caller discards (forward) or multiplies by zero (backward). Planes are
  (KW - 1) * dw longer than Hp * Wp, so the last row's garbage columns stay inside their own plane.

The padded planes, and the copies between NCHW arrays and the GEMM's column layout, are made by the
phase-plane copies of :mod:`autograd.kernels._planes` (one phase, as the stride is not split here).

Parallel strategy: unfold runs ``prange`` over rows of ``cols``; fold runs ``prange`` over (image, channel)
planes. Every iteration writes its own disjoint memory.

Inner loops index flat arrays with unsigned positions (``U(...)``, see :mod:`autograd.kernels._jit`).
"""

import numpy as np

from ._jit import U, parallel_jit, prange


def grid_plane(Hp: int, Wp: int, KW: int, dw: int) -> int:
    """Length of one padded plane in the grid layout (with room for the last row's garbage columns)."""
    return Hp * Wp + (KW - 1) * dw


def grid_view(buffer: np.ndarray, N: int, C: int, Hp: int, Wp: int, plane: int) -> np.ndarray:
    """(N, C, Hp, Wp) view of a grid buffer."""
    return buffer.reshape(N * C, plane)[:, : Hp * Wp].reshape(N, C, Hp, Wp)


@parallel_jit
def unfold_grid(buffer, cols, n0, C, plane, Wp, KH, KW, dh, dw, S):
    """Fill grid ``cols`` (C*KH*KW, NB*S) from padded images ``n0 .. n0+NB``, S = OH*Wp; parallel over rows."""
    M = cols.shape[1]
    KK = KH * KW
    cf = cols.reshape(-1)
    for r in prange(C * KK):
        c, kh, kw = r // KK, (r % KK) // KW, r % KW
        for i in range(M // S):
            src = U(((n0 + i) * C + c) * plane + kh * dh * Wp + kw * dw)
            dst = U(r * M + i * S)
            for j in range(U(S)):
                cf[dst + j] = buffer[src + j]


@parallel_jit
def fold_grid(cols, buffer, n0, C, plane, Wp, KH, KW, dh, dw, S):
    """Overwrite padded planes of images ``n0 .. n0+NB`` with the scatter-add of grid ``cols``.

    Parallel over (image, channel) planes; garbage columns of ``cols`` must be zero (they land in padding
    or in the plane's tail).
    """
    M = cols.shape[1]
    KK = KH * KW
    cf = cols.reshape(-1)
    for t in prange((M // S) * C):
        i, c = t // C, t % C
        base = ((n0 + i) * C + c) * plane
        for j in range(U(base), U(base + plane)):
            buffer[j] = 0
        for r in range(c * KK, (c + 1) * KK):
            kh, kw = (r % KK) // KW, r % KW
            dst = U(base + kh * dh * Wp + kw * dw)
            src = U(r * M + i * S)
            for j in range(U(S)):
                buffer[dst + j] += cf[src + j]


@parallel_jit
def unfold_padded(buffer, cols, n0, C, plane, Wp, KH, KW, dh, dw, sh, sw, OH, OW):
    """Fill strided ``cols`` (C*KH*KW, NB*OH*OW) from padded images ``n0 .. n0+NB``; parallel over rows."""
    M = cols.shape[1]
    KK = KH * KW
    cf = cols.reshape(-1)
    for r in prange(C * KK):
        c, kh, kw = r // KK, (r % KK) // KW, r % KW
        for i in range(M // (OH * OW)):
            base = ((n0 + i) * C + c) * plane + kh * dh * Wp + kw * dw
            for oh in range(OH):
                src = U(base + oh * sh * Wp)
                dst = U(r * M + (i * OH + oh) * OW)
                for j in range(U(OW)):
                    cf[dst + j] = buffer[src + j * U(sw)]


@parallel_jit
def fold_padded(cols, buffer, n0, C, plane, Wp, KH, KW, dh, dw, sh, sw, OH, OW):
    """Overwrite padded planes of images ``n0 .. n0+NB`` with the scatter-add of strided ``cols``.

    Parallel over (image, channel) planes.
    """
    M = cols.shape[1]
    KK = KH * KW
    cf = cols.reshape(-1)
    for t in prange((M // (OH * OW)) * C):
        i, c = t // C, t % C
        base = ((n0 + i) * C + c) * plane
        for j in range(U(base), U(base + plane)):
            buffer[j] = 0
        for r in range(c * KK, (c + 1) * KK):
            kh, kw = (r % KK) // KW, r % KW
            for oh in range(OH):
                dst = U(base + (oh * sh + kh * dh) * Wp + kw * dw)
                src = U(r * M + (i * OH + oh) * OW)
                for j in range(U(OW)):
                    buffer[dst + j * U(sw)] += cf[src + j]
