"""CyclicLR and CosineAnnealingWarmRestarts: whole cycles against their formulas, fractional epochs, momentum
cycling, state dicts, PyTorch's values and argument errors."""

import math

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler


def sgd(lr=0.1, groups=1):
    params = [{"params": [autograd.tensor(np.zeros(1), requires_grad=True)]} for _ in range(groups)]
    return optim.SGD(params, lr=lr, momentum=0.9)


def run(scheduler, steps, epochs=None, momentum=lambda g: g["momentum"]):
    """(lr, momentum) of the first group before any step and after each step (``step(epochs[i])`` if given)."""
    opt = scheduler.optimizer
    lrs, momenta = [opt.param_groups[0]["lr"]], [momentum(opt.param_groups[0])]
    for i in range(steps):
        opt.step()
        scheduler.step() if epochs is None else scheduler.step(epochs[i])
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
        lrs.append(opt.param_groups[0]["lr"])
        momenta.append(momentum(opt.param_groups[0]))
    return lrs, momenta


# -- CyclicLR -------------------------------------------------------------------------------------------------
def triangle(t, up, down):
    """The docstring's h: 0 -> 1 over ``up`` batches, back to 0 over ``down``."""
    x = (t % (up + down)) / (up + down)
    r = up / (up + down)
    return x / r if x <= r else (x - 1) / (r - 1)


def test_cyclic_triangular_by_hand():
    # base 0.1, max 0.5, up 2, down 2: 0.1, 0.3, 0.5, 0.3, 0.1, 0.3, ...; momentum the other way 0.9 -> 0.8.
    sched = lr_scheduler.CyclicLR(sgd(), base_lr=0.1, max_lr=0.5, step_size_up=2)
    lrs, momenta = run(sched, 6)
    assert lrs == pytest.approx([0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5], rel=1e-15)
    assert momenta == pytest.approx([0.9, 0.85, 0.8, 0.85, 0.9, 0.85, 0.8], rel=1e-15)


@pytest.mark.parametrize(
    "mode, scale",
    [
        ("triangular", lambda t, cycle: 1.0),
        ("triangular2", lambda t, cycle: 1 / 2 ** (cycle - 1)),
        ("exp_range", lambda t, cycle: 0.99**t),
    ],
)
def test_cyclic_modes_over_several_cycles(mode, scale):
    up, down = 5, 3
    sched = lr_scheduler.CyclicLR(sgd(), 0.01, 0.1, step_size_up=up, step_size_down=down, mode=mode, gamma=0.99)
    lrs, momenta = run(sched, 40)
    cycles = [math.floor(1 + t / (up + down)) for t in range(41)]
    heights = [triangle(t, up, down) * scale(t, c) for t, c in enumerate(cycles)]
    np.testing.assert_allclose(lrs, [0.01 + 0.09 * h for h in heights], rtol=1e-13)
    np.testing.assert_allclose(momenta, [0.9 - 0.1 * h for h in heights], rtol=1e-13)


def test_cyclic_matches_pytorch_triangular2_and_exp_range_with_adam():
    # PyTorch 2.13 (computed once): lr and momentum lists of the first group, lr 0.1 before the scheduler.
    sched = lr_scheduler.CyclicLR(sgd(), 0.01, 0.05, step_size_up=2, step_size_down=3, mode="triangular2")
    lrs, momenta = run(sched, 12)
    assert lrs == [0.01, 0.03, 0.049999999999999996, 0.03666666666666666, 0.02333333333333333, 0.01,
                   0.02000000000000001, 0.03, 0.02333333333333333, 0.016666666666666673, 0.01, 0.015000000000000005,
                   0.019999999999999997]
    assert momenta == [0.9, 0.8500000000000001, 0.8, 0.8333333333333334, 0.8666666666666667, 0.9, 0.875,
                       0.8500000000000001, 0.8666666666666667, 0.8833333333333333, 0.9, 0.8875000000000001, 0.875]
    adam = optim.Adam([autograd.tensor(np.zeros(1), requires_grad=True)], lr=0.1)
    sched = lr_scheduler.CyclicLR(adam, 0.01, 0.05, step_size_up=3, mode="exp_range", gamma=0.9)
    lrs, beta1 = run(sched, 8, momentum=lambda g: g["betas"][0])
    assert lrs == [0.01, 0.022000000000000006, 0.031599999999999996, 0.03916000000000001, 0.027496000000000007,
                   0.017873199999999995, 0.01, 0.016377292000000012, 0.021479125599999992]
    assert beta1 == [0.9, 0.87, 0.8460000000000001, 0.8271000000000001, 0.85626, 0.880317, 0.9, 0.8840567699999999,
                     0.8713021860000001]
    assert adam.param_groups[0]["betas"][1] == 0.999


def test_cyclic_custom_scale_fn_and_state_dict():
    class Halving:
        def __init__(self, base):
            self.base = base

        def __call__(self, x):
            return self.base**x

    fn = Halving(0.5)
    sched = lr_scheduler.CyclicLR(sgd(), 0.0, 1.0, step_size_up=1, scale_fn=fn, scale_mode="iterations")
    lrs, _ = run(sched, 3)
    assert lrs == [0.0, 0.5, 0.0, 0.125]  # peaks at odd batches t, scaled by 0.5^t
    sd = sched.state_dict()
    assert sd["_scale_fn_custom"] == {"base": 0.5} and "optimizer" not in sd and sd["last_epoch"] == 3
    other = Halving(0.9)
    sched2 = lr_scheduler.CyclicLR(sgd(), 0.0, 1.0, step_size_up=1, scale_fn=other, scale_mode="iterations")
    sched2.load_state_dict(sd)
    assert other.base == 0.5 and sched2.last_epoch == 3
    sched2.step()
    assert sched2.get_last_lr() == [0.0]
    plain = lr_scheduler.CyclicLR(sgd(), 0.0, 1.0, scale_fn=lambda x: 1.0).state_dict()
    assert plain["_scale_fn_custom"] is None  # functions and lambdas are not saved, as in PyTorch


