"""The ``Optimizer`` base class: parameter groups, per-parameter state, ``zero_grad`` and checkpoints.

The base class keeps the books and drives ``step``: for each group it hands the parameters that have a gradient to
the subclass's ``_update_group``. Each algorithm (``optim/sgd.py``, ``optim/adam.py``, ...) is a subclass whose
``_update_group`` gathers the parameters' state (made by ``_new_state`` at their first step) and the group's
hyperparameters, and calls a plain function holding the update maths, as ``torch.optim`` does.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from autograd.grad_mode import enable_grad, no_grad
from autograd.tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


class _RequiredParameter:
    """Marker for a hyperparameter without default (every group must give it)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of all optimizers (``torch.optim.Optimizer``).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        The tensors to optimize, or parameter groups: dicts with a ``'params'`` entry and any hyperparameters
        that differ from ``defaults`` for that group.
    defaults : dict
        Default hyperparameters, used for every group that does not set its own.

    Attributes
    ----------
    param_groups : list of dict
        One dict per group: ``'params'`` (list of Tensors) and the group's hyperparameters.
    state : defaultdict(dict)
        Per-parameter state (momentum buffers, moment estimates, step counts), keyed by the parameter Tensor.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                f"{type(params).__name__}"
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"

    # -- parameter groups -------------------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters (with its own hyperparameters; missing ones come from ``defaults``).

        Useful to unfreeze layers during fine-tuning. A parameter may belong to one group only. The parameters may
        be ``(name, Tensor)`` pairs (``model.named_parameters()``), as in PyTorch: the names are then kept in the
        group's ``'param_names'``, and either every group has names or none has.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors "
                "in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        # (name, Tensor) pairs, as model.named_parameters() gives: the names are kept under 'param_names'
        names = [param[0] for param in params if isinstance(param, tuple)]
        params = [param[1] if isinstance(param, tuple) else param for param in params]
        if names and len(names) != len(params):
            raise ValueError(
                f"{type(self).__name__}: all optimizer params should be with/without names. Some param names are "
                f"missing ({len(names)} names for {len(params)} params)"
            )
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(param).__name__}")
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        if len(set(params)) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error",
                stacklevel=3,
            )
        group = dict(param_group, params=params)
        if names:
            group["param_names"] = names
        for other in self.param_groups:
            if ("param_names" in group) != ("param_names" in other):
                raise ValueError(
                    f"{type(self).__name__}: all optimizer param groups should be with/without names. cannot add "
                    f"param group {'with' if 'param_names' in group else 'without'} names to the optimizer"
                )
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            group.setdefault(name, default)
        taken = set(chain.from_iterable(g["params"] for g in self.param_groups))
        if not taken.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    # -- gradients and steps ----------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors.

        With ``set_to_none`` (the default) ``.grad`` becomes None, and the next ``step`` skips a parameter that
        received no gradient in between; otherwise the existing gradient tensors are detached and filled with 0.
        """
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    grad.detach_()
                    if grad._data.flags.writeable:
                        grad._data.fill(0)
                    else:  # a broadcast view cannot be written: give the gradient its own zeros
                        grad._data = np.zeros_like(grad._data)
                    grad._version_box[0] += 1

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step on every parameter that has a gradient.

        ``closure`` (optional) re-evaluates the model and returns the loss; it runs with gradient recording on, the
        update itself under no_grad. Each group's parameters that have a gradient, and their gradients, go to
        ``_update_group``, which subclasses implement. Returns the closure's value (None without closure).
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            self._update_group(group, params, [p.grad for p in params])
        return loss

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        """Update ``params`` (a group's parameters that have a gradient) with their ``grads``, in place."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def _states(self, params: list[Tensor], group: dict[str, Any]) -> list[dict[str, Any]]:
        """The state of each parameter; at its first step it is made: a ``'step'`` count, then ``_new_state``."""
        states = []
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = new_step_count()
                state.update(self._new_state(p, group))
            states.append(state)
        return states

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """The state entries besides ``'step'`` that ``p`` starts with (in ``state_dict`` order); none by default."""
        return {}

    # -- checkpoints ------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in PyTorch's format.

        Returns
        -------
        dict
            ``{'state': {index: {name: value}}, 'param_groups': [{hyperparameters..., 'params': [index, ...]}]}``
            where parameters are numbered in order across the groups. State tensors are returned as they are
            (not copied), as in PyTorch; save them before stepping again if you need a snapshot.
        """
        index_of: dict[int, int] = {}
        packed_groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            packed_groups.append(packed)
        packed_state = {index_of[id(p)] if isinstance(p, Tensor) else p: s for p, s in self.state.items()}
        return {"state": packed_state, "param_groups": packed_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state produced by ``state_dict`` (possibly by an optimizer over other, same-shaped parameters).

        The groups' hyperparameters are replaced by the saved ones; state tensors are copied (never shared with
        ``state_dict``) and floating ones cast to their parameter's dtype, except the step counts.

        Raises
        ------
        ValueError
            When the number of groups, the number of parameters in a group, or the shape of a state tensor differs.
        """
        groups = self.param_groups
        saved_groups = state_dict["param_groups"]
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        param_of = dict(
            zip(
                chain.from_iterable(s["params"] for s in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for index, saved in state_dict["state"].items():
            if index in param_of:
                param = param_of[index]
                state[param] = {key: _copy_state_value(key, value, param, index) for key, value in saved.items()}
            else:
                state[index] = saved
        self.param_groups = [_restored_group(self.defaults, group, saved) for group, saved in zip(groups, saved_groups)]
        self.state = state


def _restored_group(defaults: dict[str, Any], group: dict[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
    """A group's saved hyperparameters over the defaults, with its own params (and names, unless saved ones)."""
    restored = {**defaults, **{k: v for k, v in saved.items() if k != "params"}, "params": group["params"]}
    if "param_names" in group and "param_names" not in saved:
        restored["param_names"] = group["param_names"]
    return restored


def _copy_state_value(key: str, value: Any, param: Tensor, index: int) -> Any:
    """A private copy of one saved state entry for ``param``; floating tensors take the parameter's dtype."""
    if key == "step":
        step = value._data if isinstance(value, Tensor) else value
        return Tensor._make(np.array(step, dtype=np.float32))
    if isinstance(value, Tensor):
        if value.ndim > 0 and value.shape != param.shape:
            raise ValueError(
                f"loaded state dict has state '{key}' of shape {list(value.shape)} for parameter {index} of shape "
                f"{list(param.shape)}"
            )
        dtype = param.dtype if value.dtype.kind == "f" else value.dtype
        return Tensor._make(np.array(value._data, dtype=dtype, copy=True))
    if isinstance(value, dict):
        return {k: _copy_state_value(k, v, param, index) for k, v in value.items()}
    return value


def new_step_count() -> Tensor:
    """The ``state['step']`` counter: a 0-d float32 Tensor (as PyTorch), so state dicts hold only Tensors."""
    return Tensor._make(np.zeros((), dtype=np.float32))


def new_scalar_state(value: float) -> Tensor:
    """A 0-d float32 state Tensor (NAdam's ``mu_product``, ASGD's ``eta`` and ``mu``), float32 as in PyTorch."""
    return Tensor._make(np.array(value, dtype=np.float32))


def state_like(p: Tensor, fill: float = 0.0) -> Tensor:
    """A state Tensor of ``p``'s shape and dtype, filled with ``fill`` (moment estimates, accumulators)."""
    return Tensor._make(np.full_like(p._data, fill))


def gather(states: list[dict[str, Any]], *names: str) -> tuple[list[Any], ...]:
    """One list per state name, holding that entry of each parameter's state: ``gather(states, "exp_avg", "step")``."""
    return tuple([state[name] for state in states] for name in names)


def options(group: dict[str, Any], *names: str) -> dict[str, Any]:
    """The group's hyperparameters of these names, to pass on as keyword arguments of an update function."""
    return {name: group[name] for name in names}
