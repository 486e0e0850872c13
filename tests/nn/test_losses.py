"""Losses against hand-computed values (numpy formulas, and PyTorch 2.13 values pasted where noted), reductions,
argument validation and gradchecks in float64."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64

X = np.array([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7], [0.0, 0.1, 0.2]])
T = np.array([2, 0, -100])
W = np.array([1.0, 2.0, 0.5])
A = np.array([0.5, -1.0, 2.0, 0.1])
B = np.array([0.0, 1.0, 0.5, 0.3])


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def test_mse_l1_smooth_l1_huber_match_hand_values():
    a, b = t64(A), t64(B)
    d = np.abs(A - B)  # [0.5, 2.0, 1.5, 0.2]
    assert F.mse_loss(a, b).item() == pytest.approx(np.mean(d**2))  # PyTorch: 1.635
    assert F.mse_loss(a, b).item() == pytest.approx(1.635)
    assert F.l1_loss(a, b).item() == pytest.approx(1.05)
    assert F.l1_loss(a, b, reduction="sum").item() == pytest.approx(4.2)
    assert F.smooth_l1_loss(a, b).item() == pytest.approx(0.66125)  # PyTorch 2.13
    assert F.smooth_l1_loss(a, b, beta=0.5).item() == pytest.approx(0.8225)
    assert F.smooth_l1_loss(a, b, beta=0.0).item() == pytest.approx(1.05)
    assert F.huber_loss(a, b, delta=0.5).item() == pytest.approx(0.41125)
    assert F.huber_loss(a, b, delta=0.5, reduction="sum").item() == pytest.approx(1.645)
    np.testing.assert_allclose(F.mse_loss(a, b, reduction="none").numpy(), d**2)
    expected_huber = np.where(d < 1.0, 0.5 * d**2, d - 0.5)
    np.testing.assert_allclose(nn.HuberLoss(reduction="none")(a, b).numpy(), expected_huber)
    assert nn.SmoothL1Loss(beta=0.5)(a, b).item() == pytest.approx(0.8225)
    assert nn.MSELoss(reduction="sum")(a, b).item() == pytest.approx(6.54)
    assert nn.L1Loss()(a, b).item() == pytest.approx(1.05)


def test_legacy_size_average_and_reduce_flags():
    a, b = t64(A), t64(B)
    assert F.mse_loss(a, b, size_average=False).item() == pytest.approx(6.54)
    assert F.mse_loss(a, b, reduce=False).shape == (4,)


def test_bce_clamps_log_and_matches_pytorch():
    p, y = t64([0.9, 0.2, 0.6, 0.0]), t64([1.0, 0.0, 1.0, 1.0])
    # The last term is -log(0) clamped to 100.
    hand = np.mean([-np.log(0.9), -np.log(0.8), -np.log(0.6), 100.0])
    assert F.binary_cross_entropy(p, y).item() == pytest.approx(hand)
    assert F.binary_cross_entropy(p, y).item() == pytest.approx(25.209832422684507)  # PyTorch 2.13
    w = t64([1.0, 2.0, 0.5, 1.0])
    assert nn.BCELoss(weight=w, reduction="sum")(p, y).item() == pytest.approx(100.80706043016924)


def test_bce_gradient_at_zero_probability_is_finite():
    p = t64([0.0, 0.5], requires_grad=True)
    F.binary_cross_entropy(p, t64([1.0, 1.0])).backward()
    assert np.all(np.isfinite(p.grad.numpy()))


def test_bce_rejects_bad_inputs():
    with pytest.raises(ValueError, match="target size"):
        F.binary_cross_entropy(t64([0.5, 0.5]), t64([1.0]))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(t64([1.5]), t64([1.0]))


def test_bce_with_logits_is_stable_and_matches_pytorch():
    x, y = t64([2.0, -1.0, 0.0, 50.0, -50.0]), t64([1.0, 0.0, 1.0, 0.0, 1.0])
    hand = np.maximum(x.numpy(), 0) - x.numpy() * y.numpy() + np.log1p(np.exp(-np.abs(x.numpy())))
    assert F.binary_cross_entropy_with_logits(x, y).item() == pytest.approx(hand.mean())
    assert F.binary_cross_entropy_with_logits(x, y).item() == pytest.approx(20.226667375824228)  # PyTorch
    pos = t64([3.0] * 5)
    np.testing.assert_allclose(
        nn.BCEWithLogitsLoss(pos_weight=pos, reduction="none")(x, y).numpy(),
        [0.38078403, 0.31326169, 2.07944154, 50.0, 150.0], rtol=1e-7,  # PyTorch 2.13
    )
    big = autograd.tensor([100.0, -100.0], requires_grad=True)  # float32: exp(100) would overflow
    loss = F.binary_cross_entropy_with_logits(big, autograd.tensor([0.0, 1.0]))
    loss.backward()
    assert loss.item() == pytest.approx(100.0)
    np.testing.assert_allclose(big.grad.numpy(), [0.5, -0.5])
    zero = autograd.tensor([0.0], requires_grad=True)  # the gradient at a zero logit is sigmoid(0) - y
    F.binary_cross_entropy_with_logits(zero, autograd.tensor([1.0])).backward()
    np.testing.assert_allclose(zero.grad.numpy(), [-0.5])


def test_cross_entropy_class_indices_with_ignore_index_and_weight():
    x, t = t64(X), autograd.tensor(T)
    logp = log_softmax(X, 1)
    per_sample = np.array([-logp[0, 2], -logp[1, 0], 0.0])
    np.testing.assert_allclose(F.cross_entropy(x, t, reduction="none").numpy(), per_sample)
    assert F.cross_entropy(x, t).item() == pytest.approx(per_sample[:2].mean())  # mean over non-ignored
    assert F.cross_entropy(x, t).item() == pytest.approx(0.509981101785676)  # PyTorch 2.13
    weighted = (W[2] * per_sample[0] + W[0] * per_sample[1]) / (W[2] + W[0])
    assert F.cross_entropy(x, t, weight=t64(W)).item() == pytest.approx(weighted)
    assert nn.CrossEntropyLoss(weight=t64(W))(x, t).item() == pytest.approx(0.4549891600762888)
    assert F.nll_loss(t64(logp), t, weight=t64(W)).item() == pytest.approx(weighted)
    assert F.nll_loss(x, t, weight=t64(W)).item() == pytest.approx(-1.1666666666666667)  # PyTorch
    assert nn.NLLLoss(reduction="sum")(x, t).item() == pytest.approx(-(0.5 + 1.5))


def test_cross_entropy_label_smoothing_matches_pytorch():
    x, t = t64(X), autograd.tensor(T)
    assert F.cross_entropy(x, t, weight=t64(W), label_smoothing=0.1).item() == pytest.approx(0.6399317487908762)
    assert nn.CrossEntropyLoss(label_smoothing=0.1, reduction="sum")(x, t).item() == pytest.approx(1.1932955369046854)


def test_cross_entropy_probability_targets():
    p = np.array([[0.1, 0.6, 0.3], [0.5, 0.5, 0.0], [0.2, 0.2, 0.6]])
    hand = -(p * log_softmax(X, 1)).sum(1).mean()
    assert F.cross_entropy(t64(X), t64(p)).item() == pytest.approx(hand)
    assert F.cross_entropy(t64(X), t64(p)).item() == pytest.approx(1.2039683506001986)  # PyTorch
    assert F.cross_entropy(t64(X), t64(p), weight=t64(W), label_smoothing=0.2).item() == pytest.approx(
        1.7860443544514208
    )


def test_cross_entropy_unbatched_and_spatial():
    assert F.cross_entropy(t64(X[1]), autograd.tensor(0)).item() == pytest.approx(0.3450052766575144)
    x3 = autograd.arange(12, dtype=f64).reshape(2, 3, 2) / 5
    assert F.cross_entropy(x3, autograd.tensor([[0, 2], [1, -100]])).item() == pytest.approx(1.151250513728494)


def test_cross_entropy_errors():
    x = t64(X)
    with pytest.raises(IndexError, match="out of bounds"):
        F.cross_entropy(x, autograd.tensor([0, 3, 1]))
    with pytest.raises(ValueError, match="target of shape"):
        F.cross_entropy(x, autograd.tensor([0, 1]))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        F.cross_entropy(x, autograd.tensor([0, 1, 2]), reduction="avg")


def test_cross_entropy_hot_path_is_one_fused_op():
    """The MNIST hot path (logits, class indices, no weights): one op, no Python loop, no one-hot matrix."""
    from autograd.function import add_forward_listener

    names = []
    handle = add_forward_listener(lambda event: names.append(event.op.op_name))
    try:
        F.cross_entropy(autograd.randn(64, 10, requires_grad=True), autograd.randint(0, 10, (64,)))
    finally:
        handle.remove()
    assert names == ["cross_entropy"]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_fused_cross_entropy_equals_log_softmax_then_nll(reduction):
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(5, 4)) * 3
    target = autograd.tensor(np.array([0, 3, 1, 1, 2]))
    fused_x = autograd.tensor(logits, requires_grad=True)
    plain_x = autograd.tensor(logits, requires_grad=True)
    fused = F.cross_entropy(fused_x, target, reduction=reduction)
    plain = F.nll_loss(F.log_softmax(plain_x, dim=1), target, reduction=reduction)
    fused.backward()
    plain.backward()
    assert fused.item() == pytest.approx(plain.item(), rel=1e-12)
    np.testing.assert_allclose(fused_x.grad.numpy(), plain_x.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "loss",
    [
        lambda x, y, t, p: F.mse_loss(x, y),
        lambda x, y, t, p: F.l1_loss(x, y, reduction="sum"),
        lambda x, y, t, p: F.smooth_l1_loss(x, y, beta=0.5),
        lambda x, y, t, p: F.huber_loss(x, y, delta=0.7, reduction="none"),
        lambda x, y, t, p: F.binary_cross_entropy(autograd.sigmoid(x), p),
        lambda x, y, t, p: F.binary_cross_entropy_with_logits(x, p, pos_weight=t64([2.0, 0.5, 1.0])),
        lambda x, y, t, p: F.cross_entropy(x, t, weight=t64(W), label_smoothing=0.1),
        lambda x, y, t, p: F.cross_entropy(x, autograd.softmax(y, 1), label_smoothing=0.2),
        lambda x, y, t, p: F.nll_loss(autograd.log_softmax(x, 1), t, reduction="sum"),
    ],
    ids=["mse", "l1", "smooth_l1", "huber", "bce", "bce_logits", "ce_index", "ce_prob", "nll"],
)
def test_losses_gradcheck(loss):
    rng = np.random.default_rng(0)
    # Values away from the kinks of |x - y| and of the Huber/smooth-L1 switch.
    x = t64(rng.uniform(-1, 1, (3, 3)), requires_grad=True)
    y = t64(x.detach().numpy() + rng.choice([-1, 1], (3, 3)) * rng.uniform(0.1, 0.3, (3, 3)) * 3)
    t = autograd.tensor([2, 0, -100])
    p = t64(rng.uniform(0.1, 0.9, (3, 3)))
    assert autograd.gradcheck(lambda x: loss(x, y, t, p), [x])
    assert autograd.gradgradcheck(lambda x: loss(x, y, t, p), [x])


def test_probability_targets_receive_gradients():
    x = t64(X, requires_grad=True)
    p = t64(np.full((3, 3), 1 / 3), requires_grad=True)
    assert autograd.gradcheck(lambda x, p: F.cross_entropy(x, p), [x, p])


@pytest.mark.parametrize(
    "loss",
    [
        lambda x: F.cross_entropy(x, autograd.tensor([-100, -100, -100])),
        lambda x: F.cross_entropy(x, autograd.tensor([-100, -100, -100]), weight=t64(W)),
        lambda x: F.cross_entropy(x, autograd.tensor([-100, -100, -100]), label_smoothing=0.1),
        lambda x: F.cross_entropy(x.reshape(1, 3, 3), autograd.tensor([[-100, -100, -100]])),
        lambda x: F.nll_loss(x, autograd.tensor([1, 1, 1]), ignore_index=1),
    ],
    ids=["ce", "ce_weight", "ce_smoothing", "ce_spatial", "nll"],
)
def test_all_targets_ignored_gives_nan_mean_and_zero_gradient(loss):
    # 'mean' divides by a total weight of 0 (NaN), but no ignored entry receives any gradient, so the
    # gradient is exactly 0 everywhere, as PyTorch's.
    x = t64(X, requires_grad=True)
    value = loss(x)
    value.backward()
    assert np.isnan(value.item())
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros_like(X))


def test_nll_gradient_is_minus_weight_over_total_weight_at_kept_targets_only():
    x = t64(X, requires_grad=True)
    t = np.array([2, 1, 1])
    F.nll_loss(x, autograd.tensor(t), weight=t64(W), ignore_index=1).backward()
    expected = np.zeros_like(X)
    expected[0, 2] = -W[2] / W[2]  # the only kept target
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_bce_value_and_gradients_follow_pytorchs_clamps():
    # The forward clamps each log at -100; the input gradient is (x - y) / max(x * (1 - x), eps) with ATen's
    # float eps = 1e-12, so x = y in {0, 1} gets 0 and x = 1 - y gets -+1e12; dl/dy = log(1 - x) - log(x).
    x = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1e-13, 0.3])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.7])
    w = np.linspace(0.5, 2.0, x.size)
    p, t = t64(x, requires_grad=True), t64(y, requires_grad=True)
    loss = F.binary_cross_entropy(p, t, weight=t64(w))
    loss.backward()
    with np.errstate(divide="ignore"):
        log_x, log_1mx = np.log(x), np.log1p(-x)
    per_element = -w * (y * np.maximum(log_x, -100) + (1 - y) * np.maximum(log_1mx, -100))
    assert loss.item() == pytest.approx(per_element.mean(), rel=1e-12)
    eps = float(np.float32(1e-12))
    np.testing.assert_allclose(p.grad.numpy(), w * (x - y) / np.maximum(x * (1 - x), eps) / x.size, rtol=1e-12)
    assert p.grad.numpy()[0] == 0 and p.grad.numpy()[1] == 0
    np.testing.assert_allclose(t.grad.numpy(), w * (log_1mx - log_x) / x.size, rtol=1e-12)


def test_bce_second_derivative_away_from_zero_and_one():
    x, y = np.array([0.2, 0.6, 0.9]), np.array([0.0, 1.0, 0.3])
    p = t64(x, requires_grad=True)
    (g,) = autograd.grad(F.binary_cross_entropy(p, t64(y), reduction="sum"), p, create_graph=True)
    (h,) = autograd.grad(g.sum(), p)
    # d/dx (x - y) / (x (1 - x)) = (x**2 - 2 x y + y) / (x (1 - x))**2
    np.testing.assert_allclose(h.numpy(), (x**2 - 2 * x * y + y) / (x * (1 - x)) ** 2, rtol=1e-12)
    rng = np.random.default_rng(1)
    p = t64(rng.uniform(0.1, 0.9, (2, 3)), requires_grad=True)
    t = t64(rng.uniform(0.1, 0.9, (2, 3)), requires_grad=True)
    assert autograd.gradcheck(lambda p, t: F.binary_cross_entropy(p, t), [p, t])
    assert autograd.gradgradcheck(lambda p, t: F.binary_cross_entropy(p, t), [p, t])


def test_cross_entropy_probability_targets_differentiate_the_weight():
    p = np.array([[0.1, 0.6, 0.3], [0.5, 0.5, 0.0], [0.2, 0.2, 0.6]])
    w = t64(W, requires_grad=True)
    F.cross_entropy(t64(X), t64(p), weight=w).backward()
    # L = -sum_nc w_c p_nc logp_nc / N, so dL/dw_c = -sum_n p_nc logp_nc / N
    np.testing.assert_allclose(w.grad.numpy(), -(p * log_softmax(X, 1)).sum(0) / 3, rtol=1e-12)
    x = t64(X, requires_grad=True)
    assert autograd.gradcheck(lambda x, w: F.cross_entropy(x, t64(p), weight=w), [x, w])


KL_X = np.log(np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]))
KL_Y = np.array([[0.0, 0.4, 0.6], [0.3, 0.3, 0.4]])


def test_kl_div_pointwise_and_reductions():
    x, y = t64(KL_X), t64(KL_Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        pointwise = np.where(KL_Y == 0, 0.0, KL_Y * np.log(KL_Y)) - KL_Y * KL_X
    np.testing.assert_allclose(F.kl_div(x, y, reduction="none").numpy(), pointwise, rtol=1e-12)
    assert F.kl_div(x, y, reduction="sum").item() == pytest.approx(pointwise.sum(), rel=1e-12)
    assert F.kl_div(x, y, reduction="batchmean").item() == pytest.approx(pointwise.sum() / 2, rel=1e-12)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        assert F.kl_div(x, y).item() == pytest.approx(pointwise.mean(), rel=1e-12)
    assert F.kl_div(x, y, size_average=False).item() == pytest.approx(pointwise.sum(), rel=1e-12)  # no warning
    log_y = t64(np.log(KL_Y[1]))
    expected = (KL_Y[1] * (np.log(KL_Y[1]) - KL_X[1])).sum()
    assert nn.KLDivLoss(reduction="batchmean", log_target=True)(t64(KL_X[1:]), log_y[None]).item() == pytest.approx(
        expected, rel=1e-12
    )
    assert F.kl_div(t64(-1.0), t64(0.5), reduction="batchmean").item() == pytest.approx(0.5 * (np.log(0.5) + 1))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        F.kl_div(x, y, reduction="avg")


@pytest.mark.filterwarnings("error")  # no 0 * log(0) RuntimeWarning from a zero target
def test_kl_div_gradients():
    x, y = t64(KL_X, requires_grad=True), t64(KL_Y, requires_grad=True)
    F.kl_div(x, y, reduction="batchmean").backward()
    np.testing.assert_allclose(x.grad.numpy(), -KL_Y / 2, rtol=1e-12)
    with np.errstate(divide="ignore"):
        # log(y) + 1 - x; at y == 0 (xlogy's 0) the y * log(y) term contributes nothing, leaving -x
        expected = np.where(KL_Y == 0, -KL_X, np.log(KL_Y) + 1 - KL_X) / 2
    np.testing.assert_allclose(y.grad.numpy(), expected, rtol=1e-12)
    log_y = t64(np.log(KL_Y[1:]), requires_grad=True)
    x = t64(KL_X[1:], requires_grad=True)
    F.kl_div(x, log_y, reduction="sum", log_target=True).backward()
    np.testing.assert_allclose(x.grad.numpy(), -KL_Y[1:], rtol=1e-12)
    np.testing.assert_allclose(log_y.grad.numpy(), KL_Y[1:] * (np.log(KL_Y[1:]) + 1 - KL_X[1:]), rtol=1e-12)
    rng = np.random.default_rng(2)
    x = t64(rng.normal(size=(2, 3)), requires_grad=True)
    y = t64(rng.uniform(0.1, 1.0, (2, 3)), requires_grad=True)
    for log_target in (False, True):
        def loss(x, y, log_target=log_target):
            return F.kl_div(x, y, reduction="sum", log_target=log_target)

        assert autograd.gradcheck(loss, [x, y])
        assert autograd.gradgradcheck(loss, [x, y])
