"""unfold + GEMM in channels-last order (N, H, W, C), for strided convolutions with many channels.

Why
---
The unfold of :mod:`autograd.kernels._unfold` copies, for every tap of every channel, one strided run of
OW samples per output row; with stride 2 on a small map (OW = 8) each run is a handful of elements and the
copy is bound by its per-run overhead: on (16, 128, 16, 16) with 128 3x3 filters and stride 2, unfolding
took 0.57 ms and folding 0.86 ms against 1.8 ms for each GEMM. In channels-last order every (position, tap)
pair is one contiguous run of C samples instead: the same unfold took 0.10-0.14 ms and the fold 0.14 ms,
plus 0.18-0.33 ms for each transposing copy between NCHW and channels-last.

Those transposing copies work one image at a time, into a padded channels-last image that stays in the
core's L2 cache, and the unfold (or fold) of that image follows at once. A whole padded batch (2.3 MB in
the example) was written out to L3 or memory and read back: the three passes took 7.7 ms (best of 100,
median 8.5) that way and 6.9 ms (median 7.6) fused per image. Run in parallel, a copy over the whole
batch was no faster: with the caches flushed, 0.63 ms serial and 0.80 ms on two threads.

The forward pass can keep its unfolded input (``keep_unfolded``) for the weight gradient of the same x,
which then skips its own unfold: the conv2d op does this when the weight needs a gradient, and frees the
matrix with the graph. It is kept only when the whole batch is one chunk, so it costs at most
:data:`~autograd.kernels._workspace.COLS_BYTES` per layer. On the example, the three passes in a row took
7.99 -> 7.67 ms (best of 100; median 9.41 -> 8.98), and in another hour 8.39 -> 7.52 (best of 150 in runs
of five; median 10.7 -> 10.2).

Layout
------
- ``images`` (T, Hp, Wp, C): one zero-padded channels-last image per worker thread (Hp = H + 2 * pad_h,
  Wp = W + 2 * pad_w).
- ``cols`` (N, OH, OW, KH * KW * C): row (n, oh, ow) holds, tap after tap ((kh, kw) in row-major order),
  the C channels that tap sees at that output position.
- the weight as a matrix (O, KH * KW * C), columns in the order of a row of ``cols``.

Passes (one group, any stride and dilation)
-------------------------------------------
- forward: ``out (N * OH * OW, O) = cols @ W_rows.T``, then transposed into NCHW.
- weight gradient: ``grad_W_rows (O, KH * KW * C) = grad_out_rows.T @ cols``, with grad_out transposed to
  (N * OH * OW, O), then reordered to (O, C, KH, KW).
- input gradient: ``dcols = grad_out_rows @ W_rows``, then :func:`fold_channels_last` adds each tap's
  channels into an image's padded gradient, which is cropped and transposed back into NCHW.

:mod:`autograd.kernels.algorithm` says when this layout is used, with the measurements.

Like :mod:`autograd.kernels.conv`'s unfold + GEMM, the passes work on chunks of images whose unfolded
matrix fits :data:`~autograd.kernels._workspace.COLS_BYTES`.

Parallel strategy: the unfold and the fold run ``prange`` over T runs of images, one per worker thread,
each with its own padded image and writing its own images' memory; the GEMMs run in numpy's BLAS.
Intermediate arrays come from :func:`~autograd.kernels._workspace.scratch`.
"""

from collections.abc import Iterator

import numpy as np

from ._jit import U, jit, parallel_jit, prange, thread_count
from ._workspace import image_chunk_size, scratch

__all__ = [
    "channels_last_backward_input",
    "channels_last_backward_weight",
    "channels_last_forward",
    "fold_channels_last",
    "fold_channels_last_ref",
    "unfold_channels_last",
    "unfold_channels_last_ref",
]

Pair = tuple[int, int]


def _pad(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    """x (N, C, H, W) zero-padded and transposed to (N, Hp, Wp, C), with numpy."""
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))).transpose(0, 2, 3, 1)


