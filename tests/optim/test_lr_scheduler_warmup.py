"""LinearLR, ConstantLR, PolynomialLR and MultiplicativeLR: sequences worked out by hand, the recursive (chainable)
form against the closed form, the deprecated epoch argument, PyTorch's values and argument errors."""

import warnings

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler


def make_optimizer(lr=0.1, groups=1):
    params = [autograd.tensor(np.zeros(1), requires_grad=True) for _ in range(groups)]
    return optim.SGD([{"params": [p]} for p in params], lr=lr, momentum=0.9)


def lr_sequence(scheduler, steps):
    """The first group's lr before any step, then after each (optimizer step, scheduler step)."""
    opt = scheduler.optimizer
    out = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        out.append(opt.param_groups[0]["lr"])
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
    return out


def closed_forms(make, epochs):
    """lr at each epoch from step(epoch), the closed form (its deprecation warning silenced)."""
    sched = make(make_optimizer())
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in epochs:
            sched.step(epoch)
            out.append(sched.get_last_lr()[0])
    return out


# -- LinearLR -------------------------------------------------------------------------------------------------
def test_linear_lr_warm_up_by_hand():
    # factor 0.25 -> 1 over 3 epochs: 0.25, 0.5, 0.75, then 1 for good.
    sched = lr_scheduler.LinearLR(make_optimizer(0.4), start_factor=0.25, total_iters=3)
    assert lr_sequence(sched, 5) == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.4, 0.4], rel=1e-15)


def test_linear_lr_decay_matches_its_closed_form():
    make = lambda opt: lr_scheduler.LinearLR(opt, start_factor=0.9, end_factor=0.1, total_iters=8)  # noqa: E731
    recursive = lr_sequence(make(make_optimizer()), 12)
    expected = [0.1 * (0.9 + (0.1 - 0.9) * min(t, 8) / 8) for t in range(13)]
    np.testing.assert_allclose(recursive, expected, rtol=1e-13)
    np.testing.assert_allclose(closed_forms(make, range(13)), expected, rtol=1e-15)


def test_linear_lr_matches_pytorch():
    # PyTorch 2.13, LinearLR(start_factor=0.5, end_factor=0.25, total_iters=3) from lr 0.1 (computed once):
    expected = [0.05, 0.04166666666666667, 0.03333333333333334, 0.025000000000000005, 0.025000000000000005,
                0.025000000000000005]
    sched = lr_scheduler.LinearLR(make_optimizer(), start_factor=0.5, end_factor=0.25, total_iters=3)
    assert lr_sequence(sched, 5) == expected


# -- ConstantLR -----------------------------------------------------------------------------------------------
def test_constant_lr_by_hand_and_pytorch():
    # factor 0.25 for epochs 0-2, then the lr is restored (same list as PyTorch 2.13 gives).
    sched = lr_scheduler.ConstantLR(make_optimizer(), factor=0.25, total_iters=3)
    assert lr_sequence(sched, 5) == [0.025, 0.025, 0.025, 0.1, 0.1, 0.1]
    make = lambda opt: lr_scheduler.ConstantLR(opt, factor=0.25, total_iters=3)  # noqa: E731
    assert closed_forms(make, [5, 0, 2, 3]) == [0.1, 0.025, 0.025, 0.1]


def test_constant_lr_factor_zero_fails_clearly_when_it_cannot_be_undone():
    sched = lr_scheduler.ConstantLR(make_optimizer(), factor=0.0, total_iters=2)
    sched.step()
    assert sched.get_last_lr() == [0.0]
    with pytest.raises(ZeroDivisionError, match="ConstantLR: factor=0 cannot be divided out at epoch total_iters=2"):
        sched.step()


# -- PolynomialLR ---------------------------------------------------------------------------------------------
def test_polynomial_lr_by_hand():
    # lr_t = 0.1 (1 - t/4)^2: 0.1, 0.05625, 0.025, 0.00625, 0, then it stays 0 (PyTorch 2.13's list, too).
    sched = lr_scheduler.PolynomialLR(make_optimizer(), total_iters=4, power=2.0)
    expected = [0.1, 0.05625, 0.024999999999999998, 0.0062499999999999995, 0.0, 0.0, 0.0]
    assert lr_sequence(sched, 6) == expected


