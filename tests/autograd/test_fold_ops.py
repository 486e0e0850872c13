"""``unfold`` (im2col) and ``fold`` (col2im): a hand example, the adjoint identity, the tap count, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd.ops.fold import fold, unfold


def test_unfold_of_a_small_image_by_hand() -> None:
    x = autograd.tensor(np.arange(9.0).reshape(1, 1, 3, 3))
    # 2 x 2 blocks at (0, 0), (0, 1), (1, 0), (1, 1); row kh * 2 + kw holds tap (kh, kw) of every block
    expected = [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]
    np.testing.assert_array_equal(unfold(x, 2).numpy(), [expected])


def test_unfold_with_padding_reads_zeros_and_channels_come_first() -> None:
    x = autograd.tensor(np.arange(1.0, 9.0).reshape(2, 2, 2))  # unbatched (C, H, W)
    cols = unfold(x, 1, padding=1, stride=3).numpy()  # blocks at padded (0, 0), (0, 3), (3, 0), (3, 3): all padding
    np.testing.assert_array_equal(cols, np.zeros((2, 4)))
    cols = unfold(x, (1, 2)).numpy()  # rows: channel 0 taps (0, 0), (0, 1), then channel 1's
    np.testing.assert_array_equal(cols, [[1, 3], [2, 4], [5, 7], [6, 8]])


@pytest.mark.parametrize(("kernel", "dilation", "padding", "stride"),
                         [(2, 1, 0, 1), ((2, 3), (2, 1), (1, 2), (2, 1)), (3, 1, 1, 2)])
def test_fold_is_the_adjoint_of_unfold(kernel, dilation, padding, stride) -> None:
    rng = np.random.default_rng(0)
    x = autograd.tensor(rng.standard_normal((2, 3, 7, 6)))
    cols = unfold(x, kernel, dilation, padding, stride)
    y = autograd.tensor(rng.standard_normal(cols.shape))
    left = float((cols * y).sum())
    right = float((x * fold(y, (7, 6), kernel, dilation, padding, stride)).sum())
    assert left == pytest.approx(right, rel=1e-12)


def test_fold_of_unfold_multiplies_each_pixel_by_its_tap_count() -> None:
    x = autograd.tensor(np.random.default_rng(1).standard_normal((1, 2, 4, 5)))
    counts = fold(unfold(autograd.ones(1, 1, 4, 5, dtype=autograd.float64), 2), (4, 5), 2).numpy()
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 2, 2, 1], [2, 4, 4, 4, 2], [2, 4, 4, 4, 2],
                                                 [1, 2, 2, 2, 1]])
    np.testing.assert_allclose(fold(unfold(x, 2), (4, 5), 2).numpy(), x.numpy() * counts, rtol=1e-15)


def test_unfold_gradient_is_fold_and_second_derivative_works() -> None:
    x = autograd.tensor(np.random.default_rng(2).standard_normal((1, 1, 3, 4)), requires_grad=True)
    (grad,) = autograd.grad(unfold(x, 2).sum(), x, create_graph=True)
    np.testing.assert_array_equal(grad.detach().numpy()[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [1, 2, 2, 1]])
    (second,) = autograd.grad((unfold(x, 2) ** 2).sum(), x, create_graph=True)
    (third,) = autograd.grad(second.sum(), x)
    np.testing.assert_array_equal(third.numpy()[0, 0], 2 * grad.detach().numpy()[0, 0])


def test_errors_name_the_op_and_the_shapes() -> None:
    x = autograd.zeros(2, 3, 5, 5)
    with pytest.raises(RuntimeError, match=r"unfold: .*got shape \[1, 2, 5, 5, 5\]"):
        unfold(autograd.zeros(1, 2, 5, 5, 5), 2)
    with pytest.raises(RuntimeError, match=r"unfold: given input with spatial size \(5, 5\), kernel_size=\(6, 6\)"):
        unfold(x, 6)
    with pytest.raises(RuntimeError, match="unfold: non-positive stride"):
        unfold(x, 2, stride=0)
    with pytest.raises(NotImplementedError, match="unfold: not implemented for int64"):
        unfold(autograd.zeros(1, 1, 3, 3, dtype=autograd.int64), 2)
    with pytest.raises(RuntimeError, match=r"fold: .*divisible by the product of kernel_size=\(3, 3\), but got 12"):
        fold(autograd.zeros(2, 12, 16), (5, 5), 3)
    with pytest.raises(RuntimeError, match=r"fold: .*sliding blocks 5 \* 4 = 20, but got 16"):
        fold(autograd.zeros(2, 12, 16), (6, 5), 2)
