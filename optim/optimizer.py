"""The ``Optimizer`` base class: parameter groups, per-parameter state, ``zero_grad`` and checkpoints.

The base class only keeps books. Each algorithm (``optim/sgd.py``, ``optim/adam.py``, ...) is a subclass whose
``step`` gathers the parameters that have a gradient and hands them to a plain function holding the update maths,
as ``torch.optim`` does.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from autograd.grad_mode import enable_grad
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step; ``closure`` (optional) re-evaluates the model and returns the loss.

        Returns the closure's value (None without closure).
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    @staticmethod
    def _evaluate_closure(closure: Callable[[], Any] | None) -> Any:
        """Run the closure with gradient recording on (``step`` itself runs under no_grad)."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

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


def regularized_grad(grad: np.ndarray, param: np.ndarray, weight_decay: float, maximize: bool) -> np.ndarray:
    """The gradient an update uses: ``±grad + weight_decay * param`` (minus sign when maximizing).

    Returns ``grad`` itself when nothing changes it, so callers must treat the result as read-only; otherwise a new
    array (never a numpy scalar, even for a 0-d parameter, so it can serve as an ``out=`` buffer).
    """
    g = np.negative(grad, out=np.empty_like(grad)) if maximize else grad
    if weight_decay != 0:
        decayed = np.multiply(param, weight_decay, out=np.empty_like(param))
        decayed += g
        return decayed
    return g


def lerp_(start: np.ndarray, end: np.ndarray, weight: float, scratch: np.ndarray | None = None) -> None:
    """``start ← start + weight (end - start)`` in place, the running-average update of the Adam family.

    Computed from the nearer end (``end - (1 - weight)(end - start)`` when weight >= 0.5), as PyTorch's ``lerp_``
    rounds, so that moment estimates agree with PyTorch's to the last bits rather than drifting apart.
    ``scratch`` (an array like ``start``) spares an allocation; its contents are overwritten.
    """
    diff = np.subtract(end, start, out=np.empty_like(start) if scratch is None else scratch)
    if abs(weight) < 0.5:
        diff *= weight
        start += diff
    else:
        diff *= 1 - weight
        np.subtract(end, diff, out=start)


def add_squared_(avg: np.ndarray, g: np.ndarray, value: float, scratch: np.ndarray | None = None) -> None:
    """``avg ← avg + value g²`` in place (PyTorch's ``addcmul_(g, g, value=value)``, rounded the same way).

    ``scratch`` (an array like ``avg``) spares an allocation; its contents are overwritten.
    """
    scaled = np.multiply(g, value, out=np.empty_like(avg) if scratch is None else scratch)
    scaled *= g
    avg += scaled


def _owner_prefix(owner: str, name: str) -> str:
    if name == "lr":
        return f"{owner}: Invalid learning rate"
    if name == "eps":
        return f"{owner}: Invalid epsilon value"
    return f"{owner}: Invalid {name} value"


def check_non_negative(owner: str, **values: float) -> None:
    """Validate hyperparameters that must be >= 0 (NaN is rejected too), with PyTorch's wording after the name.

    Raises ``ValueError("<owner>: Invalid <name> value: <v> (must be >= 0)")`` for the first bad value, and
    ``TypeError`` for a Tensor learning rate (PyTorch accepts one for CUDA graphs; stepgrad keeps rates as floats).
    """
    for name, value in values.items():
        if name == "lr" and isinstance(value, Tensor):
            raise TypeError(f"{owner}: lr must be a float, but got a Tensor (Tensor learning rates are not supported)")
        if not 0.0 <= value:
            raise ValueError(f"{_owner_prefix(owner, name)}: {value} (must be >= 0)")


def check_betas(owner: str, betas: Any) -> None:
    """Validate ``betas = (β1, β2)``: two numbers, each in [0, 1)."""
    if isinstance(betas, Tensor) or len(betas) != 2:
        raise ValueError(f"{owner}: betas must be a pair (beta1, beta2), but got {betas!r}")
    for index, beta in enumerate(betas):
        if isinstance(beta, Tensor):
            raise TypeError(f"{owner}: betas[{index}] must be a float, but got a Tensor (Tensor betas are unsupported)")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"{owner}: Invalid beta parameter at index {index}: {beta} (must be in [0, 1))")


def check_implementation_flags(
    owner: str,
    *,
    foreach: bool | None = None,
    fused: bool | None = None,
    capturable: bool = False,
    differentiable: bool = False,
) -> None:
    """Validate PyTorch's implementation switches, which stepgrad keeps in ``param_groups`` (so state dicts match).

    ``foreach`` and ``fused`` choose among PyTorch's kernels for the same update; stepgrad has one numpy
    implementation, so any value is accepted and changes nothing (except that, as in PyTorch, both cannot be True).
    ``capturable=True`` (CUDA graph capture) and ``differentiable=True`` (recording the step for autograd) have no
    meaning here and are rejected.
    """
    if differentiable:
        raise ValueError(
            f"{owner}: differentiable=True is not supported (stepgrad runs optimizer steps under no_grad, so they are "
            "never recorded for autograd); use differentiable=False"
        )
    if capturable:
        raise ValueError(
            f"{owner}: capturable=True is not supported (it serves CUDA graph capture, and stepgrad runs on the CPU, "
            "where PyTorch rejects it as well); use capturable=False"
        )
    if fused and foreach:
        raise RuntimeError(f"{owner}: `fused` and `foreach` cannot be `True` together.")


def new_step_count() -> Tensor:
    """The ``state['step']`` counter: a 0-d float32 Tensor (as PyTorch), so state dicts hold only Tensors."""
    return Tensor._make(np.zeros((), dtype=np.float32))


def new_scalar_state(value: float) -> Tensor:
    """A 0-d float32 state Tensor (NAdam's ``mu_product``, ASGD's ``eta`` and ``mu``), float32 as in PyTorch."""
    return Tensor._make(np.array(value, dtype=np.float32))
