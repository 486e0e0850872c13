"""SequentialLR and ChainedScheduler: hand-offs at milestones, chained products, nesting, state dicts, PyTorch's
values and argument errors."""

import math

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler


def make_optimizer(lr=0.1):
    return optim.SGD([autograd.tensor(np.zeros(1), requires_grad=True)], lr=lr, momentum=0.9)


def lr_sequence(scheduler, steps):
    opt = scheduler.optimizer
    out = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        out.append(opt.param_groups[0]["lr"])
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
    return out


def warmup_then_cosine(opt):
    warmup = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=4)
    cosine = lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=0.01)
    return lr_scheduler.SequentialLR(opt, [warmup, cosine], milestones=[4])


# -- SequentialLR ---------------------------------------------------------------------------------------------
def test_sequential_warm_up_then_cosine():
    # LinearLR for epochs 0-3 (0.01, 0.0325, 0.055, 0.0775); at epoch 4 the cosine starts at its epoch 0 from
    # base_lr 0.1 and anneals to 0.01 over 6 epochs (then climbs back, as CosineAnnealingLR does).
    got = lr_sequence(warmup_then_cosine(make_optimizer()), 12)
    warm = [0.1 * (0.1 + 0.9 * t / 4) for t in range(4)]
    cosine = [0.01 + 0.09 * (1 + math.cos(math.pi * t / 6)) / 2 for t in range(9)]
    np.testing.assert_allclose(got, warm + cosine, rtol=1e-13)


def test_sequential_matches_pytorch():
    # PyTorch 2.13 (computed once) for warmup_then_cosine from lr 0.1:
    expected = [0.010000000000000002, 0.03250000000000001, 0.055000000000000014, 0.07750000000000003, 0.1,
                0.09397114317029975, 0.07750000000000001, 0.055000000000000014, 0.032500000000000015,
                0.01602885682970026, 0.01, 0.01602885682970026, 0.03250000000000001]
    assert lr_sequence(warmup_then_cosine(make_optimizer()), 12) == expected


def test_sequential_undoes_the_construction_steps_and_counts_epochs():
    opt = make_optimizer()
    first = lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=10)
    second = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    third = lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
    sched = lr_scheduler.SequentialLR(opt, [first, second, third], milestones=[2, 4])
    assert (first.last_epoch, second.last_epoch, third.last_epoch, sched.last_epoch) == (0, -1, -1, 0)
    # 0.05, 0.05 (ConstantLR); epoch 2: ExponentialLR restarts at its epoch 0 (closed form: base_lr) = 0.1, then
    # 0.05; epoch 4: StepLR restarts at 0.1, decays at its epochs 2 and 4.
    assert lr_sequence(sched, 8) == pytest.approx([0.05, 0.05, 0.1, 0.05, 0.1, 0.1, 0.01, 0.01, 0.001], rel=1e-14)
    assert (sched.last_epoch, third.last_epoch) == (8, 4)


def test_sequential_state_dict_round_trip():
    opt = make_optimizer()
    sched = warmup_then_cosine(opt)
    for _ in range(6):
        opt.step()
        sched.step()
    sd = sched.state_dict()
    assert sorted(sd) == ["_last_lr", "_milestones", "_schedulers", "last_epoch"]
    assert [s["last_epoch"] for s in sd["_schedulers"]] == [3, 2] and "optimizer" not in sd["_schedulers"][0]
    opt2 = make_optimizer(0.7)
    opt2.load_state_dict(opt.state_dict())
    sched2 = warmup_then_cosine(opt2)
    sched2.load_state_dict(sd)
    opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]  # the scheduler's own construction set the lr again
    sched.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr() and sched2.last_epoch == 7


def test_sequential_nested_in_itself_and_holding_a_chain():
    opt = make_optimizer()
    inner = lr_scheduler.SequentialLR(
        opt,
        [lr_scheduler.ConstantLR(opt, factor=0.2, total_iters=2), lr_scheduler.LinearLR(opt, 0.5, total_iters=2)],
        milestones=[2],
    )
    chain = lr_scheduler.ChainedScheduler(
        [lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=1), lr_scheduler.ExponentialLR(opt, gamma=0.9)]
    )
    outer = lr_scheduler.SequentialLR(opt, [inner, chain], milestones=[4])
    # As in PyTorch, handing over to the inner SequentialLR repeats its construction step, so it runs one epoch
    # ahead: ConstantLR's 0.02 at outer epoch 0 only, then LinearLR's 0.05, 0.075 and 0.1. At epoch 4 the chain
    # cannot restart at epoch 0 (PyTorch fails there as well), and the error says how to compose instead.
    assert lr_sequence(outer, 3) == pytest.approx([0.02, 0.05, 0.075, 0.1], rel=1e-14)
    with pytest.raises(NotImplementedError, match="^ChainedScheduler has no get_lr"):
        outer.step()


