"""Phase planes: the layout the direct convolution (:mod:`autograd.kernels.direct`) reads and writes.

Layout
------
An input of H x W, zero-padded to Hp x Wp, is split by stride into ``sh * sw`` phase planes of Hq x Wq (Hq
= ceil(Hp / sh), Wq = ceil(Wp / sw)): phase ``a * sw + b`` holds padded rows ``a, a + sh, ...`` and columns
``b, b + sw, ...``. With stride (1, 1) there is one phase, the padded plane itself. In a flat buffer each
plane takes ``plane`` elements: ``front`` zeros, ``rows`` rows of ``width`` elements, then zeros.

Planes are ordered image-major, ``((n * C + c) * phases + phase)``, or channel-major, ``((c * phases +
phase) * N + n)``. :func:`to_planes` writes a whole (N, C, H, W) array into that layout, padding
included; :func:`from_planes` reads an (N, C, H, W) array back out of plane-major results, where plane
(phase, c, n) starts at ``((phase * P + c) * N + n) * S``.

Parallel strategy: both copies run ``prange`` over (image, channel) pairs, each writing its own planes.
"""

import numpy as np

from ._jit import U, jit, parallel_jit, prange

__all__ = ["Phases", "from_planes", "from_planes_ref", "to_planes", "to_planes_ref"]

Pair = tuple[int, int]


