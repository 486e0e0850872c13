"""poisson_nll_loss and gaussian_nll_loss: hand values (PyTorch 2.13 values pasted where noted), Stirling's
term, the variance's accepted shapes and its clamp, errors, module options and gradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_poisson_nll_loss_log_and_linear_inputs():
    x, y = t64([0.5, -1.0, 2.0]), t64([0.0, 1.0, 3.0])
    hand = np.exp(x.numpy()) - y.numpy() * x.numpy()
    np.testing.assert_allclose(F.poisson_nll_loss(x, y, reduction="none").numpy(), hand)
    rate = t64([0.5, 1.0, 2.0])
    np.testing.assert_allclose(F.poisson_nll_loss(rate, y, log_input=False, reduction="none").numpy(),
                               [0.5, 0.9999999900000001, -0.07944155667983566])  # PyTorch 2.13: x - y log(x + eps)
    assert F.poisson_nll_loss(rate, y, log_input=False, eps=0.5).item() == pytest.approx(
        np.mean(rate.numpy() - y.numpy() * np.log(rate.numpy() + 0.5)))
    assert nn.PoissonNLLLoss(reduction="sum")(x, y).item() == pytest.approx(hand.sum())


def test_poisson_nll_loss_full_adds_stirling_where_the_count_exceeds_one():
    x, y = t64([0.5, -1.0, 2.0], requires_grad=True), t64([0.0, 1.0, 3.0], requires_grad=True)
    loss = F.poisson_nll_loss(x, y, full=True, reduction="none")
    stirling = 3 * math.log(3) - 3 + 0.5 * math.log(2 * math.pi * 3)
    np.testing.assert_allclose(loss.detach().numpy(), [1.6487212707001282, 1.3678794411714423,
                                                       1.3890560989306504 + stirling])  # PyTorch 2.13
    _, gy = autograd.grad(loss.sum(), [x, y])
    # y = 0 and y = 1 get no Stirling term, so their gradient is -x (PyTorch's is NaN at y = 0)
    np.testing.assert_allclose(gy.numpy(), [-0.5, 1.0, -2.0 + math.log(3) + 1 / 6])


def test_poisson_nll_loss_errors():
    with pytest.raises(ValueError, match="x is not a valid value for reduction"):
        F.poisson_nll_loss(t64([1.0]), t64([1.0]), reduction="x")
    with pytest.raises(RuntimeError, match=r"poisson_nll_loss: input of shape \[3\], target of shape \[2\]"):
        F.poisson_nll_loss(autograd.zeros(3), autograd.zeros(2))


def test_gaussian_nll_loss_by_hand():
    mean, target, var = t64([1.0, 2.0]), t64([0.0, 4.0]), t64([1.0, 4.0])
    np.testing.assert_allclose(F.gaussian_nll_loss(mean, target, var, reduction="none").numpy(),
                               [0.5, 0.5 * (math.log(4) + 1)])
    assert nn.GaussianNLLLoss(full=True)(mean, target, var).item() == pytest.approx(1.7655121234846454)  # PyTorch
    assert F.gaussian_nll_loss(mean, target, 2.0).item() == pytest.approx(
        np.mean(0.5 * (math.log(2) + np.array([1.0, 4.0]) / 2)))


def test_gaussian_nll_loss_variance_shapes():
    x = autograd.randn(4, 3, dtype=autograd.float64)
    y = autograd.randn(4, 3, dtype=autograd.float64)
    per_row = t64([0.5, 1.0, 2.0, 4.0])
    expected = F.gaussian_nll_loss(x, y, per_row.reshape(4, 1).expand(4, 3), reduction="none").numpy()
    np.testing.assert_allclose(F.gaussian_nll_loss(x, y, per_row, reduction="none").numpy(), expected)  # (4,)
    np.testing.assert_allclose(F.gaussian_nll_loss(x, y, per_row.reshape(4, 1), reduction="none").numpy(), expected)
    assert F.gaussian_nll_loss(x, y, autograd.ones(1, 3, dtype=autograd.float64), reduction="none").shape == (4, 3)
    for bad in (autograd.ones(3), autograd.ones(2, 3), autograd.ones(1, 1)):
        with pytest.raises(ValueError, match="is of incorrect size for the input of shape"):
            F.gaussian_nll_loss(x, y, bad)
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(x, y, -per_row)
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(x, y, -1.0)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        F.gaussian_nll_loss(x, y, per_row, reduction="avg")


def test_gaussian_nll_loss_clamps_var_but_keeps_its_gradient():
    # As in PyTorch (an in-place clamp under no_grad): the loss sees max(var, eps), yet var still gets the
    # gradient of the formula there, not 0.
    var = t64([1e-9, 0.5], requires_grad=True)
    loss = F.gaussian_nll_loss(t64([1.0, 1.0]), t64([0.0, 0.0]), var, eps=1e-6, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), 0.5 * (np.log([1e-6, 0.5]) + 1 / np.array([1e-6, 0.5])))
    loss.sum().backward()
    clamped = np.array([1e-6, 0.5])
    np.testing.assert_allclose(var.grad.numpy(), 0.5 * (1 / clamped - 1 / clamped**2))


def test_module_options():
    module = nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-3)
    assert (module.log_input, module.full, module.eps, module.reduction) == (False, True, 1e-3, "mean")
    with pytest.raises(TypeError):
        nn.GaussianNLLLoss(True)  # keyword-only, as in PyTorch
    assert vars(nn.GaussianNLLLoss(eps=1e-3)).items() >= {"full": False, "eps": 1e-3}.items()


def test_gradchecks():
    rng = np.random.default_rng(0)
    x = t64(rng.uniform(-1, 1, (3, 4)), requires_grad=True)
    counts = t64(rng.uniform(1.5, 4.0, (3, 4)), requires_grad=True)  # away from the Stirling switch at 1
    var = t64(rng.uniform(0.5, 2.0, (3, 4)), requires_grad=True)
    assert autograd.gradgradcheck(lambda a, c: F.poisson_nll_loss(a, c, full=True), [x, counts])
    assert autograd.gradgradcheck(lambda a, c: F.poisson_nll_loss(a.abs() + 0.5, c, log_input=False), [x, counts])
    assert autograd.gradgradcheck(lambda a, c, v: F.gaussian_nll_loss(a, c, v, full=True), [x, counts, var])
