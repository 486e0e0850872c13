"""The Optimizer base class: construction, validation, param groups, zero_grad, closures and state dicts."""

import copy
import re

import numpy as np
import pytest

import autograd
import optim


def param(*values):
    return autograd.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def set_grads(params, grads):
    for p, g in zip(params, grads):
        p.grad = autograd.tensor(np.array(g, dtype=np.float64))


# -- construction and validation ----------------------------------------------------------------------------
# Each message names the optimizer, keeps PyTorch's wording (so code matching PyTorch's text still matches) and
# says what was expected.
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda ps: optim.SGD(ps, lr=-0.1), "SGD: Invalid learning rate: -0.1 (must be >= 0)"),
        (lambda ps: optim.SGD(ps, lr=0.1, momentum=-0.5), "SGD: Invalid momentum value: -0.5 (must be >= 0)"),
        (lambda ps: optim.SGD(ps, lr=0.1, weight_decay=-1), "SGD: Invalid weight_decay value: -1 (must be >= 0)"),
        (
            lambda ps: optim.SGD(ps, lr=0.1, nesterov=True),
            "SGD: Nesterov momentum requires a momentum and zero dampening, but got momentum=0 and dampening=0",
        ),
        (
            lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
            "SGD: Nesterov momentum requires a momentum and zero dampening, but got momentum=0.9 and dampening=0.1",
        ),
        (lambda ps: optim.SGD(ps, lr=float("nan")), "SGD: Invalid learning rate: nan (must be >= 0)"),
        (lambda ps: optim.Adam(ps, lr=-1e-3), "Adam: Invalid learning rate: -0.001 (must be >= 0)"),
        (lambda ps: optim.Adam(ps, eps=-1e-8), "Adam: Invalid epsilon value: -1e-08 (must be >= 0)"),
        (
            lambda ps: optim.Adam(ps, betas=(1.0, 0.999)),
            "Adam: Invalid beta parameter at index 0: 1.0 (must be in [0, 1))",
        ),
        (
            lambda ps: optim.Adam(ps, betas=(0.9, -0.1)),
            "Adam: Invalid beta parameter at index 1: -0.1 (must be in [0, 1))",
        ),
        (lambda ps: optim.Adam(ps, betas=(0, 0.9)), "Adam: betas must be floats, but got (0, 0.9)"),
        (lambda ps: optim.Adam(ps, betas=(0.9,)), "Adam: betas must be a pair (beta1, beta2), but got (0.9,)"),
        (lambda ps: optim.Adam(ps, weight_decay=-0.01), "Adam: Invalid weight_decay value: -0.01 (must be >= 0)"),
        (
            lambda ps: optim.AdamW(ps, betas=(0.9, 1.5)),
            "AdamW: Invalid beta parameter at index 1: 1.5 (must be in [0, 1))",
        ),
        (lambda ps: optim.Adagrad(ps, lr_decay=-1.0), "Adagrad: Invalid lr_decay value: -1.0 (must be >= 0)"),
        (
            lambda ps: optim.Adagrad(ps, initial_accumulator_value=-1.0),
            "Adagrad: Invalid initial_accumulator_value value: -1.0 (must be >= 0)",
        ),
        (lambda ps: optim.Adagrad(ps, eps=-1.0), "Adagrad: Invalid epsilon value: -1.0 (must be >= 0)"),
        (lambda ps: optim.RMSprop(ps, alpha=-0.5), "RMSprop: Invalid alpha value: -0.5 (must be >= 0)"),
        (lambda ps: optim.RMSprop(ps, momentum=-0.5), "RMSprop: Invalid momentum value: -0.5 (must be >= 0)"),
        (lambda ps: optim.RMSprop(ps, lr=float("nan")), "RMSprop: Invalid learning rate: nan (must be >= 0)"),
        (
            lambda ps: optim.NAdam(ps, momentum_decay=-1e-3),
            "NAdam: Invalid momentum_decay value: -0.001 (must be >= 0)",
        ),
        (
            lambda ps: optim.NAdam(ps, betas=(0.9, 1.0)),
            "NAdam: Invalid beta parameter at index 1: 1.0 (must be in [0, 1))",
        ),
        (lambda ps: optim.RAdam(ps, eps=-1.0), "RAdam: Invalid epsilon value: -1.0 (must be >= 0)"),
        (
            lambda ps: optim.RAdam(ps, betas=(-0.5, 0.9)),
            "RAdam: Invalid beta parameter at index 0: -0.5 (must be in [0, 1))",
        ),
        (lambda ps: optim.Adamax(ps, weight_decay=-1), "Adamax: Invalid weight_decay value: -1 (must be >= 0)"),
        (lambda ps: optim.Adadelta(ps, rho=1.5), "Adadelta: Invalid rho value: 1.5 (must be in [0, 1])"),
        (lambda ps: optim.Adadelta(ps, lr=-1), "Adadelta: Invalid learning rate: -1 (must be >= 0)"),
        (
            lambda ps: optim.Rprop(ps, etas=(1.2, 0.5)),
            "Rprop: Invalid eta values: 1.2, 0.5 (must be 0 < etaminus < 1 < etaplus)",
        ),
        (lambda ps: optim.ASGD(ps, weight_decay=-0.1), "ASGD: Invalid weight_decay value: -0.1 (must be >= 0)"),
    ],
)
def test_invalid_hyperparameters(make, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        make([param(1.0)])


def test_params_must_be_an_iterable_of_tensors():
    p = param(1.0)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts, but got Tensor"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is ndarray"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {p}}], lr=0.1)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([p * 2], lr=0.1)


