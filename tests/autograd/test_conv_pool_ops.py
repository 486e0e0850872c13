"""Convolution and pooling ops: the classic worked examples, PyTorch's sizes, gradients and error messages."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

X = np.array([[1, 2, 2, -2], [1, 0, 2, 4], [2, -1, -1, 3], [0, 0, -3, -2]], dtype=np.float32)
K = np.array([[1, 0, 3], [2, -1, -1], [0, 1, -3]], dtype=np.float32)
P = np.array([[5, 2, -3, 0], [2, -1, 4, -1], [-4, -4, -3, 0], [3, 5, 0, -1]], dtype=np.float32)


def t(array, **kwargs):  # noqa: ANN001, ANN201
    return autograd.tensor(np.asarray(array), **kwargs)


def test_classic_convolution_example_without_flip() -> None:
    out = autograd.conv2d(t(X[None, None]), t(K[None, None]))
    np.testing.assert_array_equal(out.numpy()[0, 0], [[9, -20], [22, 11]])


def test_classic_pooling_example() -> None:
    x = t(P[None, None])
    np.testing.assert_array_equal(autograd.avg_pool2d(x, 2).numpy()[0, 0], [[2, 0], [0, -1]])
    np.testing.assert_array_equal(autograd.max_pool2d(x, 2).numpy()[0, 0], [[5, 4], [5, 0]])


@pytest.mark.parametrize(("stride", "expected"), [(1, 10), (2, 5)])
def test_output_size_formula(stride: int, expected: int) -> None:
    out = autograd.conv2d(autograd.zeros(1, 1, 10, 10), autograd.zeros(1, 1, 3, 3), padding=1, stride=stride)
    assert out.shape == (1, 1, expected, expected)


def test_max_pool_routes_the_gradient_to_the_maximum() -> None:
    x = t(P[None, None], requires_grad=True)
    autograd.max_pool2d(x, 2).sum().backward()
    expected = np.zeros((4, 4))
    for r, c in [(0, 0), (1, 2), (3, 1), (2, 3)]:
        expected[r, c] = 1
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], expected)


def test_conv_gradients_match_the_adjoint_definitions() -> None:
    rng = np.random.default_rng(0)
    x = t(rng.normal(size=(2, 3, 6, 5)), requires_grad=True)
    w = t(rng.normal(size=(4, 3, 3, 2)), requires_grad=True)
    b = t(rng.normal(size=4), requires_grad=True)
    g = rng.normal(size=(2, 4, 3, 6))
    autograd.conv2d(x, w, b, stride=(2, 1), padding=1).backward(t(g))
    # Numerical gradient of <conv(x, w), g> via the numpy reference kernel, checked at a few points.
    from autograd.kernels.conv import conv2d_forward_ref

    def objective(xv: np.ndarray, wv: np.ndarray) -> float:
        out = np.empty(g.shape)
        conv2d_forward_ref(xv, wv, out, (2, 1), (1, 1), (1, 1), 1)
        return float((out * g).sum())

    eps = 1e-6
    for index in [(0, 0, 0, 0), (1, 2, 5, 4), (0, 1, 3, 2)]:
        xp, xm = x.detach().numpy().copy(), x.detach().numpy().copy()
        xp[index] += eps
        xm[index] -= eps
        numeric = (objective(xp, w.detach().numpy()) - objective(xm, w.detach().numpy())) / (2 * eps)
        assert x.grad.numpy()[index] == pytest.approx(numeric, rel=1e-6, abs=1e-8)
    np.testing.assert_allclose(b.grad.numpy(), g.sum(axis=(0, 2, 3)))


def test_conv_transpose_inverts_the_shape_of_a_strided_conv() -> None:
    x = autograd.zeros(2, 3, 7, 7)
    w = autograd.zeros(3, 5, 3, 3)
    out = autograd.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
    assert out.shape == (2, 5, 14, 14)  # (7 - 1) * 2 - 2 + 2 + 1 + 1


def test_conv1d_and_pool1d_shapes_and_values() -> None:
    x = t(np.arange(8, dtype=np.float32).reshape(1, 1, 8))
    w = t(np.array([[[1.0, -1.0]]], dtype=np.float32))
    np.testing.assert_array_equal(autograd.conv1d(x, w).numpy()[0, 0], -np.ones(7))
    np.testing.assert_array_equal(autograd.max_pool1d(x, 2).numpy()[0, 0], [1, 3, 5, 7])


def test_same_padding_keeps_the_size_even_for_even_kernels() -> None:
    out = autograd.conv2d(autograd.ones(1, 1, 5, 5), autograd.ones(1, 1, 4, 4), padding="same")
    assert out.shape == (1, 1, 5, 5)
    # PyTorch pads 1 before and 2 after for a 4-wide kernel: the top-left output sees a 3x3 block of ones.
    assert out.numpy()[0, 0, 0, 0] == 9.0


def test_ceil_mode_and_return_indices() -> None:
    x = t(np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5))
    out, idx = autograd.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    assert out.shape == (1, 1, 3, 3)
    np.testing.assert_array_equal(idx.numpy()[0, 0], [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    restored = autograd.max_unpool2d(out, idx, 2, output_size=(5, 5))
    assert restored.numpy()[0, 0, 4, 4] == 24 and restored.numpy().sum() == out.numpy().sum()


def test_max_unpool_writes_repeated_positions_once() -> None:
    """Overlapping windows (stride 1) pick position 1 twice; PyTorch writes the value there once, and both
    inputs read the gradient at that position."""
    x = t(np.array([[[[1.0, 5.0, 2.0]]]]))
    out, idx = autograd.max_pool2d(x, (1, 2), stride=1, return_indices=True)
    np.testing.assert_array_equal(idx.numpy()[0, 0, 0], [1, 1])
    values = out.detach().requires_grad_()
    restored = autograd.max_unpool2d(values, idx, (1, 2), stride=1, output_size=(1, 3))
    np.testing.assert_array_equal(restored.detach().numpy()[0, 0, 0], [0, 5, 0])
    restored.backward(t(np.array([[[[1.0, 2.0, 3.0]]]])))
    np.testing.assert_array_equal(values.grad.numpy()[0, 0, 0], [2, 2])


def test_adaptive_avg_pool_windows() -> None:
    x = t(np.arange(10, dtype=np.float32).reshape(1, 1, 2, 5))
    out = autograd.adaptive_avg_pool2d(x, (1, 3))
    # windows along W: [0, 2), [1, 4), [3, 5) -> means of both rows
    np.testing.assert_allclose(out.numpy()[0, 0, 0], [(0 + 1 + 5 + 6) / 4, (1 + 2 + 3 + 6 + 7 + 8) / 6,
                                                      (3 + 4 + 8 + 9) / 4])


def test_second_derivative_through_conv_and_pool() -> None:
    rng = np.random.default_rng(1)
    x = t(rng.normal(size=(1, 2, 6, 6)), requires_grad=True)
    w = t(rng.normal(size=(3, 2, 3, 3)), requires_grad=True)

    def f(x_, w_):  # noqa: ANN001, ANN202
        return autograd.max_pool2d(autograd.conv2d(x_, w_, padding=1).tanh(), 2)

    assert autograd.gradgradcheck(f, (x, w))


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: autograd.conv2d(autograd.zeros(2, 3, 8, 8), autograd.zeros(6, 1, 5, 5)), RuntimeError,
         r"expected input\[2, 3, 8, 8\] to have 1 channels, but got 3 channels instead"),
        (lambda: autograd.conv2d(autograd.zeros(1, 1, 4, 4), autograd.zeros(1, 1, 5, 5)), RuntimeError,
         r"padded input size per channel: \(4 x 4\). Kernel size: \(5 x 5\)"),
        (lambda: autograd.conv2d(autograd.zeros(1, 1, 8, 8), autograd.zeros(1, 1, 3, 3), stride=0), RuntimeError,
         "non-positive stride"),
        (lambda: autograd.conv2d(autograd.zeros(1, 4, 8, 8), autograd.zeros(3, 2, 3, 3), groups=2), RuntimeError,
         "divisible by 2 at dimension 0"),
        (lambda: autograd.conv2d(autograd.zeros(8, 8), autograd.zeros(1, 1, 3, 3)), RuntimeError,
         r"expected 3-D \(unbatched\) or 4-D \(batched\) input, but got input of shape \(8, 8\)"),
        (lambda: autograd.max_pool2d(autograd.zeros(1, 1, 4, 4), 2, padding=2), RuntimeError,
         "padding should be at most half of kernel size"),
        # PyTorch's rule takes the kernel size without dilation: padding 2 > 3 // 2 although 3 dilated by 3 is 7
        (lambda: autograd.max_pool1d(autograd.zeros(1, 1, 20), 3, stride=1, padding=2, dilation=3), RuntimeError,
         r"padding should be at most half of kernel size, but got padding=\(0, 2\) and kernel_size=\(1, 3\)"),
        (lambda: autograd.conv2d(autograd.zeros(1, 2, 5, 5), autograd.zeros(4, 2, 3, 3), autograd.zeros(3)),
         RuntimeError, r"conv2d: expected bias of shape \(4,\) \(one per output channel\), got \(3,\)"),
        (lambda: autograd.conv_transpose2d(autograd.zeros(1, 3, 5, 5), autograd.zeros(3, 2, 3, 3), groups=2),
         RuntimeError, "weight of size \\[3, 2, 3, 3\\] has 3 input channels, which groups=2 does not divide"),
        (lambda: autograd.conv_transpose2d(autograd.zeros(1, 4, 5, 5), autograd.zeros(4, 2, 3, 3), groups=0),
         RuntimeError, "conv_transpose2d: non-positive groups is not supported, got 0"),
        (lambda: autograd.max_unpool2d(autograd.ones(1, 1, 2, 2), autograd.tensor([[[[0, 1], [2, 16]]]]), 2),
         RuntimeError, r"invalid max index 16 at \(0, 0, 1, 1\): indices must lie in \[0, 16\)"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, pattern) -> None:  # noqa: ANN001
    with pytest.raises(error, match=pattern):
        call()


def test_channels_last_conv_keeps_its_unfolded_input_for_the_weight_gradient_until_backward(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The channels-last pass hands its unfolded input from the forward to the weight gradient: gradients
    are those of the pass that unfolds again, and the graph frees the matrix after backward."""
    from autograd.kernels import algorithm

    monkeypatch.setattr(algorithm, "ALGORITHM", "channels_last")
    rng = np.random.default_rng(1)
    x_value, w_value, g = rng.normal(size=(3, 4, 7, 6)), rng.normal(size=(5, 4, 3, 3)), rng.normal(size=(3, 5, 4, 3))
    grads = {}
    for weight_grad in (True, False):
        x, w = t(x_value, requires_grad=True), t(w_value, requires_grad=weight_grad)
        out = autograd.conv2d(x, w, stride=2, padding=1)
        node = out.grad_fn
        assert isinstance(node.__dict__.get("unfolded"), np.ndarray) == weight_grad  # kept only for a weight grad
        out.backward(t(g))
        assert "unfolded" not in node.__dict__
        grads[weight_grad] = (x.grad.numpy(), w.grad.numpy() if weight_grad else None)
    monkeypatch.setattr(algorithm, "ALGORITHM", "gemm")
    x, w = t(x_value, requires_grad=True), t(w_value, requires_grad=True)
    autograd.conv2d(x, w, stride=2, padding=1).backward(t(g))
    np.testing.assert_allclose(grads[True][0], x.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads[True][1], w.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads[False][0], x.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_changing_a_convolutions_input_in_place_before_backward_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept unfolded input would be stale: the engine's version check refuses the backward pass."""
    from autograd.kernels import algorithm

    monkeypatch.setattr(algorithm, "ALGORITHM", "channels_last")
    base = t(np.ones((1, 2, 5, 5)), requires_grad=True)
    x = base * 1
    out = autograd.conv2d(x, t(np.ones((3, 2, 3, 3)), requires_grad=True), stride=2)
    x.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