class Phases:
    """Geometry of the phase planes of one convolution.

    ``taps`` lists, per kernel tap (kh, kw) in row-major order, its phase index ``a * sw + b`` and its
    shift ``(kh*dh // sh) * Wq + kw*dw // sw`` inside the phase plane. ``plane`` is Hq * Wq plus the largest
    column shift, so a tap's read of OH rows of Wq stays inside its own plane.
    """

    def __init__(self, in_hw: tuple, kernel_hw: tuple, out_hw: tuple, stride: Pair, padding: Pair, dilation: Pair):
        (self.H, self.W), (self.KH, self.KW), (self.OH, self.OW) = in_hw, kernel_hw, out_hw
        (self.sh, self.sw), (self.ph, self.pw) = stride, padding
        self.Hq, self.Wq = -(-(self.H + 2 * self.ph) // self.sh), -(-(self.W + 2 * self.pw) // self.sw)
        self.phases = self.sh * self.sw
        rows, cols = np.arange(self.KH) * dilation[0], np.arange(self.KW) * dilation[1]
        phase = (rows % self.sh)[:, None] * self.sw + cols % self.sw
        shift = (rows // self.sh)[:, None] * self.Wq + cols // self.sw
        self.taps = np.stack([phase.ravel(), shift.ravel()], axis=1)  # (KH * KW, 2)
        self.plane = self.Hq * self.Wq + int(cols[-1] // self.sw)

    def split(self, x: np.ndarray, channel_major: bool, extra: int) -> np.ndarray:
        """x (N, C, H, W) as this geometry's zero-padded phase planes, followed by ``extra`` zeros."""
        N, C = x.shape[:2]
        buffer = np.empty(N * C * self.phases * self.plane + extra, dtype=x.dtype)
        buffer[buffer.shape[0] - extra :] = 0
        to_planes(x, buffer, channel_major, 0, self.plane, self.ph, self.pw, self.sh, self.sw, self.Hq, self.Wq)
        return buffer

    def offsets(self, channels: int, channel_stride: int) -> np.ndarray:
        """Offsets of taps (c, kh, kw), row-major: ``c * channel_stride + phase * phase_stride + shift``, where
        a channel's phases are consecutive planes (phase_stride = channel_stride // phases)."""
        phase, shift = self.taps[:, 0], self.taps[:, 1]
        per_channel = phase * (channel_stride // self.phases) + shift
        return (np.arange(channels)[:, None] * channel_stride + per_channel).ravel().astype(np.int64)


def _plane_index(n: int, c: int, phase: int, N: int, C: int, phases: int, channel_major: bool) -> int:
    return (c * phases + phase) * N + n if channel_major else (n * C + c) * phases + phase


def to_planes_ref(
    src: np.ndarray,
    buffer: np.ndarray,
    channel_major: bool,
    front: int,
    plane: int,
    ph: int,
    pw: int,
    sh: int,
    sw: int,
    rows: int,
    width: int,
) -> None:
    """Reference for :func:`to_planes`: pad with numpy, then slice each phase."""
    N, C, H, W = src.shape
    padded = np.zeros((N, C, max(rows * sh, H + ph), max(width * sw, W + pw)), dtype=src.dtype)
    padded[:, :, ph : ph + H, pw : pw + W] = src
    for n in range(N):
        for c in range(C):
            for phase in range(sh * sw):
                base = _plane_index(n, c, phase, N, C, sh * sw, channel_major) * plane
                block = padded[n, c, phase // sw :: sh, phase % sw :: sw][:rows, :width]
                buffer[base : base + plane] = 0
                buffer[base + front : base + front + rows * width] = block.ravel()


@jit
def _valid_range(offset: int, step: int, count: int, size: int) -> tuple[int, int]:
    """The range [lo, hi) of k < count with 0 <= k * step + offset < size."""
    lo = max(0, -(offset // step)) if offset < 0 else 0
    hi = min(count, max(0, (size - offset + step - 1) // step))
    return lo, max(lo, hi)


@parallel_jit
def to_planes(src, buffer, channel_major, front, plane, ph, pw, sh, sw, rows, width):
    """Write src (N, C, H, W) into the phase planes of ``buffer`` (see the module docstring), overwriting
    every element of the N * C * sh * sw planes: ``front`` zeros, then ``rows`` rows of ``width`` where row
    i, column j of phase (a, b) is ``src[n, c, i*sh + a - ph, j*sw + b - pw]`` (zero outside src), then
    zeros up to ``plane``."""
    N, C, H, W = src.shape
    phases = sh * sw
    sf = src.reshape(-1)
    for q in prange(N * C):
        n, c = q // C, q % C
        for phase in range(phases):
            a, b = phase // sw, phase % sw
            index = (c * phases + phase) * N + n if channel_major else (n * C + c) * phases + phase
            base = index * plane
            i_lo, i_hi = _valid_range(a - ph, sh, rows, H)
            j_lo, j_hi = _valid_range(b - pw, sw, width, W)
            for k in range(U(base), U(base + front + i_lo * width)):
                buffer[k] = 0
            for i in range(i_lo, i_hi):
                start = U(base + front + i * width)
                first = U((q * H + i * sh + a - ph) * W + j_lo * sw + b - pw)  # src of column j_lo
                for j in range(U(j_lo)):
                    buffer[start + j] = 0
                dst = start + U(j_lo)
                if sw == 1:  # a contiguous copy, which LLVM vectorises
                    for j in range(U(j_hi - j_lo)):
                        buffer[dst + j] = sf[first + j]
                else:
                    for j in range(U(j_hi - j_lo)):
                        buffer[dst + j] = sf[first + j * U(sw)]
                for j in range(U(j_hi), U(width)):
                    buffer[start + j] = 0
            for k in range(U(base + front + i_hi * width), U(base + plane)):
                buffer[k] = 0


def from_planes_ref(
    buffer: np.ndarray, out: np.ndarray, planes: int, S: int, ph: int, pw: int, sh: int, sw: int, width: int
) -> None:
    """Reference for :func:`from_planes`: gather each phase, interleave with numpy, crop the padding."""
    N, C, H, W = out.shape
    rows = -(-(H + ph) // sh)
    results = buffer[: sh * sw * planes * N * S].reshape(sh * sw, planes, N, S)[:, :C, :, : rows * width]
    grid = results.reshape(sh, sw, C, N, rows, width).transpose(3, 2, 4, 0, 5, 1)
    out[...] = grid.reshape(N, C, rows * sh, width * sw)[:, :, ph : ph + H, pw : pw + W]


@parallel_jit
def from_planes(buffer, out, planes, S, ph, pw, sh, sw, width):
    """Read out (N, C, H, W) from plane-major results: ``out[n, c, h, w]`` is element ``i * width + j`` of
    plane (phase, c, n), which starts at ``((phase * planes + c) * N + n) * S``, where ``h + ph = i*sh + a``,
    ``w + pw = j*sw + b`` and phase = ``a * sw + b``."""
    N, C, H, W = out.shape
    of = out.reshape(-1)
    for q in prange(N * C):
        n, c = q // C, q % C
        for phase in range(sh * sw):
            a, b = phase // sw, phase % sw
            base = ((phase * planes + c) * N + n) * S
            i_lo, i_hi = _valid_range(a - ph, sh, S // width + 1, H)
            j_lo, j_hi = _valid_range(b - pw, sw, width, W)
            for i in range(i_lo, i_hi):
                src = U(base + i * width + j_lo)
                first = U((q * H + i * sh + a - ph) * W + j_lo * sw + b - pw)  # out of column j_lo
                if sw == 1:  # a contiguous copy, which LLVM vectorises
                    for j in range(U(j_hi - j_lo)):
                        of[first + j] = buffer[src + j]
                else:
                    for j in range(U(j_hi - j_lo)):
                        of[first + j * U(sw)] = buffer[src + j]