def test_cyclic_built_in_modes_fix_the_scale_mode():
    assert lr_scheduler.CyclicLR(sgd(), 0.1, 1.0, mode="exp_range", scale_mode="cycle").scale_mode == "iterations"
    assert lr_scheduler.CyclicLR(sgd(), 0.1, 1.0, mode="triangular2", scale_mode="iterations").scale_mode == "cycle"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "square"}, "^CyclicLR: mode must be one of"),
        ({"step_size_up": 0}, "^CyclicLR: step_size_up must be positive, but got 0$"),
        ({"step_size_down": -1}, r"^CyclicLR: step_size_down must be >= 0 \(or None\), but got -1$"),
        ({"scale_fn": abs, "scale_mode": "epochs"}, "^CyclicLR: scale_mode must be 'cycle' or 'iterations'"),
        ({"base_lr": [0.1, 0.2]}, "^CyclicLR: base_lr must have the same length as optimizer.param_groups"),
    ],
)
def test_cyclic_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lr_scheduler.CyclicLR(sgd(), **{"base_lr": 0.1, "max_lr": 1.0, **kwargs})


def test_cyclic_needs_momentum_to_cycle_it():
    opt = optim.Adagrad([autograd.tensor(np.zeros(1), requires_grad=True)])
    with pytest.raises(ValueError, match="^CyclicLR: optimizer must support momentum or beta1 .* Adagrad has neither"):
        lr_scheduler.CyclicLR(opt, 0.1, 1.0)
    sched = lr_scheduler.CyclicLR(opt, 0.1, 1.0, step_size_up=1, cycle_momentum=False)
    sched.step()
    assert sched.get_last_lr() == [1.0] and "use_beta1" not in sched.state_dict()


# -- CosineAnnealingWarmRestarts ------------------------------------------------------------------------------
def sgdr(t_cur, t_i, base=0.1, eta_min=0.0):
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


def test_warm_restarts_periods_grow_by_t_mult():
    # T_0 = 2, T_mult = 3: periods of 2, 6, 18 epochs; the lr jumps back to base_lr at epochs 2 and 8.
    sched = lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=2, T_mult=3, eta_min=0.01)
    lrs, _ = run(sched, 12)
    periods = [(0, 2)] * 2 + [(2, 6)] * 6 + [(8, 18)] * 5
    expected = [sgdr(t - start, length, eta_min=0.01) for t, (start, length) in enumerate(periods)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-15)
    assert lrs[2] == lrs[8] == 0.1 and (sched.T_cur, sched.T_i, sched.last_epoch) == (4, 18, 12)


def test_warm_restarts_fractional_epochs_per_batch():
    # Stepped per batch with epoch + i / iters, as in the SGDR recipe: T_0 = 1, T_mult = 2, 4 batches an epoch.
    sched = lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=1, T_mult=2)
    epochs = [e + i / 4 for e in range(7) for i in range(4)]
    lrs, _ = run(sched, len(epochs), epochs)
    for epoch, lr in zip(epochs, lrs[1:]):
        n = int(math.log2(epoch + 1))  # period n covers epochs [2^n - 1, 2^(n+1) - 1)
        assert lr == pytest.approx(sgdr(epoch - (2**n - 1), 2**n), rel=1e-12, abs=1e-16)
    assert sched.last_epoch == 6  # ⌊6.75⌋


def test_warm_restarts_matches_pytorch_with_jumps():
    # PyTorch 2.13 (computed once), T_0 = 2, T_mult = 2, eta_min = 0.01, stepped with these epochs:
    epochs = [0.5, 1.0, 1.5, 2.0, 3.25, 5.9, 6.0, 7.5, 14.5]
    expected = [0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.1, 0.0800006604858821,
                0.010138719982009242, 0.1, 0.09241613255361454, 0.09978331270024887]
    sched = lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=2, T_mult=2, eta_min=0.01)
    assert run(sched, len(epochs), epochs)[0] == expected


def test_warm_restarts_state_dict_and_resume():
    sched = lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=3)
    for _ in range(4):
        sched.step()
    sd = sched.state_dict()
    assert (sd["T_cur"], sd["T_i"], sd["last_epoch"], sd["_step_count"]) == (1, 3, 4, 0)  # _step_count as PyTorch
    sched2 = lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=3)
    sched2.load_state_dict(sd)
    sched.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr() == [pytest.approx(sgdr(2, 3))]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"T_0": 0}, "^CosineAnnealingWarmRestarts: Expected positive integer T_0, but got 0$"),
        ({"T_0": 2.5}, "Expected positive integer T_0, but got 2.5$"),
        ({"T_0": 2, "T_mult": 0}, "^CosineAnnealingWarmRestarts: Expected integer T_mult >= 1, but got 0$"),
        ({"T_0": 2, "eta_min": "0"}, "Expected float or int eta_min, but got 0 of type str$"),
    ],
)
def test_warm_restarts_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lr_scheduler.CosineAnnealingWarmRestarts(sgd(), **kwargs)
    with pytest.raises(ValueError, match="^CosineAnnealingWarmRestarts: Expected non-negative epoch, but got -1$"):
        lr_scheduler.CosineAnnealingWarmRestarts(sgd(), T_0=2).step(-1)
