"""The activations added beside PyTorch's classic ones: values by hand (and PyTorch 2.13 values where noted),
gradients at the kinks and at extreme inputs, NaN handling, gradchecks in float64, errors and reprs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64
EDGES = [-4.0, -3.0, -0.5, 0.0, 0.5, 3.0, 6.0, 7.0]


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def value_and_grad(fn, values):
    x = t64(values, requires_grad=True)
    y = fn(x)
    (g,) = autograd.grad(y.sum(), x)
    return y.detach().numpy(), g.numpy()


def test_relu6_hardtanh_to_six_with_zero_gradient_at_both_kinks():
    y, g = value_and_grad(F.relu6, EDGES)
    np.testing.assert_array_equal(y, [0, 0, 0, 0, 0.5, 3, 6, 6])
    np.testing.assert_array_equal(g, [0, 0, 0, 0, 1, 1, 0, 0])  # open interval (0, 6), as PyTorch
    assert isinstance(nn.ReLU6(), nn.Hardtanh)


def test_hardswish_and_hardsigmoid_pieces_and_boundary_gradients():
    y, g = value_and_grad(F.hardswish, EDGES)
    np.testing.assert_allclose(y, [0, 0, -0.5 * 2.5 / 6, 0, 0.5 * 3.5 / 6, 3, 6, 7])
    np.testing.assert_allclose(g, [0, 0, -0.5 / 3 + 0.5, 0.5, 0.5 / 3 + 0.5, 1, 1, 1])  # PyTorch: 0 at -3, 1 at 3
    assert math.copysign(1, y[0]) == -1  # x * 0 on the left piece: PyTorch's negative zero
    y, g = value_and_grad(F.hardsigmoid, EDGES)
    np.testing.assert_allclose(y, [0, 0, 2.5 / 6, 0.5, 3.5 / 6, 1, 1, 1])
    np.testing.assert_allclose(g, [0, 0, 1 / 6, 1 / 6, 1 / 6, 0, 0, 0])


def test_the_interval_of_hardsigmoid_is_tested_on_x_not_on_x_plus_3():
    below_three = np.nextafter(np.float32(3), np.float32(0))  # 3 - 2**-22: x + 3 rounds to 6 in float32
    x = autograd.tensor([below_three], requires_grad=True)
    F.hardsigmoid(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1 / 6])


def test_shrinks_and_threshold():
    x = [-2.0, -0.5, -0.2, 0.0, 0.5, 1.0]
    y, g = value_and_grad(F.softshrink, x)
    np.testing.assert_allclose(y, [-1.5, 0, 0, 0, 0, 0.5])
    np.testing.assert_array_equal(g, [1, 0, 0, 0, 0, 1])  # the band [-lambd, lambd] is closed
    assert math.copysign(1, y[2]) == -1  # PyTorch's x * 0 in the band
    y, g = value_and_grad(lambda t: F.hardshrink(t, 0.4), x)
    np.testing.assert_allclose(y, [-2, -0.5, 0, 0, 0.5, 1])
    np.testing.assert_array_equal(g, [1, 1, 0, 0, 1, 1])
    y, g = value_and_grad(lambda t: F.threshold(t, 0.5, -9.0), x)
    np.testing.assert_array_equal(y, [-9, -9, -9, -9, -9, 1.0])
    np.testing.assert_array_equal(g, [0, 0, 0, 0, 0, 1])
    y, g = value_and_grad(F.tanhshrink, [0.5])
    np.testing.assert_allclose(y, [0.5 - np.tanh(0.5)])
    np.testing.assert_allclose(g, [np.tanh(0.5) ** 2])
    y, g = value_and_grad(F.softsign, [-3.0, 0.0, 1.0])
    np.testing.assert_allclose(y, [-0.75, 0, 0.5])
    np.testing.assert_allclose(g, [1 / 16, 1, 1 / 4])
    with pytest.raises(RuntimeError, match="softshrink: lambd must be >= 0, got -1"):
        F.softshrink(t64([1.0]), -1.0)
    np.testing.assert_array_equal(F.hardshrink(t64(x), -1.0).numpy(), x)  # PyTorch allows it: the identity


def test_nan_passes_through_with_pytorchs_gradients():
    # PyTorch 2.13's float32 (vectorised) kernels; its scalar float64 kernels give NaN for hardswish and celu
    for fn, grad in [(F.hardswish, 1.0), (F.hardsigmoid, 0.0), (F.hardshrink, 0.0), (F.softshrink, 0.0),
                     (lambda t: F.threshold(t, 0.0, 5.0), 1.0), (F.celu, 1.0)]:
        x = autograd.tensor([float("nan")], requires_grad=True)
        (g,) = autograd.grad(fn(x).sum(), x)
        assert np.isnan(fn(x).detach().numpy()[0])
        assert g.numpy()[0] == grad


def test_celu_is_elu_of_x_over_alpha_and_smooth_at_zero():
    x = [-2.0, -0.1, 0.0, 1.5]
    for alpha in (1.0, 0.5, 3.0):
        y, g = value_and_grad(lambda t, a=alpha: F.celu(t, a), x)
        xs = np.array(x)
        np.testing.assert_allclose(y, np.where(xs > 0, xs, alpha * np.expm1(xs / alpha)))
        np.testing.assert_allclose(g, np.where(xs > 0, 1.0, np.exp(xs / alpha)))  # 1 at 0 from both sides
    np.testing.assert_allclose(F.celu(t64(x)).numpy(), F.elu(t64(x)).numpy())
    y, g = value_and_grad(F.celu, [1000.0, -1000.0])  # no overflow into the unused branch
    np.testing.assert_array_equal(g, [1.0, 0.0])
    with pytest.raises(RuntimeError, match="celu: alpha cannot be 0"):
        F.celu(t64(x), 0.0)


def test_mish_and_logsigmoid_are_exact_at_extreme_inputs():
    y, g = value_and_grad(F.mish, [0.0, 1.0, -100.0, 100.0])
    assert y[1] == pytest.approx(np.tanh(np.log1p(np.e)))
    assert y[2] == pytest.approx(-100 * np.exp(-100), rel=1e-12)  # PyTorch 2.13: -3.7201e-42
    assert y[3] == 100.0
    np.testing.assert_allclose(g[[0, 3]], [0.6, 1.0])  # tanh(log 2) = 0.6
    y, g = value_and_grad(F.logsigmoid, [-800.0, -30.0, 0.0, 30.0, 800.0])
    np.testing.assert_allclose(y, [-800.0, -30.0 - np.log1p(np.exp(-30.0)), -np.log(2), -np.log1p(np.exp(-30.0)), 0.0],
                               rtol=1e-15)
    np.testing.assert_allclose(g, [1.0, 1 - np.exp(-30.0), 0.5, np.exp(-30.0), 0.0], rtol=1e-12)
    assert F.logsigmoid(t64([30.0])).item() == pytest.approx(-9.357622968839737e-14, rel=1e-14)  # PyTorch 2.13


def test_prelu_slopes_per_channel_and_their_gradients():
    x = t64([[[-1.0, 2.0], [-3.0, 0.0]], [[4.0, -5.0], [-6.0, 1.0]]], requires_grad=True)  # (N, C, L) = (2, 2, 2)
    w = t64([0.1, 0.5], requires_grad=True)
    y = F.prelu(x, w)
    np.testing.assert_allclose(y.detach().numpy(), [[[-0.1, 2], [-1.5, 0]], [[4, -0.5], [-3, 1]]])
    gx, gw = autograd.grad(y.sum(), [x, w])
    np.testing.assert_allclose(gw.numpy(), [-1 - 5, -3 + 0 - 6])  # the sum of x over x <= 0, per channel
    np.testing.assert_allclose(gx.numpy(), [[[0.1, 1], [0.5, 0.5]], [[1, 0.1], [0.5, 1]]])  # the slope at x = 0
    assert F.prelu(t64(-2.0), t64([0.25])).shape == ()  # one shared slope: any shape, even 0-d
    assert autograd.gradcheck(F.prelu, [t64(np.random.default_rng(0).uniform(-1, 1, (3, 2, 2)), True), w])


def test_prelu_module_parameters_and_errors():
    m = nn.PReLU(3, init=0.1)
    assert repr(m) == "PReLU(num_parameters=3)"
    assert list(m.state_dict()) == ["weight"]
    np.testing.assert_allclose(m.weight.detach().numpy(), [0.1] * 3)
    np.testing.assert_allclose(nn.PReLU().weight.detach().numpy(), [0.25])
    with pytest.raises(RuntimeError, match=r"weight has 3 parameters, but the input of shape \[2, 4\] has 4 channel"):
        m(autograd.zeros(2, 4))
    with pytest.raises(RuntimeError, match="scalar or a 1-D tensor"):
        F.prelu(autograd.zeros(2, 3), autograd.ones(3, 1))


def test_glu_halves_and_gates():
    x = t64([[1.0, 2.0, 0.0, -1.0]])
    expected = np.array([1.0, 2.0]) / (1 + np.exp(-np.array([0.0, -1.0])))
    np.testing.assert_allclose(F.glu(x).numpy(), [expected])
    np.testing.assert_allclose(nn.GLU(0)(x.reshape(4, 1)).numpy(), expected.reshape(2, 1))
    with pytest.raises(RuntimeError, match=r"dimension 1 of the input of shape \[2, 5\] has size 5"):
        F.glu(autograd.zeros(2, 5))
    with pytest.raises(RuntimeError, match="0-d input"):
        F.glu(autograd.tensor(1.0))
    with pytest.raises(IndexError, match=r"glu: dimension out of range .*\[-2, 1\], but got 2"):
        F.glu(autograd.zeros(2, 4), 2)


def test_softmin_softmax2d():
    x = t64([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(F.softmin(x, 1).numpy(), F.softmax(-x, 1).numpy())
    np.testing.assert_allclose(nn.Softmin(1)(x).numpy().sum(), 1.0)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        F.softmin(x)
    images = autograd.randn(2, 3, 4, 5)
    np.testing.assert_allclose(nn.Softmax2d()(images).numpy().sum(1), np.ones((2, 4, 5)), rtol=1e-6)
    np.testing.assert_allclose(nn.Softmax2d()(images[0]).numpy(), nn.Softmax2d()(images).numpy()[0], rtol=1e-6)
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D"):
        nn.Softmax2d()(autograd.zeros(2, 3))


@pytest.mark.parametrize("name", ["relu6", "celu", "mish", "hardswish", "hardsigmoid", "softsign", "softshrink",
                                  "hardshrink", "tanhshrink", "logsigmoid"])
def test_activation_gradchecks(name):
    fn = getattr(F, name)
    # random points in [-4, 4], away from the kinks at 0, +-0.5, +-3 and 6 (finite differences straddle them)
    rng = np.random.default_rng(1)
    values = rng.uniform(-4, 4, 40)
    kinks = np.array([0.0, 0.5, -0.5, 3.0, -3.0, 6.0])
    values = values[np.abs(values[:, None] - kinks).min(1) > 1e-3][:12].reshape(3, 4)
    x = t64(values, requires_grad=True)
    assert autograd.gradcheck(fn, [x])
    assert autograd.gradgradcheck(fn, [x])


def test_glu_and_softmin_gradcheck():
    x = t64(np.random.default_rng(2).normal(size=(2, 4)), requires_grad=True)
    assert autograd.gradgradcheck(lambda t: F.glu(t, 1), [x])
    assert autograd.gradgradcheck(lambda t: F.softmin(t, 0), [x])


def test_inplace_is_accepted_and_computed_out_of_place():
    x = t64([-1.0, 2.0])
    for fn in (F.relu6, F.celu, F.mish, F.hardswish, F.hardsigmoid, lambda t, inplace: F.threshold(t, 0, 0, inplace)):
        fn(x, inplace=True)
    np.testing.assert_array_equal(x.numpy(), [-1.0, 2.0])


def test_module_reprs_match_pytorch():
    reprs = {
        nn.ReLU6(): "ReLU6()", nn.ReLU6(inplace=True): "ReLU6(inplace=True)", nn.CELU(): "CELU(alpha=1.0)",
        nn.CELU(0.5, True): "CELU(alpha=0.5, inplace=True)", nn.Mish(): "Mish()", nn.Mish(True): "Mish(inplace=True)",
        nn.Hardswish(True): "Hardswish()", nn.Hardsigmoid(True): "Hardsigmoid()", nn.Softsign(): "Softsign()",
        nn.Softshrink(): "Softshrink(0.5)", nn.Hardshrink(0.3): "Hardshrink(0.3)", nn.Tanhshrink(): "Tanhshrink()",
        nn.Threshold(0.1, 20): "Threshold(threshold=0.1, value=20)",
        nn.Threshold(0.1, 20.0, True): "Threshold(threshold=0.1, value=20.0, inplace=True)",
        nn.GLU(): "GLU(dim=-1)", nn.LogSigmoid(): "LogSigmoid()", nn.Softmin(1): "Softmin(dim=1)",
        nn.Softmin(): "Softmin(dim=None)", nn.Softmax2d(): "Softmax2d()",
    }
    for module, text in reprs.items():
        assert repr(module) == text


def test_modules_call_their_functional_forms():
    x = t64(np.linspace(-5, 7, 13))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pairs = [(nn.ReLU6(), F.relu6(x)), (nn.CELU(0.7), F.celu(x, 0.7)), (nn.Mish(), F.mish(x)),
                 (nn.Hardswish(), F.hardswish(x)), (nn.Hardsigmoid(), F.hardsigmoid(x)), (nn.Softsign(), F.softsign(x)),
                 (nn.Softshrink(1.0), F.softshrink(x, 1.0)), (nn.Hardshrink(1.0), F.hardshrink(x, 1.0)),
                 (nn.Tanhshrink(), F.tanhshrink(x)), (nn.Threshold(1.0, -1.0), F.threshold(x, 1.0, -1.0)),
                 (nn.LogSigmoid(), F.logsigmoid(x)), (nn.Softmin(0), F.softmin(x, 0))]
    for module, expected in pairs:
        np.testing.assert_array_equal(module(x).numpy(), expected.numpy())
