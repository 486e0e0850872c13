"""NAdam, RAdam and Adamax: first steps worked out by hand, independent numpy transcriptions of the published
update rules over several steps, PyTorch's values, and state layout.

Gradients are assigned to ``.grad`` directly, so only the update maths is under test.
"""

import copy
import math

import numpy as np
import pytest

import autograd
import optim

W0 = [1.0, -2.0, 0.5]
GRADS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.4], [-0.2, 0.6, 1.0], [0.3, 0.3, -0.1], [1.5, -0.2, 0.0], [0.2, 0.1, 0.4]]


def run(make, w0=W0, grads=GRADS, dtype=np.float64):
    """Parameter values after each step when ``grads`` are fed one by one."""
    p = autograd.tensor(np.array(w0, dtype=dtype), requires_grad=True)
    opt = make([p])
    values = []
    for g in grads:
        p.grad = autograd.tensor(np.array(g, dtype=dtype))
        opt.step()
        values.append(p.detach().numpy().copy())
    return np.array(values)


def first(make, w0, g):
    return run(make, [w0], [[g]])[0, 0]


# -- hand-computed first steps ------------------------------------------------------------------------------
def test_nadam_first_step_with_constant_momentum():
    # momentum_decay = 0 makes μ_t = 0.9 (1 - 1/2) = 0.45 for every t. Step 1 with g = 1 from θ = 0: m = 0.1,
    # v = 0.001, so √(v / (1 - 0.999)) = 1 and θ1 = -lr (1 - μ)/(1 - Π1) - lr μ m / (1 - Π1 μ), where Π1 = μ is
    # held in float32 (as PyTorch holds it): 0.449999988...
    product = float(np.float32(0.45))
    expected = -0.1 * ((1 - 0.45) / (1 - product) + 0.45 * 0.1 / (1 - product * 0.45))
    got = first(lambda ps: optim.NAdam(ps, lr=0.1, momentum_decay=0.0, eps=0.0), 0.0, 1.0)
    assert got == pytest.approx(expected, rel=1e-15)
    assert got == pytest.approx(-0.1 * (1 + 0.045 / 0.7975), rel=1e-7)  # the same, in exact arithmetic


def test_nadam_momentum_warms_up():
    # With the default ψ = 0.004, μ_1 = 0.9 (1 - 0.96^0.004 / 2) is just above 0.45 and μ_t grows toward 0.9.
    mu = [0.9 * (1 - 0.5 * 0.96 ** (t * 0.004)) for t in (1, 2, 1000)]
    assert 0.45 < mu[0] < mu[1] < mu[2] < 0.9
    g, product = 1.0, float(np.float32(mu[0]))
    m, v = 0.1 * g, 0.001 * g * g
    expected = -2e-3 * ((1 - mu[0]) / (1 - product) * g + mu[1] / (1 - product * mu[1]) * m) / (
        math.sqrt(v / 0.001) + 1e-8
    )
    assert first(lambda ps: optim.NAdam(ps), 0.0, g) == pytest.approx(expected, rel=1e-15)


def test_radam_first_steps_are_sgd_with_momentum():
    # ρ_∞ = 2/(1 - 0.999) - 1 = 1999 and ρ_1 = 1999 - 2·0.999/0.001 = 1 <= 5: no adaptive term, θ1 = θ0 - lr m̂1
    # = θ0 - lr g. Step 2 (ρ_2 ≈ 2 <= 5): m̂2 = (0.9·0.1·g1 + 0.1·g2) / (1 - 0.81).
    got = run(lambda ps: optim.RAdam(ps, lr=0.1), [1.0], [[2.0], [-1.0]]).ravel()
    assert got[0] == pytest.approx(1.0 - 0.1 * 2.0, rel=1e-15)
    assert got[1] == pytest.approx(got[0] - 0.1 * (0.09 * 2.0 + 0.1 * -1.0) / 0.19, rel=1e-15)


def test_radam_switches_on_the_adaptive_step_when_rho_exceeds_5():
    # β2 = 0.5: ρ_∞ = 3, so ρ_t < 5 forever and RAdam stays SGD with bias-corrected momentum.
    grads = [[1.0], [3.0], [-2.0], [0.5]]
    got = run(lambda ps: optim.RAdam(ps, lr=0.1, betas=(0.9, 0.5)), [0.0], grads).ravel()
    w, m = 0.0, 0.0
    for t, (g,) in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        w -= 0.1 * m / (1 - 0.9**t)
    assert got[-1] == pytest.approx(w, rel=1e-14)


