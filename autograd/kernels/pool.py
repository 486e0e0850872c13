"""2-D max and average pooling kernels and their numpy references.

Conventions shared by every function here
-----------------------------------------
- Layout: ``x`` is (N, C, H, W); the output is (N, C, OH, OW). 1-D pooling is the case H = 1.
- ``kernel``, ``stride``, ``padding`` and ``dilation`` are tuples of two ints ``(along H, along W)``;
  padding is symmetric.
- The caller decides OH and OW (floor or ceil mode) through the shape of ``out``; a window may therefore
  run past the padded edge, and only the part inside the input is read.
- Arrays are C-contiguous; the caller allocates outputs and kernels overwrite them completely.

Algorithm and parallel strategy
-------------------------------
Direct loops over each window. Every (n, c) plane is independent, so all kernels run ``prange`` over the
N * C planes: a plane's outputs (and, in the backward passes, its gradient plane) belong to one thread.
"""

import numpy as np

from ._jit import parallel_jit, prange

__all__ = [
    "avg_pool2d_backward",
    "avg_pool2d_backward_ref",
    "avg_pool2d_forward",
    "avg_pool2d_forward_ref",
    "max_pool2d_backward",
    "max_pool2d_backward_ref",
    "max_pool2d_forward",
    "max_pool2d_forward_ref",
]

Pair = tuple[int, int]


# ---------------------------------------------------------------------------------------------------------
# max pooling
# ---------------------------------------------------------------------------------------------------------


def max_pool2d_forward_ref(
    x: np.ndarray, out: np.ndarray, indices: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Reference for :func:`max_pool2d_forward`, one numpy step per window tap (kh, kw) in row-major order."""
    N, C, H, W = x.shape
    OH, OW = out.shape[2:]
    best = np.full((N, C, OH, OW), -np.inf, dtype=x.dtype)
    where = np.zeros((N, C, OH, OW), dtype=np.int64)
    found = np.zeros((N, C, OH, OW), dtype=bool)
    ohs, ows = np.arange(OH), np.arange(OW)
    for kh in range(kernel[0]):
        ih = ohs * stride[0] - padding[0] + kh * dilation[0]
        for kw in range(kernel[1]):
            iw = ows * stride[1] - padding[1] + kw * dilation[1]
            valid = ((ih >= 0) & (ih < H))[:, None] & ((iw >= 0) & (iw < W))[None, :]
            value = x[:, :, np.clip(ih, 0, H - 1)[:, None], np.clip(iw, 0, W - 1)[None, :]]
            take = valid & ((value > best) | np.isnan(value) | ~found)
            best = np.where(take, value, best)
            where = np.where(take, ih[:, None] * W + iw[None, :], where)
            found |= valid
    out[...] = best
    indices[...] = where


@parallel_jit
def max_pool2d_forward(
    x: np.ndarray, out: np.ndarray, indices: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Max pooling forward: ``out`` (N, C, OH, OW) and the int64 flat positions ``indices`` into each H*W plane.

    Padding counts as -inf; the first maximum in row-major window order wins, a NaN always wins (it
    propagates), and a window holding only -inf points at its first position inside the input, as in PyTorch.
    Direct loops, parallel over the N * C planes.
    """
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    KH, KW = kernel
    for p in prange(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        for oh in range(OH):
            h0 = oh * stride[0] - padding[0]
            for ow in range(OW):
                w0 = ow * stride[1] - padding[1]
                best = -np.inf
                where = -1
                for kh in range(KH):
                    ih = h0 + kh * dilation[0]
                    if ih < 0 or ih >= H:
                        continue
                    for kw in range(KW):
                        iw = w0 + kw * dilation[1]
                        if iw < 0 or iw >= W:
                            continue
                        value = plane[ih, iw]
                        if value > best or value != value or where < 0:
                            best = value
                            where = ih * W + iw
                out[n, c, oh, ow] = best
                indices[n, c, oh, ow] = where


def max_pool2d_backward_ref(grad_out: np.ndarray, indices: np.ndarray, grad_x: np.ndarray) -> None:
    """Reference for :func:`max_pool2d_backward`, one ``np.add.at`` over the flattened planes."""
    N, C, H, W = grad_x.shape
    flat = np.zeros((N * C, H * W), dtype=grad_x.dtype)
    rows = np.repeat(np.arange(N * C), indices[0, 0].size)
    np.add.at(flat, (rows, indices.reshape(-1)), grad_out.reshape(-1))
    grad_x[...] = flat.reshape(N, C, H, W)


@parallel_jit
def max_pool2d_backward(grad_out: np.ndarray, indices: np.ndarray, grad_x: np.ndarray) -> None:
    """Max pooling backward: zero ``grad_x`` (N, C, H, W), then scatter-add ``grad_out`` at ``indices``.

    Parallel over the N * C planes (indices stay inside their own plane, so writes are disjoint).
    """
    N, C, H, W = grad_x.shape
    L = grad_out.shape[2] * grad_out.shape[3]
    for p in prange(N * C):
        n, c = p // C, p % C
        dst = grad_x[n, c].reshape(H * W)
        dst[:] = 0
        src = grad_out[n, c].reshape(L)
        where = indices[n, c].reshape(L)
        for i in range(L):
            dst[where[i]] += src[i]


# ---------------------------------------------------------------------------------------------------------
# average pooling
# ---------------------------------------------------------------------------------------------------------


def _taps(k: int, stride: int, out_size: int) -> slice:
    """Positions (in padded coordinates) that window tap k covers at each of ``out_size`` outputs."""
    return slice(k, k + stride * (out_size - 1) + 1, stride)


def _avg_divisors(H: int, W: int, OH: int, OW: int, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool):
    """(OH, OW) divisors of PyTorch's rule: the window clipped to the padded input, or to the input itself."""
    bounds = []
    for size, out_size, k, s, p in zip((H, W), (OH, OW), kernel, stride, padding, strict=True):
        start = np.arange(out_size) * s - p
        end = np.minimum(start + k, size + p)
        if count_include_pad:
            bounds.append(end - start)
        else:
            bounds.append(np.maximum(np.minimum(end, size) - np.maximum(start, 0), 0))
    return np.outer(bounds[0], bounds[1])


def avg_pool2d_forward_ref(
    x: np.ndarray, out: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool
) -> None:
    """Reference for :func:`avg_pool2d_forward`: sum of zero-padded window taps over the divisor."""
    N, C, H, W = x.shape
    OH, OW = out.shape[2:]
    # pad generously so windows that run past the padded edge (ceil mode) still slice in bounds
    extra_h = max(0, (OH - 1) * stride[0] + kernel[0] - H - padding[0])
    extra_w = max(0, (OW - 1) * stride[1] + kernel[1] - W - padding[1])
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding[0], extra_h), (padding[1], extra_w)))
    total = np.zeros((N, C, OH, OW), dtype=x.dtype)
    for kh in range(kernel[0]):
        for kw in range(kernel[1]):
            total += x_pad[:, :, _taps(kh, stride[0], OH), _taps(kw, stride[1], OW)]
    divisor = _avg_divisors(H, W, OH, OW, kernel, stride, padding, count_include_pad)
    out[...] = np.where(divisor > 0, total / np.maximum(divisor, 1), 0)


