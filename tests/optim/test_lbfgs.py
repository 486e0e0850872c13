"""L-BFGS: its first iterations by hand, convergence, evaluation budgets, stopping tests, validation and checkpoints.

The references are closed forms written with numpy (the quadratic's minimiser by ``numpy.linalg.solve``, the
BFGS update of the inverse Hessian as a matrix), independent of ``optim``.
"""

import copy

import numpy as np
import pytest

import autograd
import optim
from optim._line_search import cubic_interpolate

RNG = np.random.default_rng(0)
M = RNG.normal(size=(6, 6))
A = M @ M.T + 6 * np.eye(6)  # symmetric positive definite
B = RNG.normal(size=6)


def quadratic_params():
    """The quadratic's variable x, split over a (2, 2) and a (2,) parameter (flattened in that order)."""
    return [
        autograd.tensor(np.array([[1.0, -2.0], [0.5, 3.0]]), requires_grad=True),
        autograd.tensor(np.array([-1.0, 2.0]), requires_grad=True),
    ]


def flat(params):
    return np.concatenate([p.detach().numpy().ravel() for p in params])


def quadratic_closure(opt, params, calls=None):
    """f(x) = ½ xᵀAx - bᵀx over the flattened parameters; ∇f = Ax - b."""
    a, b = autograd.tensor(A), autograd.tensor(B)

    def closure():
        if calls is not None:
            calls.append(flat(params))
        opt.zero_grad()
        x = autograd.cat([params[0].reshape(-1), params[1]])
        loss = 0.5 * (x @ (a @ x)) - b @ x
        loss.backward()
        return loss

    return closure


def rosenbrock_closure(opt, x, calls=None):
    def closure():
        if calls is not None:
            calls.append(x.detach().numpy().copy())
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        loss.backward()
        return loss

    return closure


# -- the algorithm by hand ----------------------------------------------------------------------------------
def test_first_two_iterations_follow_the_bfgs_formulas():
    params = quadratic_params()
    x0 = flat(params)
    opt = optim.LBFGS(params, lr=0.5, max_iter=2, max_eval=3)
    opt.step(quadratic_closure(opt, params))
    g0 = A @ x0 - B
    t0 = 0.5 * min(1.0, 1.0 / np.abs(g0).sum())  # first step: lr · min(1, 1/‖g‖₁) along -g
    x1 = x0 - t0 * g0
    s, y = x1 - x0, (A @ x1 - B) - g0
    rho, gamma = 1 / (y @ s), (y @ s) / (y @ y)
    eye = np.eye(6)
    h = (eye - rho * np.outer(s, y)) @ (gamma * eye) @ (eye - rho * np.outer(y, s)) + rho * np.outer(s, s)
    x2 = x1 - 0.5 * h @ (A @ x1 - B)  # the last iteration moves without evaluating the closure
    np.testing.assert_allclose(flat(params), x2, rtol=1e-13, atol=1e-13)
    state = opt.state[params[0]]
    assert (state["n_iter"], state["func_evals"], state["t"], len(state["old_dirs"])) == (2, 2, 0.5, 1)
    np.testing.assert_allclose(state["old_stps"][0].numpy(), s, rtol=1e-13)
    np.testing.assert_allclose(state["ro"][0].numpy(), rho, rtol=1e-13)
    np.testing.assert_allclose(state["H_diag"].numpy(), gamma, rtol=1e-13)


def test_cubic_interpolation_finds_the_minimiser_of_a_cubic():
    # φ(x) = x³ - 3x, φ' = 3x² - 3: local minimum at 1, whichever way round the two points are given
    assert cubic_interpolate(0.0, 0.0, -3.0, 2.0, 2.0, 9.0) == pytest.approx(1.0, abs=1e-15)
    assert cubic_interpolate(2.0, 2.0, 9.0, 0.0, 0.0, -3.0) == pytest.approx(1.0, abs=1e-15)
    assert cubic_interpolate(0.0, 0.0, -3.0, 2.0, 2.0, 9.0, bounds=(1.5, 3.0)) == 1.5
    # φ = -x³ - x (φ' = -3x² - 1 < 0) has no local minimum: the midpoint of the bounds
    assert cubic_interpolate(-1.0, 2.0, -4.0, 1.0, -2.0, -4.0) == 0.0
    assert cubic_interpolate(-1.0, 2.0, -4.0, 1.0, -2.0, -4.0, bounds=(1.0, 4.0)) == 2.5


