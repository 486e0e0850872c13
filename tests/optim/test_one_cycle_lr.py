"""OneCycleLR: whole schedules against the formulas of its docstring, phase boundaries, and argument errors."""

import math

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler


def params(groups=1):
    return [{"params": [autograd.tensor(np.zeros(1), requires_grad=True)]} for _ in range(groups)]


def sgd(groups=1):
    return optim.SGD(params(groups), lr=0.1, momentum=0.9)


def reference(t, ends, borders, strategy="cos"):
    """The docstring's schedule: phase k (first with t <= e_k, else the last) runs from borders[k] to borders[k+1]."""
    k = next((i for i, end in enumerate(ends) if t <= end), len(ends) - 1)
    start = 0.0 if k == 0 else ends[k - 1]
    pct = (t - start) / (ends[k] - start)
    a, b = borders[k], borders[k + 1]
    if strategy == "cos":
        return b + (a - b) * (1 + math.cos(math.pi * pct)) / 2
    return a + (b - a) * pct


def run(scheduler, steps, momentum=lambda group: group["momentum"]):
    """(lr, momentum) of every group before any step and after each optimizer + scheduler step."""
    opt = scheduler.optimizer
    lrs, momenta = [[g["lr"] for g in opt.param_groups]], [[momentum(g) for g in opt.param_groups]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append([momentum(g) for g in opt.param_groups])
    return np.array(lrs), np.array(momenta)


def test_two_phase_cos_schedule_and_momentum_over_the_whole_cycle():
    total, max_lr = 100, 0.4
    initial = max_lr / 25.0
    minimum = initial / 1e4
    sched = lr_scheduler.OneCycleLR(sgd(), max_lr=max_lr, total_steps=total)  # pct_start 0.3, 'cos'
    lrs, momenta = run(sched, total)
    ends = [float(0.3 * total) - 1, total - 1]
    steps = range(total + 1)  # the last step() reaches step T, past the final phase's end
    np.testing.assert_allclose(lrs[:, 0], [reference(t, ends, [initial, max_lr, minimum]) for t in steps], rtol=1e-12)
    np.testing.assert_allclose(momenta[:, 0], [reference(t, ends, [0.95, 0.85, 0.95]) for t in steps], rtol=1e-12)
    assert np.argmax(lrs[:, 0]) == 29 and np.argmin(momenta[:, 0]) == 29
    with pytest.raises(ValueError, match="Tried to step 101 times. The specified number of total steps is 100"):
        sched.step()


def test_phase_boundaries_are_hit_exactly():
    # pct_start 0.25 of 20 steps: the warm-up ends at step e_1 = 4.0 exactly (0.3 * 10 would give 2.0000000000000004).
    opt = sgd()
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20, pct_start=0.25, div_factor=4.0,
                                    final_div_factor=8.0)
    lrs, momenta = run(sched, 20)
    assert lrs[0, 0] == pytest.approx(0.25, rel=1e-15) and momenta[0, 0] == pytest.approx(0.95, rel=1e-15)
    assert lrs[4, 0] == 1.0 and momenta[4, 0] == 0.85  # step e_1 still belongs to the warm-up, at its end
    assert lrs[3, 0] < 1.0 and lrs[5, 0] < 1.0
    assert lrs[5, 0] == pytest.approx(0.25 / 8 + (1.0 - 0.25 / 8) * (1 + math.cos(math.pi / 15)) / 2, rel=1e-14)
    assert lrs[19, 0] == 0.25 / 8 and momenta[19, 0] == 0.95  # step T - 1 ends the cycle at min_lr
    assert lrs[20, 0] > lrs[19, 0]  # step T extrapolates the last cosine past its bottom