def avg_pool2d_backward_ref(
    grad_out: np.ndarray, grad_x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool
) -> None:
    """Reference for :func:`avg_pool2d_backward`: each tap scatter-adds ``grad_out / divisor``."""
    N, C, H, W = grad_x.shape
    OH, OW = grad_out.shape[2:]
    extra_h = max(0, (OH - 1) * stride[0] + kernel[0] - H - padding[0])
    extra_w = max(0, (OW - 1) * stride[1] + kernel[1] - W - padding[1])
    g_pad = np.zeros((N, C, H + padding[0] + extra_h, W + padding[1] + extra_w), dtype=grad_x.dtype)
    divisor = _avg_divisors(H, W, OH, OW, kernel, stride, padding, count_include_pad)
    share = np.where(divisor > 0, grad_out / np.maximum(divisor, 1), 0)
    for kh in range(kernel[0]):
        for kw in range(kernel[1]):
            g_pad[:, :, _taps(kh, stride[0], OH), _taps(kw, stride[1], OW)] += share
    grad_x[...] = g_pad[:, :, padding[0] : padding[0] + H, padding[1] : padding[1] + W]


@parallel_jit
def avg_pool2d_forward(
    x: np.ndarray, out: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool
) -> None:
    """Average pooling forward into ``out`` (N, C, OH, OW), with PyTorch's divisor rule.

    The divisor is the window clipped to the padded input (H + padding) when ``count_include_pad``, else the
    window clipped to the input itself; a window with nothing inside gives 0. Direct loops, parallel over
    the N * C planes.
    """
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    for p in prange(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        for oh in range(OH):
            h0 = oh * stride[0] - padding[0]
            h1 = min(h0 + kernel[0], H + padding[0])
            ha, hb = max(h0, 0), min(h1, H)
            for ow in range(OW):
                w0 = ow * stride[1] - padding[1]
                w1 = min(w0 + kernel[1], W + padding[1])
                wa, wb = max(w0, 0), min(w1, W)
                if ha >= hb or wa >= wb:
                    out[n, c, oh, ow] = 0
                    continue
                divisor = (h1 - h0) * (w1 - w0) if count_include_pad else (hb - ha) * (wb - wa)
                total = plane.dtype.type(0)
                for ih in range(ha, hb):
                    for iw in range(wa, wb):
                        total += plane[ih, iw]
                out[n, c, oh, ow] = total / divisor


@parallel_jit
def avg_pool2d_backward(
    grad_out: np.ndarray, grad_x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool
) -> None:
    """Average pooling backward: each output's gradient, over its divisor, is added to its window in ``grad_x``.

    Same divisor rule as :func:`avg_pool2d_forward`; parallel over the N * C planes of grad_x (N, C, H, W).
    """
    N, C, H, W = grad_x.shape
    OH, OW = grad_out.shape[2], grad_out.shape[3]
    for p in prange(N * C):
        n, c = p // C, p % C
        plane = grad_x[n, c]
        plane[:, :] = 0
        for oh in range(OH):
            h0 = oh * stride[0] - padding[0]
            h1 = min(h0 + kernel[0], H + padding[0])
            ha, hb = max(h0, 0), min(h1, H)
            for ow in range(OW):
                w0 = ow * stride[1] - padding[1]
                w1 = min(w0 + kernel[1], W + padding[1])
                wa, wb = max(w0, 0), min(w1, W)
                if ha >= hb or wa >= wb:
                    continue
                divisor = (h1 - h0) * (w1 - w0) if count_include_pad else (hb - ha) * (wb - wa)
                share = grad_out[n, c, oh, ow] / divisor
                for ih in range(ha, hb):
                    for iw in range(wa, wb):
                        plane[ih, iw] += share