def test_adamax_first_step_moves_by_lr_times_sign():
    # m1 = 0.1 g, u1 = |g| + ε, and the bias correction 1/(1 - 0.9) undoes the 0.1: θ1 = θ0 - lr g / (|g| + ε)
    assert first(lambda ps: optim.Adamax(ps, lr=0.1), 1.0, -4.0) == pytest.approx(1.0 + 0.1 * 4 / (4 + 1e-8), rel=1e-15)


def test_adamax_infinity_norm_keeps_the_largest_recent_gradient():
    # A large gradient then small ones: u decays by β2 per step instead of following |g| down.
    p = autograd.tensor(np.array([0.0]), requires_grad=True)
    opt = optim.Adamax([p], betas=(0.9, 0.5), eps=0.0)
    for g in (8.0, 1.0, 1.0):
        p.grad = autograd.tensor(np.array([g]))
        opt.step()
    assert opt.state[p]["exp_inf"].numpy().tolist() == [2.0]  # max(0.5 · max(0.5 · 8, 1), 1)


# -- several steps against the published rules --------------------------------------------------------------
def nadam_reference(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                    decoupled_weight_decay=False, maximize=False):
    beta1, beta2 = betas
    w, m, v, prod, out = np.array(W0), np.zeros(3), np.zeros(3), 1.0, []
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        prod = float(np.float32(prod * np.float32(mu)))  # PyTorch keeps the product in a float32 tensor
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = mu_next * m / (1 - prod * mu_next) + (1 - mu) * g / (1 - prod)
        w = w - lr * m_hat / (np.sqrt(v / (1 - beta2**t)) + eps)
        out.append(w)
    return np.array(out)


def radam_reference(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
                    maximize=False):
    beta1, beta2 = betas
    w, m, v, out = np.array(W0), np.zeros(3), np.zeros(3), []
    rho_inf = 2 / (1 - beta2) - 1
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        if rho > 5:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            w = w - lr * m_hat * r * math.sqrt(1 - beta2**t) / (np.sqrt(v) + eps)
        else:
            w = w - lr * m_hat
        out.append(w)
    return np.array(out)


def adamax_reference(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    beta1, beta2 = betas
    w, m, u, out = np.array(W0), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = (-g if maximize else g) + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        w = w - lr / (1 - beta1**t) * m / u
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "momentum_decay": 0.05},
        {"lr": 0.1, "weight_decay": 0.2, "decoupled_weight_decay": True, "maximize": True},
        {"lr": 0.05, "eps": 1e-3, "momentum_decay": 0.0},
    ],
)
def test_nadam_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.NAdam(ps, **kwargs)), nadam_reference(**kwargs), rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "betas": (0.5, 0.6), "weight_decay": 0.1},  # ρ_∞ = 4: never adaptive
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "decoupled_weight_decay": True},  # adaptive from t = 5
        {"lr": 0.1, "betas": (0.8, 0.7), "eps": 1e-3, "maximize": True},
    ],
)
def test_radam_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.RAdam(ps, **kwargs)), radam_reference(**kwargs), rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [{"lr": 0.1}, {"lr": 0.1, "betas": (0.5, 0.9), "weight_decay": 0.1}, {"lr": 0.2, "eps": 0.1, "maximize": True}],
)
def test_adamax_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.Adamax(ps, **kwargs)), adamax_reference(**kwargs), rtol=1e-12)