def test_polynomial_lr_recursive_form_equals_closed_form():
    make = lambda opt: lr_scheduler.PolynomialLR(opt, total_iters=30, power=0.5)  # noqa: E731
    expected = [0.1 * (1 - min(t, 30) / 30) ** 0.5 for t in range(35)]
    np.testing.assert_allclose(lr_sequence(make(make_optimizer()), 34), expected, rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(closed_forms(make, range(35)), expected, rtol=1e-15)


# -- MultiplicativeLR -----------------------------------------------------------------------------------------
def test_multiplicative_lr_multiplies_the_current_rate():
    # The factor at epoch t multiplies the previous lr (LambdaLR would multiply base_lr instead).
    sched = lr_scheduler.MultiplicativeLR(make_optimizer(0.1), lambda t: 0.5 if t % 2 else 2.0)
    assert lr_sequence(sched, 5) == [0.1, 0.05, 0.1, 0.05, 0.1, 0.05]


def test_multiplicative_lr_per_group_and_state_dict():
    class Decay:
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, t):
            return self.rate

    opt = make_optimizer(1.0, groups=2)
    sched = lr_scheduler.MultiplicativeLR(opt, [lambda t: 0.9, Decay(0.5)])
    sched.step()
    sched.step()
    assert sched.get_last_lr() == [pytest.approx(0.81), 0.25]
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [None, {"rate": 0.5}] and sd["last_epoch"] == 2 and "optimizer" not in sd
    other = Decay(0.1)
    sched2 = lr_scheduler.MultiplicativeLR(make_optimizer(1.0, groups=2), [lambda t: 1.0, other])
    sched2.load_state_dict(sd)
    assert other.rate == 0.5 and sched2.last_epoch == 2 and sd["lr_lambdas"] == [None, {"rate": 0.5}]


# -- chaining -------------------------------------------------------------------------------------------------
def test_two_chainable_schedulers_on_one_optimizer_compose():
    # Stepping both each epoch: ConstantLR(0.5 for 2 epochs) and LinearLR(0.5 -> 1 over 2) multiply.
    opt = make_optimizer(0.8)
    constant = lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2)
    linear = lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(4):
        opt.step()
        constant.step()
        linear.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == pytest.approx([0.2, 0.3, 0.8, 0.8, 0.8], rel=1e-15)


# -- errors and warnings --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: lr_scheduler.LinearLR(o, start_factor=0), ValueError, "^LinearLR: Starting multiplicative factor"),
        (lambda o: lr_scheduler.LinearLR(o, start_factor=1.5), ValueError, "but got 1.5$"),
        (lambda o: lr_scheduler.LinearLR(o, end_factor=-0.1), ValueError, "^LinearLR: Ending .* but got -0.1$"),
        (lambda o: lr_scheduler.ConstantLR(o, factor=1.1), ValueError, "^ConstantLR: .* between 0 and 1, but got 1.1$"),
        (lambda o: lr_scheduler.MultiplicativeLR(o, 0.9), TypeError, "^MultiplicativeLR: lr_lambda should be a func"),
        (lambda o: lr_scheduler.MultiplicativeLR(o, [abs, abs]), ValueError, "Expected 1 lr_lambdas, but got 2$"),
        (lambda o: lr_scheduler.LambdaLR(o, [None]), TypeError, "^LambdaLR: lr_lambda should be a function"),
    ],
)
def test_bad_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make(make_optimizer())


def test_get_lr_outside_step_warns_and_epoch_argument_is_deprecated():
    sched = lr_scheduler.PolynomialLR(make_optimizer(), total_iters=4)
    with pytest.warns(UserWarning, match=r"get_last_lr\(\)"):
        sched.get_lr()
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(2)
    assert sched.get_last_lr() == [pytest.approx(0.05)] and sched.last_epoch == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()  # no warning from step() itself
    assert sorted(sched.state_dict()) == [
        "_get_lr_called_within_step", "_is_initial", "_last_lr", "_step_count", "base_lrs", "last_epoch", "power",
        "total_iters",
    ]


def test_custom_scheduler_on_the_old_base_class_name():
    # Schedulers written for older PyTorch subclass _LRScheduler and implement get_lr().
    class Halving(lr_scheduler._LRScheduler):
        def get_lr(self):
            return [base_lr * 0.5**self.last_epoch for base_lr in self.base_lrs]

    sched = Halving(make_optimizer(0.8))
    assert isinstance(sched, lr_scheduler.LRScheduler)
    assert lr_sequence(sched, 3) == [0.8, 0.4, 0.2, 0.1]
