"""Which convolution algorithm each pass runs, and the measurements behind the choice.

:func:`choose` is asked by every pass of :mod:`autograd.kernels.conv`. The ``layout`` it gets describes one
call (``conv._Columns``: N, C, O, OH, OW, KW, dw, Hp, Wp, rows = C * KH * KW, width = columns per output row
of the unfolded matrix, grid = whether the stride is (1, 1)). The rules, in the order they are tried:

- groups other than 1 always run unfold + GEMM.
- batch-last (:mod:`autograd.kernels.batch_last`) when groups is 1, the stride along W is 1, each output
  position takes at least :data:`BATCH_LAST_MIN_WORK` multiply-adds (C * KH * KW * O; below that the
  transposing copies into and out of batch-last order cost more than the positions saved), and the other
  layouts would compute at least :data:`BATCH_LAST_MIN_SAVING` times as many positions: the phase planes'
  blocks of OH * Wp positions per image against rows of OW * N (forward), their channel-major planes of
  Hq * Wp (+ the last row's reach) per image against OW * N rounded to a vector of 16 per row (weight
  gradient), the grid GEMM's Wp columns per output row against OW (input gradient). The thresholds are
  where it was measured faster on 2 cores (AMD EPYC Zen 4, float32, best of 3 x 30 runs, ms; phase planes
  / GEMM / batch-last; forward, input gradient, weight gradient), with the position ratio in brackets:
  (64,6,14,14) O=16 k5: 0.54 / 0.55 / 0.37 [1.6], 0.71 / 0.61 / 0.46 [1.4], 0.67 / 0.98 / 0.40 [2.0];
  (64,32,7,7) O=64 k3 p1: 2.2 / 2.6 / 1.6 [1.31], 2.8 / 2.4 / 1.8 [1.29], 2.7 / 2.9 / 1.8 [1.69];
  (32,128,8,8) O=128 k3 p1: 9.3 / 6.4 / 5.0 [1.5], 11.9 / 6.8 / 5.8 [1.25], 6.1 / 6.5 / 5.2-9.5 [1.59];
  (16,128,16,16) O=128 k3 p1: forward 13.7 / 10.1 / 7.8 [1.13]. But (16,128,16,16) weight 10.1 / 11.2 /
  13.9 [1.27]; (32,3,32,32) O=32 k3 p1: 0.87 / 1.05 / 1.72 [1.06], 1.72 / 1.30 / 2.36 [1.06], 1.05 /
  2.15 / 1.77 [1.13]; and with 150 multiply-adds per position, (64,1,28,28) O=6 k5 p2: forward 0.36 /
  0.73 / 0.44 [1.14], weight 0.38 / 1.38 / 0.49 [1.31], input 1.31 / 0.48 / 0.70 [1.14].
- direct (:mod:`autograd.kernels.direct`) when groups is 1 and, for a strided convolution, the pass writes
  at most :data:`STRIDED_DIRECT_MAX_PLANES` planes (O for the forward pass and the weight gradient, C for
  the input gradient), and, for the input gradient, when at least :data:`DIRECT_MIN_USEFUL` of its multiply-adds
  are useful: its full correlation also runs over grad_out's zero border and over C padded to a multiple
  of the kernel's plane block, which costs more than unfold + GEMM for small maps, large kernels or few
  channels. Direct passes do the multiply-adds without building the unfolded matrix, in register blocks;
  strided ones run on phase planes. Measured on 2 cores (float32, best of 30 in three interleaved rounds,
  GEMM -> direct, ms; forward / input gradient / weight gradient): (64,6,14,14) O=16 k5: 0.46 -> 0.34,
  0.48 vs 0.67 (GEMM kept), 0.55 -> 0.41; (32,3,32,32) O=32 k3 p1: 0.67 -> 0.56, 0.78 vs 1.35 (GEMM
  kept), 1.11 -> 0.72; (64,1,28,28) O=6 k5 p2: 0.98 -> 0.23, 0.68 vs 1.13 (GEMM kept), 1.23 -> 0.32;
  (32,64,32,32) O=64 k3 p1: 27 -> 19, 32 -> 18, 31 -> 17; (16,128,16,16) O=128 k3 p1: 9.5 -> 5.4, 9.6 ->
  5.8, 10.2 -> 7.8; (32,128,8,8) O=128 k3 p1: 5.9 -> 4.4, 5.6 -> 5.0, 6.0 -> 5.4; (8,256,14,14) O=256
  k3 p1: 13.0 -> 8.8, 12.5 -> 8.8, 13.3 -> 12.4. With stride 2: (64,6,28,28) O=16 k5 p2: 1.07
  -> 0.69, 1.34 -> 0.81, 1.13 -> 1.01; (64,16,28,28) O=32 k3 p1: 1.53 -> 1.10, 1.79 -> 1.36, 1.59 ->
  1.53; (32,32,32,32) O=64 k3 p1: 2.85 -> 2.23, 2.77 -> 2.28, 2.72 -> 2.50; but with more planes GEMM
  wins: (16,128,16,16) O=128 k3 p1: GEMM 2.08-2.62 / 2.35-3.04 / 2.36-2.72 against direct 2.86-3.37 /
  2.86-4.07 / 2.38-3.30, (32,256,8,8) O=256: 5.4 / 6.1 / 5.8 against 7.3 / 9.5 / 8.7 (the small phase
  planes waste more of each 32-position block, and four phase passes replace one GEMM).
- channels-last unfold + GEMM (:mod:`autograd.kernels.channels_last`) where unfold + GEMM would run on a
  strided convolution with one group, when C >= :data:`CHANNELS_LAST_MIN_RUN` * OW (its copies move runs of
  C channels instead of OW columns) and there are at least as many output positions N * OH * OW as filters
  O (its weight transposes cost about O * C * KH * KW elements each). Measured on 2 cores (float32; passes
  taking turns in one process, 300 rounds; median ms, forward / input gradient / weight gradient, unfold +
  GEMM -> channels-last): (16,128,16,16) O=128 k3 s2 p1: 4.23 / 5.16 / 5.63 -> 4.26 / 5.15 / 4.65, in a
  quieter hour best of 3 x 30 runs 2.42 / 2.71 / 2.62 -> 2.23 / 2.05 / 2.26; (32,256,8,8) O=256: 7.98 /
  12.71 / 8.66 -> 6.63 / 6.98 / 6.37; (32,64,16,16) O=128: 8.27 -> 6.78 in all; but (16,256,16,16)
  O=256, where it is used too, measured 37.3 -> 40.0 in all (within that hour's noise). Not used: (8,512,8,8)
  O=512 (128 positions; its weight transposes alone took 7 ms), (8,64,56,56) O=128 (C < 8 * OW; 21.1 ->
  25.4 in all).
- unfold + GEMM otherwise (:mod:`autograd.kernels.conv`).
"""

