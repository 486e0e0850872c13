"""Adamax: Adam with the second moment replaced by an exponentially weighted infinity norm (Kingma & Ba, §7)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, lerp_, regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, options, state_like

__all__ = ["Adamax", "adamax"]


@shared_parameter_docs
class Adamax(Optimizer):
    """Adamax (``torch.optim.Adamax``); the update is :func:`adamax`.

    Parameters
    ----------
    {params, lr}
    betas : (float, float)
        Decay rates β1 of the first moment and β2 of the infinity norm, each in [0, 1).
    eps : float
        Added to |g| before taking the maximum, so the norm is never 0.
    {weight_decay, foreach, maximize, differentiable, capturable}

    State per parameter: ``'step'`` (0-d float32 Tensor), ``'exp_avg'`` and ``'exp_inf'``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_hyperparameters("Adamax", lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        check_implementation_flags("Adamax", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
            differentiable=differentiable, capturable=capturable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"exp_avg": state_like(p), "exp_inf": state_like(p)}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        exp_avgs, exp_infs, steps = gather(self._states(params, group), "exp_avg", "exp_inf", "step")
        beta1, beta2 = group["betas"]
        hyperparameters = options(group, "lr", "eps", "weight_decay", "maximize")
        adamax(params, grads, exp_avgs, exp_infs, steps, beta1=beta1, beta2=beta2, **hyperparameters)


def adamax(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_infs: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""Adamax update, in place on ``params`` and the state lists.

    For each parameter θ with gradient ∇, at step t = 1, 2, ... (the counter is incremented first), with
    m_0 = u_0 = 0::

        g_t = ∇ + λ θ_{t-1}                       (g_t = -∇ + λ θ_{t-1} when maximizing)
        m_t = β1 m_{t-1} + (1 - β1) g_t
        u_t = max(β2 u_{t-1}, |g_t| + ε)
        θ_t = θ_{t-1} - (γ / (1 - β1^t)) m_t / u_t

    with learning rate γ and weight decay λ (the infinity norm needs no bias correction).
    """
    for i, param in enumerate(params):
        w = param._data
        step = advance_step(state_steps[i])
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        m = exp_avgs[i]._data
        u = exp_infs[i]._data
        lerp_(m, g, 1 - beta1)
        u *= beta2
        scratch = np.abs(g, out=np.empty_like(u))
        scratch += eps
        np.maximum(u, scratch, out=u)
        clr = lr / (1 - beta1**step)
        np.multiply(m, -clr, out=scratch)
        scratch /= u
        w += scratch
        param._version_box[0] += 1