def _tap_slices(KH: int, KW: int, C: int, dh: int, dw: int, sh: int, sw: int, OH: int, OW: int):
    """Yield ``(rows, cols, channels)``: for each tap, the padded rows and columns it reads at all output
    positions, and its slice of a row of ``cols``."""
    for kh in range(KH):
        for kw in range(KW):
            rows = slice(kh * dh, kh * dh + sh * (OH - 1) + 1, sh)
            cols = slice(kw * dw, kw * dw + sw * (OW - 1) + 1, sw)
            yield rows, cols, slice((kh * KW + kw) * C, (kh * KW + kw + 1) * C)


def unfold_channels_last_ref(
    x: np.ndarray, cols: np.ndarray, images: np.ndarray, ph: int, pw: int, *taps: int
) -> None:
    """Reference for :func:`unfold_channels_last`: pad and transpose, then one strided numpy slice per tap."""
    KH, KW, dh, dw, sh, sw = taps
    padded, (OH, OW) = _pad(x, ph, pw), cols.shape[1:3]
    for rows, columns, channels in _tap_slices(KH, KW, x.shape[1], dh, dw, sh, sw, OH, OW):
        cols[..., channels] = padded[:, rows, columns]


@jit
def _pad_image(xf, first, image, C, H, W, ph, pw):
    """Overwrite image (Hp, Wp, C) with the image of flat xf starting at ``first`` (C, H, W), zero-padded."""
    Hp, Wp = image.shape[0], image.shape[1]
    pf, line = image.reshape(-1), Wp * C
    for h in range(Hp):
        base = U(h * line)
        if not 0 <= h - ph < H:
            for k in range(U(line)):
                pf[base + k] = 0
            continue
        for k in range(U(pw * C)):
            pf[base + k] = 0
        for k in range(U((pw + W) * C), U(line)):
            pf[base + k] = 0
        for c in range(C):
            # a contiguous read of the channel's row; the strided writes stay in the cache lines of this row
            s, d = U(first + (c * H + h - ph) * W), base + U(pw * C + c)
            for w in range(U(W)):
                pf[d + w * U(C)] = xf[s + w]


