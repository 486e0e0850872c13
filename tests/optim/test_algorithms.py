"""Each optimizer's first steps against the algorithm written out by hand, plus convergence on a quadratic bowl.

(NAdam, RAdam and Adamax are in test_adam_variants.py; Adadelta, Rprop and ASGD in test_adadelta_rprop_asgd.py.)

Gradients are assigned directly to ``.grad`` so the update maths is tested on its own; the references below are
plain numpy transcriptions of the formulas in PyTorch's documentation, written independently of ``optim``.
"""

import numpy as np
import pytest

import autograd
import optim

W0 = [1.0, -2.0, 0.5]
GRADS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.4], [-0.2, 0.6, 1.0]]


def run(make_optimizer, w0=W0, grads=GRADS, dtype=np.float64):
    """Parameter values after each step when ``grads`` are fed one by one."""
    p = autograd.tensor(np.array(w0, dtype=dtype), requires_grad=True)
    opt = make_optimizer([p])
    values = []
    for g in grads:
        p.grad = autograd.tensor(np.array(g, dtype=dtype))
        opt.step()
        values.append(p.detach().numpy().copy())
    return np.array(values)


# -- SGD ----------------------------------------------------------------------------------------------------
def sgd_reference(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    w, buf, out = np.array(W0), None, []
    for g in map(np.array, GRADS):
        d = (-g if maximize else g) + weight_decay * w
        if momentum:
            buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
            d = d + momentum * buf if nesterov else buf
        w = w - lr * d
        out.append(w)
    return np.array(out)


def test_sgd_plain_step_by_hand():
    # w1 = 1 - 0.1 * 2 = 0.8; w2 = 0.8 - 0.1 * (-1) = 0.9
    assert run(lambda ps: optim.SGD(ps, lr=0.1), [1.0], [[2.0], [-1.0]]).ravel().tolist() == pytest.approx([0.8, 0.9])


def test_sgd_momentum_first_buffer_is_the_gradient():
    # b1 = g1 = 1, w1 = 1 - 0.1 = 0.9; b2 = 0.9 * 1 + 2 = 2.9, w2 = 0.9 - 0.29 = 0.61
    got = run(lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), [1.0], [[1.0], [2.0]])
    assert got.ravel().tolist() == pytest.approx([0.9, 0.61])


def test_sgd_nesterov_by_hand():
    # step 1: b = 1, d = 1 + 0.9 * 1 = 1.9, w = 0.81; step 2: b = 2.9, d = 2 + 0.9 * 2.9 = 4.61, w = 0.349
    got = run(lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True), [1.0], [[1.0], [2.0]])
    assert got.ravel().tolist() == pytest.approx([0.81, 0.349])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "weight_decay": 0.2},
        {"lr": 0.1, "momentum": 0.9},
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.5},
        {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "maximize": True},
        {"lr": 0.1, "weight_decay": 0.2, "maximize": True},
    ],
)
def test_sgd_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.SGD(ps, **kwargs)), sgd_reference(**kwargs), rtol=1e-12)


# -- Adagrad ------------------------------------------------------------------------------------------------
def adagrad_reference(lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10, maximize=False):
    w, out = np.array(W0), []
    s = np.full(3, initial_accumulator_value)
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = (-g if maximize else g) + weight_decay * w
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g
        w = w - clr * g / (np.sqrt(s) + eps)
        out.append(w)
    return np.array(out)


def test_adagrad_first_step_moves_by_lr_times_sign():
    # s1 = g², so the first step is lr * g / |g| (up to eps).
    got = run(lambda ps: optim.Adagrad(ps, lr=0.1), grads=GRADS[:1])
    np.testing.assert_allclose(got[0], [0.9, -1.9, 0.4], rtol=1e-9)


def test_adagrad_lr_decay_second_step_by_hand():
    # w = 0, g = 1 then 1: step 1 w = -0.1; step 2 clr = 0.1 / (1 + 0.5) and s = 2, so w = -0.1 - clr / sqrt(2)
    got = run(lambda ps: optim.Adagrad(ps, lr=0.1, lr_decay=0.5, eps=0.0), [0.0], [[1.0], [1.0]])
    assert got.ravel().tolist() == pytest.approx([-0.1, -0.1 - 0.1 / 1.5 / np.sqrt(2)])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "lr_decay": 0.5, "weight_decay": 0.1, "initial_accumulator_value": 0.2},
        {"lr": 0.05, "eps": 1e-3, "maximize": True},
    ],
)
def test_adagrad_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.Adagrad(ps, **kwargs)), adagrad_reference(**kwargs), rtol=1e-12)


# -- RMSprop ------------------------------------------------------------------------------------------------
def rmsprop_reference(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, maximize=False):
    w, out = np.array(W0), []
    v, g_avg, b = np.zeros(3), np.zeros(3), np.zeros(3)
    for g in map(np.array, GRADS):
        g = (-g if maximize else g) + weight_decay * w
        v = alpha * v + (1 - alpha) * g**2
        v_tilde = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g
            v_tilde = v - g_avg**2
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            w = w - lr * b
        else:
            w = w - lr * g / (np.sqrt(v_tilde) + eps)
        out.append(w)
    return np.array(out)


