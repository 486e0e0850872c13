"""PyTorch's argument conventions: implementation switches (foreach, fused, capturable, differentiable), Tensor
hyperparameters, positional arguments, and the param_groups keys they leave in state dicts."""

import numpy as np
import pytest

import autograd
import optim


def param(*values):
    return autograd.tensor(np.array(values, dtype=np.float64), requires_grad=True)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_and_foreach_are_accepted_but_not_both(name):
    cls = getattr(optim, name)
    kwargs = {"lr": 0.1} if name == "SGD" else {}
    opt = cls([param(1.0)], fused=True, **kwargs)
    assert opt.param_groups[0]["fused"] is True and opt.param_groups[0]["foreach"] is None
    assert cls([param(1.0)], foreach=True, **kwargs).param_groups[0]["foreach"] is True
    with pytest.raises(RuntimeError, match=f"^{name}: `fused` and `foreach` cannot be `True` together.$"):
        cls([param(1.0)], fused=True, foreach=True, **kwargs)


@pytest.mark.parametrize(
    "make, name, flag",
    [
        (lambda ps, **kw: optim.SGD(ps, lr=0.1, **kw), "SGD", "differentiable"),
        (lambda ps, **kw: optim.Adam(ps, **kw), "Adam", "capturable"),
        (lambda ps, **kw: optim.AdamW(ps, **kw), "AdamW", "differentiable"),
        (lambda ps, **kw: optim.RMSprop(ps, **kw), "RMSprop", "capturable"),
        (lambda ps, **kw: optim.Adagrad(ps, **kw), "Adagrad", "differentiable"),
        (lambda ps, **kw: optim.NAdam(ps, **kw), "NAdam", "capturable"),
        (lambda ps, **kw: optim.RAdam(ps, **kw), "RAdam", "differentiable"),
        (lambda ps, **kw: optim.Adamax(ps, **kw), "Adamax", "capturable"),
        (lambda ps, **kw: optim.Adadelta(ps, **kw), "Adadelta", "capturable"),
        (lambda ps, **kw: optim.Rprop(ps, **kw), "Rprop", "differentiable"),
        (lambda ps, **kw: optim.ASGD(ps, **kw), "ASGD", "capturable"),
    ],
)
def test_unsupported_flags_are_rejected_by_name(make, name, flag):
    with pytest.raises(ValueError, match=f"^{name}: {flag}=True is not supported .*use {flag}=False$"):
        make([param(1.0)], **{flag: True})
    group = make([param(1.0)], **{flag: False}).param_groups[0]
    assert group[flag] is False and "foreach" in group


def test_tensor_hyperparameters_are_rejected():
    with pytest.raises(TypeError, match="^Adam: lr must be a float, but got a Tensor"):
        optim.Adam([param(1.0)], lr=autograd.tensor(0.1))
    with pytest.raises(TypeError, match=r"^NAdam: betas\[1\] must be a float, but got a Tensor"):
        optim.NAdam([param(1.0)], betas=(0.9, autograd.tensor(0.99)))


def test_arguments_may_be_given_by_position_as_in_pytorch():
    # RMSprop and ASGD have no keyword-only arguments in PyTorch; Adamax and Adadelta take foreach by position.
    group = optim.RMSprop([param(1.0)], 0.1, 0.9, 1e-6, 0.0, 0.5, True, False, None, True).param_groups[0]
    assert (group["lr"], group["alpha"], group["momentum"], group["centered"], group["maximize"]) == (
        0.1, 0.9, 0.5, True, True
    )
    group = optim.ASGD([param(1.0)], 0.1, 1e-3, 0.5, 10, 0.0, None, True).param_groups[0]
    assert (group["lambd"], group["alpha"], group["t0"], group["maximize"]) == (1e-3, 0.5, 10, True)
    assert optim.Adamax([param(1.0)], 0.1, (0.8, 0.9), 1e-8, 0, True).param_groups[0]["foreach"] is True
    assert optim.Adadelta([param(1.0)], 1.0, 0.9, 1e-6, 0, False).param_groups[0]["foreach"] is False


