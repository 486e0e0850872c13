"""Train a reference model on the bundled MNIST: ``python -m stepgrad.train`` (what ``make train`` runs).

Prints, per epoch, the training loss and accuracy, the test accuracy and the wall time (a tqdm progress bar
runs during the epoch), then the final test error.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from tqdm import tqdm

import autograd
import data
import nn
import nn.functional as F
import optim
from stepgrad.models import MODELS

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def mnist_arrays(train: bool) -> tuple[np.ndarray, np.ndarray]:
    """Normalised images (N, 1, 28, 28) float32 and labels (N,) int64 of the bundled MNIST."""
    dataset = data.MNIST(train=train)
    images = (dataset.data.numpy().astype(np.float32) / 255.0 - MNIST_MEAN) / MNIST_STD
    return images[:, None, :, :], dataset.targets.numpy().astype(np.int64)


def random_shifts(images: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Translate each image (N, 1, H, W) by its own random whole-pixel shift in [-max_shift, max_shift]."""
    if max_shift == 0:
        return images
    n, _, h, w = images.shape
    background = images.min()
    padded = np.pad(images, ((0, 0), (0, 0), (max_shift, max_shift), (max_shift, max_shift)),
                    constant_values=background)
    dy, dx = rng.integers(0, 2 * max_shift + 1, size=(2, n))
    rows = dy[:, None] + np.arange(h)[None, :]
    cols = dx[:, None] + np.arange(w)[None, :]
    return padded[np.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]][:, None]


def evaluate(model: nn.Module, images: np.ndarray, labels: np.ndarray, batch_size: int = 1000) -> float:
    """Accuracy of ``model`` on the arrays, in eval mode and without recording a graph."""
    model.eval()
    correct = 0
    with autograd.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(autograd.from_numpy(images[start:start + batch_size]))
            correct += int((logits.argmax(dim=1).numpy() == labels[start:start + batch_size]).sum())
    return correct / len(images)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m stepgrad.train", description=__doc__)
    parser.add_argument("--model", choices=sorted(MODELS), default="lenet5")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--shift", type=int, default=2, help="random translations of up to this many pixels")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="use only this many training images (quick runs)")
    parser.add_argument("--save", default="", help="write the trained state_dict to this safetensors file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> float:
    """Train, print the per-epoch report, and return the final test error (a fraction)."""
    args = parse_args(argv)
    autograd.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train_x, train_y = mnist_arrays(train=True)
    test_x, test_y = mnist_arrays(train=False)
    if args.limit:
        train_x, train_y = train_x[: args.limit], train_y[: args.limit]

    model = MODELS[args.model]()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    # Classic piecewise schedule: the rate drops tenfold for the last third of training.
    scheduler = optim.lr_scheduler.MultiStepLR(optimizer, milestones=[max(1, (2 * args.epochs) // 3)], gamma=0.1)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {args.model} ({params:,} parameters); optimizer: SGD lr={args.lr} momentum={args.momentum}; "
          f"batch {args.batch_size}; {len(train_x):,} training images; shifts up to {args.shift} px")

    steps = (len(train_x) + args.batch_size - 1) // args.batch_size
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        order = rng.permutation(len(train_x))
        images = random_shifts(train_x[order], args.shift, rng)
        labels = train_y[order]
        total_loss, correct = 0.0, 0
        bar = tqdm(range(steps), desc=f"epoch {epoch}", leave=False, disable=args.no_progress, file=sys.stderr)
        for step in bar:
            xb = images[step * args.batch_size:(step + 1) * args.batch_size]
            yb = labels[step * args.batch_size:(step + 1) * args.batch_size]
            logits = model(autograd.from_numpy(xb))
            loss = F.cross_entropy(logits, autograd.from_numpy(yb))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(yb)
            correct += int((logits.detach().argmax(dim=1).numpy() == yb).sum())
            if step % 50 == 0:
                bar.set_postfix(loss=f"{loss.item():.4f}")
        scheduler.step()
        seconds = time.perf_counter() - start
        test_acc = evaluate(model, test_x, test_y)
        print(f"epoch {epoch:2d}: loss {total_loss / len(train_x):.4f}  train acc {correct / len(train_x):.2%}  "
              f"test acc {test_acc:.2%}  time {seconds:.1f}s", flush=True)

    error = 1.0 - evaluate(model, test_x, test_y)
    print(f"test error: {error:.2%} ({round(error * len(test_x))} of {len(test_x):,} test images wrong)")
    if args.save:
        autograd.save(model.state_dict(), args.save)
        print(f"saved the trained weights to {args.save}")
    return error


if __name__ == "__main__":
    main()
