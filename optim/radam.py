"""RAdam: Adam whose adaptive step is switched on only once the variance of its estimate is tractable (Liu et al.)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, average_squares_, decayed_grad, lerp_
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, options, state_like

__all__ = ["RAdam", "radam"]


@shared_parameter_docs
class RAdam(Optimizer):
    """RAdam (``torch.optim.RAdam``); the update is :func:`radam`.

    Parameters
    ----------
    {params, lr, betas, eps, adam_weight_decay, decoupled_weight_decay}
    {foreach, maximize, capturable, differentiable}

    State per parameter: ``'step'`` (0-d float32 Tensor), ``'exp_avg'`` and ``'exp_avg_sq'``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters("RAdam", lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        check_implementation_flags("RAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize, foreach=foreach,
            capturable=capturable, decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"exp_avg": state_like(p), "exp_avg_sq": state_like(p)}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        exp_avgs, exp_avg_sqs, steps = gather(self._states(params, group), "exp_avg", "exp_avg_sq", "step")
        beta1, beta2 = group["betas"]
        hyperparameters = options(group, "lr", "eps", "weight_decay", "decoupled_weight_decay", "maximize")
        radam(params, grads, exp_avgs, exp_avg_sqs, steps, beta1=beta1, beta2=beta2, **hyperparameters)


def radam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    decoupled_weight_decay: bool,
    maximize: bool,
) -> None:
    r"""RAdam update, in place on ``params`` and the state lists.

    For each parameter θ with gradient ∇, at step t = 1, 2, ... (the counter is incremented first), with
    m_0 = v_0 = 0::

        g_t = ±∇                                  (minus when maximizing)
        θ_{t-1} ← θ_{t-1} (1 - γλ)               decoupled weight decay
        g_t ← g_t + λ θ_{t-1}                     otherwise (L2 penalty)
        m_t = β1 m_{t-1} + (1 - β1) g_t,   m̂_t = m_t / (1 - β1^t)
        v_t = β2 v_{t-1} + (1 - β2) g_t²
        ρ_∞ = 2 / (1 - β2) - 1,   ρ_t = ρ_∞ - 2 t β2^t / (1 - β2^t)
        if ρ_t > 5:
            r_t = √((ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t))
            θ_t = θ_{t-1} - γ m̂_t · √(1 - β2^t) / (√v_t + ε) · r_t
        else:
            θ_t = θ_{t-1} - γ m̂_t                 (plain momentum SGD while the variance is intractable)

    with learning rate γ and weight decay λ.
    """
    for i, param in enumerate(params):
        w = param._data
        step = advance_step(state_steps[i])
        g = decayed_grad(
            grads[i]._data, w, lr=lr, weight_decay=weight_decay, decoupled=decoupled_weight_decay, maximize=maximize
        )
        m = exp_avgs[i]._data
        v = exp_avg_sqs[i]._data
        lerp_(m, g, 1 - beta1)
        average_squares_(v, g, beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        update = np.divide(m, bias_correction1, out=np.empty_like(m))
        update *= lr
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = np.sqrt(v, out=np.empty_like(v))
            adaptive += eps
            np.divide(bias_correction2**0.5, adaptive, out=adaptive)
            update *= adaptive
            update *= rect
        w -= update
        param._version_box[0] += 1