from .direct import PLANE_BLOCK, POSITION_BLOCK, _round_up

__all__ = ["ALGORITHM", "choose"]

Pair = tuple[int, int]

STRIDED_DIRECT_MAX_PLANES = 64  # a strided pass runs direct when it writes at most this many planes
DIRECT_MIN_USEFUL = 0.5  # the input gradient runs direct when at least this fraction of its work is useful
BATCH_LAST_MIN_SAVING = {"forward": 1.1, "input": 1.2, "weight": 1.5}  # see the module docstring
BATCH_LAST_MIN_WORK = 1024  # multiply-adds per output position (C * KH * KW * O) for batch-last to pay
CHANNELS_LAST_MIN_RUN = 8  # a strided GEMM pass runs channels-last when C >= this many times OW
ALGORITHM: str | None = None  # "gemm", "direct", "batch" or "channels_last": run it wherever it applies (tests)


def choose(kind: str, stride: Pair, groups: int, layout) -> str:
    """Which algorithm pass ``kind`` ("forward", "input" or "weight") runs: "gemm", "direct", "batch" or
    "channels_last" (see the module docstring)."""
    if groups != 1:
        return "gemm"
    if ALGORITHM is not None:
        return "gemm" if ALGORITHM == "batch" and stride[1] != 1 else ALGORITHM
    if stride[1] == 1 and _batch_last_pays(kind, stride, layout):
        return "batch"
    planes = layout.C if kind == "input" else layout.O
    strided_gemm = "channels_last" if _channels_last_pays(layout) else "gemm"
    if tuple(stride) != (1, 1) and planes > STRIDED_DIRECT_MAX_PLANES:
        return strided_gemm
    if kind != "input":
        return "direct"
    # the input gradient's full correlation also multiplies the zero border of grad_out, over every phase
    # plane position, and pads the C planes to a multiple of PLANE_BLOCK: run it only when most of its
    # multiply-adds count
    phase_positions = -(-layout.Hp // stride[0]) * -(-layout.Wp // stride[1])
    useful = layout.OH * layout.OW * planes
    if useful >= DIRECT_MIN_USEFUL * phase_positions * _round_up(planes, PLANE_BLOCK):
        return "direct"
    return "gemm" if layout.grid else strided_gemm


def _channels_last_pays(layout) -> bool:
    """Whether a strided unfold + GEMM pass runs faster channels-last: its copies move runs of C samples
    instead of OW, and it needs at least as many positions as filters, as its weight transposes cost about
    O * C * KH * KW (see the module docstring)."""
    return layout.C >= CHANNELS_LAST_MIN_RUN * layout.OW and layout.N * layout.OH * layout.OW >= layout.O


def _batch_last_pays(kind: str, stride: Pair, layout) -> bool:
    """Whether pass ``kind`` does enough work per position (:data:`BATCH_LAST_MIN_WORK`) and computes
    :data:`BATCH_LAST_MIN_SAVING` times fewer positions in the batch-last layout than in the others (stride
    (sh, 1); see the module docstring)."""
    N, OH, OW = layout.N, layout.OH, layout.OW
    if layout.rows * layout.O < BATCH_LAST_MIN_WORK:
        return False
    if kind == "forward":
        other, batch_last = N * _round_up(OH * layout.Wp, POSITION_BLOCK), OH * _round_up(OW * N, POSITION_BLOCK)
    elif kind == "weight":
        plane = -(-layout.Hp // stride[0]) * layout.Wp + (layout.KW - 1) * layout.dw
        other, batch_last = N * plane, OH * _round_up(OW * N, 16)
    else:
        other, batch_last = layout.width, OW
    return other >= BATCH_LAST_MIN_SAVING[kind] * batch_last
