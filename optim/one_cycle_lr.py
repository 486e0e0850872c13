"""The 1cycle learning-rate policy (``torch.optim.lr_scheduler.OneCycleLR``); exported by ``optim.lr_scheduler``."""

from __future__ import annotations

import math
from typing import Any

from optim.lr_scheduler_base import (
    LRScheduler,
    check_optimizer,
    momentum_uses_beta1,
    per_group,
    set_momentum,
    start_momentum_cycle,
)
from optim.optimizer import Optimizer

__all__ = ["OneCycleLR"]


def _anneal_cos(start: float, end: float, pct: float) -> float:
    """end + (start - end) (1 + cos(π pct)) / 2: from ``start`` at pct = 0 to ``end`` at pct = 1."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: float, end: float, pct: float) -> float:
    """start + (end - start) pct: from ``start`` at pct = 0 to ``end`` at pct = 1."""
    return (end - start) * pct + start


_ANNEALERS = {"cos": _anneal_cos, "linear": _anneal_linear}


def _total_steps(total_steps: int | None, epochs: int | None, steps_per_epoch: int | None) -> int:
    if total_steps is not None:
        if not isinstance(total_steps, int) or total_steps <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"Expected positive integer epochs, but got {epochs}")
    if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
        raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
    return epochs * steps_per_epoch


def _phases(total_steps: int, pct_start: float, three_phase: bool) -> list[dict[str, Any]]:
    """Each phase's last step and the group keys its lr and momentum run between."""
    warm_up = {
        "end_step": float(pct_start * total_steps) - 1,
        "start_lr": "initial_lr",
        "end_lr": "max_lr",
        "start_momentum": "max_momentum",
        "end_momentum": "base_momentum",
    }
    if not three_phase:
        anneal = {
            "end_step": total_steps - 1,
            "start_lr": "max_lr",
            "end_lr": "min_lr",
            "start_momentum": "base_momentum",
            "end_momentum": "max_momentum",
        }
        return [warm_up, anneal]
    cool_down = {
        "end_step": float(2 * pct_start * total_steps) - 2,
        "start_lr": "max_lr",
        "end_lr": "initial_lr",
        "start_momentum": "base_momentum",
        "end_momentum": "max_momentum",
    }
    annihilate = {
        "end_step": total_steps - 1,
        "start_lr": "initial_lr",
        "end_lr": "min_lr",
        "start_momentum": "max_momentum",
        "end_momentum": "max_momentum",
    }
    return [warm_up, cool_down, annihilate]


class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm the learning rate up to ``max_lr``, then anneal it far below its start.

    Meant to be stepped once per batch. Each group gets initial_lr = max_lr / div_factor and
    min_lr = initial_lr / final_div_factor. With T = total_steps and p = pct_start the phases end at the steps

    - two phases (default): e_1 = p T - 1 (initial_lr -> max_lr), e_2 = T - 1 (max_lr -> min_lr);
    - ``three_phase``: e_1 = p T - 1 (initial_lr -> max_lr), e_2 = 2 p T - 2 (max_lr -> initial_lr),
      e_3 = T - 1 (initial_lr -> min_lr).

    Step t lies in the first phase k with t <= e_k (the last phase takes every later step), and within it at
    pct = (t - e_{k-1}) / (e_k - e_{k-1}), with e_0 = 0. The lr moves from the phase's start value a to its end
    value b as

    - ``'cos'``: lr = b + (a - b) (1 + cos(π pct)) / 2;
    - ``'linear'``: lr = a + (b - a) pct.

    With ``cycle_momentum`` the momentum (``'momentum'``, or β1 of ``'betas'`` for Adam-style optimizers) moves
    the opposite way by the same formula: max_momentum -> base_momentum while the lr warms up, back to
    max_momentum while it anneals (and stays at max_momentum in a third phase).

    Parameters
    ----------
    optimizer : Optimizer
    max_lr : float or list of float
        Peak learning rate, one for all groups or one per group.
    total_steps : int, optional
        Length of the cycle; if None, ``epochs * steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
        Used when ``total_steps`` is None (then both are required).
    pct_start : float
        Fraction of the cycle spent warming up, in [0, 1]. It must be a float, as in PyTorch.
    anneal_strategy : {'cos', 'linear'}
    cycle_momentum : bool
        Cycle the momentum too; the optimizer must have a ``'momentum'`` or ``'betas'`` hyperparameter.
    base_momentum, max_momentum : float or list of float
        Momentum at the peak of the lr, and at its ends (one value for all groups or one per group).
    div_factor : float
        initial_lr = max_lr / div_factor.
    final_div_factor : float
        min_lr = initial_lr / final_div_factor.
    three_phase : bool
        Anneal back to initial_lr symmetrically before the final descent to min_lr.
    last_epoch : int
        Index of the last batch; -1 starts afresh and writes ``'initial_lr'``, ``'max_lr'``, ``'min_lr'`` (and
        ``'max_momentum'``, ``'base_momentum'``) into the groups; >= 0 resumes from the groups' values.

    As in PyTorch, ``step()`` may be called ``total_steps`` times after construction (the last call reaches
    step T, one past the final phase's end, extrapolating it); the call after that raises ``ValueError``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        self.optimizer = optimizer
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in _ANNEALERS:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        # The strategy is kept by name, not as a function, so that state_dict() holds plain data; the attribute
        # names are PyTorch's, so the two state_dicts have the same keys.
        self._anneal_func_type = anneal_strategy
        self._schedule_phases = _phases(self.total_steps, pct_start, three_phase)

        max_lrs = per_group("OneCycleLR", "max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, group_max_lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = group_max_lr / div_factor
                group["max_lr"] = group_max_lr
                group["min_lr"] = group["initial_lr"] / final_div_factor

        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = momentum_uses_beta1(
                optimizer, "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"
            )
            max_momentums = per_group("OneCycleLR", "max_momentum", optimizer, max_momentum)
            base_momentums = per_group("OneCycleLR", "base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                start_momentum_cycle(optimizer, self.use_beta1, base_momentums, max_momentums)
        super().__init__(optimizer, last_epoch)

    def _phase_at(self, step: int) -> tuple[dict[str, Any], float]:
        """The phase that holds ``step`` and the fraction of it done (0 at its start, 1 at its end)."""
        start = 0.0
        for phase in self._schedule_phases[:-1]:
            if step <= phase["end_step"]:
                break
            start = phase["end_step"]
        else:  # the last phase also takes the steps past its end
            phase = self._schedule_phases[-1]
        if phase["end_step"] == start:  # PyTorch divides by zero here
            raise ValueError(
                f"OneCycleLR: step {step} falls in a phase of no steps (it ends at step {start:g}, where the one "
                f"before it ends) with total_steps={self.total_steps}; choose pct_start so that every phase of "
                "the cycle has at least one step"
            )
        return phase, (step - start) / (phase["end_step"] - start)

    def get_lr(self) -> list[float]:
        """The learning rate of each group at step ``self.last_epoch``; also sets the momentum when cycling it."""
        self._warn_if_outside_step()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps is {self.total_steps}")
        phase, pct = self._phase_at(step)
        anneal = _ANNEALERS[self._anneal_func_type]
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                momentum = anneal(group[phase["start_momentum"]], group[phase["end_momentum"]], pct)
                set_momentum(group, momentum, self.use_beta1)
        return lrs
