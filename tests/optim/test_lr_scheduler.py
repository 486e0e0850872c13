"""Learning-rate schedulers: lr sequences against hand-written lists and closed formulas."""

import math

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler


def make_optimizer(lr=0.1, groups=1):
    params = [autograd.tensor(np.zeros(1), requires_grad=True) for _ in range(groups)]
    return optim.SGD([{"params": [p]} for p in params], lr=lr)


def lr_sequence(scheduler, steps, metrics=None):
    """The first group's lr before any step, then after each scheduler step (optimizer stepped first)."""
    opt = scheduler.optimizer
    out = [opt.param_groups[0]["lr"]]
    for i in range(steps):
        opt.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[i])
        out.append(opt.param_groups[0]["lr"])
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
    return out


def test_step_lr():
    sched = lr_scheduler.StepLR(make_optimizer(0.1), step_size=3, gamma=0.5)
    expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]
    assert lr_sequence(sched, 7) == pytest.approx(expected, rel=1e-15)


def test_multistep_lr_classic_piecewise_schedule():
    sched = lr_scheduler.MultiStepLR(make_optimizer(0.1), milestones=[3, 6], gamma=0.1)
    expected = [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001]
    assert lr_sequence(sched, 8) == pytest.approx(expected, rel=1e-12)


def test_multistep_repeated_milestone_decays_twice():
    sched = lr_scheduler.MultiStepLR(make_optimizer(1.0), milestones=[2, 2], gamma=0.5)
    assert lr_sequence(sched, 3) == [1.0, 1.0, 0.25, 0.25]


def test_exponential_lr():
    sched = lr_scheduler.ExponentialLR(make_optimizer(0.2), gamma=0.9)
    assert lr_sequence(sched, 4) == pytest.approx([0.2, 0.18, 0.162, 0.1458, 0.13122], rel=1e-12)


def test_lambda_lr_power_schedule():
    # lr_t = lr_0 (1 + t / T)^(-c) with lr_0 = 0.1, T = 2, c = 1: 0.1, 0.1/1.5, 0.1/2, 0.1/2.5, 0.1/3
    sched = lr_scheduler.LambdaLR(make_optimizer(0.1), lambda t: (1 + t / 2) ** -1)
    assert lr_sequence(sched, 4) == pytest.approx([0.1, 0.1 / 1.5, 0.05, 0.04, 0.1 / 3], rel=1e-12)


def test_lambda_lr_per_group_and_length_check():
    opt = make_optimizer(1.0, groups=2)
    sched = lr_scheduler.LambdaLR(opt, [lambda t: 0.5**t, lambda t: 1.0 / (t + 1)])
    sched.step()
    sched.step()
    assert sched.get_last_lr() == [0.25, pytest.approx(1 / 3)]
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        lr_scheduler.LambdaLR(opt, [lambda t: 1.0])


def test_lambda_lr_state_dict_skips_functions_but_keeps_callable_objects():
    class Warmup:
        def __init__(self, steps):
            self.steps = steps

        def __call__(self, t):
            return min(1.0, (t + 1) / self.steps)

    opt = make_optimizer(1.0, groups=2)
    sched = lr_scheduler.LambdaLR(opt, [lambda t: 1.0, Warmup(4)])
    sd = sched.state_dict()
    assert "optimizer" not in sd
    assert sd["lr_lambdas"] == [None, {"steps": 4}]
    other = Warmup(10)
    sched2 = lr_scheduler.LambdaLR(make_optimizer(1.0, groups=2), [lambda t: 2.0, other])
    sched2.load_state_dict(sd)
    assert other.steps == 4 and sched2.last_epoch == 0


def cosine_closed_form(t, base, eta_min, t_max):
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2


def test_cosine_annealing_matches_closed_formula():
    sched = lr_scheduler.CosineAnnealingLR(make_optimizer(0.1), T_max=10, eta_min=0.001)
    got = lr_sequence(sched, 10)
    expected = [cosine_closed_form(t, 0.1, 0.001, 10) for t in range(11)]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got[-1] == pytest.approx(0.001)


def test_cosine_annealing_matches_pytorch_past_t_max():
    # PyTorch 2.13 CosineAnnealingLR(T_max=5, eta_min=0.01) from lr 0.1, 12 steps (computed once by hand):
    expected = [0.1, 0.09140576474687263, 0.06890576474687263, 0.04109423525312736, 0.018594235253127367, 0.01,
                0.018594235253127367, 0.04109423525312739, 0.06890576474687267, 0.09140576474687269,
                0.10000000000000006, 0.09140576474687272, 0.06890576474687268]
    sched = lr_scheduler.CosineAnnealingLR(make_optimizer(0.1), T_max=5, eta_min=0.01)
    np.testing.assert_allclose(lr_sequence(sched, 12), expected, rtol=0, atol=1e-15)


