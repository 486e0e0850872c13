"""Margin and embedding losses: hand-computed values (PyTorch 2.13 values pasted where noted), the gradient
at the hinge, reductions, target validation and error messages, module options and gradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_margin_ranking_loss_and_its_gradient_at_the_hinge():
    x1, x2 = t64([1.0, 2.0, 3.0], True), t64([2.0, 2.0, 1.0], True)
    y = t64([1.0, -1.0, 1.0])
    loss = F.margin_ranking_loss(x1, x2, y, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [1.0, 0.0, 0.0])
    g1, g2 = autograd.grad(loss.sum(), [x1, x2])
    # the second pair sits exactly on the hinge (loss 0): the gradient flows there, as PyTorch's clamp_min
    np.testing.assert_allclose(g1.numpy(), [-1.0, 1.0, 0.0])
    np.testing.assert_allclose(g2.numpy(), [1.0, -1.0, 0.0])
    assert nn.MarginRankingLoss(margin=0.5)(x1, x2, y).item() == pytest.approx((1.5 + 0.5 + 0) / 3)
    assert F.margin_ranking_loss(x1, x2, y, size_average=False).item() == pytest.approx(1.0)
    with pytest.raises(RuntimeError, match=r"same number of dimensions.*target of shape \[1, 3\]"):
        F.margin_ranking_loss(x1, x2, y.reshape(1, 3))
    with pytest.raises(RuntimeError, match=r"input2 of shape \[2\]"):
        F.margin_ranking_loss(x1, t64([1.0, 2.0]), y)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        F.margin_ranking_loss(x1, x2, y, reduction="avg")


def test_hinge_embedding_loss():
    x, y = t64([0.5, 2.0, -1.0, 0.3]), t64([1.0, -1.0, -1.0, 0.0])
    # y = 1: x; y = -1: max(0, 1 - x); any other target gets both terms, as in PyTorch
    np.testing.assert_allclose(F.hinge_embedding_loss(x, y, reduction="none").numpy(), [0.5, 0.0, 2.0, 1.0])
    assert nn.HingeEmbeddingLoss(margin=2.0)(x, y).item() == pytest.approx((0.5 + 0 + 3 + 2) / 4)
    at_margin = t64([1.0], requires_grad=True)
    F.hinge_embedding_loss(at_margin, t64([-1.0])).backward()
    np.testing.assert_allclose(at_margin.grad.numpy(), [-1.0])  # PyTorch 2.13
    with pytest.raises(RuntimeError, match=r"hinge_embedding_loss: input of shape \[3\], target of shape \[2\]"):
        F.hinge_embedding_loss(autograd.zeros(3), autograd.zeros(2))


def test_soft_margin_loss_is_stable_where_pytorch_overflows():
    x, y = t64([1.0, -2.0, 0.5]), t64([1.0, 1.0, -1.0])
    hand = np.mean(np.log1p(np.exp(-y.numpy() * x.numpy())))
    assert F.soft_margin_loss(x, y).item() == pytest.approx(hand)
    assert F.soft_margin_loss(x, y).item() == pytest.approx(1.1380888942471008)  # PyTorch 2.13
    big = autograd.tensor([100.0, -1000.0], requires_grad=True)  # float32; PyTorch: inf, gradient NaN
    loss = nn.SoftMarginLoss(reduction="sum")(big, autograd.tensor([-1.0, 1.0]))
    loss.backward()
    assert loss.item() == pytest.approx(1100.0)
    np.testing.assert_allclose(big.grad.numpy(), [1.0, -1.0])


def test_multilabel_soft_margin_loss():
    x = t64([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
    y = t64([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    sig = 1 / (1 + np.exp(-x.numpy()))
    hand = -(y.numpy() * np.log(sig) + (1 - y.numpy()) * np.log(1 - sig)).mean(1)
    np.testing.assert_allclose(F.multilabel_soft_margin_loss(x, y, reduction="none").numpy(), hand)
    w = t64([1.0, 2.0, 0.5])
    assert nn.MultiLabelSoftMarginLoss(weight=w)(x, y).item() == pytest.approx(0.2918514881934603)  # PyTorch 2.13
    assert list(nn.MultiLabelSoftMarginLoss(weight=w).state_dict()) == ["weight"]
    assert F.multilabel_soft_margin_loss(x[0], y[0], reduction="none").shape == ()
    # exact even far out: log(1 + exp(-500)) is exp(-500), not 0 or log of an underflowed sigmoid
    far = F.multilabel_soft_margin_loss(t64([[500.0, -500.0]]), t64([[1.0, 0.0]]))
    assert far.item() == pytest.approx(np.exp(-500))
    with pytest.raises(ValueError, match="got a 0-d tensor"):
        F.multilabel_soft_margin_loss(t64(1.0), t64(1.0))


def test_multi_margin_loss_by_hand():
    x = t64([[0.1, 0.2, 0.4, 0.8], [0.5, 0.1, 0.9, 0.2]], requires_grad=True)
    y = autograd.tensor([3, 0])
    # sample 0: 1 - 0.8 + (0.1, 0.2, 0.4) = (0.3, 0.4, 0.6), summed, / 4 classes
    np.testing.assert_allclose(F.multi_margin_loss(x, y, reduction="none").detach().numpy(), [1.3 / 4, 2.7 / 4])
    w = t64([1.0, 2.0, 3.0, 4.0])
    loss = F.multi_margin_loss(x, y, p=2, margin=0.7, weight=w, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [0.1, 0.365], atol=1e-15)  # PyTorch 2.13; w[y] * h**2
    (g,) = autograd.grad(F.multi_margin_loss(x, y, reduction="sum"), x)
    np.testing.assert_allclose(g.numpy(), [[0.25, 0.25, 0.25, -0.75], [-0.75, 0.25, 0.25, 0.25]])
    on_hinge = t64([[0.0, 1.0]], requires_grad=True)  # margin - x[y] + x[0] = 0: no loss and no gradient
    F.multi_margin_loss(on_hinge, autograd.tensor([1])).backward()
    np.testing.assert_array_equal(on_hinge.grad.numpy(), [[0.0, 0.0]])
    assert F.multi_margin_loss(x[0].detach(), autograd.tensor(3), reduction="none").shape == ()
    assert F.multi_margin_loss(x[0].detach(), autograd.tensor([3]), reduction="none").shape == (1,)


def test_multi_margin_loss_validation():
    x, y = autograd.zeros(2, 4), autograd.tensor([3, 0])
    with pytest.raises(ValueError, match="only p == 1 and p == 2 are supported, got p=3"):
        F.multi_margin_loss(x, y, p=3)
    with pytest.raises(ValueError, match="MultiMarginLoss: only p == 1 and p == 2"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(RuntimeError, match="target 4 is out of range for 4 classes"):
        F.multi_margin_loss(x, autograd.tensor([4, 0]))
    with pytest.raises(RuntimeError, match=r"target of shape \[2\] for the input of shape \[2, 4\], got \[3\]"):
        F.multi_margin_loss(x, autograd.tensor([1, 0, 2]))
    with pytest.raises(RuntimeError, match="integer dtype, got float32"):
        F.multi_margin_loss(x, autograd.tensor([1.0, 0.0]))
    with pytest.raises(RuntimeError, match=r"\(N, C\) or \(C,\) with C > 0, got shape \[2, 3, 4\]"):
        F.multi_margin_loss(autograd.zeros(2, 3, 4), y)
    with pytest.raises(RuntimeError, match=r"expected weight of shape \[4\]"):
        F.multi_margin_loss(x, y, weight=autograd.ones(3))
    with pytest.raises(ValueError, match="weight must be one-dimensional"):
        F.multi_margin_loss(x, y, weight=autograd.ones(1, 4))
    with pytest.raises(RuntimeError, match="weight is not differentiable"):
        F.multi_margin_loss(x, y, weight=autograd.ones(4, requires_grad=True))
    assert list(nn.MultiMarginLoss(weight=autograd.ones(4)).state_dict()) == ["weight"]


def test_cosine_embedding_loss():
    a = t64([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], requires_grad=True)
    b = t64([[1.0, 1.0], [-1.0, 0.0], [1.0, 0.0]])
    y = t64([1.0, -1.0, 1.0])
    loss = F.cosine_embedding_loss(a, b, y, margin=-0.8, reduction="none")
    # 1 - cos 45 degrees; max(0, cos 135 degrees + 0.8); a zero vector has cos 0 (the 1e-12 in the norms)
    np.testing.assert_allclose(loss.detach().numpy(), [1 - 1 / math.sqrt(2), 0.8 - 1 / math.sqrt(2), 1.0])
    (g,) = autograd.grad(loss.sum(), a)
    np.testing.assert_allclose(g.numpy()[2], [-1e6, 0.0])  # PyTorch 2.13: b / sqrt(1e-12 * 1)
    other_targets = F.cosine_embedding_loss(a, b, t64([0.5, 2.0, 0.0]), reduction="none")
    np.testing.assert_array_equal(other_targets.detach().numpy(), 0)
    assert nn.CosineEmbeddingLoss(0.3)(a[:1], b[:1], y[:1]).item() == pytest.approx(1 - 1 / math.sqrt(2))
    assert F.cosine_embedding_loss(a[1], b[1], t64(-1.0), margin=-1.0).item() == pytest.approx(1 - 1 / math.sqrt(2))
    with pytest.raises(RuntimeError, match=r"multi-target is not supported\), got target of shape \[3, 1\]"):
        F.cosine_embedding_loss(a, b, y.reshape(3, 1))
    with pytest.raises(RuntimeError, match=r"a 1-D target expects 2-D inputs, but got inputs of shapes \[2\]"):
        F.cosine_embedding_loss(a[0], b[0], y[:1])
    with pytest.raises(RuntimeError, match=r"target of shape \[2\], similarity of shape \[3\]"):
        F.cosine_embedding_loss(a, b, y[:2])


def test_triplet_margin_loss():
    anchor, positive = t64([[0.0, 0.0], [1.0, 1.0]]), t64([[3.0, 4.0], [1.0, 2.0]])
    negative = t64([[0.0, 1.0], [4.0, 5.0]])
    d_ap = np.hypot(-3 + 1e-6, -4 + 1e-6)
    d_an = np.hypot(1e-6, -1 + 1e-6)
    loss = F.triplet_margin_loss(anchor, positive, negative, reduction="none")
    np.testing.assert_allclose(loss.numpy(), [1 + d_ap - d_an, 0.0])
    assert loss.numpy()[0] == pytest.approx(4.999999599999504)  # PyTorch 2.13
    # the positive (0, 1.5) is nearer the negative (0, 1) than the anchor (0, 0) is: swap uses that distance
    positive = t64([[0.0, 1.5], [1.0, 2.0]])
    swapped = nn.TripletMarginLoss(margin=0.5, swap=True, reduction="none")(anchor, positive, negative)
    plain = nn.TripletMarginLoss(margin=0.5, reduction="none")(anchor, positive, negative)
    np.testing.assert_allclose([swapped.numpy()[0], plain.numpy()[0]], [0.5 + 1.5 - 0.5, 0.5 + 1.5 - 1.0], atol=1e-5)
    with pytest.raises(ValueError, match="margin must be greater than 0, got 0"):
        F.triplet_margin_loss(anchor, positive, negative, margin=0)
    with pytest.raises(ValueError, match="TripletMarginLoss: expected margin to be greater than 0"):
        nn.TripletMarginLoss(margin=-1.0)
    with pytest.raises(RuntimeError, match=r"same number of dimensions, but got shapes \[2, 2\], \[2, 2\] and \[2\]"):
        F.triplet_margin_loss(anchor, positive, negative[0])


def test_module_options_follow_pytorch():
    assert vars(nn.TripletMarginLoss()).items() >= {"margin": 1.0, "p": 2.0, "eps": 1e-6, "swap": False}.items()
    assert nn.MultiMarginLoss().p == 1 and nn.MultiMarginLoss().margin == 1.0
    assert nn.MarginRankingLoss().margin == 0.0 and nn.HingeEmbeddingLoss().margin == 1.0
    assert nn.CosineEmbeddingLoss().margin == 0.0
    assert nn.SoftMarginLoss(reduce=False).reduction == "none"
    assert repr(nn.TripletMarginLoss()) == "TripletMarginLoss()"


@pytest.mark.parametrize("loss", [
    lambda x, y: F.margin_ranking_loss(x, y, t64([1.0, -1.0, 1.0]).reshape(3, 1), margin=0.1),
    lambda x, y: F.hinge_embedding_loss(x, t64(np.sign(np.arange(12.0).reshape(3, 4) % 3 - 0.5))),
    lambda x, y: F.soft_margin_loss(x, t64(np.where(np.arange(12).reshape(3, 4) % 2, 1.0, -1.0))),
    lambda x, y: F.multilabel_soft_margin_loss(x, (y > 0).float().double(), weight=t64([1.0, 2.0, 0.5, 1.0])),
    lambda x, y: F.multi_margin_loss(x, autograd.tensor([0, 3, 1]), p=2, margin=2.0),
    lambda x, y: F.cosine_embedding_loss(x, y, t64([1.0, -1.0, -1.0]), margin=-0.9),
    lambda x, y: F.triplet_margin_loss(x, y, x.flip(0), margin=5.0, swap=True),
], ids=["ranking", "hinge", "soft_margin", "multilabel", "multi_margin", "cosine", "triplet"])
def test_margin_losses_gradcheck(loss):
    rng = np.random.default_rng(0)
    x = t64(rng.uniform(-1, 1, (3, 4)), requires_grad=True)
    y = t64(rng.uniform(-1, 1, (3, 4)), requires_grad=True)
    assert autograd.gradcheck(lambda a, b: loss(a, b), [x, y])
    assert autograd.gradgradcheck(lambda a, b: loss(a, b), [x, y])
