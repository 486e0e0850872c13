"""Learner guard rails: each LearnerWarning when it should fire, silence otherwise, off by default."""

import warnings

import pytest

import autograd as A
import nn
import nn.functional as F
from autograd.learner import LearnerWarning, learner_checks, learner_checks_enabled, set_learner_checks


def no_learner_warnings():
    """A context manager that fails the test if a LearnerWarning is raised inside it."""
    catcher = warnings.catch_warnings()

    class Guard:
        def __enter__(self):
            catcher.__enter__()
            warnings.simplefilter("error", LearnerWarning)

        def __exit__(self, *exc):
            return catcher.__exit__(*exc)

    return Guard()


def test_off_by_default_and_context_restores():
    assert not learner_checks_enabled()
    w = A.tensor(1.0, requires_grad=True)
    with no_learner_warnings():
        (w * 2).backward()
        (w * 2).backward()  # accumulates, but nobody asked for checks
    with learner_checks():
        assert learner_checks_enabled()
        with learner_checks(False):
            assert not learner_checks_enabled()
        assert learner_checks_enabled()
    assert not learner_checks_enabled()


def test_set_learner_checks_on_and_off():
    w = A.tensor(1.0, requires_grad=True)
    set_learner_checks(True)
    try:
        (w * 2).backward()
        with pytest.warns(LearnerWarning):
            (w * 2).backward()
    finally:
        set_learner_checks(False)
    with no_learner_warnings():
        (w * 2).backward()


def test_accumulation_warns_once_per_pass_at_the_users_line():
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
    x = A.randn(2, 3)
    with learner_checks():
        model(x).sum().backward()
        with pytest.warns(LearnerWarning, match="zero_grad") as caught:
            model(x).sum().backward()
    assert len(caught) == 1  # four parameters accumulated, one warning
    assert caught[0].filename == __file__ and __file__ in str(caught[0].message)


def test_zeroed_gradients_do_not_warn():
    model = nn.Linear(3, 1)
    x = A.randn(2, 3)
    with learner_checks(), no_learner_warnings():
        model(x).sum().backward()
        model.zero_grad()
        model(x).sum().backward()
        model.zero_grad(set_to_none=False)  # zeros in place
        model(x).sum().backward()


def test_autograd_grad_does_not_warn():
    w = A.tensor(2.0, requires_grad=True)
    w.grad = A.tensor(1.0)
    with learner_checks(), no_learner_warnings():
        A.grad(w * w, w)


def test_softmax_before_cross_entropy_warns():
    logits, target = A.randn(4, 3, requires_grad=True), A.tensor([0, 2, 1, 1])
    with learner_checks():
        with pytest.warns(LearnerWarning, match="raw logits"):
            F.cross_entropy(F.softmax(logits, dim=1), target)
        with pytest.warns(LearnerWarning, match="raw logits"):
            nn.CrossEntropyLoss()(nn.LogSoftmax(dim=1)(logits), target)
        with no_learner_warnings():
            F.cross_entropy(logits, target)
            F.nll_loss(F.log_softmax(logits, dim=1), target)


def test_train_mode_under_no_grad_warns():
    model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.BatchNorm1d(4))
    x = A.randn(8, 3)
    with learner_checks():
        with A.no_grad(), pytest.warns(LearnerWarning, match=r"model.eval\(\)") as caught:
            model(x)
        assert {str(w.message).split(" ")[0] for w in caught} == {"dropout", "batch_norm"}
        with no_learner_warnings():
            model(x)  # training with gradients on: fine
            model.eval()
            with A.no_grad():
                model(x)


def test_parameter_without_gradient_warns():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(3, 4)
            self.unused = nn.Linear(4, 5)

        def forward(self, x):
            h = self.body(x)
            self.unused(h)  # computed, then forgotten
            return h

    model = TwoHeads()
    x = A.randn(2, 3)
    with learner_checks():
        loss = model(x).sum()
        with pytest.warns(LearnerWarning, match=r"2 tensor\(s\).*\(5, 4\)"):
            loss.backward()
        model.zero_grad()
        with no_learner_warnings():
            h = model.body(x)
            h.sum().backward()