@parallel_jit
def unfold_channels_last(x, cols, images, ph, pw, KH, KW, dh, dw, sh, sw):
    """Fill cols (N, OH, OW, KH * KW * C) from x (N, C, H, W) (C-contiguous) zero-padded by (ph, pw): row
    (n, oh, ow) holds, for each tap (kh, kw), the C samples at padded position (oh * sh + kh * dh,
    ow * sw + kw * dw). Each image is first padded into channels-last order in ``images`` (T, Hp, Wp, C),
    one buffer per worker (T >= 1; the images are split into T runs)."""
    N, C, H, W = x.shape
    _, OH, OW, K = cols.shape
    T, Wp = images.shape[0], images.shape[2]
    xf, cf = x.reshape(-1), cols.reshape(-1)
    for t in prange(T):
        image = images[t]
        pf = image.reshape(-1)
        for n in range(t * N // T, (t + 1) * N // T):
            _pad_image(xf, n * C * H * W, image, C, H, W, ph, pw)
            for oh in range(OH):
                for ow in range(OW):
                    row = U(((n * OH + oh) * OW + ow) * K)
                    for kh in range(KH):
                        for kw in range(KW):
                            src = U(((oh * sh + kh * dh) * Wp + ow * sw + kw * dw) * C)
                            dst = row + U((kh * KW + kw) * C)
                            for c in range(U(C)):
                                cf[dst + c] = pf[src + c]


def fold_channels_last_ref(
    cols: np.ndarray, grad_x: np.ndarray, images: np.ndarray, ph: int, pw: int, *taps: int
) -> None:
    """Reference for :func:`fold_channels_last`: one strided numpy slice per tap, then crop and transpose."""
    KH, KW, dh, dw, sh, sw = taps
    N, C, H, W = grad_x.shape
    padded, (OH, OW) = np.zeros((N, H + 2 * ph, W + 2 * pw, C), grad_x.dtype), cols.shape[1:3]
    for rows, columns, channels in _tap_slices(KH, KW, C, dh, dw, sh, sw, OH, OW):
        padded[:, rows, columns] += cols[..., channels]
    grad_x[...] = padded[:, ph : ph + H, pw : pw + W].transpose(0, 3, 1, 2)


@parallel_jit
def fold_channels_last(cols, grad_x, images, ph, pw, KH, KW, dh, dw, sh, sw):
    """Overwrite grad_x (N, C, H, W) with the adjoint of :func:`unfold_channels_last` applied to cols
    (N, OH, OW, KH * KW * C): each image's taps are scatter-added into its channels-last padded image in
    ``images`` (T, Hp, Wp, C), which is then cropped and transposed into grad_x."""
    N, C, H, W = grad_x.shape
    _, OH, OW, K = cols.shape
    T, Hp, Wp = images.shape[0], images.shape[1], images.shape[2]
    gf, cf = grad_x.reshape(-1), cols.reshape(-1)
    for t in prange(T):
        pf = images[t].reshape(-1)
        for n in range(t * N // T, (t + 1) * N // T):
            for k in range(U(Hp * Wp * C)):
                pf[k] = 0
            for oh in range(OH):
                for ow in range(OW):
                    row = U(((n * OH + oh) * OW + ow) * K)
                    for kh in range(KH):
                        for kw in range(KW):
                            dst = U(((oh * sh + kh * dh) * Wp + ow * sw + kw * dw) * C)
                            src = row + U((kh * KW + kw) * C)
                            for c in range(U(C)):
                                pf[dst + c] += cf[src + c]
            for h in range(H):
                first = U(((h + ph) * Wp + pw) * C)
                for c in range(C):
                    s, d = first + U(c), U(((n * C + c) * H + h) * W)
                    for w in range(U(W)):
                        gf[d + w] = pf[s + w * U(C)]


class _Geometry:
    """Sizes of one channels-last convolution, and its buffers for a chunk of ``nb`` images."""

    def __init__(self, x_shape: tuple, w_shape: tuple, out_hw: tuple, stride: Pair, padding: Pair, dilation: Pair):
        self.N, self.C, self.H, self.W = x_shape
        self.O, _, self.KH, self.KW = w_shape
        self.OH, self.OW = out_hw
        (self.ph, self.pw), self.taps = padding, (self.KH, self.KW, *dilation, *stride)
        self.K = self.C * self.KH * self.KW
        self.P = self.OH * self.OW

    def chunks(self, dtype: np.dtype) -> Iterator[slice]:
        """Slices of images whose unfolded matrix fits :data:`~autograd.kernels._workspace.COLS_BYTES`."""
        NB = image_chunk_size(self.N, self.P * self.K * np.dtype(dtype).itemsize)
        return (slice(n0, min(n0 + NB, self.N)) for n0 in range(0, self.N, NB))

    def images(self, dtype: np.dtype) -> np.ndarray:
        """One padded channels-last image (Hp, Wp, C) per worker thread, for the unfold and the fold."""
        shape = (thread_count(), self.H + 2 * self.ph, self.W + 2 * self.pw, self.C)
        return scratch("channels_last.images", shape, dtype)

    def cols(self, nb: int, dtype: np.dtype) -> np.ndarray:
        return scratch("channels_last.cols", (nb, self.OH, self.OW, self.K), dtype)

    def unfold(self, x: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """x (nb, C, H, W) unfolded into ``cols`` (nb, OH, OW, KH * KW * C) (default: a scratch buffer), as a
        (nb * OH * OW, KH * KW * C) matrix."""
        cols = self.cols(x.shape[0], x.dtype) if cols is None else cols
        unfold_channels_last(x, cols, self.images(x.dtype), self.ph, self.pw, *self.taps)
        return cols.reshape(-1, self.K)

    def fold(self, cols: np.ndarray, grad_x: np.ndarray) -> None:
        """Overwrite grad_x (nb, C, H, W) with the fold of cols (nb, OH, OW, KH * KW * C)."""
        fold_channels_last(cols, grad_x, self.images(grad_x.dtype), self.ph, self.pw, *self.taps)

    def weight_rows(self, weight: np.ndarray) -> np.ndarray:
        """weight (O, C, KH, KW) as (O, KH * KW * C), columns in the order of a row of ``cols``."""
        rows = scratch("channels_last.weight", (self.O, self.KH, self.KW, self.C), weight.dtype)
        rows[...] = weight.transpose(0, 2, 3, 1)
        return rows.reshape(self.O, self.K)

    def grad_rows(self, grad_out: np.ndarray) -> np.ndarray:
        """grad_out (nb, O, OH, OW) as (nb * OH * OW, O)."""
        nb = grad_out.shape[0]
        rows = scratch("channels_last.grad_out", (nb, self.P, self.O), grad_out.dtype)
        rows[...] = grad_out.reshape(nb, self.O, self.P).transpose(0, 2, 1)
        return rows.reshape(nb * self.P, self.O)


def channels_last_forward(
    x: np.ndarray,
    weight: np.ndarray,
    out: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    keep_unfolded: bool = False,
) -> np.ndarray | None:
    """One-group convolution of x (N, C, H, W) with weight (O, C, KH, KW) into out (N, O, OH, OW).

    With ``keep_unfolded``, when the whole batch is one chunk, the unfolded input (N, OH, OW, KH * KW * C)
    is built in a new array and returned, for :func:`channels_last_backward_weight`; otherwise returns None.
    """
    layout = _Geometry(x.shape, weight.shape, out.shape[2:], stride, padding, dilation)
    w_rows = layout.weight_rows(weight)
    chunks = list(layout.chunks(x.dtype))
    kept = None
    if keep_unfolded and len(chunks) == 1:  # one chunk is at most COLS_BYTES: that bounds a kept matrix
        kept = np.empty((layout.N, layout.OH, layout.OW, layout.K), x.dtype)
    for images in chunks:
        cols = layout.unfold(x[images], kept)
        result = scratch("channels_last.result", (cols.shape[0] // layout.P, layout.P, layout.O), x.dtype)
        np.matmul(cols, w_rows.T, out=result.reshape(cols.shape[0], layout.O))
        out[images].reshape(result.shape[0], layout.O, layout.P)[...] = result.transpose(0, 2, 1)
    return kept


def channels_last_backward_input(
    grad_out: np.ndarray, weight: np.ndarray, grad_x: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> None:
    """Input gradient (transposed convolution) of :func:`channels_last_forward` into grad_x (N, C, H, W);
    positions no tap reaches (transposed convolution's ``output_padding``) get zero."""
    layout = _Geometry(grad_x.shape, weight.shape, grad_out.shape[2:], stride, padding, dilation)
    w_rows = layout.weight_rows(weight)
    for images in layout.chunks(grad_x.dtype):
        g = layout.grad_rows(grad_out[images])
        cols = layout.cols(g.shape[0] // layout.P, grad_x.dtype)
        np.matmul(g, w_rows, out=cols.reshape(g.shape[0], layout.K))
        layout.fold(cols, grad_x[images])


def channels_last_backward_weight(
    x: np.ndarray,
    grad_out: np.ndarray,
    grad_w: np.ndarray,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    unfolded: np.ndarray | None = None,
) -> None:
    """Weight gradient of :func:`channels_last_forward` into grad_w (O, C, KH, KW).

    ``unfolded``: the matrix :func:`channels_last_forward` kept for this x, which saves unfolding x again.
    """
    layout = _Geometry(x.shape, grad_w.shape, grad_out.shape[2:], stride, padding, dilation)
    if unfolded is None:
        pieces = ((images, layout.unfold(x[images])) for images in layout.chunks(x.dtype))
    else:
        expected = (layout.N, layout.OH, layout.OW, layout.K)
        if unfolded.shape != expected or unfolded.dtype != x.dtype:
            raise ValueError(
                f"channels_last_backward_weight: unfolded input of shape {unfolded.shape} and dtype "
                f"{unfolded.dtype} does not match x {x.shape} {x.dtype}: expected {expected} {x.dtype}"
            )
        pieces = [(slice(0, layout.N), unfolded.reshape(-1, layout.K))]
    # columns in (kh, kw, c) order; the first chunk writes the sum, later ones add to it
    total = scratch("channels_last.weight_grad", (layout.O, layout.K), grad_w.dtype)
    for i, (images, cols) in enumerate(pieces):
        part = total if i == 0 else scratch("channels_last.weight_part", total.shape, grad_w.dtype)
        np.matmul(layout.grad_rows(grad_out[images]).T, cols, out=part)
        if i > 0:
            total += part
    grad_w[...] = total.reshape(layout.O, layout.KH, layout.KW, layout.C).transpose(0, 3, 1, 2)
