"""PixelShuffle/PixelUnshuffle, the constant and zero padding layers, AdaptiveAvgPool1d, Dropout1d and
AlphaDropout: values by hand, round trips, gradients, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64


def test_pixel_shuffle_by_hand_and_round_trip():
    x = autograd.arange(16, dtype=f64).reshape(1, 4, 2, 2)
    np.testing.assert_array_equal(F.pixel_shuffle(x, 2).numpy()[0, 0], [[0, 4, 1, 5], [8, 12, 9, 13],
                                                                        [2, 6, 3, 7], [10, 14, 11, 15]])
    images = autograd.randn(2, 3, 18, 4, 6)  # extra leading dims are batch dims
    shuffled = nn.PixelShuffle(3)(images)
    assert shuffled.shape == (2, 3, 2, 12, 18)
    np.testing.assert_array_equal(nn.PixelUnshuffle(3)(shuffled).numpy(), images.numpy())
    assert F.pixel_shuffle(autograd.zeros(8, 2, 3), 2).shape == (2, 4, 6)
    assert repr(nn.PixelShuffle(2)) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(3)) == "PixelUnshuffle(downscale_factor=3)"


def test_pixel_shuffle_gradient_is_the_inverse_rearrangement():
    x = autograd.randn(1, 8, 2, 3, dtype=f64, requires_grad=True)
    weights = autograd.randn(1, 2, 4, 6, dtype=f64)
    (F.pixel_shuffle(x, 2) * weights).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), F.pixel_unshuffle(weights, 2).numpy())


def test_pixel_shuffle_errors():
    with pytest.raises(RuntimeError, match=r"upscale_factor\*\*2 = 4, but 7 is not"):
        F.pixel_shuffle(autograd.zeros(1, 7, 2, 2), 2)
    with pytest.raises(RuntimeError, match=r"at least 3 dimensions, got shape \[4, 2\]"):
        F.pixel_shuffle(autograd.zeros(4, 2), 2)
    with pytest.raises(RuntimeError, match="expected a positive upscale_factor, but got 0"):
        F.pixel_shuffle(autograd.zeros(1, 4, 2, 2), 0)
    with pytest.raises(TypeError, match="upscale_factor must be an int, got float"):
        F.pixel_shuffle(autograd.zeros(1, 4, 2, 2), 2.0)
    with pytest.raises(RuntimeError, match=r"height \(dim -2\) of the input of shape \[1, 1, 5, 4\]"):
        F.pixel_unshuffle(autograd.zeros(1, 1, 5, 4), 2)
    with pytest.raises(RuntimeError, match=r"width \(dim -1\)"):
        F.pixel_unshuffle(autograd.zeros(1, 1, 4, 5), 2)


def test_constant_and_zero_padding():
    x = autograd.ones(1, 2, 3)
    padded = nn.ZeroPad2d((1, 0, 2, 1))(x)
    assert padded.shape == (1, 5, 4)
    np.testing.assert_array_equal(padded.numpy()[0], [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 1, 1], [0, 1, 1, 1],
                                                      [0, 0, 0, 0]])
    np.testing.assert_array_equal(nn.ConstantPad1d((2, 1), 3.5)(autograd.zeros(2)).numpy(), [3.5, 3.5, 0, 0, 3.5])
    assert nn.ConstantPad3d(1, 2.0)(autograd.zeros(1, 2, 2, 2)).shape == (1, 4, 4, 4)
    assert nn.ZeroPad1d(-1)(autograd.zeros(2, 5)).shape == (2, 3)  # negative padding crops
    assert nn.ZeroPad3d(1)(autograd.zeros(1, 1, 1)).shape == (3, 3, 3)
    assert isinstance(nn.ZeroPad2d(1), nn.ConstantPad2d)
    reprs = {nn.ZeroPad2d(1): "ZeroPad2d((1, 1, 1, 1))", nn.ZeroPad1d((1, 2)): "ZeroPad1d((1, 2))",
             nn.ConstantPad1d(2, 3.5): "ConstantPad1d(padding=(2, 2), value=3.5)",
             nn.ConstantPad2d((1, 2, 3, 4), 1): "ConstantPad2d(padding=(1, 2, 3, 4), value=1)",
             nn.ZeroPad3d(1): "ZeroPad3d((1, 1, 1, 1, 1, 1))"}
    for module, text in reprs.items():
        assert repr(module) == text
    with pytest.raises(ValueError, match=r"ZeroPad2d: padding must be an int or a tuple of 4 ints, got \(1, 2, 3\)"):
        nn.ZeroPad2d((1, 2, 3))


def test_adaptive_avg_pool1d_windows():
    x = autograd.arange(5, dtype=f64).reshape(1, 1, 5)
    # windows [floor(i * 5 / 3), ceil((i + 1) * 5 / 3)): [0, 2), [1, 4), [3, 5)
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 3).numpy(), [[[0.5, 2.0, 3.5]]])
    np.testing.assert_allclose(nn.AdaptiveAvgPool1d((3,))(x[0]).numpy(), [[0.5, 2.0, 3.5]])
    assert repr(nn.AdaptiveAvgPool1d(3)) == "AdaptiveAvgPool1d(output_size=3)"
    y = autograd.randn(2, 3, 7, dtype=f64, requires_grad=True)
    assert autograd.gradgradcheck(lambda t: F.adaptive_avg_pool1d(t, 4), [y])
    with pytest.raises(RuntimeError, match=r"or 3-D \(N, C, L\) input, got shape \[1, 2, 3, 4\]"):
        F.adaptive_avg_pool1d(autograd.zeros(1, 2, 3, 4), 2)
    with pytest.raises(RuntimeError, match=r"output_size should contain one int, got \(2, 3\)"):
        F.adaptive_avg_pool1d(autograd.zeros(1, 5), (2, 3))
    with pytest.raises(RuntimeError, match=r"non-empty length L \(the last dim\), got input of shape \[1, 0\]"):
        F.adaptive_avg_pool1d(autograd.zeros(1, 0), 2)
    assert F.adaptive_avg_pool1d(autograd.zeros(2, 5), 0).shape == (2, 0)


def test_dropout1d_zeroes_whole_channels():
    autograd.manual_seed(0)
    out = nn.Dropout1d(0.5)(autograd.ones(8, 16, 10)).numpy()
    per_channel = out.reshape(8 * 16, 10)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert np.all(per_channel.min(1) == per_channel.max(1))  # each channel kept or dropped as a whole
    assert 0.3 < (per_channel[:, 0] == 0).mean() < 0.7
    unbatched = F.dropout1d(autograd.ones(16, 10), 0.5).numpy()
    assert np.all(unbatched.min(1) == unbatched.max(1))
    layer = nn.Dropout1d(0.3).eval()
    x = autograd.randn(2, 3, 4)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    assert repr(layer) == "Dropout1d(p=0.3, inplace=False)"
    with pytest.raises(RuntimeError, match=r"dropout1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input"):
        F.dropout1d(autograd.zeros(2, 3, 4, 5))
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout1d(1.5)


def test_alpha_dropout_keeps_zero_mean_and_unit_variance():
    autograd.manual_seed(0)
    x = autograd.randn(200_000, dtype=f64)
    p = 0.2
    y = F.alpha_dropout(x, p, training=True)
    assert abs(y.numpy().mean()) < 0.01 and abs(y.numpy().std() - 1) < 0.01
    a = ((1 - p) * (1 + p * 1.7580993408473766**2)) ** -0.5
    dropped = np.isclose(y.numpy(), a * -1.7580993408473766 * (1 - p))  # SELU's floor, then a * x + b
    assert 0.19 < dropped.mean() < 0.21
    kept = ~dropped
    np.testing.assert_allclose(y.numpy()[kept], a * x.numpy()[kept] + 1.7580993408473766 * a * p)
    assert F.alpha_dropout(x, p) is x  # training=False by default, as in PyTorch
    assert nn.AlphaDropout(p).eval()(x) is x
    np.testing.assert_array_equal(F.alpha_dropout(x[:3], 1.0, training=True).numpy(), 0.0)
    xg = autograd.ones(1000, dtype=f64, requires_grad=True)
    out = nn.AlphaDropout(p)(xg)
    out.sum().backward()
    assert set(np.unique(xg.grad.numpy())) == {0.0, a}
    assert repr(nn.AlphaDropout()) == "AlphaDropout(p=0.5, inplace=False)"
