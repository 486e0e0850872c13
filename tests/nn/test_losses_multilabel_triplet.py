"""multilabel_margin_loss / MultiLabelMarginLoss and triplet_margin_with_distance_loss /
TripletMarginWithDistanceLoss: hand-computed values, the -1 terminator, duplicates, the gradient at the hinge,
reductions, module options and reprs, errors, gradchecks."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def labels(values):
    return autograd.tensor(np.asarray(values, dtype=np.int64))


def multilabel_reference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-sample loss written out with loops: listed j before the first -1, unlisted i."""
    out = []
    for row, targets in zip(x, y):
        listed = []
        for t in targets:
            if t == -1:
                break
            listed.append(int(t))
        total = sum(max(0.0, 1 - (row[j] - row[i])) for j in listed for i in range(len(row)) if i not in listed)
        out.append(total / len(row))
    return np.array(out)


def test_multilabel_margin_loss_hand_example():
    # sample 0 lists classes 3 and 0 (the 1s after -1 are ignored): pairs (3|1), (3|2), (0|1), (0|2)
    x = t64([[0.1, 0.2, 0.4, 0.8], [0.5, -0.5, 2.0, 0.0]], True)
    y = labels([[3, 0, -1, 1], [2, -1, 0, 0]])
    expected = [(0.4 + 0.6 + 1.1 + 1.3) / 4, (0 + 0 + 0) / 4]
    loss = F.multilabel_margin_loss(x, y, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), expected)
    np.testing.assert_allclose(F.multilabel_margin_loss(x, y).item(), np.mean(expected))
    np.testing.assert_allclose(nn.MultiLabelMarginLoss(reduction="sum")(x, y).item(), np.sum(expected))
    np.testing.assert_allclose(F.multilabel_margin_loss(x, y, size_average=False).item(), np.sum(expected))
    (g,) = autograd.grad(loss.sum(), x)
    # each active pair (j|i) adds -1/C to x[j] and +1/C to x[i]
    np.testing.assert_allclose(g.numpy(), [[-0.5, 0.5, 0.5, -0.5], [0, 0, 0, 0]])


def test_multilabel_margin_loss_matches_the_loop_formula():
    rng = np.random.default_rng(0)
    for _ in range(30):
        n, c = rng.integers(1, 5), rng.integers(1, 6)
        x, y = rng.standard_normal((n, c)), rng.integers(-1, c, size=(n, c))
        got = F.multilabel_margin_loss(t64(x), labels(y), reduction="none").numpy()
        np.testing.assert_allclose(got, multilabel_reference(x, y), atol=1e-12)


def test_multilabel_margin_loss_edges():
    x = t64([[0.1, 0.2, 0.3]], True)
    # a class listed twice counts twice: 2 * ((1 - 0.1 + 0.2) + (1 - 0.1 + 0.3)) / 3
    np.testing.assert_allclose(F.multilabel_margin_loss(x, labels([[0, 0, -1]])).item(), 2 * 2.3 / 3)
    # all -1: no listed class, loss 0; every class listed: no unlisted class, loss 0
    assert F.multilabel_margin_loss(x, labels([[-1, 2, 1]])).item() == 0
    assert F.multilabel_margin_loss(x, labels([[2, 0, 1]])).item() == 0
    # a (C,) input gives a 0-d 'none' result; a 0-d input has the single class 0
    assert F.multilabel_margin_loss(x[0], labels([1, -1, 0]), reduction="none").shape == ()
    assert F.multilabel_margin_loss(t64(0.5), labels(0), reduction="none").item() == 0
    # an empty batch: 'none' is empty and 'sum' 0
    assert F.multilabel_margin_loss(t64(np.zeros((0, 3))), labels(np.zeros((0, 3))), reduction="none").shape == (0,)
    assert F.multilabel_margin_loss(t64(np.zeros((0, 3))), labels(np.zeros((0, 3))), reduction="sum").item() == 0
    # exactly on the hinge (1 - (2 - 1) = 0): no gradient, as PyTorch's kernel (z > 0)
    xh = t64([[2.0, 1.0, 0.0]], True)
    (g,) = autograd.grad(F.multilabel_margin_loss(xh, labels([[0, -1, 0]]), reduction="sum"), xh)
    np.testing.assert_array_equal(g.numpy(), [[0.0, 0.0, 0.0]])
    assert F.multilabel_margin_loss(x.float(), labels([[0, -1, 0]])).dtype == np.float32


