"""The base class of the learning-rate schedulers, and the helpers the scheduler modules share.

It lives apart from the schedulers so that schedulers in several modules (``lr_scheduler_warmup``,
``lr_scheduler_cyclic``, ``lr_scheduler_compose``, ``one_cycle_lr``, ...) can subclass it while
``optim.lr_scheduler`` still re-exports every scheduler (no import circle).
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable
from typing import Any

from optim.optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "scheduler.step(epoch): the epoch parameter is deprecated, as in PyTorch; call scheduler.step() without it. "
    "Given an epoch, the scheduler jumps there by its closed form where it has one, instead of the chainable form."
)

GET_LR_OUTSIDE_STEP_WARNING = (
    "get_lr() computes the next learning rates as step() would; to read the learning rates set by the latest "
    "step(), call get_last_lr()"
)


def check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def per_group(owner: str, name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list or tuple as given (its length checked), a scalar repeated."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(
                f"{owner}: {name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(value)} values, param_groups has {groups}."
            )
        return list(value)
    return [value] * groups


def momentum_uses_beta1(optimizer: Optimizer, missing: str) -> bool:
    """Whether a scheduler that cycles the momentum sets β1 of ``'betas'`` (Adam-style) or ``'momentum'``.

    Raises ``ValueError(missing)`` when the optimizer has neither hyperparameter.
    """
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(missing)
    return "betas" in optimizer.defaults


def set_momentum(group: dict[str, Any], momentum: float, use_beta1: bool) -> None:
    """Write a group's momentum: β1 of its ``'betas'`` (β2 kept) when ``use_beta1``, else its ``'momentum'``."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def start_momentum_cycle(
    optimizer: Optimizer, use_beta1: bool, base_momentums: list[float], max_momentums: list[float]
) -> None:
    """A fresh momentum cycle: each group's momentum at its maximum, and both bounds kept in the group."""
    for group, high, low in zip(optimizer.param_groups, max_momentums, base_momentums):
        set_momentum(group, high, use_beta1)
        group["max_momentum"] = high
        group["base_momentum"] = low


def saved_callable(fn: Callable[..., Any] | None) -> dict[str, Any] | None:
    """What ``state_dict()`` keeps of a user's function: a callable object's ``__dict__`` (a copy), else None.

    Plain functions and lambdas (and None) are not saved, as in PyTorch.
    """
    return None if fn is None or isinstance(fn, types.FunctionType) else fn.__dict__.copy()


def restore_callable(fn: Callable[..., Any] | None, saved: dict[str, Any] | None) -> None:
    """Put what :func:`saved_callable` kept (if anything) back into ``fn``, the loading scheduler's own callable."""
    if saved is not None:
        fn.__dict__.update(saved)


def attributes_with(scheduler: LRScheduler, key: str, saved: Any) -> dict[str, Any]:
    """A state dict: the scheduler's attributes except the optimizer, with ``key`` saved as ``saved``, last."""
    state = {name: value for name, value in scheduler.__dict__.items() if name not in ("optimizer", key)}
    state[key] = saved
    return state


def restore_attributes(scheduler: LRScheduler, state_dict: dict[str, Any], key: str) -> Any:
    """Load a state dict made by :func:`attributes_with`: every attribute but ``key``, whose entry is returned."""
    state = dict(state_dict)
    saved = state.pop(key)
    scheduler.__dict__.update(state)
    return saved


class LRScheduler:
    """Base class of the learning-rate schedulers (``torch.optim.lr_scheduler.LRScheduler``).

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose groups' ``'lr'`` is set.
    last_epoch : int
        Index of the last epoch; -1 starts afresh (and records each group's ``'initial_lr'``), a value >= 0
        resumes a schedule (the groups must already hold ``'initial_lr'``).

    Subclasses implement ``get_lr()`` (the new learning rates, one per group, at ``self.last_epoch``; it should
    call ``self._warn_if_outside_step()`` first) and may implement ``_get_closed_form_lr()``.
    """

    # Set while step() asks get_lr() for the next rates, so that a direct call of get_lr() can warn, as PyTorch's
    # does; the instance attribute it leaves behind is part of state_dict(), as in PyTorch.
    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming scheduler with "
                        "last_epoch >= 0 (load the optimizer's state_dict first, or start with last_epoch=-1)"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """Reset the step count and take the constructor's step, with ``_is_initial`` set while it runs.

        ``SequentialLR`` calls this again when it hands the schedule to one of its schedulers.
        """
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rate of each group for epoch ``self.last_epoch`` (called by ``step``)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_lr()")

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the latest ``step`` (one per parameter group)."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance the schedule by one epoch and set the groups' ``'lr'``.

        ``epoch`` (deprecated, as in PyTorch) jumps to that epoch using the closed form where available.
        """
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        """Move to the next epoch (or to ``epoch``, by the closed form if there is one) and write the new rates."""
        if epoch is None:
            self.last_epoch += 1
            self._set_lrs(self.get_lr)
        else:
            self.last_epoch = epoch
            self._set_lrs(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _set_lrs(self, compute: Callable[[], list[float]]) -> None:
        """Write the rates ``compute()`` returns into the groups (get_lr calls inside it do not warn)."""
        self._get_lr_called_within_step = True
        try:
            values = compute()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def _warn_if_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(GET_LR_OUTSIDE_STEP_WARNING, UserWarning, stacklevel=3)

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute of the scheduler except the optimizer."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes saved by ``state_dict`` (load the optimizer's state too)."""
        self.__dict__.update(state_dict)
