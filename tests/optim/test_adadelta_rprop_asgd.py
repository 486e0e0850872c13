"""Adadelta, Rprop and ASGD: first steps worked out by hand, independent numpy transcriptions of the published
update rules over several steps, PyTorch's values, and state layout.

Gradients are assigned to ``.grad`` directly, so only the update maths is under test.
"""

import math

import numpy as np
import pytest

import autograd
import optim

W0 = [1.0, -2.0, 0.5]
GRADS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.4], [-0.2, 0.6, 1.0], [0.3, 0.3, -0.1], [1.5, -0.2, 0.0], [0.2, 0.1, 0.4]]


def run(make, w0=W0, grads=GRADS, dtype=np.float64):
    """Parameter values after each step when ``grads`` are fed one by one (and the optimizer)."""
    p = autograd.tensor(np.array(w0, dtype=dtype), requires_grad=True)
    opt = make([p])
    values = []
    for g in grads:
        p.grad = autograd.tensor(np.array(g, dtype=dtype))
        opt.step()
        values.append(p.detach().numpy().copy())
    return np.array(values), opt


# -- Adadelta -------------------------------------------------------------------------------------------------
def test_adadelta_first_step_is_set_by_eps():
    # v1 = (1 - ρ) g² = 0.1 and u0 = 0, so Δ1 = √ε / √(0.1 + ε) · g: a tiny first step, unlike SGD's.
    got, _ = run(lambda ps: optim.Adadelta(ps), [0.0], [[1.0]])
    assert got[0, 0] == pytest.approx(-math.sqrt(1e-6) / math.sqrt(0.1 + 1e-6), rel=1e-15)


def adadelta_reference(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    w, v, u, out = np.array(W0), np.zeros(3), np.zeros(3), []
    for g in map(np.array, GRADS):
        g = (-g if maximize else g) + weight_decay * w
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        w = w - lr * delta
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"lr": 0.5, "rho": 0.5, "weight_decay": 0.1}, {"eps": 1e-2, "maximize": True}, {"rho": 0.0}, {"rho": 1.0}],
)
def test_adadelta_matches_reference(kwargs):
    got, _ = run(lambda ps: optim.Adadelta(ps, **kwargs))
    np.testing.assert_allclose(got, adadelta_reference(**kwargs), rtol=1e-12)


# -- Rprop ----------------------------------------------------------------------------------------------------
def test_rprop_step_sizes_by_hand():
    # lr = 0.1, η = (0.5, 1.2). g: 1, 1, -1, -1, 1.
    # t1: no previous gradient (product 0): s = 0.1, θ = -0.1.  t2: same sign: s = 0.12, θ = -0.22.
    # t3: sign flip: s = 0.06 and the gradient is reset to 0, so θ stays.  t4: product with the reset 0 is 0:
    # s stays 0.06, θ moves against sign(-1): -0.16.  t5: flip again: s = 0.03, no move.
    got, opt = run(lambda ps: optim.Rprop(ps, lr=0.1), [0.0], [[1.0], [1.0], [-1.0], [-1.0], [1.0]])
    np.testing.assert_allclose(got.ravel(), [-0.1, -0.22, -0.22, -0.16, -0.16], rtol=1e-15)
    state = next(iter(opt.state.values()))
    assert state["step_size"].numpy().tolist() == pytest.approx([0.03], rel=1e-15)
    assert state["prev"].numpy().tolist() == [0.0]  # the reset gradient is what is remembered


def test_rprop_clips_step_sizes():
    got, opt = run(lambda ps: optim.Rprop(ps, lr=0.1, step_sizes=(0.08, 0.11)), [0.0], [[1.0]] * 3 + [[-1.0]] * 2)
    # s: 0.1 -> min(0.12, 0.11) -> 0.11 -> flip: max(0.055, 0.08) = 0.08 (no move) -> 0.08
    np.testing.assert_allclose(got.ravel(), [-0.1, -0.21, -0.32, -0.32, -0.24], rtol=1e-15)


def test_rprop_step_size_starts_at_the_lr_of_the_first_step():
    p = autograd.tensor(np.array([0.0, 0.0]), requires_grad=True)
    opt = optim.Rprop([p], lr=0.1)
    opt.param_groups[0]["lr"] = 0.5  # e.g. set by a scheduler before the first step
    p.grad = autograd.tensor(np.array([2.0, -3.0]))
    opt.step()
    assert p.detach().numpy().tolist() == [-0.5, 0.5]
    opt.param_groups[0]["lr"] = 100.0  # later changes of lr do not matter: the step sizes live in the state
    opt.step()
    assert p.detach().numpy().tolist() == pytest.approx([-1.1, 1.1])


def rprop_reference(lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    w, prev, s, out = np.array(W0), np.zeros(3), np.full(3, lr), []
    for g in map(np.array, GRADS):
        g = -g if maximize else g.copy()
        product = g * prev
        s = np.clip(np.where(product > 0, s * etas[1], np.where(product < 0, s * etas[0], s)), *step_sizes)
        g = np.where(product < 0, 0.0, g)
        w = w - np.sign(g) * s
        prev = g
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"lr": 0.1, "etas": (0.3, 1.5), "step_sizes": (0.02, 0.2)}, {"lr": 0.05, "maximize": True}],
)
def test_rprop_matches_reference(kwargs):
    got, _ = run(lambda ps: optim.Rprop(ps, **kwargs))
    np.testing.assert_allclose(got, rprop_reference(**kwargs), rtol=1e-14)


