"""Benchmark the conv2d and max_pool2d kernels against their numpy references and, if installed, PyTorch.

Run from anywhere with any interpreter that has numpy and numba (the repository root is put on sys.path):

    .venv/bin/python bench/conv.py            # ours and the numpy reference
    /work/torchref/bin/python bench/conv.py   # the same, plus PyTorch and the ours/torch ratios

Every line reads ``name: value unit``. Times are in float32, the best of several runs after a warm-up (which
also compiles); ours and PyTorch take turns over five rounds, and the best of all rounds counts, because a
shared machine has busy spells. The numpy reference is timed once. "fwd+bwd" is the forward pass plus the
input and weight gradients. GFLOP/s counts 2 * N * O * (C / groups) * KH * KW * OH * OW per pass.
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd.kernels.conv import (  # noqa: E402
    conv2d_backward_input,
    conv2d_backward_input_ref,
    conv2d_backward_weight,
    conv2d_backward_weight_ref,
    conv2d_forward,
    conv2d_forward_ref,
    conv_output_size,
)
from autograd.kernels.pool import max_pool2d_backward, max_pool2d_forward, max_pool2d_forward_ref  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

CONV_SHAPES = [  # (N, C, H, W, O, k, stride, pad)
    (64, 1, 28, 28, 6, 5, 1, 2),
    (64, 6, 14, 14, 16, 5, 1, 0),
    (32, 64, 32, 32, 64, 3, 1, 1),
    (32, 3, 32, 32, 32, 3, 1, 1),
    (16, 128, 16, 16, 128, 3, 2, 1),
]
POOL_SHAPES = [(64, 6, 28, 28), (64, 16, 10, 10), (32, 64, 32, 32)]
ROUNDS = 5


def best_ms(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` calls after one warm-up call, in milliseconds.

    Sleeps first so thread pools left spinning by the previous contender (BLAS, OpenMP) are idle again.
    """
    time.sleep(0.3)
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def race(contenders: dict[str, Callable[[], object]], repeats: int, rounds: int = ROUNDS) -> dict[str, float]:
    """Best time of each contender over several rounds, taking turns, so a busy spell on a shared machine
    does not land on one contender only."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(rounds):
        for name, fn in contenders.items():
            best[name] = min(best[name], best_ms(fn, repeats))
    return best


def report(name: str, times: dict[str, float], gflop: float | None = None) -> None:
    for who, ms in times.items():
        print(f"{name} {who}: {ms:.3f} ms")
        if gflop is not None:
            print(f"{name} {who}: {gflop / ms * 1e3:.1f} GFLOP/s")
    for baseline in ("numpy_ref", "torch"):
        if baseline in times:
            print(f"{name} ours/{baseline}: {times['ours'] / times[baseline]:.3f} x")


def bench_conv(N: int, C: int, H: int, W: int, O: int, k: int, s: int, p: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, W), dtype=np.float32)
    w = rng.standard_normal((O, C, k, k), dtype=np.float32)
    OH, OW = conv_output_size(H, k, s, p, 1), conv_output_size(W, k, s, p, 1)
    out = np.empty((N, O, OH, OW), np.float32)
    g = rng.standard_normal(out.shape, dtype=np.float32)
    gx, gw = np.empty_like(x), np.empty_like(w)
    geometry = ((s, s), (p, p), (1, 1), 1)

    def passes(forward, backward_input, backward_weight) -> tuple[Callable, Callable]:
        def fwd() -> None:
            forward(x, w, out, *geometry)

        def fwd_bwd() -> None:  # as the conv2d op runs them: the weight gradient gets what the forward kept
            unfolded = forward(x, w, out, *geometry, True)
            backward_input(g, w, gx, *geometry)
            backward_weight(x, g, gw, *geometry, unfolded)

        return fwd, fwd_bwd

    ours = passes(conv2d_forward, conv2d_backward_input, conv2d_backward_weight)
    ref = passes(conv2d_forward_ref, conv2d_backward_input_ref, conv2d_backward_weight_ref)
    fwd, fwd_bwd = {"ours": ours[0]}, {"ours": ours[1]}
    if torch is not None:
        xt, wt, gt = (torch.from_numpy(a).requires_grad_() for a in (x, w, g))

        def torch_fwd() -> None:
            with torch.no_grad():
                F.conv2d(xt, wt, stride=s, padding=p)

        def torch_fwd_bwd() -> None:
            torch.autograd.grad(F.conv2d(xt, wt, stride=s, padding=p), (xt, wt), gt)

        fwd["torch"], fwd_bwd["torch"] = torch_fwd, torch_fwd_bwd
    fwd_times = {**race(fwd, repeats), "numpy_ref": best_ms(ref[0], 1)}
    fwd_bwd_times = {**race(fwd_bwd, repeats), "numpy_ref": best_ms(ref[1], 1)}
    gflop = 2 * N * O * C * k * k * OH * OW / 1e9
    name = f"conv2d {N}x{C}x{H}x{W} O={O} k={k} s={s} p={p}"
    report(f"{name} fwd", fwd_times, gflop)
    report(f"{name} fwd+bwd", fwd_bwd_times, 3 * gflop)


def bench_pool(N: int, C: int, H: int, W: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, W), dtype=np.float32)
    out = np.empty((N, C, H // 2, W // 2), np.float32)
    g = rng.standard_normal(out.shape, dtype=np.float32)
    indices = np.empty(out.shape, np.int64)
    gx = np.empty_like(x)
    args = ((2, 2), (2, 2), (0, 0), (1, 1))

    def fwd_bwd() -> None:
        max_pool2d_forward(x, out, indices, *args)
        max_pool2d_backward(g, indices, gx)

    fwd = {"ours": lambda: max_pool2d_forward(x, out, indices, *args)}
    both = {"ours": fwd_bwd}
    if torch is not None:
        xt, gt = torch.from_numpy(x).requires_grad_(), torch.from_numpy(g)

        def torch_fwd() -> None:
            with torch.no_grad():
                F.max_pool2d(xt, 2, 2, return_indices=True)

        fwd["torch"] = torch_fwd
        both["torch"] = lambda: torch.autograd.grad(F.max_pool2d(xt, 2, 2), (xt,), gt)
    name = f"max_pool2d 2x2/2 {N}x{C}x{H}x{W}"
    report(
        f"{name} fwd",
        {**race(fwd, repeats), "numpy_ref": best_ms(lambda: max_pool2d_forward_ref(x, out, indices, *args), 2)},
    )
    report(f"{name} fwd+bwd", race(both, repeats))


def main() -> None:
    for shape in CONV_SHAPES:
        bench_conv(*shape, repeats=10)
    for shape in POOL_SHAPES:
        bench_pool(*shape, repeats=20)


if __name__ == "__main__":
    main()
