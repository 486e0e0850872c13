"""ctc_loss and CTCLoss: values against a brute-force sum over all alignments, repeated labels, impossible
alignments (inf, or 0 with zero_infinity), padded and concatenated targets, reductions, unbatched input,
PyTorch's gradient convention, gradchecks and argument errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def log_softmax_array(rng, *shape):
    x = rng.standard_normal(shape)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def brute_force_nll(log_probs, target, blank):
    """-log of the summed probability of every path (one class per step) that collapses to ``target``."""
    steps, classes = log_probs.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or path[i - 1] != c)]
        if collapsed == list(target):
            total += math.exp(sum(log_probs[t, c] for t, c in enumerate(path)))
    return -math.log(total) if total else math.inf


@pytest.mark.parametrize("blank", [0, 2])
def test_matches_brute_force_over_alignments(blank):
    rng = np.random.default_rng(0)
    lp = log_softmax_array(rng, 5, 3, 3)
    labels = [c for c in range(3) if c != blank]
    targets = [[labels[0], labels[1]], [labels[1], labels[1]], [labels[0]]]
    lengths = [5, 4, 3]
    padded = np.array([row + [labels[0]] * (2 - len(row)) for row in targets])
    loss = F.ctc_loss(t64(lp), autograd.tensor(padded), lengths, [len(r) for r in targets], blank=blank,
                      reduction="none")
    expected = [brute_force_nll(lp[:n, i], targets[i], blank) for i, n in enumerate(lengths)]
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-12)


def test_repeated_labels_need_a_blank_between_them():
    lp = np.log(np.full((2, 1, 2), 0.5))
    # "1 1" needs three steps (1, blank, 1): with two it has no alignment
    assert math.isinf(F.ctc_loss(t64(lp), autograd.tensor(np.array([[1, 1]])), [2], [2], reduction="sum").item())
    lp3 = np.log(np.full((3, 1, 2), 0.5))
    value = F.ctc_loss(t64(lp3), autograd.tensor(np.array([[1, 1]])), [3], [2], reduction="sum").item()
    assert value == pytest.approx(-math.log(0.125))  # the single path 1, blank, 1


def test_impossible_alignment_is_inf_or_zero_with_zero_infinity():
    rng = np.random.default_rng(1)
    lp = t64(log_softmax_array(rng, 3, 2, 4), requires_grad=True)
    targets = autograd.tensor(np.array([[1, 2, 3], [1, 0, 0]]))
    loss = F.ctc_loss(lp, targets, [2, 3], [3, 1], reduction="none")
    values = loss.detach().numpy()
    assert math.isinf(values[0]) and np.isfinite(values[1])
    loss.sum().backward()
    assert np.isfinite(lp.grad.numpy()).all()
    lp.grad = None
    zeroed = F.ctc_loss(lp, targets, [2, 3], [3, 1], reduction="none", zero_infinity=True)
    assert zeroed.detach().numpy()[0] == 0.0 and zeroed.detach().numpy()[1] == values[1]
    zeroed.sum().backward()
    assert not lp.grad.numpy()[:, 0].any() and lp.grad.numpy()[:, 1].any()


def test_reductions_padded_and_concatenated_targets_and_module():
    rng = np.random.default_rng(2)
    lp = t64(log_softmax_array(rng, 6, 3, 5))
    lengths, target_lengths = (6, 5, 4), (3, 0, 2)
    padded = autograd.tensor(np.array([[1, 2, 2], [4, 4, 4], [3, 1, 4]]))
    concatenated = autograd.tensor(np.array([1, 2, 2, 3, 1]))
    each = F.ctc_loss(lp, padded, lengths, target_lengths, reduction="none").numpy()
    np.testing.assert_allclose(F.ctc_loss(lp, concatenated, lengths, target_lengths, reduction="none").numpy(),
                               each)
    assert each[1] == pytest.approx(-lp.numpy()[:5, 1, 0].sum())  # empty target: blanks only
    assert F.ctc_loss(lp, padded, lengths, target_lengths, reduction="sum").item() == pytest.approx(each.sum())
    mean = np.mean(each / np.maximum(target_lengths, 1))
    assert F.ctc_loss(lp, padded, lengths, target_lengths).item() == pytest.approx(mean)
    module = nn.CTCLoss(reduction="sum")
    lengths_tensor = autograd.tensor(np.array(lengths))
    assert module(lp, padded, lengths_tensor, list(target_lengths)).item() == pytest.approx(each.sum())


def test_unbatched_input():
    rng = np.random.default_rng(3)
    lp = log_softmax_array(rng, 4, 3)
    loss = F.ctc_loss(t64(lp), autograd.tensor(np.array([1, 2])), [4], [2], reduction="none")
    assert loss.shape == ()
    assert loss.item() == pytest.approx(brute_force_nll(lp, [1, 2], 0))


def test_gradient_follows_pytorch_convention():
    """The gradient with respect to log_probs is exp(log_probs) plus the true derivative, for t < T_n."""
    rng = np.random.default_rng(4)
    lp = log_softmax_array(rng, 4, 2, 3)
    targets, lengths, target_lengths = autograd.tensor(np.array([[1, 2], [2, 2]])), [4, 3], [2, 1]
    x = t64(lp, requires_grad=True)
    F.ctc_loss(x, targets, lengths, target_lengths, reduction="sum").backward()
    numeric = np.zeros_like(lp)
    for index in np.ndindex(lp.shape):
        step = np.zeros_like(lp)
        step[index] = 1e-6
        up, down = (F.ctc_loss(t64(lp + s), targets, lengths, target_lengths, reduction="sum").item()
                    for s in (step, -step))
        numeric[index] = (up - down) / 2e-6
    timed = (np.arange(4)[:, None] < np.array(lengths))[:, :, None]
    np.testing.assert_allclose(x.grad.numpy(), numeric + np.where(timed, np.exp(lp), 0.0), atol=1e-7)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gradcheck_through_log_softmax(reduction):
    rng = np.random.default_rng(5)
    logits = t64(rng.standard_normal((4, 2, 3)), requires_grad=True)
    targets = autograd.tensor(np.array([[1, 1], [0, 2]]))
    assert autograd.gradcheck(lambda z: F.ctc_loss(F.log_softmax(z, 2), targets, [4, 3], [2, 1], blank=2,
                                                   reduction=reduction), [logits])


@pytest.mark.parametrize("kwargs, error", [
    (dict(input_lengths=[4, 5]), RuntimeError),
    (dict(input_lengths=[4, 4, 4]), RuntimeError),
    (dict(input_lengths=[-1, 4]), RuntimeError),
    (dict(input_lengths=4), TypeError),
    (dict(target_lengths=[3, 1]), RuntimeError),
    (dict(target_lengths=[2, -1]), RuntimeError),
    (dict(blank=3), RuntimeError),
    (dict(reduction="bad"), ValueError),
    (dict(targets=autograd.tensor(np.array([1, 1, 2])), target_lengths=[2, 2]), RuntimeError),
    (dict(targets=autograd.tensor(np.array([[1, 5], [2, 0]]))), RuntimeError),
])
def test_argument_errors(kwargs, error):
    arguments = dict(log_probs=t64(np.log(np.full((4, 2, 3), 1 / 3))),
                     targets=autograd.tensor(np.array([[1, 1], [2, 0]])), input_lengths=[4, 4],
                     target_lengths=[2, 1])
    arguments.update(kwargs)
    with pytest.raises(error):
        F.ctc_loss(**arguments)