# -- convergence --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_minimises_a_convex_quadratic_exactly(line_search_fn):
    # tolerance_change=0: with the default 1e-9 the loss stops changing (and the step ends) about 1e-6 away
    params = quadratic_params()
    opt = optim.LBFGS(params, tolerance_grad=1e-10, tolerance_change=0, line_search_fn=line_search_fn)
    closure = quadratic_closure(opt, params)
    for _ in range(2):
        opt.step(closure)
    np.testing.assert_allclose(flat(params), np.linalg.solve(A, B), rtol=0, atol=1e-8)


def test_reaches_the_minimum_of_rosenbrock_with_strong_wolfe():
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe")
    closure = rosenbrock_closure(opt, x)
    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(x.detach().numpy(), [1.0, 1.0], atol=1e-5)
    assert float(closure()) < 1e-9


def test_float32_parameters_keep_float32_state():
    x = autograd.tensor(np.array([-1.5, 2.0], dtype=np.float32), requires_grad=True)
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe")
    for _ in range(3):
        opt.step(rosenbrock_closure(opt, x))
    state = opt.state[x]
    assert x.dtype == np.float32 and state["d"].dtype == np.float32 and state["ro"][0].dtype == np.float32
    np.testing.assert_allclose(x.detach().numpy(), [1.0, 1.0], atol=1e-3)


# -- evaluation budget and stopping tests -------------------------------------------------------------------
@pytest.mark.parametrize("max_iter, max_eval", [(20, None), (20, 7), (5, 100), (1, None)])
def test_fixed_steps_call_the_closure_at_most_max_eval_times(max_iter, max_eval):
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = optim.LBFGS([x], lr=0.1, max_iter=max_iter, max_eval=max_eval)
    budget = opt.param_groups[0]["max_eval"]
    for _ in range(3):
        calls = []
        opt.step(rosenbrock_closure(opt, x, calls))
        # far from the minimum nothing stops early: one evaluation per iteration but the last, until the budget
        assert len(calls) == min(max_iter, budget)
    assert opt.state[x]["func_evals"] == 3 * min(max_iter, budget)


@pytest.mark.parametrize("max_iter, max_eval", [(20, None), (10, 10), (7, 4), (1, None)])
def test_line_search_calls_the_closure_at_most_once_beyond_max_eval(max_iter, max_eval):
    # As in PyTorch, the line search of the iteration that exhausts the budget may take one evaluation more:
    # it is allowed max_eval - (evaluations so far) trials after its first one.
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = optim.LBFGS([x], max_iter=max_iter, max_eval=max_eval, line_search_fn="strong_wolfe")
    budget, total = opt.param_groups[0]["max_eval"], 0
    for _ in range(4):
        calls = []
        opt.step(rosenbrock_closure(opt, x, calls))
        assert 1 <= len(calls) <= budget + 1
        total += len(calls)
    assert opt.state[x]["func_evals"] == total


def test_max_eval_defaults_to_five_quarters_of_max_iter():
    x = autograd.tensor(np.array([0.0]), requires_grad=True)
    assert optim.LBFGS([x]).param_groups[0]["max_eval"] == 25
    assert optim.LBFGS([x], max_iter=7).param_groups[0]["max_eval"] == 8
    assert optim.LBFGS([x], max_iter=7, max_eval=3).param_groups[0]["max_eval"] == 3


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_stationary_point_stops_after_one_evaluation(line_search_fn):
    x = autograd.tensor(np.array([1.0, 1.0]), requires_grad=True)  # Rosenbrock's minimum: the gradient is 0
    opt = optim.LBFGS([x], line_search_fn=line_search_fn)
    calls = []
    loss = opt.step(rosenbrock_closure(opt, x, calls))
    assert len(calls) == 1 and float(loss) == 0.0
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 1.0])
    assert opt.state[x] == {"func_evals": 1, "n_iter": 0}


def test_small_gradient_below_tolerance_grad_counts_as_stationary():
    x = autograd.tensor(np.array([3.0]), requires_grad=True)
    opt = optim.LBFGS([x], tolerance_grad=1e-2)
    calls = []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = 1e-3 * x * x  # gradient 6e-3 <= 1e-2
        loss.sum().backward()
        return loss.sum()

    opt.step(closure)
    assert len(calls) == 1 and x.item() == 3.0


def test_step_returns_the_loss_at_the_starting_point_and_missing_gradients_count_as_zero():
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    unused = autograd.tensor(np.array([5.0, 6.0]), requires_grad=True)
    opt = optim.LBFGS([x, unused], max_iter=3)
    loss = opt.step(rosenbrock_closure(opt, x))
    assert float(loss) == pytest.approx(2.5**2 + 100 * 0.25**2)
    np.testing.assert_array_equal(unused.detach().numpy(), [5.0, 6.0])
    assert opt.state[x]["d"].shape == (4,)


