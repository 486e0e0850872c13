"""F.interpolate(mode='nearest'): PyTorch's source-index rule, both size and scale_factor, and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn.functional as F


def test_nearest_upsampling_by_two_repeats_each_pixel() -> None:
    x = autograd.tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), requires_grad=True)
    y = F.interpolate(x, scale_factor=2)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 1, 2, 2), 4.0))


def test_nearest_to_a_size_uses_floor_of_i_times_in_over_out() -> None:
    x = autograd.tensor(np.arange(5.0).reshape(1, 1, 5))
    # out 3 from in 5: sources floor(0 * 5/3) = 0, floor(5/3) = 1, floor(10/3) = 3
    assert F.interpolate(x, size=3).tolist() == [[[0.0, 1.0, 3.0]]]


def test_unsupported_modes_and_arguments_are_clear_errors() -> None:
    x = autograd.zeros(1, 1, 4, 4)
    with pytest.raises(NotImplementedError, match="only 'nearest'"):
        F.interpolate(x, scale_factor=2, mode="bilinear")
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        F.interpolate(x)
