"""Learning-rate schedules (``torch.optim.lr_scheduler``).

A scheduler owns a counter ``last_epoch`` (the number of ``step()`` calls so far) and writes a new ``'lr'`` into
every parameter group of its optimizer at each ``step()``. Call ``scheduler.step()`` after ``optimizer.step()``,
once per epoch (or per batch, if the schedule is meant per batch). As in PyTorch, most schedules are computed
recursively from the groups' current learning rates ("chainable"), so several schedulers can be combined (see
``ChainedScheduler`` and ``SequentialLR``); passing an explicit (deprecated) ``epoch`` to ``step`` uses the closed
form instead.

This module holds the schedules that are a function of the epoch alone; the others live in their own modules
(``lr_scheduler_warmup``, ``lr_scheduler_cyclic``, ``lr_scheduler_compose``, ``lr_scheduler_plateau``,
``one_cycle_lr``) and are all exported from here.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from optim.lr_scheduler_base import (
    LRScheduler,
    attributes_with,
    check_optimizer,
    restore_attributes,
    restore_callable,
    saved_callable,
)
from optim.lr_scheduler_compose import ChainedScheduler, SequentialLR
from optim.lr_scheduler_cyclic import CosineAnnealingWarmRestarts, CyclicLR
from optim.lr_scheduler_plateau import ReduceLROnPlateau
from optim.lr_scheduler_warmup import ConstantLR, LinearLR
from optim.one_cycle_lr import OneCycleLR
from optim.optimizer import Optimizer

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]


class _LRScheduler(LRScheduler):
    """The base class's old name, which PyTorch still provides for schedulers written against it."""


class _LambdaScheduler(LRScheduler):
    """Shared by LambdaLR and MultiplicativeLR: one function of the epoch per group, in ``self.lr_lambdas``.

    ``state_dict()`` cannot save plain functions and lambdas (they are stored as None); a callable object is
    saved as a copy of its ``__dict__`` and restored into the object the loading scheduler was given.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        name = type(self).__name__
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"{name}: Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}"
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"{name}: lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict[str, Any]:
        return attributes_with(self, "lr_lambdas", [saved_callable(fn) for fn in self.lr_lambdas])

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        for fn, saved in zip(self.lr_lambdas, restore_attributes(self, state_dict, "lr_lambdas")):
            restore_callable(fn, saved)


class LambdaLR(_LambdaScheduler):
    """lr = base_lr · lr_lambda(epoch) (``torch.optim.lr_scheduler.LambdaLR``).

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable or list of callables
        A function of the epoch index returning a multiplicative factor, or one such function per group.
        E.g. the power schedule lr_t = lr_0 (1 + t/T)^(-c) is ``lambda t: (1 + t / T) ** -c``.
    last_epoch : int

    Plain functions and lambdas are not saved by ``state_dict`` (only callable objects' ``__dict__`` is).
    """

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        return [base_lr * fn(self.last_epoch) for fn, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaScheduler):
    """lr_t = lr_{t-1} · lr_lambda(t) (``torch.optim.lr_scheduler.MultiplicativeLR``).

    The factor applies to the groups' current learning rates, so the schedule composes with others. Same
    parameters as :class:`LambdaLR`; the construction step leaves the learning rates unchanged.
    """

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self._is_initial:
            return self._current_lrs()
        return [lr * fn(self.last_epoch) for fn, lr in zip(self.lr_lambdas, self._current_lrs())]


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs: lr = base_lr · γ^⌊epoch / step_size⌋."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        if not (isinstance(step_size, int) and step_size >= 1):
            raise ValueError(f"StepLR: step_size must be a positive integer, but got {step_size!r}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each milestone epoch: lr = base_lr · γ^(milestones passed).

    ``MultiStepLR(opt, milestones=[30, 60], gamma=0.1)`` with lr 0.1 gives 0.1, then 0.01 from epoch 30, then
    0.001 from epoch 60 (the classic piecewise-constant schedule). A milestone listed twice decays twice.
    """

    def __init__(
        self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base_lr * self.gamma**passed for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: lr = base_lr · γ^epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from base_lr down to ``eta_min`` over ``T_max`` epochs (SGDR without restarts).

    Closed form: lr_t = η_min + (base_lr - η_min) (1 + cos(π t / T_max)) / 2. As in PyTorch the schedule is
    applied recursively, lr_t = η_min + (lr_{t-1} - η_min) (1 + cos(π t / T_max)) / (1 + cos(π (t-1) / T_max)),
    which equals the closed form when nothing else changes the learning rate; past T_max the learning rate
    climbs back up (period 2 T_max).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:  # noqa: N803
        if not T_max > 0:
            raise ValueError(f"CosineAnnealingLR: T_max must be positive, but got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        t, period, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if (t - 1 - period) % (2 * period) == 0:
            # At the bottom of the cosine the recursive ratio is 0/0; step up by the closed-form increment.
            rise = (1 - math.cos(math.pi / period)) / 2
            return [lr + (base_lr - eta_min) * rise for lr, base_lr in zip(self._current_lrs(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * t / period)) / (1 + math.cos(math.pi * (t - 1) / period))
        return [ratio * (lr - eta_min) + eta_min for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * cosine for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Polynomial decay to 0 over ``total_iters`` epochs: lr_t = base_lr (1 - min(t, T) / T)^power.

    Applied recursively, lr_t = lr_{t-1} ((1 - t/T) / (1 - (t-1)/T))^power for t <= T (afterwards the learning
    rate is left alone), which equals the closed form when nothing else changes the learning rate.
    """

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1) -> None:
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        t, total = self.last_epoch, self.total_iters
        factor = ((1.0 - t / total) / (1.0 - (t - 1) / total)) ** self.power
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        remaining = 1.0 - min(self.total_iters, self.last_epoch) / self.total_iters
        return [base_lr * remaining**self.power for base_lr in self.base_lrs]
