"""Synthetic lecture data sets: shapes, dtypes, determinism by seed and the stated formulas."""

import numpy as np
import pytest

from data import synthetic

CLASSIFICATION = [synthetic.make_xor, synthetic.make_moons, synthetic.make_spirals, synthetic.make_checkerboard,
                  synthetic.make_rosenbrock_classification]


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_sets_shapes_dtypes_and_seed(make):
    X, y = make(101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    again_X, again_y = make(101, seed=3)
    np.testing.assert_array_equal(X, again_X)
    np.testing.assert_array_equal(y, again_y)
    assert not np.array_equal(X, make(101, seed=4)[0])
    assert len(np.unique(y)) >= 2


def test_regression_set_shapes_dtypes_and_seed():
    X, y = synthetic.make_rosenbrock_regression(50, noise=0.5, seed=1)
    assert X.shape == (50, 2) and X.dtype == np.float32 and y.shape == (50,) and y.dtype == np.float32
    np.testing.assert_array_equal(y, synthetic.make_rosenbrock_regression(50, noise=0.5, seed=1)[1])
    assert not np.array_equal(y, synthetic.make_rosenbrock_regression(50, noise=0.5, seed=2)[1])


def test_xor_without_noise_is_the_truth_table():
    X, y = synthetic.make_xor(4, noise=0.0)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == [0, 1, 1, 0]


def test_moons_without_noise_lie_on_their_arcs():
    X, y = synthetic.make_moons(200, noise=0.0)
    upper, lower = X[y == 0].astype(np.float64), X[y == 1].astype(np.float64)
    assert len(upper) == len(lower) == 100
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, atol=1e-6)
    assert (lower[:, 1] <= 0.5 + 1e-6).all()


def test_spirals_without_noise_follow_their_arms():
    turns, k = 1.5, 3
    X, y = synthetic.make_spirals(300, n_classes=k, turns=turns, noise=0.0)
    assert np.bincount(y).tolist() == [100, 100, 100]
    r = np.hypot(X[:, 0], X[:, 1]).astype(np.float64)
    theta = 2 * np.pi * (turns * r + y / k)
    np.testing.assert_allclose(X, r[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1), atol=1e-5)


def test_checkerboard_labels_follow_the_tiles():
    X, y = synthetic.make_checkerboard(2000, n_tiles=2)
    assert (np.abs(X) <= 1).all()
    # With 2 x 2 tiles the board is the XOR of the signs: class 1 in the quadrants where x1 * x2 < 0.
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert 0.4 < y.mean() < 0.6


def test_rosenbrock_values_by_hand():
    assert synthetic.rosenbrock(1.0, 1.0) == 0.0
    assert synthetic.rosenbrock(0.0, 0.0) == 1.0
    assert synthetic.rosenbrock(-1.0, 1.0) == 4.0
    assert synthetic.rosenbrock(0.0, 1.0) == 101.0


def test_rosenbrock_regression_targets_are_the_function():
    X, y = synthetic.make_rosenbrock_regression(500, seed=0)
    x1, x2 = X[:, 0].astype(np.float64), X[:, 1].astype(np.float64)
    assert (x1 >= -2).all() and (x1 <= 2).all() and (x2 >= -1).all() and (x2 <= 3).all()
    np.testing.assert_allclose(y, (1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2, rtol=1e-6)


def test_rosenbrock_classification_is_the_level_set():
    X, y = synthetic.make_rosenbrock_classification(2000, level=50.0, seed=0)
    x1, x2 = X[:, 0].astype(np.float64), X[:, 1].astype(np.float64)
    np.testing.assert_array_equal(y, ((1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2 < 50).astype(np.int64))
    assert 0.2 < y.mean() < 0.4


def test_invalid_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        synthetic.make_moons(0)
    with pytest.raises(ValueError, match="noise"):
        synthetic.make_xor(4, noise=-1.0)
    with pytest.raises(ValueError, match="n_classes"):
        synthetic.make_spirals(10, n_classes=1)
