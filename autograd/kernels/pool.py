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

from ._jit import U, jit, parallel_jit, prange

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


@jit
def _valid_range(offset: int, stride: int, size: int, out_size: int) -> tuple[int, int]:
    """Output positions ``[lo, hi)`` whose input index ``pos * stride + offset`` lies in ``[0, size)``."""
    lo = 0 if offset >= 0 else (-offset + stride - 1) // stride
    hi = 0 if size - 1 - offset < 0 else min(out_size, (size - 1 - offset) // stride + 1)
    return lo, max(lo, hi)


@jit
def _window_table(out_size: int, K: int, stride: int, padding: int, dilation: int, size: int) -> np.ndarray:
    """Per output position along one axis: first tap inside the input, number of taps inside the input, and
    (for dilation 1) the window's extent clipped to the padded input, ``min(start + K, size + padding) - start``.
    """
    table = np.empty((out_size, 3), dtype=np.int64)
    for o in range(out_size):
        start = o * stride - padding
        lo, hi = _valid_range(start, dilation, size, K)
        table[o, 0] = start + lo * dilation
        table[o, 1] = hi - lo
        table[o, 2] = min(start + K, size + padding) - start
    return table


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
    where = np.full((N, C, OH, OW), -1, dtype=np.int64)
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


def max_pool2d_forward(
    x: np.ndarray, out: np.ndarray, indices: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Max pooling forward: ``out`` (N, C, OH, OW) and the int64 flat positions ``indices`` into each H*W plane.

    Padding counts as -inf; the first maximum in row-major window order wins, and a NaN wins over any number
    (of several NaNs the last one), as in PyTorch. A window with no tap inside the input gives -inf and index
    -1. Non-overlapping 2x2 windows (kernel = stride = (2, 2), no padding or dilation, floor mode) run a
    branch-free kernel (on float32, 2 cores: (64, 6, 28, 28) 0.41 vs 0.63 ms, (64, 16, 10, 10) 0.11 vs
    0.28 ms against the general one, in an earlier form; see ``_max_pool2d_2x2``);
    everything else runs direct loops over the taps inside the input (from per-axis window tables). Both are
    parallel over the N * C planes.
    """
    H, W = x.shape[2], x.shape[3]
    OH, OW = out.shape[2], out.shape[3]
    if (tuple(kernel), tuple(stride), tuple(padding), tuple(dilation)) == ((2, 2), (2, 2), (0, 0), (1, 1)) and (
        (OH, OW) == (H // 2, W // 2)
    ):
        _max_pool2d_2x2(x, out, indices)
    else:
        _max_pool2d_windows(x, out, indices, kernel, stride, padding, dilation)


@parallel_jit
def _max_pool2d_2x2(x: np.ndarray, out: np.ndarray, indices: np.ndarray) -> None:
    """:func:`max_pool2d_forward` for 2x2 windows with stride 2, in two branch-free passes per output row.

    Down the columns first: each pair of vertically adjacent inputs keeps its winner (a contiguous loop, which
    LLVM vectorises); then each pair of those, left and right. The tap order a (0), b (1), c (W), d (W + 1)
    decides as in the general kernel: a larger value wins, the lower position on a tie, and a NaN wins over
    any number, of several NaNs the one at the higher position (which is the last one in that order).
    On float32 this took 0.20-0.28 against 0.33-0.35 ms for (64, 6, 28, 28) and 0.11-0.14 against 0.14 ms for
    (64, 16, 10, 10) with one pass and select chains, which LLVM did not vectorise.
    """
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    xf, of, jf = x.reshape(-1), out.reshape(-1), indices.reshape(-1)
    # per plane and column: the winner of rows 2*oh and 2*oh + 1, and its tap, 0 (upper) or W (lower); one
    # allocation for all planes (one per plane cost more than the pooling of LeNet's (64, 16, 10, 10))
    column_bests = np.empty((N * C, 2 * OW), dtype=x.dtype)
    column_taps = np.empty((N * C, 2 * OW), dtype=np.int64)
    for p in prange(N * C):
        column_best, column_tap = column_bests[p], column_taps[p]
        for oh in range(OH):
            top = 2 * oh * W  # flat position of the window row's first tap inside the plane
            r0 = U(p * H * W + top)
            o = U((p * OH + oh) * OW)
            for j in range(U(2 * OW)):
                upper, lower = xf[r0 + j], xf[r0 + U(W) + j]
                take = (lower > upper) | (lower != lower)
                column_best[j] = lower if take else upper
                column_tap[j] = W if take else 0
            for ow in range(U(OW)):
                left, right = column_best[2 * ow], column_best[2 * ow + 1]
                left_tap, right_tap = column_tap[2 * ow], column_tap[2 * ow + 1] + 1
                left_nan, right_nan = left != left, right != right
                take = (right_nan & (~left_nan | (right_tap > left_tap))) | (
                    ~left_nan & ~right_nan & ((right > left) | ((right == left) & (right_tap < left_tap)))
                )
                of[o + ow] = right if take else left
                jf[o + ow] = top + 2 * ow + (right_tap if take else left_tap)


@parallel_jit
def _max_pool2d_windows(
    x: np.ndarray, out: np.ndarray, indices: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """:func:`max_pool2d_forward` for any window geometry."""
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    rows = _window_table(OH, kernel[0], stride[0], padding[0], dilation[0], H)
    cols = _window_table(OW, kernel[1], stride[1], padding[1], dilation[1], W)
    dh, dw = dilation[0], dilation[1]
    xf, of, jf = x.reshape(-1), out.reshape(-1), indices.reshape(-1)
    for p in prange(N * C):
        base = p * H * W
        for oh in range(OH):
            ih0, nh = rows[oh, 0], rows[oh, 1]
            for ow in range(OW):
                iw0, nw = cols[ow, 0], cols[ow, 1]
                best, where = -np.inf, -1
                if nh > 0 and nw > 0:
                    where = ih0 * W + iw0
                    best = xf[U(base + where)]
                for a in range(nh):
                    row = (ih0 + a * dh) * W + iw0
                    for b in range(nw):
                        value = xf[U(base + row + b * dw)]
                        if value > best or value != value:
                            best, where = value, row + b * dw
                o = U((p * OH + oh) * OW + ow)
                of[o] = best
                jf[o] = where


def max_pool2d_backward_ref(grad_out: np.ndarray, indices: np.ndarray, grad_x: np.ndarray) -> None:
    """Reference for :func:`max_pool2d_backward`, one ``np.add.at`` over the flattened planes."""
    N, C, H, W = grad_x.shape
    flat = np.zeros((N * C, H * W), dtype=grad_x.dtype)
    planes = np.broadcast_to(np.arange(N * C).reshape(N, C, 1, 1), indices.shape)
    inside = indices >= 0
    np.add.at(flat, (planes[inside], indices[inside]), grad_out[inside])
    grad_x[...] = flat.reshape(N, C, H, W)


@parallel_jit
def max_pool2d_backward(grad_out: np.ndarray, indices: np.ndarray, grad_x: np.ndarray) -> None:
    """Max pooling backward: zero ``grad_x`` (N, C, H, W), then scatter-add ``grad_out`` at ``indices``.

    Negative indices (windows with no tap inside the input) receive nothing. Parallel over the N * C planes
    (indices stay inside their own plane, so writes are disjoint).
    """
    N, C, H, W = grad_x.shape
    L = grad_out.shape[2] * grad_out.shape[3]
    gf, of, jf = grad_x.reshape(-1), grad_out.reshape(-1), indices.reshape(-1)
    for p in prange(N * C):
        base = p * H * W
        for j in range(U(base), U(base + H * W)):
            gf[j] = 0
        for i in range(U(p * L), U(p * L + L)):
            if jf[i] >= 0:
                gf[U(base + jf[i])] += of[i]


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
    window clipped to the input itself; a window with nothing inside gives 0. Sums accumulate in float64.
    Direct loops (from per-axis window tables), parallel over the N * C planes.
    """
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    rows = _window_table(OH, kernel[0], stride[0], padding[0], 1, H)
    cols = _window_table(OW, kernel[1], stride[1], padding[1], 1, W)
    xf, of = x.reshape(-1), out.reshape(-1)
    for p in prange(N * C):
        base = p * H * W
        for oh in range(OH):
            ih0, nh = rows[oh, 0], rows[oh, 1]
            for ow in range(OW):
                iw0, nw = cols[ow, 0], cols[ow, 1]
                o = U((p * OH + oh) * OW + ow)
                if nh == 0 or nw == 0:
                    of[o] = 0
                    continue
                total = 0.0
                for ih in range(ih0, ih0 + nh):
                    for j in range(U(base + ih * W + iw0), U(base + ih * W + iw0 + nw)):
                        total += xf[j]
                of[o] = total / (rows[oh, 2] * cols[ow, 2] if count_include_pad else nh * nw)


@parallel_jit
def avg_pool2d_backward(
    grad_out: np.ndarray, grad_x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool
) -> None:
    """Average pooling backward: each output's gradient, over its divisor, is added to its window in ``grad_x``.

    Same divisor rule as :func:`avg_pool2d_forward`; parallel over the N * C planes of grad_x (N, C, H, W).
    """
    N, C, H, W = grad_x.shape
    OH, OW = grad_out.shape[2], grad_out.shape[3]
    rows = _window_table(OH, kernel[0], stride[0], padding[0], 1, H)
    cols = _window_table(OW, kernel[1], stride[1], padding[1], 1, W)
    gf, of = grad_x.reshape(-1), grad_out.reshape(-1)
    for p in prange(N * C):
        base = p * H * W
        for j in range(U(base), U(base + H * W)):
            gf[j] = 0
        for oh in range(OH):
            ih0, nh = rows[oh, 0], rows[oh, 1]
            for ow in range(OW):
                iw0, nw = cols[ow, 0], cols[ow, 1]
                if nh == 0 or nw == 0:
                    continue
                divisor = rows[oh, 2] * cols[ow, 2] if count_include_pad else nh * nw
                share = of[U((p * OH + oh) * OW + ow)] / divisor
                for ih in range(ih0, ih0 + nh):
                    for j in range(U(base + ih * W + iw0), U(base + ih * W + iw0 + nw)):
                        gf[j] += share