@pytest.mark.parametrize(
    "schedulers, milestones, error, message",
    [
        (lambda o: [], [], ValueError, "^SequentialLR expects at least one scheduler"),
        (lambda o: [lr_scheduler.StepLR(o, 2)] * 2, [1, 2], ValueError, "2 schedulers and 2 milestones$"),
        (lambda o: [lr_scheduler.StepLR(o, 2)] * 3, [5, 3], ValueError, r"^SequentialLR: milestones must be increa"),
        (lambda o: [lr_scheduler.StepLR(o, 2)] * 3, [3, 3], ValueError, r"must be increasing, but got \[3, 3\]$"),
        (lambda o: [lr_scheduler.ReduceLROnPlateau(o)], [], ValueError, "does not support `ReduceLROnPlateau`"),
        (lambda o: [object()], [], TypeError, "^SequentialLR: the scheduler at index 0 should have `optimizer`"),
        (lambda o: [lr_scheduler.StepLR(make_optimizer(), 2)], [], ValueError, "belong to the same optimizer"),
    ],
)
def test_sequential_bad_arguments(schedulers, milestones, error, message):
    opt = make_optimizer()
    with pytest.raises(error, match=message):
        lr_scheduler.SequentialLR(opt, schedulers(opt), milestones=milestones)


# -- ChainedScheduler -----------------------------------------------------------------------------------------
def test_chained_multiplies_the_schedules():
    # ConstantLR(0.5 for 3 epochs) · ExponentialLR(0.9) · MultiStepLR(0.1 at 5), from lr 0.1; PyTorch 2.13 gives
    # the same list (computed once).
    opt = make_optimizer()
    chain = lr_scheduler.ChainedScheduler(
        [
            lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=3),
            lr_scheduler.ExponentialLR(opt, gamma=0.9),
            lr_scheduler.MultiStepLR(opt, milestones=[5], gamma=0.1),
        ]
    )
    expected = [0.05, 0.045000000000000005, 0.04050000000000001, 0.07290000000000002, 0.06561000000000002,
                0.005904900000000002, 0.005314410000000002, 0.004782969000000002, 0.004304672100000002]
    assert lr_sequence(chain, 8) == expected
    by_hand = [0.1 * (0.5 if t < 3 else 1) * 0.9**t * (0.1 if t >= 5 else 1) for t in range(9)]
    np.testing.assert_allclose(expected, by_hand, rtol=1e-14)


def test_chained_state_dict_round_trip_and_layout():
    def build(opt):
        return lr_scheduler.ChainedScheduler(
            [lr_scheduler.LinearLR(opt, 0.5, total_iters=4), lr_scheduler.ExponentialLR(opt, 0.8)], optimizer=opt
        )

    opt = make_optimizer()
    chain = build(opt)
    for _ in range(2):
        chain.step()
    sd = chain.state_dict()
    assert sorted(sd) == ["_last_lr", "_schedulers"] and [s["last_epoch"] for s in sd["_schedulers"]] == [2, 2]
    opt2 = make_optimizer()
    chain2 = build(opt2)
    chain2.load_state_dict(sd)
    opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]
    chain.step()
    chain2.step()
    assert chain2.get_last_lr() == chain.get_last_lr() == [pytest.approx(0.1 * 0.875 * 0.8**3)]


def test_chained_bad_arguments():
    opt = make_optimizer()
    with pytest.raises(ValueError, match="^ChainedScheduler expects at least one scheduler to be chained"):
        lr_scheduler.ChainedScheduler([])
    with pytest.raises(ValueError, match="^ChainedScheduler does not support `ReduceLROnPlateau`"):
        lr_scheduler.ChainedScheduler([lr_scheduler.StepLR(opt, 2), lr_scheduler.ReduceLROnPlateau(opt)])
    with pytest.raises(ValueError, match="StepLR at index 1 belongs to another SGD"):
        lr_scheduler.ChainedScheduler([lr_scheduler.StepLR(opt, 2), lr_scheduler.StepLR(make_optimizer(), 2)])