def test_rmsprop_first_step_by_hand():
    # v1 = 0.01 g², so the step is lr * g / (0.1 |g|) = 10 lr sign(g) = 0.1 sign(g) for lr = 0.01.
    got = run(lambda ps: optim.RMSprop(ps, lr=0.01), grads=GRADS[:1])
    np.testing.assert_allclose(got[0], [0.9, -1.9, 0.4], rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.01},
        {"lr": 0.01, "alpha": 0.9, "weight_decay": 0.1},
        {"lr": 0.01, "momentum": 0.8},
        {"lr": 0.01, "alpha": 0.9, "centered": True},
        {"lr": 0.01, "alpha": 0.9, "momentum": 0.8, "centered": True, "weight_decay": 0.1},
        {"lr": 0.01, "maximize": True},
    ],
)
def test_rmsprop_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.RMSprop(ps, **kwargs)), rmsprop_reference(**kwargs), rtol=1e-12)


# -- Adam / AdamW -------------------------------------------------------------------------------------------
def adam_reference(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False, decoupled=False):
    beta1, beta2 = betas
    w, out = np.array(W0), []
    m, v, v_max = np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(map(np.array, GRADS), start=1):
        g = -g if maximize else g
        if decoupled:
            w = w - lr * weight_decay * w
        else:
            g = g + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2**t)
        else:
            v_hat = v / (1 - beta2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return np.array(out)


def test_adam_first_step_moves_by_lr_times_sign():
    # m̂1 = g and v̂1 = g², so the first step is lr * g / (|g| + eps).
    got = run(lambda ps: optim.Adam(ps, lr=0.1), grads=GRADS[:1])
    np.testing.assert_allclose(got[0], [0.9, -1.9, 0.4], rtol=1e-7)


def test_adam_step_count_and_state():
    p = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    for _ in range(3):
        p.grad = autograd.tensor(np.array([1.0, -1.0]))
        opt.step()
    state = opt.state[p]
    assert sorted(state) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert state["step"].shape == () and state["step"].item() == 3.0
    # three identical gradients: m3 = (1 - 0.9³) g
    np.testing.assert_allclose(state["exp_avg"].numpy(), (1 - 0.9**3) * np.array([1.0, -1.0]))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1},
        {"lr": 0.1, "betas": (0.8, 0.9), "amsgrad": True},
        {"lr": 0.1, "betas": (0.5, 0.6), "eps": 1e-3, "amsgrad": True, "maximize": True},
    ],
)
def test_adam_matches_reference(kwargs):
    np.testing.assert_allclose(run(lambda ps: optim.Adam(ps, **kwargs)), adam_reference(**kwargs), rtol=1e-12)


def test_amsgrad_differs_once_second_moment_shrinks():
    # GRADS has a small second gradient, so v drops and AMSGrad keeps the older, larger value.
    plain = adam_reference(0.1, betas=(0.8, 0.9))
    ams = adam_reference(0.1, betas=(0.8, 0.9), amsgrad=True)
    assert not np.allclose(plain[1:], ams[1:])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True},
        {"lr": 0.1, "weight_decay": 0.3, "maximize": True},
    ],
)
def test_adamw_matches_reference(kwargs):
    expected = adam_reference(**{"weight_decay": 1e-2, **kwargs}, decoupled=True)
    np.testing.assert_allclose(run(lambda ps: optim.AdamW(ps, **kwargs)), expected, rtol=1e-12)


def test_adamw_decay_is_decoupled_from_the_moments():
    # Zero gradient: Adam's L2 term would enter m and v (first step ≈ lr * sign(w)); AdamW only shrinks w by lr·λ
    # and leaves m = 0, so w1 = w0 (1 - 0.1 * 0.5) exactly.
    got = run(lambda ps: optim.AdamW(ps, lr=0.1, weight_decay=0.5), [2.0], [[0.0]])
    assert got.ravel().tolist() == [2.0 * (1 - 0.1 * 0.5)]
    coupled = run(lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.5), [2.0], [[0.0]])
    assert coupled.ravel().tolist() == pytest.approx([1.9])


