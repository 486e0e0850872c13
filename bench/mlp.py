"""One MNIST epoch of the 784-800-10 MLP (SGD lr 0.1, batch 64): stepgrad against a hand-written numpy loop
and, when installed, PyTorch, each in its own process so peak memory is its own.

Prints ``name: value unit`` lines: seconds per epoch (the fastest of ``--rounds`` runs taking turns), peak
RSS, RSS growth between step 1,000 and the last step of a long run (10,000 steps with ``--long``), and the
ratios. Targets: stepgrad within 1.1x of numpy's epoch time; peak RSS at most PyTorch's; no growth.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

BATCH, LR, HIDDEN = 64, 0.1, 800


def rss_mib() -> float:
    """Current resident set size in MiB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_mnist() -> tuple[np.ndarray, np.ndarray]:
    import data

    train = data.MNIST(train=True)
    x = ((train.data.numpy().astype(np.float32) / 255.0 - 0.1307) / 0.3081).reshape(-1, 784)
    return x, train.targets.numpy().astype(np.int64)


def batches(x: np.ndarray, y: np.ndarray, steps: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    done = 0
    while done < steps:
        order = rng.permutation(len(x))
        for start in range(0, len(x) - BATCH + 1, BATCH):
            if done == steps:
                return
            idx = order[start:start + BATCH]
            yield x[idx], y[idx]
            done += 1


def run_stepgrad(x, y, steps):  # noqa: ANN001, ANN201
    import autograd
    import nn
    import nn.functional as F
    import optim

    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10))
    opt = optim.SGD(model.parameters(), lr=LR)

    def step(xb, yb):  # noqa: ANN001, ANN202
        loss = F.cross_entropy(model(autograd.from_numpy(xb)), autograd.from_numpy(yb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step


def run_numpy(x, y, steps):  # noqa: ANN001, ANN201
    rng = np.random.default_rng(0)
    b1 = 1 / np.sqrt(784)
    w1 = rng.uniform(-b1, b1, (HIDDEN, 784)).astype(np.float32)
    c1 = rng.uniform(-b1, b1, HIDDEN).astype(np.float32)
    b2 = 1 / np.sqrt(HIDDEN)
    w2 = rng.uniform(-b2, b2, (10, HIDDEN)).astype(np.float32)
    c2 = rng.uniform(-b2, b2, 10).astype(np.float32)

    def step(xb, yb):  # noqa: ANN001, ANN202
        h = xb @ w1.T + c1
        a = np.maximum(h, 0)
        logits = a @ w2.T + c2
        shifted = logits - logits.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -logp[np.arange(len(yb)), yb].mean()
        g = np.exp(logp)
        g[np.arange(len(yb)), yb] -= 1
        g /= len(yb)
        gw2, gc2 = g.T @ a, g.sum(0)
        ga = g @ w2
        ga[h <= 0] = 0
        gw1, gc1 = ga.T @ xb, ga.sum(0)
        for p, gp in ((w1, gw1), (c1, gc1), (w2, gw2), (c2, gc2)):
            p -= LR * gp
        return loss

    return step


def run_torch(x, y, steps):  # noqa: ANN001, ANN201
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step(xb, yb):  # noqa: ANN001, ANN202
        loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(xb)), torch.from_numpy(yb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step


RUNNERS = {"stepgrad": run_stepgrad, "numpy": run_numpy, "pytorch": run_torch}


def child(framework: str, steps: int) -> None:
    x, y = load_mnist()
    step = RUNNERS[framework](x, y, steps)
    for xb, yb in batches(x, y, 20):  # warm-up (BLAS, caches)
        step(xb, yb)
    rss_at_1000 = None
    start = time.perf_counter()
    for i, (xb, yb) in enumerate(batches(x, y, steps), 1):
        loss = step(xb, yb)
        if i == 1000:
            rss_at_1000 = rss_mib()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "steps": steps, "peak_rss": peak_rss_mib(), "rss_1000": rss_at_1000,
                      "rss_end": rss_mib(), "loss": float(loss)}))


def measure(framework: str, steps: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--child", framework, "--steps", str(steps)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        if framework == "pytorch" and "No module named 'torch'" in proc.stderr:
            return None
        raise RuntimeError(f"{framework} run failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=sorted(RUNNERS))
    parser.add_argument("--steps", type=int, default=60000 // BATCH)
    parser.add_argument("--long", action="store_true", help="run 10,000 steps to check that memory does not grow")
    parser.add_argument("--rounds", type=int, default=3, help="runs per framework, taking turns; the fastest counts")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.steps)
        return
    steps = 10_000 if args.long else args.steps
    epoch_steps = 60000 // BATCH
    # Frameworks take turns for a few rounds and each keeps its fastest run: on a shared machine single runs
    # vary by tens of percent, and the least disturbed run is the fairest comparison.
    results: dict[str, dict | None] = {}
    for _ in range(1 if args.long else args.rounds):
        for name in RUNNERS:
            if name in results and results[name] is None:
                continue
            run = measure(name, steps)
            best = results.get(name)
            if best is None or (run is not None and run["seconds"] < best["seconds"]):
                results[name] = run
    for name, r in results.items():
        if r is None:
            print(f"{name}: not installed")
            continue
        print(f"{name}_epoch: {r['seconds'] * epoch_steps / r['steps']:.2f} s")
        print(f"{name}_peak_rss: {r['peak_rss']:.0f} MiB")
        if r["rss_1000"] is not None:
            print(f"{name}_rss_growth_after_step_1000: {r['rss_end'] - r['rss_1000']:+.1f} MiB over "
                  f"{r['steps'] - 1000} steps")
    ours = results["stepgrad"]
    print(f"ratio_vs_numpy_epoch: {ours['seconds'] / results['numpy']['seconds']:.2f} x (target <= 1.1)")
    if results["pytorch"]:
        print(f"ratio_vs_pytorch_epoch: {ours['seconds'] / results['pytorch']['seconds']:.2f} x")
        print(f"ratio_vs_pytorch_peak_rss: {ours['peak_rss'] / results['pytorch']['peak_rss']:.2f} x (target <= 1)")


if __name__ == "__main__":
    main()