def test_reduce_lr_on_plateau_patience_cooldown_min_lr():
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85]
    sched = lr_scheduler.ReduceLROnPlateau(make_optimizer(0.1), patience=2, cooldown=1, min_lr=0.0005)
    # Epochs 3-5 are bad (> patience 2 after the 3rd): reduce after epoch 5. Epoch 6 improves (cooldown ends);
    # 7-9 bad: reduce after 9, cooldown swallows epoch 10; 11-13 bad: reduce to the floor 0.0005.
    # (Same list as PyTorch 2.13 gives for this input.)
    expected = [0.1] * 5 + [0.01] * 4 + [0.001] * 4 + [0.0005] * 2
    assert lr_sequence(sched, len(metrics), metrics) == pytest.approx(expected, rel=1e-12)


def test_reduce_lr_on_plateau_max_mode_and_abs_threshold():
    opt = make_optimizer(1.0)
    sched = lr_scheduler.ReduceLROnPlateau(opt, mode="max", patience=0, threshold=0.1, threshold_mode="abs", factor=0.5)
    sched.step(0.5)  # best 0.5
    sched.step(0.55)  # not better than 0.5 + 0.1: bad epoch > patience 0 -> 0.5
    assert opt.param_groups[0]["lr"] == 0.5
    sched.step(0.7)  # better
    assert opt.param_groups[0]["lr"] == 0.5 and sched.best == 0.7


def test_reduce_lr_on_plateau_validation_and_state_dict():
    opt = make_optimizer(1.0, groups=2)
    with pytest.raises(ValueError, match=r"Factor should be < 1\.0\."):
        lr_scheduler.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1])
    with pytest.raises(ValueError, match="mode sideways is unknown!"):
        lr_scheduler.ReduceLROnPlateau(opt, mode="sideways")
    with pytest.raises(ValueError, match="threshold mode bad is unknown!"):
        lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="bad")
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1)
    sched.step(1.0)
    sched.step(2.0)
    sd = sched.state_dict()
    assert "optimizer" not in sd and sd["num_bad_epochs"] == 1 and sd["best"] == 1.0
    sched2 = lr_scheduler.ReduceLROnPlateau(make_optimizer(1.0, groups=2), patience=1)
    sched2.load_state_dict(sd)
    sched2.step(3.0)
    assert sched2.get_last_lr() == [0.1, 0.1]


def test_initial_lr_and_resume():
    opt = make_optimizer(0.1)
    sched = lr_scheduler.StepLR(opt, step_size=2)
    assert opt.param_groups[0]["initial_lr"] == 0.1 and sched.base_lrs == [0.1] and sched.last_epoch == 0
    with pytest.raises(KeyError, match=r"param 'initial_lr' is not specified in param_groups\[0\]"):
        lr_scheduler.StepLR(make_optimizer(0.1), step_size=2, last_epoch=3)


def test_scheduler_state_dict_round_trip():
    opt = make_optimizer(0.1)
    sched = lr_scheduler.MultiStepLR(opt, milestones=[2, 4])
    for _ in range(3):
        sched.step()
    sd = sched.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 3
    opt2 = make_optimizer(0.1)
    opt2.load_state_dict(opt.state_dict())
    sched2 = lr_scheduler.MultiStepLR(opt2, milestones=[100])
    sched2.load_state_dict(sd)
    sched2.step()
    assert sched2.get_last_lr() == pytest.approx([0.001])


def test_epoch_argument_uses_closed_form_with_warning():
    sched = lr_scheduler.ExponentialLR(make_optimizer(1.0), gamma=0.5)
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(3)
    assert sched.get_last_lr() == [0.125]


def test_bad_arguments():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([], step_size=1)
    with pytest.raises(ValueError, match="step_size must be a positive integer"):
        lr_scheduler.StepLR(make_optimizer(), step_size=0)
    with pytest.raises(ValueError, match="T_max must be positive"):
        lr_scheduler.CosineAnnealingLR(make_optimizer(), T_max=0)


def test_schedulers_are_base_class_instances():
    assert isinstance(lr_scheduler.ReduceLROnPlateau(make_optimizer()), lr_scheduler.LRScheduler)