# -- against PyTorch ----------------------------------------------------------------------------------------
# Parameter values after the first three GRADS steps from W0, computed once with PyTorch 2.13 (CPU, float64).
TORCH_RESULTS = {
    "nadam_wd": (
        optim.NAdam,
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1},
        [[0.8904721947715984, -1.890472193858867, 0.390472193480417],
         [0.8462938474053495, -1.8912716040865438, 0.40081435534534005],
         [0.8574769789233607, -1.925501475122511, 0.3366635349209536]],
    ),
    "nadamw_maximize": (
        optim.NAdam,
        {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True, "momentum_decay": 0.01},
        [[1.0956489923062653, -2.0856489933627556, 0.6006489938910003],
         [1.111383183039667, -2.04080183682091, 0.580331729829708],
         [1.066399107698674, -1.9677900253000773, 0.6287518194766909]],
    ),
    "radam_wd": (
        optim.RAdam,
        {"lr": 0.1, "betas": (0.5, 0.6), "weight_decay": 0.1},
        [[0.94, -1.88, 0.29500000000000004], [0.9070666666666666, -1.8474666666666666, 0.25136666666666674],
         [0.8991977142857142, -1.8572525714285713, 0.17408742857142864]],
    ),
    "radamw": (
        optim.RAdam,
        {"lr": 0.1, "betas": (0.5, 0.6), "weight_decay": 0.1, "decoupled_weight_decay": True},
        [[0.94, -1.88, 0.295], [0.9072666666666667, -1.8478666666666665, 0.25205],
         [0.8996225714285714, -1.8579594285714283, 0.17524378571428573]],
    ),
    "adamax_wd": (
        optim.Adamax,
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1},
        [[0.9000000016666666, -1.9000000008333333, 0.4000000004878049],
         [0.8310699616460904, -1.8562757213580248, 0.36145739302605],
         [0.7957273362233668, -1.845075746235373, 0.31060993622377986]],
    ),
}


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_matches_pytorch_values(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    np.testing.assert_allclose(run(lambda ps: cls(ps, **kwargs), grads=GRADS[:3]), expected, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_float32_parameters_stay_float32(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    got = run(lambda ps: cls(ps, **kwargs), grads=GRADS[:3], dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


# -- state ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls, keys",
    [
        (optim.NAdam, ["step", "mu_product", "exp_avg", "exp_avg_sq"]),
        (optim.RAdam, ["step", "exp_avg", "exp_avg_sq"]),
        (optim.Adamax, ["step", "exp_avg", "exp_inf"]),
    ],
)
def test_state_layout_is_pytorchs(cls, keys):
    p = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = cls([p], lr=0.1)
    assert opt.state_dict()["state"] == {}  # created lazily, at the first step
    p.grad = autograd.tensor(np.array([1.0, -1.0]))
    opt.step()
    state = opt.state_dict()["state"][0]
    assert list(state) == keys
    assert state["step"].dtype == np.float32 and state["step"].shape == () and state["step"].item() == 1.0
    assert all(state[k].dtype == np.float64 and state[k].shape == (2,) for k in keys if k.startswith("exp"))


def test_nadam_mu_product_is_float32_and_takes_the_parameter_dtype_when_loaded():
    p = autograd.tensor(np.array([1.0]), requires_grad=True)
    opt = optim.NAdam([p])
    for _ in range(3):
        p.grad = autograd.tensor(np.array([1.0]))
        opt.step()
    product = np.float32(1.0)
    for t in (1, 2, 3):
        product = np.float32(product * np.float32(0.9 * (1 - 0.5 * 0.96 ** (t * 0.004))))
    mu_product = opt.state[p]["mu_product"]
    assert mu_product.dtype == np.float32 and mu_product.item() == product
    # As in PyTorch, loading casts every floating state tensor but 'step' to the parameter's dtype.
    q = autograd.tensor(np.array([1.0]), requires_grad=True)
    opt2 = optim.NAdam([q])
    opt2.load_state_dict(copy.deepcopy(opt.state_dict()))
    assert opt2.state[q]["mu_product"].dtype == np.float64 and opt2.state[q]["step"].dtype == np.float32


def test_param_groups_carry_pytorchs_keys():
    p = autograd.tensor(np.array([1.0]), requires_grad=True)
    assert list(optim.NAdam([p]).state_dict()["param_groups"][0]) == [
        "lr", "betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "maximize", "foreach",
        "capturable", "differentiable", "params",
    ]
    assert list(optim.RAdam([p]).defaults) == [
        "lr", "betas", "eps", "weight_decay", "maximize", "foreach", "capturable", "decoupled_weight_decay",
        "differentiable",
    ]
    assert list(optim.Adamax([p]).defaults) == [
        "lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable", "capturable",
    ]
    assert optim.NAdam([p]).defaults["lr"] == 2e-3 and optim.Adamax([p]).defaults["lr"] == 2e-3
    assert optim.RAdam([p]).defaults["lr"] == 1e-3