# -- against PyTorch --------------------------------------------------------------------------------------
# Parameter values after each of the three GRADS steps from W0, computed once with PyTorch 2.13 (CPU, float64)
# by hand and pasted here.
TORCH_RESULTS = {
    "sgd_nesterov_wd": (
        optim.SGD,
        {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        [[0.9031, -1.8062, 0.11904999999999999], [0.84107411, -1.77714822, 0.03241880499999999],
         [0.831465558191, -1.8362506163819998, -0.2715037212295]],
    ),
    "sgd_dampening_maximize": (
        optim.SGD,
        {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "maximize": True},
        [[1.05, -2.1, 0.7], [1.082, -2.129, 0.7719999999999999], [1.084, -2.1015, 0.8779999999999999]],
    ),
    "adagrad_decay_wd": (
        optim.Adagrad,
        {"lr": 0.1, "lr_decay": 0.5, "weight_decay": 0.1, "initial_accumulator_value": 0.2},
        [[0.9198216274369869, -1.9062957428741534, 0.4022978369617662],
         [0.9032549880064591, -1.9119686886365812, 0.4135644176362336],
         [0.9102826004605871, -1.927123763732258, 0.39159381210674277]],
    ),
    "rmsprop_centered_momentum": (
        optim.RMSprop,
        {"lr": 0.01, "alpha": 0.9, "momentum": 0.8, "centered": True, "weight_decay": 0.1},
        [[0.9666666685185185, -1.9666666675925926, 0.46666666720867206],
         [0.9288013317922302, -1.9429690437977238, 0.44582090134712854],
         [0.9046228711798772, -1.9351851590610252, 0.4127053250538193]],
    ),
    "adam_amsgrad_wd": (
        optim.Adam,
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True},
        [[0.9000000016666667, -1.9000000008333333, 0.4000000004878049],
         [0.814499723535862, -1.8457572170099905, 0.35218541435036926],
         [0.7675657111912095, -1.830881991559727, 0.2873548019736751]],
    ),
    "adamw_maximize": (
        optim.AdamW,
        {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "maximize": True},
        [[1.0899999980000001, -2.079999999, 0.5949999995], [1.1580842221206533, -2.097681915819189, 0.6364405349760301],
         [1.173409793004607, -2.064640962629593, 0.693232274792171]],
    ),
}


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_matches_pytorch_values(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    np.testing.assert_allclose(run(lambda ps: cls(ps, **kwargs)), expected, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(TORCH_RESULTS))
def test_float32_parameters_stay_float32(name):
    cls, kwargs, expected = TORCH_RESULTS[name]
    got = run(lambda ps: cls(ps, **kwargs), dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


# -- behaviour common to all --------------------------------------------------------------------------------
ALL = [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: optim.Adagrad(ps, lr=0.5),
    lambda ps: optim.RMSprop(ps, lr=0.05, momentum=0.5, centered=True),
    lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True),
    lambda ps: optim.AdamW(ps, lr=0.1),
    lambda ps: optim.NAdam(ps, lr=0.1, decoupled_weight_decay=True, weight_decay=1e-4),
    lambda ps: optim.RAdam(ps, lr=0.1),
    lambda ps: optim.Adamax(ps, lr=0.1),
    lambda ps: optim.Adadelta(ps, lr=1.0, eps=1e-3),
    lambda ps: optim.Rprop(ps, lr=0.1),
    lambda ps: optim.ASGD(ps, lr=0.1),
]


@pytest.mark.parametrize("make", ALL)
def test_quadratic_bowl_converges(make):
    # f(w) = Σ a_i (w_i - c_i)², minimum at c; the closure recomputes the loss through autograd each step.
    a = autograd.tensor(np.array([1.0, 3.0, 0.5]))
    c = autograd.tensor(np.array([2.0, -1.0, 0.5]))
    w = autograd.tensor(np.array([-1.0, 2.0, 3.0]), requires_grad=True)
    opt = make([w])

    def closure():
        opt.zero_grad()
        loss = (a * (w - c) * (w - c)).sum()
        loss.backward()
        return loss

    first = closure().item()
    for _ in range(300):
        last = opt.step(closure)
    assert isinstance(last, autograd.Tensor) and last.item() < 1e-3 * first
    np.testing.assert_allclose(w.detach().numpy(), [2.0, -1.0, 0.5], atol=0.05)


@pytest.mark.parametrize("make", ALL)
def test_parameter_without_grad_is_skipped(make):
    p = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    q = autograd.tensor(np.array([3.0]), requires_grad=True)
    opt = make([p, q])
    p.grad = autograd.tensor(np.array([1.0, 1.0]))
    opt.step()
    assert q.detach().numpy().tolist() == [3.0]
    assert q._version == 0
    assert p._version == 1
    assert not np.allclose(p.detach().numpy(), [1.0, 2.0])
    assert p.grad.numpy().tolist() == [1.0, 1.0]  # the gradient itself is never modified


def test_step_records_no_graph():
    p = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = autograd.tensor(np.array([1.0, 1.0]))
    opt.step()
    assert p.grad_fn is None and p.is_leaf and p.requires_grad


@pytest.mark.parametrize(
    "make",
    [
        *ALL,
        lambda ps: optim.SGD(ps, lr=0.1, weight_decay=0.1, maximize=True),
        lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.1),
        lambda ps: optim.RMSprop(ps, lr=0.1, weight_decay=0.1, centered=True),
    ],
)
def test_zero_dimensional_parameter_steps_like_a_one_element_one(make):
    # 0-d numpy arithmetic returns scalars, not arrays: the updates must not rely on them as output buffers.
    scalar, vector = autograd.tensor(1.5, requires_grad=True), autograd.tensor([1.5], requires_grad=True)
    opt_scalar, opt_vector = make([scalar]), make([vector])
    for g in (0.5, -1.0, 2.0):
        scalar.grad, vector.grad = autograd.tensor(g), autograd.tensor([g])
        opt_scalar.step()
        opt_vector.step()
    assert scalar.shape == () and scalar.item() == vector.item()
