"""Warm-up schedules: ConstantLR and LinearLR scale the learning rate for the first ``total_iters`` epochs.

Both are usually the first part of a ``SequentialLR`` or run inside a ``ChainedScheduler``; they are exported by
``optim.lr_scheduler``.
"""

from __future__ import annotations

from optim.lr_scheduler_base import LRScheduler
from optim.optimizer import Optimizer

__all__ = ["ConstantLR", "LinearLR"]


class ConstantLR(LRScheduler):
    """Multiply the learning rate by ``factor`` until epoch ``total_iters`` (``torch.optim.lr_scheduler.ConstantLR``).

    Closed form: lr_t = base_lr · factor for t < total_iters, base_lr afterwards. Applied recursively (so it
    composes with other schedulers): the factor multiplies the learning rate at epoch 0 and is divided out at
    epoch ``total_iters`` (with ``factor=0`` that step raises ``ZeroDivisionError``, as in PyTorch).

    Parameters
    ----------
    optimizer : Optimizer
    factor : float
        Scale of the learning rate during the warm-up, in [0, 1].
    total_iters : int
        Number of epochs the factor applies.
    last_epoch : int
    """

    def __init__(
        self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1
    ) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError(
                f"ConstantLR: Constant multiplicative factor expected to be between 0 and 1, but got {factor}"
            )
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current_lrs()]
        if self.last_epoch != self.total_iters:
            return self._current_lrs()
        if self.factor == 0:  # PyTorch fails here too, with a bare "float division by zero"
            raise ZeroDivisionError(
                f"ConstantLR: factor=0 cannot be divided out at epoch total_iters={self.total_iters}; use a positive "
                "factor, or step with an explicit epoch (the closed form)"
            )
        return [lr * (1.0 / self.factor) for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        scale = self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor)
        return [base_lr * scale for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the learning rate by a factor moving linearly from ``start_factor`` to ``end_factor``.

    ``torch.optim.lr_scheduler.LinearLR``. Closed form, with f_s = start_factor, f_e = end_factor and
    T = total_iters::

        lr_t = base_lr (f_s + (f_e - f_s) min(t, T) / T)

    Applied recursively: lr_0 = f_s · lr, then for 1 <= t <= T
    lr_t = lr_{t-1} (1 + (f_e - f_s) / (T f_s + (t - 1)(f_e - f_s))), the ratio of consecutive factors; after T
    the learning rate is left alone.

    Parameters
    ----------
    optimizer : Optimizer
    start_factor : float
        Factor at epoch 0, in (0, 1].
    end_factor : float
        Factor from epoch ``total_iters`` on, in [0, 1].
    total_iters : int
        Number of epochs over which the factor moves.
    last_epoch : int
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1, "
                f"but got {start_factor}"
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError(
                f"LinearLR: Ending multiplicative factor expected to be between 0 and 1, but got {end_factor}"
            )
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        change = self.end_factor - self.start_factor
        ratio = 1.0 + change / (self.total_iters * self.start_factor + (self.last_epoch - 1) * change)
        return [lr * ratio for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        change = self.end_factor - self.start_factor
        factor = self.start_factor + change * min(self.total_iters, self.last_epoch) / self.total_iters
        return [base_lr * factor for base_lr in self.base_lrs]
