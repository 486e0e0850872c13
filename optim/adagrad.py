"""Adagrad: per-coordinate learning rates from the running sum of squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import add_squared_, advance_step, regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, new_step_count, options, state_like

__all__ = ["Adagrad", "adagrad"]


@shared_parameter_docs
class Adagrad(Optimizer):
    """Adagrad (``torch.optim.Adagrad``); the update is :func:`adagrad`.

    Parameters
    ----------
    {params, lr}
    lr_decay : float
        Learning-rate decay η: step t uses γ / (1 + (t - 1) η).
    {weight_decay}
    initial_accumulator_value : float
        Starting value of the sum of squared gradients.
    {eps, foreach, maximize, differentiable, fused}

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
        check_hyperparameters(
            "Adagrad", lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, eps=eps,
        )
        check_implementation_flags("Adagrad", foreach=foreach, fused=fused, differentiable=differentiable)
        defaults = dict(
            lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
            differentiable=differentiable, fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["step"] = new_step_count()
                # The constructor's value, not the group's: PyTorch ignores a group's own initial_accumulator_value.
                self.state[p]["sum"] = state_like(p, initial_accumulator_value)

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        # the state made at construction: PyTorch's Adagrad makes none later (a group added afterwards has none)
        state_sums, steps = gather([self.state[p] for p in params], "sum", "step")
        adagrad(params, grads, state_sums, steps, **options(group, "lr", "lr_decay", "weight_decay", "eps", "maximize"))


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
        step = advance_step(state_steps[i])
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        clr = lr / (1 + (step - 1) * lr_decay)
        s = state_sums[i]._data
        add_squared_(s, g, 1)
        std = np.sqrt(s, out=np.empty_like(s))
        std += eps
        # θ += (-γ_t g) / std, in PyTorch's order of rounding
        update = np.multiply(g, -clr, out=np.empty_like(s))
        update /= std
        w += update
        param._version_box[0] += 1