def test_multilabel_margin_loss_errors():
    x = t64(np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match=r"multilabel_margin_loss: target 3 is out of range for 3 classes"):
        F.multilabel_margin_loss(x, labels([[0, -1, 3], [0, 1, 2]]))
    with pytest.raises(RuntimeError, match=r"target -2 is out of range"):
        F.multilabel_margin_loss(x, labels([[-2, 0, 0], [0, 1, 2]]))
    with pytest.raises(RuntimeError, match=r"expected target of dtype int64.*got float64"):
        F.multilabel_margin_loss(x, t64(np.zeros((2, 3))))
    with pytest.raises(RuntimeError, match=r"inconsistent target size: \[2, 2\] for input of size \[2, 3\]"):
        F.multilabel_margin_loss(x, labels(np.zeros((2, 2))))
    with pytest.raises(RuntimeError, match=r"non-empty vector or matrix.*\[2, 0\]"):
        F.multilabel_margin_loss(t64(np.zeros((2, 0))), labels(np.zeros((2, 0))))
    with pytest.raises(RuntimeError, match=r"got input of shape \[1, 2, 3\]"):
        F.multilabel_margin_loss(t64(np.zeros((1, 2, 3))), labels(np.zeros((1, 2, 3))))
    with pytest.raises(NotImplementedError, match="floating-point input"):
        F.multilabel_margin_loss(labels(np.zeros((2, 3))), labels(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        F.multilabel_margin_loss(x, labels(np.zeros((2, 3))), reduction="avg")


def test_triplet_margin_with_distance_loss_values_and_default_distance():
    a, p, n = t64([[0.0, 0.0], [1.0, 1.0]]), t64([[3.0, 4.0], [1.0, 1.0]]), t64([[0.0, 1.0], [4.0, 5.0]])
    cityblock = lambda u, v: autograd.abs(u - v).sum(-1)  # noqa: E731
    # d(a, p) = [7, 0], d(a, n) = [1, 7], d(p, n) = [6, 7]
    got = F.triplet_margin_with_distance_loss(a, p, n, distance_function=cityblock, margin=2.0, reduction="none")
    np.testing.assert_allclose(got.numpy(), [8.0, 0.0])
    # d(a, p) = 2, d(a, n) = 3, d(p, n) = 1: only swap (min(3, 1) = 1) makes the loss positive
    a2, p2, n2 = t64([0.0, 0.0]), t64([2.0, 0.0]), t64([3.0, 0.0])
    assert F.triplet_margin_with_distance_loss(a2, p2, n2, distance_function=cityblock).item() == 0
    swapped = F.triplet_margin_with_distance_loss(a2, p2, n2, distance_function=cityblock, swap=True)
    assert swapped.item() == 2.0
    # the default distance is pairwise_distance (eps 1e-6), as triplet_margin_loss with p=2
    np.testing.assert_allclose(F.triplet_margin_with_distance_loss(a, p, n).item(),
                               F.triplet_margin_loss(a, p, n).item(), rtol=1e-15)
    module = nn.TripletMarginWithDistanceLoss(distance_function=cityblock, margin=2.0, reduction="none")
    np.testing.assert_allclose(module(a, p, n).numpy(), [8.0, 0.0])
    default_repr = "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)"
    assert repr(nn.TripletMarginWithDistanceLoss()) == default_repr
    assert repr(module) == "TripletMarginWithDistanceLoss()" and module.state_dict() == {}


def test_triplet_margin_with_distance_loss_errors():
    a = t64(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="triplet_margin_with_distance_loss: margin must be greater than 0, got 0"):
        F.triplet_margin_with_distance_loss(a, a, a, margin=0)
    with pytest.raises(ValueError, match="TripletMarginWithDistanceLoss: expected margin to be greater than 0"):
        nn.TripletMarginWithDistanceLoss(margin=-1.0)
    with pytest.raises(RuntimeError, match=r"same number of dimensions.*\[2, 3\], \[2, 3\] and \[3\]"):
        F.triplet_margin_with_distance_loss(a, a, a[0])
    with pytest.raises(ValueError, match="x is not a valid value for reduction"):
        F.triplet_margin_with_distance_loss(a, a, a, reduction="x")
    with pytest.raises(TypeError):
        nn.TripletMarginWithDistanceLoss(None)  # keyword-only, as PyTorch


def test_gradchecks():
    rng = np.random.default_rng(1)
    x = t64(rng.standard_normal((3, 4)), True)
    y = labels([[1, 3, -1, 0], [-1, 0, 0, 0], [2, 0, 1, -1]])
    assert autograd.gradcheck(lambda u: F.multilabel_margin_loss(u, y, reduction="none"), [x])
    a, p, n = (t64(rng.standard_normal((3, 2)), True) for _ in range(3))
    for swap in (False, True):
        fn = lambda u, v, w, swap=swap: F.triplet_margin_with_distance_loss(u, v, w, swap=swap, margin=3.0)  # noqa: E731
        assert autograd.gradcheck(fn, [a, p, n])
        assert autograd.gradgradcheck(fn, [a, p, n])