def test_generator_of_parameters_is_accepted():
    ps = [param(1.0), param(2.0)]
    opt = optim.SGD(iter(ps), lr=0.1)
    assert opt.param_groups[0]["params"] == ps


# -- param groups -------------------------------------------------------------------------------------------
def test_param_groups_with_different_learning_rates():
    a, b = param(1.0, 1.0), param(1.0)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.0)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["params"] == [b]
    assert opt.param_groups[1]["momentum"] == 0.0 and opt.param_groups[1]["nesterov"] is False
    set_grads([a, b], [[1.0, 2.0], [1.0]])
    opt.step()
    assert a.detach().numpy().tolist() == pytest.approx([0.9, 0.8])
    assert b.detach().numpy().tolist() == pytest.approx([0.5])


def test_add_param_group_and_duplicates():
    a, b, c = param(1.0), param(2.0), param(3.0)
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    assert len(opt.param_groups) == 2
    assert opt.param_groups[1]["lr"] == 0.01 and opt.param_groups[1]["betas"] == (0.9, 0.999)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [c, a]})
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [a]}], lr=0.1)
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([c])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([a, a], lr=0.1)


def test_repr_lists_groups():
    opt = optim.SGD([param(1.0)], lr=0.1)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.1\n" in text and text.endswith(")")


# -- zero_grad ----------------------------------------------------------------------------------------------
def test_zero_grad_sets_to_none_by_default():
    a, b = param(1.0, 2.0), param(3.0)
    opt = optim.SGD([a, b], lr=0.1)
    set_grads([a], [[1.0, 1.0]])
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_zero_grad_keeps_zeroed_tensors():
    a = param(1.0, 2.0)
    opt = optim.SGD([a], lr=0.1)
    (a * a).sum().backward()
    grad = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad
    assert grad.numpy().tolist() == [0.0, 0.0] and not grad.requires_grad
    (a * a).sum().backward()
    assert a.grad.numpy().tolist() == [2.0, 4.0]


def test_zero_grad_detaches_a_grad_with_history():
    a = param(1.0, 2.0)
    opt = optim.SGD([a], lr=0.1)
    (a * a).sum().backward(create_graph=True)
    assert a.grad.grad_fn is not None
    opt.zero_grad(set_to_none=False)
    assert a.grad.grad_fn is None and a.grad.numpy().tolist() == [0.0, 0.0]


# -- closure ------------------------------------------------------------------------------------------------
def test_step_returns_closure_loss_computed_with_grad_enabled():
    w = param(3.0)
    opt = optim.SGD([w], lr=0.25)
    seen = []

    def closure():
        opt.zero_grad()
        seen.append(autograd.is_grad_enabled())
        loss = (w * w).sum()
        loss.backward()
        return loss

    with autograd.no_grad():
        loss = opt.step(closure)
    assert seen == [True]
    assert loss.item() == 9.0
    assert w.detach().numpy().tolist() == [1.5]  # 3 - 0.25 * 6
    assert opt.step() is None


# -- state_dict ---------------------------------------------------------------------------------------------
def test_state_dict_format():
    a, b, c = param(1.0), param(2.0, 3.0), param(4.0)
    opt = optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1, momentum=0.9)
    set_grads([a, c], [[1.0], [2.0]])
    opt.step()
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1] == {  # PyTorch's keys, in PyTorch's order
        "lr": 0.5,
        "momentum": 0.9,
        "dampening": 0,
        "weight_decay": 0,
        "nesterov": False,
        "maximize": False,
        "foreach": None,
        "differentiable": False,
        "fused": None,
        "params": [2],
    }
    assert list(sd["param_groups"][1]) == [
        "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused",
        "params",
    ]
    assert sorted(sd["state"]) == [0, 2]  # b had no gradient, so no state
    assert isinstance(sd["state"][2]["momentum_buffer"], autograd.Tensor)
    assert sd["state"][2]["momentum_buffer"].numpy().tolist() == [2.0]


