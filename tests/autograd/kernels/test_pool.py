"""Pooling kernels: hand examples, PyTorch's divisor rule, and parity with the numpy references."""

import math

import numpy as np
import pytest

from autograd.kernels.pool import (
    avg_pool2d_backward,
    avg_pool2d_backward_ref,
    avg_pool2d_forward,
    avg_pool2d_forward_ref,
    max_pool2d_backward,
    max_pool2d_backward_ref,
    max_pool2d_forward,
    max_pool2d_forward_ref,
)

TOLERANCE = {np.float32: 1e-5, np.float64: 1e-12}
GRID = np.array([[5, 2, -3, 0], [2, -1, 4, -1], [-4, -4, -3, 0], [3, 5, 0, -1]], dtype=np.float64)[None, None]


def pool_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's pooling output size; in ceil mode the last window must start inside the input or left padding."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def random_case(seed: int, dtype: type) -> dict:
    rng = np.random.default_rng(seed)
    H = 1 if seed % 4 == 0 else int(rng.integers(2, 9))
    W = int(rng.integers(2, 10))
    kernel = (1 if H == 1 else int(rng.integers(1, min(H, 3) + 1)), int(rng.integers(1, 4)))
    stride = tuple(int(s) for s in rng.integers(1, 4, size=2))
    padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
    dilation = (1, int(rng.integers(1, 3))) if seed % 2 else (1, 1)
    ceil_mode = bool(rng.integers(0, 2))
    out_shape = [
        pool_output_size(*args, ceil_mode) for args in zip((H, W), kernel, stride, padding, dilation, strict=True)
    ]
    x = rng.standard_normal((2, 3, H, W)).astype(dtype)
    x[0, 0, 0, 0] = -np.inf
    return {
        "x": x,
        "grad_out": rng.standard_normal((2, 3, *out_shape)).astype(dtype),
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
    }


def test_hand_examples() -> None:
    for forward in (max_pool2d_forward, max_pool2d_forward_ref):
        out, indices = np.empty((1, 1, 2, 2)), np.empty((1, 1, 2, 2), dtype=np.int64)
        forward(GRID, out, indices, (2, 2), (2, 2), (0, 0), (1, 1))
        np.testing.assert_array_equal(out[0, 0], [[5, 4], [5, 0]])
        np.testing.assert_array_equal(indices[0, 0], [[0, 6], [13, 11]])
    for forward in (avg_pool2d_forward, avg_pool2d_forward_ref):
        out = np.empty((1, 1, 2, 2))
        forward(GRID, out, (2, 2), (2, 2), (0, 0), True)
        np.testing.assert_array_equal(out[0, 0], [[2, 0], [0, -1]])


@pytest.mark.parametrize("forward", [avg_pool2d_forward, avg_pool2d_forward_ref])
def test_avg_divisor_rule(forward) -> None:
    """Values from PyTorch: ceil-mode windows past the padded edge are clipped to H + padding, or to H."""
    out = np.empty((1, 1, 3, 3))
    forward(np.ones((1, 1, 4, 4)), out, (3, 3), (2, 2), (1, 1), True)
    np.testing.assert_allclose(out[0, 0], [[4 / 9, 2 / 3, 1 / 3], [2 / 3, 1, 1 / 2], [1 / 3, 1 / 2, 1 / 4]])
    forward(np.ones((1, 1, 4, 4)), out, (3, 3), (2, 2), (1, 1), False)
    np.testing.assert_array_equal(out[0, 0], np.ones((3, 3)))
    out = np.empty((1, 1, 2, 2))
    forward(np.arange(1.0, 10.0).reshape(1, 1, 3, 3), out, (2, 2), (2, 2), (0, 0), True)
    np.testing.assert_array_equal(out[0, 0], [[3, 4.5], [7.5, 9]])
    forward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), out, (2, 2), (2, 2), (1, 1), True)
    np.testing.assert_array_equal(out[0, 0], [[0.25, 0.5], [0.75, 1]])


def test_max_pool_nan_propagates_and_ties_pick_first() -> None:
    x = np.array([[[[1.0, 3.0, 3.0, np.nan]]]])
    out, indices = np.empty((1, 1, 1, 2)), np.empty((1, 1, 1, 2), dtype=np.int64)
    max_pool2d_forward(x, out, indices, (1, 2), (1, 2), (0, 0), (1, 1))
    assert out[0, 0, 0, 0] == 3 and np.isnan(out[0, 0, 0, 1])
    max_pool2d_forward(x, out, indices, (1, 3), (1, 1), (0, 0), (1, 1))
    assert indices[0, 0, 0, 0] == 1 and indices[0, 0, 0, 1] == 3


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(12))
def test_max_pool_parity(seed: int, dtype: type) -> None:
    case = random_case(seed, dtype)
    x, grad_out = case["x"], case["grad_out"]
    geometry = (case["kernel"], case["stride"], case["padding"], case["dilation"])
    results = []
    for forward, backward in (
        (max_pool2d_forward, max_pool2d_backward),
        (max_pool2d_forward_ref, max_pool2d_backward_ref),
    ):
        out, indices, grad_x = np.empty_like(grad_out), np.empty(grad_out.shape, np.int64), np.empty_like(x)
        forward(x, out, indices, *geometry)
        backward(grad_out, indices, grad_x)
        results.append((out, indices, grad_x))
    (out, indices, grad_x), (out_ref, indices_ref, grad_x_ref) = results
    np.testing.assert_array_equal(out, out_ref)
    np.testing.assert_array_equal(indices, indices_ref)
    np.testing.assert_allclose(grad_x, grad_x_ref, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(12))
def test_avg_pool_parity(seed: int, dtype: type, count_include_pad: bool) -> None:
    case = random_case(seed, dtype)
    x, grad_out = np.nan_to_num(case["x"], neginf=0.0), case["grad_out"]
    geometry = (case["kernel"], case["stride"], case["padding"], count_include_pad)
    results = []
    for forward, backward in (
        (avg_pool2d_forward, avg_pool2d_backward),
        (avg_pool2d_forward_ref, avg_pool2d_backward_ref),
    ):
        out, grad_x = np.empty_like(grad_out), np.empty_like(x)
        forward(x, out, *geometry)
        backward(grad_out, grad_x, *geometry)
        results.append((out, grad_x))
    for got, want in zip(*results, strict=True):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 3, 6, 8), (1, 2, 5, 7)])  # odd sizes: the last row/column is dropped
def test_max_pool_2x2_fast_path_matches_reference(shape: tuple, dtype: type) -> None:
    """The 2x2/stride-2 kernel, with ties (rounded values), -inf and NaN pairs inside windows."""
    rng = np.random.default_rng(len(shape) + shape[-1])
    x = np.round(rng.standard_normal(shape)).astype(dtype)
    x[0, 0, 0, :2] = np.nan  # two NaNs in one window: the last one's position wins
    x[0, 1, :2, :2] = -np.inf
    x[-1, -1, 2, 3] = np.nan
    out_shape = (*shape[:2], shape[2] // 2, shape[3] // 2)
    results = []
    for forward in (max_pool2d_forward, max_pool2d_forward_ref):
        out, indices = np.empty(out_shape, dtype), np.empty(out_shape, np.int64)
        forward(x, out, indices, (2, 2), (2, 2), (0, 0), (1, 1))
        results.append((out, indices))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    assert results[0][1][0, 0, 0, 0] == 1 and results[0][1][0, 1, 0, 0] == 0