def test_linear_strategy_by_hand():
    # initial_lr 0.25 -> max_lr 1 over steps 0..4, then -> min_lr 0.25 / 5 = 0.05 over steps 4..9.
    opt = sgd()
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.5, anneal_strategy="linear",
                                    div_factor=4.0, final_div_factor=5.0, base_momentum=0.8, max_momentum=0.9)
    lrs, momenta = run(sched, 9)
    expected = [0.25, 0.4375, 0.625, 0.8125, 1.0, 0.81, 0.62, 0.43, 0.24, 0.05]
    np.testing.assert_allclose(lrs[:, 0], expected, rtol=1e-14)
    expected_momentum = [0.9, 0.875, 0.85, 0.825, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9]
    np.testing.assert_allclose(momenta[:, 0], expected_momentum, rtol=1e-14)


@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_three_phase_schedule(strategy):
    total, max_lr = 20, 0.5
    initial = max_lr / 25.0
    minimum = initial / 1e4
    sched = lr_scheduler.OneCycleLR(sgd(), max_lr=max_lr, total_steps=total, pct_start=0.25, three_phase=True,
                                    anneal_strategy=strategy)
    lrs, momenta = run(sched, total - 1)
    ends = [4.0, 8.0, 19]
    steps = range(total)
    np.testing.assert_allclose(lrs[:, 0], [reference(t, ends, [initial, max_lr, initial, minimum], strategy)
                                           for t in steps], rtol=1e-12)
    np.testing.assert_allclose(momenta[:, 0], [reference(t, ends, [0.95, 0.85, 0.95, 0.95], strategy)
                                               for t in steps], rtol=1e-12)
    # The phase ends: max_lr at e_1 = 4, initial_lr at e_2 = 8, min_lr at e_3 = T - 1 (to rounding for 'linear').
    assert lrs[[4, 8, 19], 0] == pytest.approx([max_lr, initial, minimum], rel=1e-14)
    assert lrs[3, 0] < max_lr > lrs[5, 0] and lrs[7, 0] > initial > lrs[9, 0]
    assert np.all(momenta[8:, 0] == pytest.approx(0.95, rel=1e-15))  # momentum stays at max in the third phase


def test_adam_cycles_beta1_and_keeps_beta2():
    opt = optim.Adam(params(), lr=1e-3, betas=(0.9, 0.99))
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.01, epochs=2, steps_per_epoch=5, base_momentum=0.8)
    assert sched.total_steps == 10 and sched.use_beta1
    _, beta1 = run(sched, 10, momentum=lambda group: group["betas"][0])
    ends = [float(0.3 * 10) - 1, 9]
    np.testing.assert_allclose(beta1[:, 0], [reference(t, ends, [0.95, 0.8, 0.95]) for t in range(11)], rtol=1e-12)
    betas = opt.param_groups[0]["betas"]
    assert isinstance(betas, tuple) and betas[1] == 0.99


def test_per_group_values_and_resume_from_state_dict():
    opt = sgd(groups=2)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=[1.0, 0.1], total_steps=12, base_momentum=[0.8, 0.7],
                                    max_momentum=(0.9, 0.99), anneal_strategy="linear")
    assert [g["initial_lr"] for g in opt.param_groups] == [1.0 / 25, 0.1 / 25]
    assert [g["min_lr"] for g in opt.param_groups] == [1.0 / 25 / 1e4, 0.1 / 25 / 1e4]
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.99]
    lrs, momenta = run(sched, 11)
    ends = [float(0.3 * 12) - 1, 11]
    for i, (max_lr, base, top) in enumerate([(1.0, 0.8, 0.9), (0.1, 0.7, 0.99)]):
        expected = [reference(t, ends, [max_lr / 25, max_lr, max_lr / 25 / 1e4], "linear") for t in range(12)]
        np.testing.assert_allclose(lrs[:, i], expected, rtol=1e-12)
        expected = [reference(t, ends, [top, base, top], "linear") for t in range(12)]
        np.testing.assert_allclose(momenta[:, i], expected, rtol=1e-12)

    # Save halfway, resume into a fresh optimizer and scheduler, and finish the same cycle.
    opt = sgd(groups=2)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=[1.0, 0.1], total_steps=12, base_momentum=[0.8, 0.7],
                                    max_momentum=(0.9, 0.99), anneal_strategy="linear")
    for _ in range(5):
        sched.step()
    saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
    assert "optimizer" not in saved_sched and saved_sched["last_epoch"] == 5
    assert not any(callable(value) for value in saved_sched.values())
    opt2 = sgd(groups=2)
    opt2.load_state_dict(saved_opt)
    sched2 = lr_scheduler.OneCycleLR(opt2, max_lr=[1.0, 0.1], total_steps=12, last_epoch=5)
    sched2.load_state_dict(saved_sched)
    # Constructing sched2 stepped it once with its own (cos) arguments; the loaded state replaces them, and
    # every later step follows the saved linear cycle.
    later_lrs, later_momenta = run(sched2, 6)
    np.testing.assert_allclose(later_lrs[1:], lrs[6:], rtol=1e-15)
    np.testing.assert_allclose(later_momenta[1:], momenta[6:], rtol=1e-15)