def test_sgd_without_momentum_keeps_no_state():
    p = param(1.0)
    opt = optim.SGD([p], lr=0.1)
    set_grads([p], [[1.0]])
    opt.step()
    assert opt.state_dict()["state"] == {}


def test_adam_state_dict_holds_tensors_only():
    p = param(1.0, 2.0)
    opt = optim.Adam([p], lr=0.1)
    set_grads([p], [[1.0, 1.0]])
    opt.step()
    state = opt.state_dict()["state"][0]
    assert all(isinstance(v, autograd.Tensor) for v in state.values())
    assert state["step"].dtype == np.float32 and state["step"].item() == 1.0


def test_adagrad_state_exists_before_the_first_step():
    p = param(1.0, 2.0)
    opt = optim.Adagrad([p], initial_accumulator_value=0.5)
    state = opt.state_dict()["state"][0]
    assert state["step"].item() == 0.0 and state["sum"].numpy().tolist() == [0.5, 0.5]


def snapshot(sd):
    """A saved copy of a state dict (tensors copied), standing in for save/load."""
    return copy.deepcopy(sd)


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
        lambda ps: optim.Adagrad(ps, lr=0.3, lr_decay=0.1),
        lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
        lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True),
        lambda ps: optim.AdamW(ps, lr=0.1, betas=(0.8, 0.9)),
        lambda ps: optim.RAdam(ps, lr=0.1, weight_decay=0.1),
        lambda ps: optim.Adamax(ps, lr=0.1),
        lambda ps: optim.Adadelta(ps, lr=0.5, rho=0.8),
        lambda ps: optim.Rprop(ps, lr=0.1),
        lambda ps: optim.ASGD(ps, lr=0.1, t0=1),
        # NAdam continues identically only with float32 parameters: loading casts its float32 'mu_product' to the
        # parameter's dtype, as PyTorch does (see test_adam_variants.py)
    ],
)
def test_state_dict_round_trip_continues_identically(make):
    grads = [[[0.5, -1.0], [2.0]], [[0.1, 0.3], [-0.4]], [[-0.2, 0.6], [1.0]], [[0.7, 0.7], [-0.3]]]

    def fresh():
        return [param(1.0, -2.0), param(0.5)]

    # uninterrupted run
    ps = fresh()
    opt = make([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}])
    for g in grads:
        set_grads(ps, g)
        opt.step()
    expected = [p.detach().numpy().copy() for p in ps]

    # two steps, save, then continue in a new optimizer over new parameters
    ps = fresh()
    opt = make([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}])
    for g in grads[:2]:
        set_grads(ps, g)
        opt.step()
    saved = snapshot(opt.state_dict())
    values = [p.detach().numpy().copy() for p in ps]
    ps2 = [param(*v) for v in values]
    opt2 = make([{"params": ps2[:1]}, {"params": ps2[1:]}])  # default lr in group 1: load must restore 0.05
    opt2.load_state_dict(saved)
    assert opt2.param_groups[1]["lr"] == 0.05
    for g in grads[2:]:
        set_grads(ps2, g)
        opt2.step()
    for got, want in zip(ps2, expected):
        np.testing.assert_array_equal(got.detach().numpy(), want)


def test_load_state_dict_copies_state():
    p, q = param(1.0), param(1.0)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    set_grads([p], [[1.0]])
    opt.step()
    sd = opt.state_dict()
    opt2 = optim.SGD([q], lr=0.1, momentum=0.9)
    opt2.load_state_dict(sd)
    assert opt2.state[q]["momentum_buffer"] is not sd["state"][0]["momentum_buffer"]
    set_grads([q], [[1.0]])
    opt2.step()
    assert opt.state[p]["momentum_buffer"].numpy().tolist() == [1.0]


def test_load_state_dict_casts_to_parameter_dtype():
    p = param(1.0, 2.0)
    opt = optim.Adam([p])
    set_grads([p], [[1.0, 1.0]])
    opt.step()
    q = autograd.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    opt2 = optim.Adam([q])
    opt2.load_state_dict(opt.state_dict())
    assert opt2.state[q]["exp_avg"].dtype == np.float32 and opt2.state[q]["step"].dtype == np.float32


def test_load_state_dict_validates():
    a, b = param(1.0), param(2.0, 3.0)
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    set_grads([a, b], [[1.0], [1.0, 1.0]])
    opt.step()
    sd = opt.state_dict()
    with pytest.raises(ValueError, match="^loaded state dict has a different number of parameter groups$"):
        optim.SGD([{"params": [param(1.0)]}, {"params": [param(1.0)]}], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.SGD([param(1.0)], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match=r"state 'momentum_buffer' of shape \[2\] for parameter 1 of shape \[3\]"):
        optim.SGD([param(1.0), param(1.0, 2.0, 3.0)], lr=0.1).load_state_dict(sd)
