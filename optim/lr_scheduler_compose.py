"""Schedulers made of schedulers: SequentialLR (one after another) and ChainedScheduler (all at once).

Both drive schedulers that were built on the same optimizer; they are exported by ``optim.lr_scheduler``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from optim.lr_scheduler_base import LRScheduler, attributes_with, check_optimizer, restore_attributes
from optim.lr_scheduler_plateau import ReduceLROnPlateau
from optim.optimizer import Optimizer

__all__ = ["ChainedScheduler", "SequentialLR"]


def _check_schedulers(owner: str, optimizer: Optimizer, schedulers: Sequence[LRScheduler]) -> None:
    if len(schedulers) < 1:
        raise ValueError(f"{owner} expects at least one scheduler, but got no scheduler.")
    for index, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(
                f"{owner}: the scheduler at index {index} should have `optimizer` as its attribute, but got "
                f"{type(scheduler).__name__}"
            )
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(
                f"{owner} does not support `ReduceLROnPlateau` scheduler (its step needs the metric), but got one "
                f"at index {index} in the given schedulers sequence."
            )
        if scheduler.optimizer is not optimizer:
            raise ValueError(
                f"{owner} expects all schedulers to belong to the same optimizer, but the scheduler "
                f"{type(scheduler).__name__} at index {index} belongs to another {type(scheduler.optimizer).__name__}"
            )


class _SchedulerOfSchedulers(LRScheduler):
    """What SequentialLR and ChainedScheduler share: the schedulers they drive, in ``self._schedulers``."""

    _schedulers: Sequence[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        """The attributes except the optimizer, with each scheduler's own state dict under ``'_schedulers'``."""
        return attributes_with(self, "_schedulers", [child.state_dict() for child in self._schedulers])

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes and each scheduler's state (the schedulers must be built the same way)."""
        for child, saved in zip(self._schedulers, restore_attributes(self, state_dict, "_schedulers")):
            child.load_state_dict(saved)


class SequentialLR(_SchedulerOfSchedulers):
    """Hand the schedule from one scheduler to the next at the milestone epochs.

    ``torch.optim.lr_scheduler.SequentialLR``. ``SequentialLR(opt, [warmup, decay], milestones=[5])`` runs
    ``warmup`` for epochs 0-4 and ``decay`` from epoch 5 on. At construction the groups' learning rates are reset
    to their ``'initial_lr'``, the construction steps of the schedulers are undone (their ``last_epoch`` drops by
    one) and the first scheduler takes its construction step again. At a milestone the next scheduler restarts at
    its epoch 0 (by its closed form when it has one), from the learning rates the previous scheduler left.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer all the schedulers were built on.
    schedulers : list of LRScheduler
        At least one; not ReduceLROnPlateau.
    milestones : list of int
        Epochs at which the next scheduler takes over; one fewer than the schedulers, increasing.
    last_epoch : int
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: list[LRScheduler],
        milestones: list[int],
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        _check_schedulers("SequentialLR", optimizer, schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "SequentialLR expects the number of schedulers to be one more than the number of milestone points, "
                f"but got {len(schedulers)} schedulers and {len(milestones)} milestones"
            )
        # PyTorch does not check this; with milestones out of order it silently picks the wrong schedulers
        if any(later <= earlier for earlier, later in zip(milestones, milestones[1:])):
            raise ValueError(f"SequentialLR: milestones must be increasing, but got {list(milestones)}")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched: LRScheduler | None = None) -> None:
        """Undo the construction step of every scheduler inside (recursing into nested compositions)."""
        scheduler = self if sched is None else sched
        if hasattr(scheduler, "_schedulers"):
            for child in scheduler._schedulers:
                self.recursive_undo(child)
        elif hasattr(scheduler, "last_epoch"):
            scheduler.last_epoch -= 1

    def step(self) -> None:  # type: ignore[override]
        """Advance one epoch: the scheduler in charge steps, or, at a milestone, the next one starts at epoch 0."""
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_SchedulerOfSchedulers):
    """Step several schedulers together, each applying its change to the rates the previous one set.

    ``torch.optim.lr_scheduler.ChainedScheduler``. Only chainable schedulers (those that update the current
    learning rate, e.g. ConstantLR, ExponentialLR, MultiStepLR) compose meaningfully. The schedulers' own
    construction steps have already happened; building the chain changes no learning rate.

    Parameters
    ----------
    schedulers : sequence of LRScheduler
        At least one, all on the same optimizer; not ReduceLROnPlateau.
    optimizer : Optimizer, optional
        That optimizer; by default the first scheduler's.
    """

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        if optimizer is None:
            optimizer = schedulers[0].optimizer
        _check_schedulers("ChainedScheduler", optimizer, schedulers)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = self._current_lrs()

    def get_lr(self) -> list[float]:
        """Not available: the chain has no rates of its own (PyTorch fails here too, with a bare error)."""
        raise NotImplementedError(
            "ChainedScheduler has no get_lr(): it cannot restart at epoch 0, as SequentialLR asks of a scheduler at "
            "a milestone; put the ChainedScheduler first in the SequentialLR, or chain SequentialLRs instead"
        )

    def step(self) -> None:  # type: ignore[override]
        """Step every scheduler, in order."""
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_lrs()
