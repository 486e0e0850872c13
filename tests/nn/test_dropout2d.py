"""F.dropout2d: whole input[n, c] slices are dropped; a 3-D input is batched (N, C, L), as in PyTorch 2.13."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn.functional as F


def test_3d_input_is_read_as_n_c_l_and_drops_whole_rows_with_a_warning() -> None:
    autograd.manual_seed(0)
    x = autograd.ones(16, 8, 10, requires_grad=True)
    with pytest.warns(UserWarning, match=r"dropout2d: received a 3-D input; assuming channel-wise 1-D dropout"):
        y = F.dropout2d(x, 0.5)
    rows = y.detach().numpy()
    # each row input[n, c] is all dropped or all kept (scaled by 1 / (1 - p) = 2)
    assert np.all(rows.min(axis=2) == rows.max(axis=2))
    assert set(np.unique(rows)) == {0.0, 2.0}
    kept = rows[:, :, 0] == 2.0
    # rows of one channel differ across n: the first dim is the batch, not the channels of one (C, H, W) image
    assert np.any(kept.any(axis=0) & ~kept.all(axis=0))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), rows)


def test_3d_input_warns_in_eval_mode_too_and_is_unchanged() -> None:
    x = autograd.ones(2, 3, 4)
    with pytest.warns(UserWarning, match=r"read as \(N, C, L\)"):
        y = F.dropout2d(x, 0.5, training=False)
    np.testing.assert_array_equal(y.numpy(), x.numpy())


def test_4d_input_drops_whole_channels_without_a_warning() -> None:
    autograd.manual_seed(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.dropout2d(autograd.ones(8, 4, 3, 3), 0.5).numpy().reshape(8, 4, 9)
    assert np.all(out.min(axis=2) == out.max(axis=2))
    assert set(np.unique(out)) == {0.0, 2.0}


def test_other_ranks_warn_that_dropout2d_expects_4d_input() -> None:
    with pytest.warns(UserWarning, match=r"received a 5-D input; dropout2d expects \(N, C, H, W\)"):
        F.dropout2d(autograd.ones(2, 3, 2, 2, 2), 0.5)
