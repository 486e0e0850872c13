"""GroupNorm, InstanceNorm1d/2d and LocalResponseNorm: hand values, identities with layer and batch norm,
running statistics, PyTorch's parameters, buffers and reprs, errors and gradchecks in float64."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_group_norm_normalises_each_group_of_channels():
    x = t64([[[1.0], [2.0], [3.0], [5.0]]])  # (N, C, L) = (1, 4, 1), groups {1, 2} and {3, 5}
    np.testing.assert_allclose(F.group_norm(x, 2, eps=0).numpy().ravel(), [-1, 1, -1, 1])
    w, b = t64([1.0, 2.0, 3.0, 4.0]), t64([0.0, 0.0, 1.0, 1.0])
    np.testing.assert_allclose(F.group_norm(x, 2, w, b, eps=0).numpy().ravel(), [-1, 2, -2, 5])


def test_group_norm_extremes_are_layer_norm_and_instance_norm():
    x = autograd.randn(3, 6, 5, dtype=f64)
    np.testing.assert_allclose(F.group_norm(x, 1).numpy(), F.layer_norm(x, (6, 5)).numpy(), atol=1e-12)
    np.testing.assert_allclose(F.group_norm(x, 6).numpy(), F.instance_norm(x).numpy(), atol=1e-12)


def test_group_norm_module_parameters_repr_and_errors():
    m = nn.GroupNorm(2, 6)
    assert repr(m) == "GroupNorm(2, 6, eps=1e-05, affine=True, bias=True)"
    assert list(m.state_dict()) == ["weight", "bias"]
    np.testing.assert_array_equal(m.weight.detach().numpy(), np.ones(6))
    np.testing.assert_array_equal(m.bias.detach().numpy(), np.zeros(6))
    assert repr(nn.GroupNorm(3, 6, affine=False)) == "GroupNorm(3, 6, eps=1e-05, affine=False, bias=False)"
    assert list(nn.GroupNorm(3, 6, affine=False).state_dict()) == []
    assert list(nn.GroupNorm(3, 6, bias=False).state_dict()) == ["weight"]
    with pytest.raises(ValueError, match=r"num_channels \(6\) must be divisible by num_groups \(4\)"):
        nn.GroupNorm(4, 6)
    with pytest.raises(RuntimeError, match=r"input of shape \[2, 6, 4\] and num_groups=4"):
        F.group_norm(autograd.zeros(2, 6, 4), 4)
    with pytest.raises(RuntimeError, match=r"expected weight of shape \[4\] .* got weight of shape \[6\]"):
        m(autograd.zeros(2, 4, 3))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        F.group_norm(autograd.zeros(6), 3)
    with pytest.raises(ValueError, match="more than 1 value per group"):
        F.group_norm(autograd.zeros(1, 2, 1), 2)


def test_instance_norm_per_sample_and_channel():
    x = autograd.arange(8, dtype=f64).reshape(2, 2, 2)  # each (n, c) row is [k, k + 1]
    w, b = t64([2.0, 1.0]), t64([0.0, 1.0])
    np.testing.assert_allclose(F.instance_norm(x, weight=w, bias=b, eps=0).numpy(),
                               [[[-2, 2], [0, 2]], [[-2, 2], [0, 2]]])  # PyTorch 2.13
    images = autograd.randn(2, 3, 4, 5, dtype=f64)
    out = nn.InstanceNorm2d(3)(images).numpy()
    np.testing.assert_allclose(out.mean((2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(out.var((2, 3)), 1 - 1e-5 / (images.numpy().var((2, 3)) + 1e-5), rtol=1e-9)


def test_instance_norm_running_statistics_follow_pytorch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 5))
    m = nn.InstanceNorm1d(3, momentum=0.3, track_running_stats=True).double()
    m(t64(x))
    np.testing.assert_allclose(m.running_mean.numpy(), 0.3 * x.mean(2).mean(0))
    np.testing.assert_allclose(m.running_var.numpy(), 0.7 + 0.3 * x.var(2, ddof=1).mean(0))
    assert m.num_batches_tracked.item() == 0  # registered but not counted, as in PyTorch
    m.eval()
    expected = (x - m.running_mean.numpy()[:, None]) / np.sqrt(m.running_var.numpy()[:, None] + 1e-5)
    np.testing.assert_allclose(m(t64(x)).numpy(), expected)
    np.testing.assert_allclose(m(t64(x[0])).numpy(), expected[0])  # unbatched (C, L)
    frozen = nn.InstanceNorm1d(3, momentum=None, track_running_stats=True).double()
    frozen(t64(x))
    np.testing.assert_array_equal(frozen.running_mean.numpy(), np.zeros(3))


def test_instance_norm_modules_defaults_state_and_checks():
    m = nn.InstanceNorm1d(3)
    assert repr(m) == ("InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
                       "track_running_stats=False)")
    assert list(m.state_dict()) == []
    tracked = nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
    assert list(tracked.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    with pytest.raises(ValueError, match=r"InstanceNorm1d: expected 2D \(unbatched\) or 3D input, got 4D"):
        m(autograd.zeros(2, 3, 4, 5))
    with pytest.raises(ValueError, match="InstanceNorm2d: expected 3D"):
        tracked(autograd.zeros(2, 4))
    with pytest.raises(ValueError, match=r"dim=1 to match num_features \(4\), but got 3"):
        tracked(autograd.randn(2, 3, 4, 4))
    with pytest.warns(UserWarning, match="does not match num_features"):
        m(autograd.randn(2, 5, 4))
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        F.instance_norm(autograd.zeros(2, 3, 1))
    with pytest.raises(RuntimeError, match="running_mean and running_var must be given"):
        F.instance_norm(autograd.zeros(2, 3, 4), use_input_stats=False)


def test_local_response_norm_by_hand():
    x = t64([[[1.0], [2.0], [3.0]]])
    # size 2: the window of channel c is {c - 1, c}: sums of squares 1, 5, 13, averaged over 2, plus k = 1
    np.testing.assert_allclose(F.local_response_norm(x, 2, alpha=1.0, beta=1.0, k=1.0).numpy().ravel(),
                               [1 / 1.5, 2 / 3.5, 3 / 7.5])
    np.testing.assert_allclose(nn.LocalResponseNorm(3, 0.3, 0.75, 2.0)(x).numpy().ravel(),
                               [0.5029733718731741, 0.7987682757159081, 1.225281284102679])  # PyTorch 2.13
    assert repr(nn.LocalResponseNorm(2)) == "LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)"
    images = autograd.randn(2, 5, 3, 4, dtype=f64)
    squares = np.pad(images.numpy() ** 2, ((0, 0), (2, 2), (0, 0), (0, 0)))
    window = sum(squares[:, j:j + 5] for j in range(5))
    np.testing.assert_allclose(F.local_response_norm(images, 5).numpy(),
                               images.numpy() / (1 + 1e-4 * window / 5) ** 0.75)
    with pytest.raises(ValueError, match=r"expected a 3-D or higher input .*got shape \[2, 3\]"):
        F.local_response_norm(autograd.zeros(2, 3), 2)


def test_normalisation_gradchecks():
    rng = np.random.default_rng(1)
    x = t64(rng.normal(size=(2, 4, 3)), requires_grad=True)
    w = t64(rng.normal(size=4), requires_grad=True)
    b = t64(rng.normal(size=4), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert autograd.gradgradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), [x, w, b])
        assert autograd.gradgradcheck(lambda x, w, b: F.instance_norm(x, weight=w, bias=b), [x, w, b])
        assert autograd.gradgradcheck(lambda x: F.local_response_norm(x, 3, alpha=0.5), [x])
