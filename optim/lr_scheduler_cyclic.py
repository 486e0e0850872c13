"""Periodic schedules: CyclicLR (triangular waves, Smith 2017) and CosineAnnealingWarmRestarts (SGDR).

Both compute each learning rate from the position in the current cycle (closed form), not from the previous
rate; they are exported by ``optim.lr_scheduler``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from optim.lr_scheduler_base import (
    LRScheduler,
    attributes_with,
    check_optimizer,
    momentum_uses_beta1,
    per_group,
    restore_attributes,
    restore_callable,
    saved_callable,
    set_momentum,
    start_momentum_cycle,
)
from optim.optimizer import Optimizer

__all__ = ["CosineAnnealingWarmRestarts", "CyclicLR"]

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """Cycle the learning rate between ``base_lr`` and ``max_lr`` (``torch.optim.lr_scheduler.CyclicLR``).

    Meant to be stepped once per batch. With T = step_size_up + step_size_down, r = step_size_up / T and
    t = last_epoch, the cycle is c = ⌊1 + t / T⌋ and the position in it x = 1 + t / T - c ∈ [0, 1). The
    triangle h = x / r while x <= r, else (x - 1) / (r - 1), rises from 0 to 1 and falls back, and::

        lr = base_lr + (max_lr - base_lr) · h · scale(c or t)

    with scale = 1 (``'triangular'``), 1 / 2^(c-1) (``'triangular2'``, halving each cycle), γ^t
    (``'exp_range'``) or ``scale_fn``. With ``cycle_momentum`` the momentum (``'momentum'``, or β1 of
    ``'betas'``) moves the opposite way: momentum = max_momentum - (max_momentum - base_momentum) · h · scale.

    Parameters
    ----------
    optimizer : Optimizer
    base_lr, max_lr : float or list of float
        Lower and upper learning rate of the cycle, one for all groups or one per group. With last_epoch=-1 the
        groups' lr is set to base_lr.
    step_size_up : int
        Batches in the rising half of a cycle (> 0).
    step_size_down : int, optional
        Batches in the falling half (>= 0); None: the same as ``step_size_up``.
    mode : {'triangular', 'triangular2', 'exp_range'}
        Built-in scaling; ignored when ``scale_fn`` is given (it then sets ``scale_mode`` itself: 'cycle' for the
        triangles, 'iterations' for exp_range).
    gamma : float
        Base of the ``'exp_range'`` scaling.
    scale_fn : callable, optional
        Custom scaling of one argument, with values in [0, 1].
    scale_mode : {'cycle', 'iterations'}
        Whether ``scale_fn`` gets the cycle number c or the batch index t.
    cycle_momentum : bool
        Cycle the momentum too; the optimizer must have a ``'momentum'`` or ``'betas'`` hyperparameter.
    base_momentum, max_momentum : float or list of float
        Momentum at the peak of the lr and at its ends.
    last_epoch : int
        Index of the last batch; -1 starts afresh.

    ``state_dict()`` saves a custom ``scale_fn`` only if it is a callable object (its ``__dict__``), not a
    function or lambda.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = per_group("CyclicLR", "base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = lr
        self.max_lrs = per_group("CyclicLR", "max_lr", optimizer, max_lr)
        if not step_size_up > 0:
            raise ValueError(f"CyclicLR: step_size_up must be positive, but got {step_size_up}")
        if step_size_down is not None and not step_size_down >= 0:
            raise ValueError(f"CyclicLR: step_size_down must be >= 0 (or None), but got {step_size_down}")
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in _MODES and scale_fn is None:
            raise ValueError(f"CyclicLR: mode must be one of {_MODES} (or give scale_fn), but got {mode!r}")
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"CyclicLR: scale_mode must be 'cycle' or 'iterations', but got {scale_mode!r}")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_mode()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = momentum_uses_beta1(
                optimizer,
                f"CyclicLR: optimizer must support momentum or beta1 with `cycle_momentum` option enabled, but "
                f"{type(optimizer).__name__} has neither (pass cycle_momentum=False)",
            )
            self.base_momentums = per_group("CyclicLR", "base_momentum", optimizer, base_momentum)
            self.max_momentums = per_group("CyclicLR", "max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                start_momentum_cycle(optimizer, self.use_beta1, self.base_momentums, self.max_momentums)
        super().__init__(optimizer, last_epoch)
        # Set after the construction step, as PyTorch does: that step still uses the groups' 'initial_lr'.
        self.base_lrs = base_lrs

    def _init_scale_mode(self) -> None:
        """The built-in modes fix the argument of their scaling: the cycle for triangles, the batch for exp_range."""
        if self._scale_fn_custom is None:
            self.scale_mode = "iterations" if self.mode == "exp_range" else "cycle"

    def scale_fn(self, x: float) -> float:
        """The amplitude's scale at ``x`` (the cycle number or the batch index, see ``scale_mode``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self) -> list[float]:
        """The learning rate of each group at batch ``self.last_epoch``; also sets the momentum when cycling it."""
        self._warn_if_outside_step()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base_lr + (max_lr - base_lr) * height * scale for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                set_momentum(group, high - (high - low) * height * scale, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        return attributes_with(self, "_scale_fn_custom", saved_callable(self._scale_fn_custom))

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        restore_callable(self._scale_fn_custom, restore_attributes(self, state_dict, "_scale_fn_custom"))
        self._init_scale_mode()


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing with warm restarts, SGDR (``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``).

    lr = η_min + (base_lr - η_min)(1 + cos(π T_cur / T_i)) / 2, where T_cur counts the epochs since the last
    restart and T_i is the length of the current period: T_0 first, multiplied by T_mult at each restart.

    ``step()`` adds 1 to T_cur (restarting when it reaches T_i). ``step(epoch)`` may be called with a fractional
    epoch, e.g. ``scheduler.step(epoch + i / iters)`` once per batch, and then finds T_cur and T_i from the
    epoch: with T_mult = 1, T_cur = epoch mod T_0; otherwise the period n = ⌊log_{T_mult}(epoch (T_mult - 1) / T_0
    + 1)⌋, T_cur = epoch - T_0 (T_mult^n - 1) / (T_mult - 1) and T_i = T_0 T_mult^n. ``last_epoch`` is ⌊epoch⌋.

    Parameters
    ----------
    optimizer : Optimizer
    T_0 : int
        Length of the first period (positive integer).
    T_mult : int
        Growth factor of the period at each restart (integer >= 1).
    eta_min : float
        Lowest learning rate.
    last_epoch : int

    As in PyTorch, stepping this scheduler does not count ``_step_count`` and gives no deprecation warning for
    ``epoch``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,  # noqa: N803
        T_mult: int = 1,  # noqa: N803
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"CosineAnnealingWarmRestarts: Expected positive integer T_0, but got {T_0}")
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"CosineAnnealingWarmRestarts: Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(
                f"CosineAnnealingWarmRestarts: Expected float or int eta_min, but got {eta_min} of type "
                f"{type(eta_min).__name__}"
            )
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_outside_step()
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base_lr - self.eta_min) * cosine / 2 for base_lr in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Advance by one epoch, or go to ``epoch`` (may be fractional, >= 0), and set the groups' ``'lr'``."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        elif epoch < 0:
            raise ValueError(f"CosineAnnealingWarmRestarts: Expected non-negative epoch, but got {epoch}")
        elif epoch >= self.T_0:
            if self.T_mult == 1:
                self.T_cur = epoch % self.T_0
            else:
                n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                self.T_i = self.T_0 * self.T_mult**n
        else:
            self.T_i = self.T_0
            self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr)