# -- ASGD -----------------------------------------------------------------------------------------------------
def test_asgd_step_size_is_the_float32_rounded_lr():
    # η_1 = lr held in a float32 tensor (as PyTorch): θ1 = θ0 (1 - λ η_1) - η_1 g with η_1 = float32(0.1).
    eta = float(np.float32(0.1))
    assert eta != 0.1
    got, _ = run(lambda ps: optim.ASGD(ps, lr=0.1, lambd=0.5), [2.0], [[1.0]])
    assert got[0, 0] == 2.0 * (1 - 0.5 * eta) - eta * 1.0


def test_asgd_averages_the_iterates_after_t0():
    # t0 = 0 and λ = 0 (constant step): μ_2 = 1, μ_3 = 1/2, μ_4 = 1/3, ..., so ax_t is the mean of θ_2 ... θ_t.
    grads = [[1.0], [-2.0], [0.5], [3.0], [-1.0]]
    got, opt = run(lambda ps: optim.ASGD(ps, lr=0.1, lambd=0.0, t0=0), [1.0], grads)
    ax = next(iter(opt.state.values()))["ax"].numpy()
    np.testing.assert_allclose(ax, [np.mean(got[1:, 0])], rtol=1e-6)  # μ is float32, as in PyTorch
    np.testing.assert_allclose(got[:, 0], 1.0 - float(np.float32(0.1)) * np.cumsum([g[0] for g in grads]))


def test_asgd_before_t0_the_average_is_the_iterate():
    got, opt = run(lambda ps: optim.ASGD(ps, lr=0.1))
    state = next(iter(opt.state.values()))
    np.testing.assert_array_equal(state["ax"].numpy(), got[-1])
    assert state["mu"].item() == 1.0
    assert state["eta"].item() == pytest.approx(0.1 / (1 + 1e-4 * 0.1 * 6) ** 0.75, rel=1e-7)


def asgd_reference(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False):
    w, ax, out = np.array(W0), np.zeros(3), []
    eta, mu = float(np.float32(lr)), 1.0
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = (-g if maximize else g) + weight_decay * w
        w = w * (1 - lambd * eta) - eta * g
        ax = w.copy() if mu == 1 else ax + mu * (w - ax)
        eta = float(np.float32(lr / (1 + lambd * lr * t) ** alpha))
        mu = float(np.float32(1 / max(1, t - t0)))
        out.append(w)
    return np.array(out), ax


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"lr": 0.1, "lambd": 0.1, "alpha": 0.5, "t0": 2},
        {"lr": 0.05, "weight_decay": 0.1, "t0": 0, "maximize": True},
    ],
)
def test_asgd_matches_reference(kwargs):
    got, opt = run(lambda ps: optim.ASGD(ps, **kwargs))
    expected, ax = asgd_reference(**kwargs)
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    np.testing.assert_allclose(next(iter(opt.state.values()))["ax"].numpy(), ax, rtol=1e-14)


# -- against PyTorch ----------------------------------------------------------------------------------------
# Parameter values after the first three GRADS steps from W0, computed once with PyTorch 2.13 (CPU, float64).
TORCH_RESULTS = {
    "adadelta": (
        optim.Adadelta,
        {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "eps": 0.001},
        [[0.9648876558411609, -1.964705882352941, 0.464665674517007],
         [0.9478855423737119, -1.96949205860641, 0.47412227827607073],
         [0.95792492980209, -1.9878191232308433, 0.4484482163808148]],
    ),
    "rprop": (
        optim.Rprop,
        {"lr": 0.1, "etas": (0.4, 1.5), "step_sizes": (0.01, 0.12)},
        [[0.9, -1.9, 0.4], [0.78, -1.9, 0.4], [0.78, -1.94, 0.36]],
    ),
    "asgd": (
        optim.ASGD,
        {"lr": 0.1, "lambd": 0.1, "alpha": 0.5, "t0": 1, "weight_decay": 0.1, "maximize": True},
        [[1.0300000004470349, -2.0600000008940698, 0.6900000028312206],
         [1.0194526062965839, -1.9891533534348902, 0.6364670023205707],
         [0.979461486655191, -1.890353397424846, 0.7228778295047646]],
    ),
}


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_matches_pytorch_values(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    got, _ = run(lambda ps: cls(ps, **kwargs), grads=GRADS[:3])
    np.testing.assert_allclose(got, expected, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_float32_parameters_stay_float32(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    got, _ = run(lambda ps: cls(ps, **kwargs), grads=GRADS[:3], dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "cls, keys",
    [
        (optim.Adadelta, ["step", "square_avg", "acc_delta"]),
        (optim.Rprop, ["step", "prev", "step_size"]),
        (optim.ASGD, ["step", "eta", "mu", "ax"]),
    ],
)
def test_state_layout_is_pytorchs(cls, keys):
    p = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = cls([p])
    p.grad = autograd.tensor(np.array([1.0, -1.0]))
    opt.step()
    state = opt.state_dict()["state"][0]
    assert list(state) == keys and state["step"].dtype == np.float32 and state["step"].item() == 1.0
    for key in keys[1:]:
        expected = (np.float32, ()) if key in ("eta", "mu") else (np.float64, (2,))
        assert (state[key].dtype, state[key].shape) == expected


def test_param_groups_carry_pytorchs_keys_and_defaults():
    p = autograd.tensor(np.array([1.0]), requires_grad=True)
    assert optim.Adadelta([p]).defaults == {
        "lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0, "maximize": False, "capturable": False,
        "foreach": None, "differentiable": False,
    }
    assert optim.Rprop([p]).defaults == {
        "lr": 1e-2, "etas": (0.5, 1.2), "step_sizes": (1e-6, 50), "foreach": None, "maximize": False,
        "differentiable": False, "capturable": False,
    }
    assert optim.ASGD([p]).defaults == {
        "lr": 1e-2, "lambd": 1e-4, "alpha": 0.75, "t0": 1e6, "weight_decay": 0, "foreach": None, "maximize": False,
        "differentiable": False, "capturable": False,
    }
