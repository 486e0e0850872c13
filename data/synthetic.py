"""Small two-dimensional data sets from the lecture notes, generated from a seed.

Every function returns a pair of ndarrays ``(X, y)``: X float32 of shape (N, 2); y int64 class labels of shape
(N,) for the classification sets, float32 values of shape (N,) for the regression set. Wrap them with
``TensorDataset(X, y)`` to use a DataLoader. The same arguments and seed always give the same arrays; the seed
drives a private ``numpy.random.default_rng(seed)``, independent of the global generator. In the sets with
drawn classes, sample i belongs to class ``i mod K``, so the classes are balanced and interleaved.
"""

from __future__ import annotations

import numpy as np

ROSENBROCK_LOW = (-2.0, -1.0)
ROSENBROCK_HIGH = (2.0, 3.0)


def _check(n_samples: int, noise: float = 0.0) -> None:
    if n_samples < 1:
        raise ValueError(f"n_samples should be a positive integer, got {n_samples}")
    if noise < 0:
        raise ValueError(f"noise should be non-negative, got {noise}")


def make_xor(n_samples: int = 200, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """XOR: Gaussian blobs around the four corners of the unit square.

    Sample i sits at corner ``(a, b) = ((i // 2) mod 2, i mod 2)`` plus ``noise * N(0, I)`` and has label
    ``y = a XOR b``. With ``n_samples=4, noise=0`` this is the truth table
    (0, 0) -> 0, (0, 1) -> 1, (1, 0) -> 1, (1, 1) -> 0.

    Returns
    -------
    X : float32 (N, 2);  y : int64 (N,) in {0, 1}
    """
    _check(n_samples, noise)
    i = np.arange(n_samples)
    corners = np.stack([(i // 2) % 2, i % 2], axis=1)
    X = corners + noise * np.random.default_rng(seed).standard_normal((n_samples, 2))
    return X.astype(np.float32), (corners[:, 0] ^ corners[:, 1]).astype(np.int64)


def make_moons(n_samples: int = 200, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles.

    With t ~ U(0, pi): class 0 lies on the upper arc ``(cos t, sin t)``, class 1 on the lower arc
    ``(1 - cos t, 0.5 - sin t)``; then ``noise * N(0, I)`` is added.

    Returns
    -------
    X : float32 (N, 2);  y : int64 (N,) in {0, 1}
    """
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % 2
    t = rng.uniform(0, np.pi, n_samples)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    X = np.where(y[:, None] == 0, upper, lower) + noise * rng.standard_normal((n_samples, 2))
    return X.astype(np.float32), y.astype(np.int64)


def make_spirals(n_samples: int = 300, *, n_classes: int = 3, turns: float = 1.0, noise: float = 0.05,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """K interleaved spiral arms, one per class.

    With r ~ U(0, 1), class k has angle ``theta = 2 pi (turns * r + k / K)`` and point
    ``r (cos theta, sin theta) + noise * N(0, I)``: the arms start together at the origin and wind ``turns``
    times round it, rotated by 1/K of a turn from one another.

    Returns
    -------
    X : float32 (N, 2);  y : int64 (N,) in {0, ..., K - 1}
    """
    _check(n_samples, noise)
    if n_classes < 2:
        raise ValueError(f"make_spirals: n_classes should be at least 2, got {n_classes}")
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % n_classes
    r = rng.uniform(0, 1, n_samples)
    theta = 2 * np.pi * (turns * r + y / n_classes)
    X = r[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    X += noise * rng.standard_normal((n_samples, 2))
    return X.astype(np.float32), y.astype(np.int64)


def make_checkerboard(n_samples: int = 1000, *, n_tiles: int = 4,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-1, 1]^2, labelled by the colour of the square of an n_tiles x n_tiles board.

    ``y = (floor((x1 + 1) n / 2) + floor((x2 + 1) n / 2)) mod 2`` with n = n_tiles, so the square at the
    bottom-left corner is class 0 and neighbouring squares differ.

    Returns
    -------
    X : float32 (N, 2);  y : int64 (N,) in {0, 1}
    """
    _check(n_samples)
    if n_tiles < 1:
        raise ValueError(f"make_checkerboard: n_tiles should be a positive integer, got {n_tiles}")
    X = np.random.default_rng(seed).uniform(-1, 1, (n_samples, 2)).astype(np.float32)
    tiles = np.floor((X.astype(np.float64) + 1) * n_tiles / 2).astype(np.int64)
    return X, (tiles.sum(axis=1) % 2).astype(np.int64)


def rosenbrock(x1: np.ndarray, x2: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """Rosenbrock's function ``f(x1, x2) = (a - x1)^2 + b (x2 - x1^2)^2``, minimum 0 at (a, a^2).

    Its minimum lies at the bottom of a long, curved, flat valley along the parabola x2 = x1^2.
    """
    return (a - x1) ** 2 + b * (x2 - x1**2) ** 2


def _rosenbrock_inputs(n_samples: int, seed: int) -> tuple[np.ndarray, np.random.Generator]:
    rng = np.random.default_rng(seed)
    return rng.uniform(ROSENBROCK_LOW, ROSENBROCK_HIGH, (n_samples, 2)).astype(np.float32), rng


def make_rosenbrock_regression(n_samples: int = 1000, *, noise: float = 0.0, a: float = 1.0, b: float = 100.0,
                               seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Regression on Rosenbrock's valley: x uniform on [-2, 2] x [-1, 3], ``y = f(x1, x2) + noise * N(0, 1)``.

    f is :func:`rosenbrock`. Over this box f ranges from 0 to about 2,500, so standardise y (or fit
    log(1 + y)) before training.

    Returns
    -------
    X : float32 (N, 2);  y : float32 (N,)
    """
    _check(n_samples, noise)
    X, rng = _rosenbrock_inputs(n_samples, seed)
    y = rosenbrock(X[:, 0].astype(np.float64), X[:, 1].astype(np.float64), a, b)
    y += noise * rng.standard_normal(n_samples)
    return X, y.astype(np.float32)


def make_rosenbrock_classification(n_samples: int = 1000, *, level: float = 100.0, a: float = 1.0,
                                   b: float = 100.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inside or outside a level set of Rosenbrock's function: a banana-shaped decision boundary.

    x is uniform on [-2, 2] x [-1, 3] and ``y = 1 if f(x1, x2) < level else 0`` with f = :func:`rosenbrock`.
    The default level 100 puts about 43% of the box inside the valley.

    Returns
    -------
    X : float32 (N, 2);  y : int64 (N,) in {0, 1}
    """
    _check(n_samples)
    X, _ = _rosenbrock_inputs(n_samples, seed)
    inside = rosenbrock(X[:, 0].astype(np.float64), X[:, 1].astype(np.float64), a, b) < level
    return X, inside.astype(np.int64)
