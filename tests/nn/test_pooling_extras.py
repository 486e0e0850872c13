"""RMSNorm, Fold/Unfold layers, LPPool, MaxUnpool1d, ChannelShuffle, UpsamplingNearest2d, the *_with_indices
forms and nn.Buffer: behaviour against formulas written with numpy, reprs and state_dict keys."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

RNG = np.random.default_rng(0)


def test_rms_norm_matches_the_formula() -> None:
    x = RNG.standard_normal((2, 3, 4))
    w = RNG.standard_normal((3, 4))
    expected = x / np.sqrt((x ** 2).mean(axis=(1, 2), keepdims=True) + np.finfo(np.float64).eps) * w
    got = F.rms_norm(autograd.tensor(x), (3, 4), autograd.tensor(w)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    x32 = x.astype(np.float32)
    expected32 = x32 / np.sqrt((x32 ** 2).mean(-1, keepdims=True) + np.finfo(np.float32).eps)
    np.testing.assert_allclose(F.rms_norm(autograd.tensor(x32), [4]).numpy(), expected32, rtol=1e-6)


def test_rms_norm_layer_parameters_repr_and_errors() -> None:
    layer = nn.RMSNorm(4)
    assert list(layer.state_dict()) == ["weight"] and not hasattr(layer, "bias")
    np.testing.assert_array_equal(layer.weight.detach().numpy(), np.ones(4))
    assert repr(layer) == "RMSNorm((4,), eps=None, elementwise_affine=True)"
    assert repr(nn.RMSNorm([3, 4], 1e-5, False)) == "RMSNorm((3, 4), eps=1e-05, elementwise_affine=False)"
    assert nn.RMSNorm(4, elementwise_affine=False).weight is None
    with pytest.raises(RuntimeError, match=r"rms_norm: given normalized_shape=\[3\].*size \[2, 3, 4\]"):
        F.rms_norm(autograd.zeros(2, 3, 4), (3,))
    with pytest.raises(TypeError, match="rms_norm: normalized_shape must be a tuple or list"):
        F.rms_norm(autograd.zeros(2, 4), 4)


def test_fold_and_unfold_layers() -> None:
    x = autograd.tensor(RNG.standard_normal((2, 3, 5, 6)))
    unfold = nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2))
    assert repr(unfold) == "Unfold(kernel_size=(2, 3), dilation=2, padding=1, stride=(1, 2))"
    cols = unfold(x)
    assert cols.shape == (2, 3 * 6, 5 * 2)  # OH = (5 + 2 - 2 - 1) + 1, OW = (6 + 2 - 4 - 1) // 2 + 1
    fold = nn.Fold((5, 6), (2, 3), dilation=2, padding=1, stride=(1, 2))
    assert repr(fold) == "Fold(output_size=(5, 6), kernel_size=(2, 3), dilation=2, padding=1, stride=(1, 2))"
    assert fold(cols).shape == (2, 3, 5, 6)


def _sum_pool2d(x: np.ndarray, k: int) -> np.ndarray:
    n, c, h, w = x.shape
    return x[:, :, :h // k * k, :w // k * k].reshape(n, c, h // k, k, w // k, k).sum((3, 5))


def test_lp_pool_with_p_1_is_sum_pooling_and_p_2_the_window_norm() -> None:
    x = np.abs(RNG.standard_normal((2, 3, 6, 7))) + 0.1
    np.testing.assert_allclose(F.lp_pool2d(autograd.tensor(x), 1, 2).numpy(), _sum_pool2d(x, 2), rtol=1e-13)
    np.testing.assert_allclose(nn.LPPool2d(2, 2)(autograd.tensor(x)).numpy(), np.sqrt(_sum_pool2d(x ** 2, 2)),
                               rtol=1e-13)
    line = x[:, :, 0]
    expected = line[:, :, :6].reshape(2, 3, 3, 2).sum(-1)
    np.testing.assert_allclose(F.lp_pool1d(autograd.tensor(line), 1, 2).numpy(), expected, rtol=1e-13)
    np.testing.assert_allclose(F.lp_pool1d(autograd.tensor(line), float("inf"), 2).numpy(),
                               np.abs(line[:, :, :6]).reshape(2, 3, 3, 2).max(-1))
    assert repr(nn.LPPool1d(2, 3)) == "LPPool1d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)"


def test_max_unpool1d_inverts_max_pool1d_at_the_maxima() -> None:
    x = autograd.tensor([[[1.0, 5.0, 2.0, 3.0, 0.0, 4.0]]])
    pooled, indices = F.max_pool1d(x, 2, return_indices=True)
    np.testing.assert_array_equal(F.max_unpool1d(pooled, indices, 2).numpy(), [[[0, 5, 0, 3, 0, 4]]])
    layer = nn.MaxUnpool1d(2)
    assert repr(layer) == "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))"
    np.testing.assert_array_equal(layer(pooled, indices, output_size=[7]).numpy(), [[[0, 5, 0, 3, 0, 4, 0]]])
    with pytest.raises(ValueError, match="max_unpool1d: invalid output_size"):
        layer(pooled, indices, output_size=[12])


def test_channel_shuffle_interleaves_the_groups() -> None:
    x = autograd.tensor(np.arange(6.0).reshape(1, 6, 1))
    np.testing.assert_array_equal(F.channel_shuffle(x, 2).numpy().ravel(), [0, 3, 1, 4, 2, 5])
    np.testing.assert_array_equal(nn.ChannelShuffle(3)(x).numpy().ravel(), [0, 2, 4, 1, 3, 5])
    assert repr(nn.ChannelShuffle(2)) == "ChannelShuffle(groups=2)"
    with pytest.raises(RuntimeError, match=r"channel_shuffle: .*divisible by groups, got 6 channels .* 4 groups"):
        F.channel_shuffle(x, 4)


def test_upsampling_nearest_and_the_deprecated_aliases() -> None:
    x = autograd.tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    expected = np.repeat(np.repeat(x.numpy(), 2, axis=2), 2, axis=3)
    layer = nn.UpsamplingNearest2d(scale_factor=2)
    assert repr(layer) == "UpsamplingNearest2d(scale_factor=2.0, mode='nearest')"
    np.testing.assert_array_equal(layer(x).numpy(), expected)
    with pytest.warns(UserWarning, match="upsample_nearest` is deprecated"):
        np.testing.assert_array_equal(F.upsample_nearest(x, size=4).numpy(), expected)
    with pytest.warns(UserWarning, match="upsample` is deprecated"), pytest.raises(NotImplementedError):
        F.upsample(x, scale_factor=2, mode="bilinear")


def test_with_indices_forms_always_return_the_indices() -> None:
    x = autograd.tensor(RNG.standard_normal((1, 2, 4, 4)))
    values, indices = F.max_pool2d_with_indices(x, 2)
    reference, reference_indices = F.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(values.numpy(), reference.numpy())
    np.testing.assert_array_equal(indices.numpy(), reference_indices.numpy())
    assert F.max_pool1d_with_indices(x[0], 2)[1].dtype == autograd.int64
    assert F.adaptive_max_pool2d_with_indices(x, 1)[1].shape == (1, 2, 1, 1)
    assert F.adaptive_max_pool1d_with_indices(x[0], 2)[1].shape == (2, 4, 2)


def test_buffer_assignment_registers_a_buffer() -> None:
    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.kept = nn.Buffer(autograd.tensor([1.0, 2.0]))
            self.scratch = nn.Buffer(autograd.tensor([3.0]), persistent=False)
            self.plain = autograd.tensor([0.0])

    model = Model()
    assert [name for name, _ in model.named_buffers()] == ["kept", "scratch"]
    assert list(model.state_dict()) == ["kept"]
    source = autograd.tensor([4.0])
    model.kept = nn.Buffer(source, persistent=False)
    assert list(model.state_dict()) == [] and isinstance(model.kept, nn.Buffer)
    source[0] = 9.0
    assert float(model.kept[0]) == 9.0  # memory is shared, as torch.nn.Buffer's
    assert nn.Buffer().shape == (0,)