# -- construction -------------------------------------------------------------------------------------------
def test_two_parameter_groups_are_refused():
    a = autograd.tensor(np.array([1.0]), requires_grad=True)
    b = autograd.tensor(np.array([2.0]), requires_grad=True)
    with pytest.raises(ValueError, match="^LBFGS doesn't support per-parameter options"):
        optim.LBFGS([{"params": [a]}, {"params": [b], "lr": 0.1}])
    opt = optim.LBFGS([a])
    with pytest.raises(ValueError, match="got a second one$"):
        opt.add_param_group({"params": [b]})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": -1.0}, "LBFGS: Invalid learning rate: -1.0 (must be >= 0)"),
        ({"lr": float("nan")}, "LBFGS: Invalid learning rate: nan (must be >= 0)"),
        ({"max_iter": 0}, "LBFGS: Invalid max_iter value: 0 (must be an integer >= 1)"),
        ({"max_iter": 2.5}, "LBFGS: Invalid max_iter value: 2.5 (must be an integer >= 1)"),
        ({"max_eval": 0}, "LBFGS: Invalid max_eval value: 0 (must be an integer >= 1)"),
        ({"tolerance_grad": -1e-7}, "LBFGS: Invalid tolerance_grad value: -1e-07 (must be >= 0)"),
        ({"tolerance_change": float("nan")}, "LBFGS: Invalid tolerance_change value: nan (must be >= 0)"),
        ({"history_size": 0}, "LBFGS: Invalid history_size value: 0 (must be an integer >= 1)"),
        ({"line_search_fn": "wolfe"}, "LBFGS: Invalid line_search_fn: 'wolfe' (must be None or 'strong_wolfe')"),
    ],
)
def test_bad_hyperparameters_are_refused_by_name(kwargs, message):
    x = autograd.tensor(np.array([1.0]), requires_grad=True)
    with pytest.raises(ValueError) as error:
        optim.LBFGS([x], **kwargs)
    assert str(error.value) == message


def test_step_requires_a_closure():
    x = autograd.tensor(np.array([1.0]), requires_grad=True)
    with pytest.raises(TypeError):
        optim.LBFGS([x]).step()


# -- checkpoints --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_state_dict_round_trip_continues_the_same_trajectory(line_search_fn):
    kwargs = dict(lr=0.5, max_iter=4, history_size=3, line_search_fn=line_search_fn)
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    reference = optim.LBFGS([x], **kwargs)
    uninterrupted = []
    for _ in range(5):
        reference.step(rosenbrock_closure(reference, x))
        uninterrupted.append(x.detach().numpy().copy())
    reference_state = reference.state[x]

    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = optim.LBFGS([x], **kwargs)
    for _ in range(2):
        opt.step(rosenbrock_closure(opt, x))
    saved = copy.deepcopy(opt.state_dict())
    assert list(saved["state"]) == [0]
    assert set(saved["state"][0]) == {
        "func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss", "al",
    }
    assert list(saved["param_groups"][0]) == [
        "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn", "params",
    ]
    resumed_x = autograd.tensor(x.detach().numpy().copy(), requires_grad=True)
    resumed = optim.LBFGS([resumed_x], lr=1.0)  # hyperparameters come from the checkpoint
    resumed.load_state_dict(saved)
    saved["state"][0]["old_dirs"][0].numpy()[:] = np.nan  # the loaded state is a copy
    resumed_trajectory = []
    for _ in range(3):
        resumed.step(rosenbrock_closure(resumed, resumed_x))
        resumed_trajectory.append(resumed_x.detach().numpy().copy())
    np.testing.assert_array_equal(np.array(resumed_trajectory), np.array(uninterrupted[2:]))
    state = resumed.state[resumed_x]
    assert (state["n_iter"], state["func_evals"]) == (reference_state["n_iter"], reference_state["func_evals"])


def test_loading_state_of_other_sized_parameters_is_refused():
    x = autograd.tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = optim.LBFGS([x], max_iter=3)
    opt.step(rosenbrock_closure(opt, x))
    other = optim.LBFGS([autograd.tensor(np.zeros(3), requires_grad=True)])
    with pytest.raises(ValueError, match=r"^LBFGS: loaded state dict has state 'd' of shape \[2\], but the param"):
        other.load_state_dict(opt.state_dict())
