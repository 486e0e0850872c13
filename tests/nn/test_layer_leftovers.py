"""Reflection, replication and circular padding layers, RReLU, AdaptiveMaxPool1d, InstanceNorm3d and
FeatureAlphaDropout: hand-computed values, gradients, train/eval behaviour, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64


def row(values, *lead):
    return autograd.tensor(np.array(values, dtype=np.float64).reshape(*lead, -1))


# -- padding ----------------------------------------------------------------------------------------------------
def test_one_dim_padding_modes_by_hand():
    x = row([1, 2, 3], 1, 1)
    np.testing.assert_array_equal(nn.ReflectionPad1d((2, 1))(x).numpy().ravel(), [3, 2, 1, 2, 3, 2])
    np.testing.assert_array_equal(nn.ReplicationPad1d((2, 1))(x).numpy().ravel(), [1, 1, 1, 2, 3, 3])
    np.testing.assert_array_equal(nn.CircularPad1d((2, 1))(x).numpy().ravel(), [2, 3, 1, 2, 3, 1])
    np.testing.assert_array_equal(nn.ReplicationPad1d(-1)(x).numpy().ravel(), [2])  # negative amounts crop
    assert nn.ReflectionPad1d(1)(row([1, 2, 3, 4, 5, 6], 2)).shape == (2, 5)  # unbatched (C, W)


def test_two_and_three_dim_padding_shapes_and_values():
    x = autograd.tensor(np.arange(6.0).reshape(1, 2, 3))  # unbatched (C, H, W)
    padded = nn.ReflectionPad2d((1, 0, 0, 1))(x)
    np.testing.assert_array_equal(padded.numpy(), [[[1, 0, 1, 2], [4, 3, 4, 5], [1, 0, 1, 2]]])
    np.testing.assert_array_equal(nn.ReplicationPad2d(1)(x).numpy()[0, 0], [0, 0, 1, 2, 2])
    assert nn.CircularPad2d((1, 1, 2, 0))(x.unsqueeze(0)).shape == (1, 1, 4, 5)
    assert nn.ReflectionPad3d(1)(autograd.zeros(2, 3, 2, 2, 2)).shape == (2, 3, 4, 4, 4)
    assert nn.ReplicationPad3d((1, 0, 0, 0, 2, 0))(autograd.zeros(3, 2, 2, 2)).shape == (3, 4, 2, 3)
    assert nn.CircularPad3d(1)(autograd.zeros(1, 2, 2, 2)).shape == (1, 4, 4, 4)


def test_padding_gradients_sum_onto_the_sources():
    x = autograd.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    nn.ReplicationPad1d((2, 0))(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy().ravel(), [3, 1, 1])
    for layer in (nn.ReflectionPad2d((1, 2, 0, 1)), nn.ReplicationPad2d(2), nn.CircularPad2d((1, 0, 1, 2))):
        t = autograd.randn(1, 2, 3, 4, dtype=f64, requires_grad=True)
        assert autograd.gradcheck(layer, [t])


def test_padding_reprs_and_errors():
    assert repr(nn.ReflectionPad1d(2)) == "ReflectionPad1d((2, 2))"
    assert repr(nn.ReplicationPad2d([1, 2, 3, 4])) == "ReplicationPad2d((1, 2, 3, 4))"
    assert repr(nn.CircularPad3d(1)) == "CircularPad3d((1, 1, 1, 1, 1, 1))"
    with pytest.raises(NotImplementedError, match=r"ReflectionPad1d: expected 2-D .* or 3-D .* got 4-D input"):
        nn.ReflectionPad1d(1)(autograd.zeros(1, 1, 2, 3))
    with pytest.raises(ValueError, match=r"CircularPad2d: expected 3-D .* got 2-D input of shape \[3, 3\]"):
        nn.CircularPad2d(1)(autograd.zeros(3, 3))
    with pytest.raises(RuntimeError, match="less than the corresponding input dimension in reflect mode"):
        nn.ReflectionPad1d(3)(autograd.zeros(1, 2, 3))
    with pytest.raises(ValueError, match=r"ReplicationPad2d: padding must be an int or a tuple of 4 ints"):
        nn.ReplicationPad2d((1, 2))


# -- RReLU ----------------------------------------------------------------------------------------------------------
def test_rrelu_eval_uses_the_mean_slope():
    x = autograd.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    layer = nn.RReLU(0.1, 0.3).eval()
    y = layer(x)
    np.testing.assert_allclose(y.detach().numpy(), [-0.4, 0.0, 3.0], rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.2, 0.2, 1.0], rtol=1e-6)  # the slope at 0 too, as PyTorch
    np.testing.assert_allclose(F.rrelu(x).detach().numpy(), [-2 * (1 / 8 + 1 / 3) / 2, 0, 3], rtol=1e-6)


def test_rrelu_training_draws_one_slope_per_element():
    autograd.manual_seed(0)
    x = autograd.full((2000,), -1.0, dtype=f64, requires_grad=True)
    y = nn.RReLU(0.1, 0.3)(x)
    slopes = -y.detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.01
    assert len(np.unique(slopes)) > 1900
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)  # d/dx is the drawn slope
    positive = autograd.tensor([0.5, 2.0])
    np.testing.assert_array_equal(F.rrelu(positive, training=True).numpy(), [0.5, 2.0])
    nan = autograd.tensor([float("nan")], requires_grad=True)
    F.rrelu(nan, training=True).sum().backward()
    assert np.isnan(F.rrelu(nan, training=True).detach().numpy()[0]) and nan.grad.numpy()[0] == 1.0


def test_rrelu_repr_and_errors():
    assert repr(nn.RReLU()) == "RReLU(lower=0.125, upper=0.3333333333333333)"
    assert repr(nn.RReLU(0.1, 0.2, inplace=True)) == "RReLU(lower=0.1, upper=0.2, inplace=True)"
    with pytest.raises(RuntimeError, match=r"rrelu: the lower bound \(0.5\) .* upper bound \(0.1\)"):
        F.rrelu(autograd.zeros(2), 0.5, 0.1)


# -- AdaptiveMaxPool1d ---------------------------------------------------------------------------------------------
def test_adaptive_max_pool1d_windows_and_indices_by_hand():
    x = row([3, 1, 4, 1, 5, 9, 2], 1, 1)
    # windows of 7 -> 3: [0, 3), [2, 5), [4, 7)
    out, indices = F.adaptive_max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), [[[4, 5, 9]]])
    np.testing.assert_array_equal(indices.numpy(), [[[2, 4, 5]]])
    assert indices.dtype == autograd.int64
    layer_out, layer_indices = nn.AdaptiveMaxPool1d((3,), return_indices=True)(x[0])  # unbatched (C, L)
    np.testing.assert_array_equal(layer_out.numpy(), [[4, 5, 9]])
    np.testing.assert_array_equal(layer_indices.numpy(), [[2, 4, 5]])
    assert F.adaptive_max_pool1d(x, 0).shape == (1, 1, 0)
    assert nn.AdaptiveMaxPool1d(10)(x).shape == (1, 1, 10)


def test_adaptive_max_pool1d_gradient_goes_to_the_maxima():
    x = autograd.tensor([[[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0]]], requires_grad=True)
    F.adaptive_max_pool1d(x, 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy().ravel(), [0, 0, 1, 0, 1, 1, 0])
    t = autograd.tensor(np.random.default_rng(0).permutation(12).reshape(2, 6) / 7.0, requires_grad=True)
    assert autograd.gradcheck(lambda v: F.adaptive_max_pool1d(v, 4), [t])


def test_adaptive_max_pool1d_repr_and_errors():
    assert repr(nn.AdaptiveMaxPool1d(3, return_indices=True)) == "AdaptiveMaxPool1d(output_size=3)"
    with pytest.raises(RuntimeError, match=r"adaptive_max_pool1d: expected a 2-D \(C, L\) or 3-D"):
        F.adaptive_max_pool1d(autograd.zeros(5), 2)
    with pytest.raises(RuntimeError, match="adaptive_max_pool1d: output_size should contain one int"):
        F.adaptive_max_pool1d(autograd.zeros(1, 5), (2, 3))
    with pytest.raises(RuntimeError, match="adaptive_max_pool1d: expected a non-empty length L"):
        F.adaptive_max_pool1d(autograd.zeros(1, 1, 0), 2)


# -- InstanceNorm3d --------------------------------------------------------------------------------------------------
def test_instance_norm3d_normalises_each_channel_over_d_h_w():
    x = autograd.randn(2, 3, 2, 3, 4, dtype=f64)
    out = nn.InstanceNorm3d(3).double()(x).numpy()
    data = x.numpy()
    mean = data.mean(axis=(2, 3, 4), keepdims=True)
    expected = (data - mean) / np.sqrt(data.var(axis=(2, 3, 4), keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, expected, rtol=1e-10)
    unbatched = nn.InstanceNorm3d(3).double()(x[0]).numpy()
    np.testing.assert_allclose(unbatched, expected[0], rtol=1e-10)
    tracked = nn.InstanceNorm3d(3, affine=True, track_running_stats=True)
    tracked(autograd.randn(2, 3, 2, 2, 2))
    assert tracked.running_mean.shape == (3,) and tracked.weight.shape == (3,)
    assert repr(nn.InstanceNorm3d(3)) == ("InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
                                          "track_running_stats=False)")
    with pytest.raises(ValueError, match=r"InstanceNorm3d: expected 4D \(unbatched\) or 5D input"):
        nn.InstanceNorm3d(3)(autograd.zeros(2, 3, 4))


# -- FeatureAlphaDropout ---------------------------------------------------------------------------------------------
def test_feature_alpha_dropout_drops_whole_channels_and_keeps_the_statistics():
    autograd.manual_seed(0)
    p, floor = 0.5, 1.7580993408473766
    a = ((1 - p) * (1 + p * floor**2)) ** -0.5
    x = autograd.randn(500, 8, 4, 4, dtype=f64)
    y = nn.FeatureAlphaDropout(p)(x).numpy()
    dropped = np.isclose(y, floor * a * (p - 1)).all(axis=(2, 3))
    kept = np.isclose(y, x.numpy() * a + floor * a * p).all(axis=(2, 3))
    assert np.all(dropped != kept)  # every channel is one or the other, as a whole
    assert abs(dropped.mean() - p) < 0.03
    assert abs(y.mean()) < 0.05 and abs(y.var() - 1) < 0.05
    layer = nn.FeatureAlphaDropout(p).eval()
    assert layer(x) is x
    assert repr(layer) == "FeatureAlphaDropout(p=0.5, inplace=False)"


def test_feature_alpha_dropout_gradient_and_errors():
    autograd.manual_seed(1)
    x = autograd.randn(4, 3, 2, dtype=f64, requires_grad=True)
    y = F.feature_alpha_dropout(x, 0.5, training=True)
    y.sum().backward()
    a = ((1 - 0.5) * (1 + 0.5 * 1.7580993408473766**2)) ** -0.5
    kept = ~np.isclose(y.detach().numpy(), 1.7580993408473766 * a * (0.5 - 1))
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, a, 0.0))
    with pytest.raises(RuntimeError, match=r"feature_alpha_dropout: expected an input with at least 2 dims"):
        F.feature_alpha_dropout(autograd.zeros(3), 0.5, training=True)
    assert F.feature_alpha_dropout(autograd.zeros(3), 0.5).shape == (3,)  # not training: identity, as PyTorch
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.feature_alpha_dropout(x, 1.5, training=True)