def test_momentum_is_left_alone_without_cycle_momentum():
    opt = optim.Adagrad(params(), lr=0.1)  # no momentum, no betas: fine when the momentum is not cycled
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5, cycle_momentum=False)
    sched.step()
    assert "momentum" not in opt.param_groups[0] and "max_momentum" not in opt.param_groups[0]
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1 with `cycle_momentum` option"):
        lr_scheduler.OneCycleLR(optim.Adagrad(params(), lr=0.1), max_lr=0.1, total_steps=5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"You must define either total_steps OR \(epochs AND steps_per_epoch\)"),
        ({"epochs": 3}, r"You must define either total_steps OR \(epochs AND steps_per_epoch\)"),
        ({"total_steps": 0}, "Expected positive integer total_steps, but got 0"),
        ({"total_steps": 2.5}, "Expected positive integer total_steps, but got 2.5"),
        ({"epochs": 0, "steps_per_epoch": 5}, "Expected positive integer epochs, but got 0"),
        ({"epochs": 2, "steps_per_epoch": -1}, "Expected positive integer steps_per_epoch, but got -1"),
        ({"total_steps": 10, "pct_start": -0.1}, "Expected float between 0 and 1 pct_start, but got -0.1"),
        ({"total_steps": 10, "pct_start": 1.5}, "Expected float between 0 and 1 pct_start, but got 1.5"),
        ({"total_steps": 10, "pct_start": 1}, "Expected float between 0 and 1 pct_start, but got 1"),
        ({"total_steps": 10, "anneal_strategy": "exp"}, "anneal_strategy must be one of 'cos' or 'linear', instead"),
        ({"total_steps": 10, "max_lr": [0.1]}, "max_lr must have the same length as optimizer.param_groups. max_lr "
                                               "has 1 values, param_groups has 2."),
        ({"total_steps": 10, "base_momentum": [0.8, 0.8, 0.8]}, "base_momentum has 3 values, param_groups has 2"),
    ],
)
def test_bad_arguments(kwargs, message):
    kwargs = {"max_lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=message):
        lr_scheduler.OneCycleLR(sgd(groups=2), **kwargs)


def test_not_an_optimizer():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.OneCycleLR([], max_lr=0.1, total_steps=10)
    assert isinstance(lr_scheduler.OneCycleLR(sgd(), max_lr=0.1, total_steps=10), lr_scheduler.LRScheduler)


def test_a_phase_of_no_steps_is_a_clear_error_when_reached() -> None:
    """pct_start * total_steps == 1 makes the warm-up end at step 0 (PyTorch then divides by zero)."""
    with pytest.raises(ValueError, match="step 0 falls in a phase of no steps"):
        lr_scheduler.OneCycleLR(sgd(), max_lr=1.0, total_steps=10, pct_start=0.1)
    sched = lr_scheduler.OneCycleLR(sgd(), max_lr=1.0, total_steps=4, pct_start=1.0)  # the decay has no steps
    for _ in range(3):
        sched.step()
    with pytest.raises(ValueError, match="step 4 falls in a phase of no steps"):
        sched.step()
