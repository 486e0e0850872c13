"""Adagrad: per-coordinate learning rates from the running sum of squared gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.grad_mode import no_grad
from autograd.tensor import Tensor
from optim.optimizer import (
    Optimizer,
    ParamsT,
    add_squared_,
    check_implementation_flags,
    check_non_negative,
    new_step_count,
    regularized_grad,
)

__all__ = ["Adagrad", "adagrad"]


class Adagrad(Optimizer):
    """Adagrad (``torch.optim.Adagrad``); the update is :func:`adagrad`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    lr_decay : float
        Learning-rate decay η: step t uses γ / (1 + (t - 1) η).
    weight_decay : float
        L2 penalty λ.
    initial_accumulator_value : float
        Starting value of the sum of squared gradients.
    eps : float
        Added to the denominator for numerical stability.
    foreach, fused : bool or None
        PyTorch's kernel choices; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    differentiable : bool
        Must be False: steps are not recorded for autograd.

    State per parameter (created at construction, as PyTorch): ``'step'`` (0-d float32 Tensor) and ``'sum'``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_non_negative(
            "Adagrad",
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        check_implementation_flags("Adagrad", foreach=foreach, fused=fused, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["step"] = new_step_count()
                # The constructor's value, not the group's: PyTorch ignores a group's own initial_accumulator_value.
                self.state[p]["sum"] = Tensor._make(np.full_like(p._data, initial_accumulator_value))

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one Adagrad step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self.state[p] for p in params]
            adagrad(
                params,
                [p.grad for p in params],
                [s["sum"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                lr_decay=group["lr_decay"],
                weight_decay=group["weight_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
            )
        return loss


def adagrad(
    params: list[Tensor],
    grads: list[Tensor],
    state_sums: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    lr_decay: float,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    r"""Adagrad update, in place on ``params``, ``state_sums`` and ``state_steps``.

    For each parameter θ with gradient ∇, at step t (the counter is incremented first)::

        g_t   = ∇ + λ θ_{t-1}                (g_t = -∇ + λ θ_{t-1} when maximizing)
        γ_t   = γ / (1 + (t - 1) η)
        s_t   = s_{t-1} + g_t²
        θ_t   = θ_{t-1} - γ_t g_t / (√s_t + ε)

    with learning rate γ, learning-rate decay η, weight decay λ and s_0 = initial_accumulator_value.
    """
    for i, param in enumerate(params):
        w = param._data
        step = state_steps[i]._data
        step += 1
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        clr = lr / (1 + (float(step) - 1) * lr_decay)
        s = state_sums[i]._data
        add_squared_(s, g, 1)
        std = np.sqrt(s, out=np.empty_like(s))
        std += eps
        # θ += (-γ_t g) / std, in PyTorch's order of rounding
        update = np.multiply(g, -clr, out=np.empty_like(s))
        update /= std
        w += update
        param._version_box[0] += 1