@pytest.mark.parametrize(
    "make, keys",
    [
        (
            lambda ps: optim.SGD(ps),
            "lr momentum dampening weight_decay nesterov maximize foreach differentiable fused",
        ),
        (
            lambda ps: optim.Adam(ps),
            "lr betas eps weight_decay amsgrad maximize foreach capturable differentiable fused decoupled_weight_decay",
        ),
        (
            lambda ps: optim.AdamW(ps),
            "lr betas eps weight_decay amsgrad maximize foreach capturable differentiable fused decoupled_weight_decay",
        ),
        (
            lambda ps: optim.RMSprop(ps),
            "lr momentum alpha eps centered weight_decay capturable foreach maximize differentiable",
        ),
        (
            lambda ps: optim.Adagrad(ps),
            "lr lr_decay eps weight_decay initial_accumulator_value foreach maximize differentiable fused",
        ),
    ],
)
def test_param_group_keys_are_pytorchs_in_its_order(make, keys):
    # (PyTorch 2.13's lists; a checkpoint's param_groups then have the same keys in both libraries.)
    opt = make([param(1.0)])
    assert list(opt.defaults) == keys.split()
    assert list(opt.state_dict()["param_groups"][0]) == [*keys.split(), "params"]


def test_adamw_always_decouples():
    group = optim.AdamW([param(1.0)]).param_groups[0]
    assert group["decoupled_weight_decay"] is True and group["weight_decay"] == 1e-2


def test_adagrad_state_starts_from_the_constructor_value_even_in_groups_that_set_their_own():
    # PyTorch fills every 'sum' with the constructor's initial_accumulator_value; a group's own value is kept in
    # param_groups but not used, and stepgrad does the same so that the numbers agree.
    a, b = param(1.0), param(1.0)
    groups = [{"params": [a]}, {"params": [b], "initial_accumulator_value": 5.0}]
    opt = optim.Adagrad(groups, initial_accumulator_value=0.5)
    assert opt.param_groups[1]["initial_accumulator_value"] == 5.0
    assert opt.state[b]["sum"].numpy().tolist() == [0.5]


def test_named_parameters_are_kept_as_param_names():
    a, b, c = param(1.0), param(2.0), param(3.0)
    opt = optim.Adam([("fc.weight", a), ("fc.bias", b)], lr=0.1)
    group = opt.state_dict()["param_groups"][0]
    assert group["param_names"] == ["fc.weight", "fc.bias"] and opt.param_groups[0]["params"] == [a, b]
    assert list(group)[0] == "param_names" and list(group)[-1] == "params"  # PyTorch's order
    with pytest.raises(ValueError, match="^Adam: all optimizer param groups should be with/without names. cannot add"):
        opt.add_param_group({"params": [c]})
    opt.add_param_group({"params": [("head", c)], "lr": 0.01})
    with pytest.raises(ValueError, match=r"^SGD: .* Some param names are missing \(1 names for 2 params\)$"):
        optim.SGD([("w", param(1.0)), param(2.0)], lr=0.1)
    # loading keeps saved names, and an optimizer's own names when the saved groups have none
    unnamed = optim.Adam([param(1.0), param(2.0)])
    unnamed.load_state_dict(optim.Adam([("x", param(1.0)), ("y", param(2.0))]).state_dict())
    assert unnamed.param_groups[0]["param_names"] == ["x", "y"]
    named = optim.Adam([("x", param(1.0)), ("y", param(2.0))])
    named.load_state_dict(optim.Adam([param(1.0), param(2.0)], lr=0.2).state_dict())
    assert named.param_groups[0]["param_names"] == ["x", "y"] and named.param_groups[0]["lr"] == 0.2
