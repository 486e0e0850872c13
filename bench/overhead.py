"""Per-op overhead: a chain of 1,000 small elementwise ops (add, mul, tanh on 10-element tensors).

Prints ``name: value unit`` lines: microseconds per op for the forward pass and for forward+backward, for
stepgrad, for the same chain in plain numpy (forward only, and a hand-written backward), and for PyTorch
when it is installed, with the ratios. Target: stepgrad forward+backward within 2.5x of PyTorch eager.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import autograd  # noqa: E402

CHAIN = 1000  # ops per run: CHAIN // 3 rounds of add, mul, tanh
REPEATS = 15


def best_times(runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall time in seconds of each run over REPEATS rounds in which the runs take turns, so a disturbed
    stretch of a shared machine hurts every contender alike."""
    for fn in runs.values():
        fn()  # warm-up
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(REPEATS):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def stepgrad_chain(backward: bool) -> Callable[[], object]:
    x = autograd.tensor(np.linspace(-1, 1, 10, dtype=np.float32), requires_grad=True)
    c = autograd.tensor(np.full(10, 0.5, dtype=np.float32))

    def run() -> object:
        y = x
        for _ in range(CHAIN // 3):
            y = (y + c) * c
            y = y.tanh()
        if backward:
            y.sum().backward()
            x.grad = None
        return y

    return run


def numpy_chain(backward: bool) -> Callable[[], object]:
    x = np.linspace(-1, 1, 10, dtype=np.float32)
    c = np.full(10, 0.5, dtype=np.float32)

    def run() -> object:
        y = x
        saved = []
        for _ in range(CHAIN // 3):
            y = (y + c) * c
            y = np.tanh(y)
            saved.append(y)
        if backward:
            g = np.ones_like(y)
            for t in reversed(saved):
                g = g * (1 - t * t)
                g = g * c
        return y

    return run


def torch_chain(torch, backward: bool) -> Callable[[], object]:  # noqa: ANN001
    x = torch.linspace(-1, 1, 10, requires_grad=True)
    c = torch.full((10,), 0.5)

    def run() -> object:
        y = x
        for _ in range(CHAIN // 3):
            y = (y + c) * c
            y = y.tanh()
        if backward:
            y.sum().backward()
            x.grad = None
        return y

    return run


def main() -> None:
    ops = (CHAIN // 3) * 3
    runs = {}
    for backward in (False, True):
        runs[("stepgrad", backward)] = stepgrad_chain(backward)
        runs[("numpy", backward)] = numpy_chain(backward)
    try:
        import torch

        torch.set_num_threads(1)
        for backward in (False, True):
            runs[("pytorch", backward)] = torch_chain(torch, backward)
    except ImportError:
        print("pytorch: not installed (ratios against PyTorch skipped)")
    results = {key: seconds / ops * 1e6 for key, seconds in best_times(runs).items()}

    for (name, backward), us in results.items():
        print(f"{name}_{'forward_backward' if backward else 'forward'}: {us:.2f} us/op")
    for backward in (False, True):
        label = "forward_backward" if backward else "forward"
        ours = results[("stepgrad", backward)]
        print(f"ratio_vs_numpy_{label}: {ours / results[('numpy', backward)]:.2f} x")
        if ("pytorch", backward) in results:
            print(f"ratio_vs_pytorch_{label}: {ours / results[('pytorch', backward)]:.2f} x (target <= 2.5)")


if __name__ == "__main__":
    main()
