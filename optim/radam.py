"""RAdam: Adam whose adaptive step is switched on only once the variance of its estimate is tractable (Liu et al.)."""

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
    check_betas,
    check_implementation_flags,
    check_non_negative,
    lerp_,
    new_step_count,
    regularized_grad,
)

__all__ = ["RAdam", "radam"]


class RAdam(Optimizer):
    """RAdam (``torch.optim.RAdam``); the update is :func:`radam`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    betas : (float, float)
        Decay rates β1, β2 of the first and second moment estimates, each in [0, 1).
    eps : float
        Added to the denominator for numerical stability.
    weight_decay : float
        Weight decay λ: an L2 penalty added to the gradient, or with ``decoupled_weight_decay`` a shrinking of
        the parameter by γλ each step (RAdamW).
    decoupled_weight_decay : bool
        Decouple the weight decay from the moments, as AdamW does.
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    capturable, differentiable : bool
        Must be False (CUDA graph capture; recording the step for autograd).

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
        check_non_negative("RAdam", lr=lr, eps=eps)
        check_betas("RAdam", betas)
        check_non_negative("RAdam", weight_decay=weight_decay)
        check_implementation_flags("RAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one RAdam step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p) for p in params]
            beta1, beta2 = group["betas"]
            radam(
                params,
                [p.grad for p in params],
                [s["exp_avg"] for s in states],
                [s["exp_avg_sq"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                beta1=beta1,
                beta2=beta2,
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        return state


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
        step_count = state_steps[i]._data
        step_count += 1
        step = float(step_count)
        if decoupled_weight_decay and weight_decay != 0:
            w *= 1 - lr * weight_decay
        g = regularized_grad(grads[i]._data, w, 0 if decoupled_weight_decay else weight_decay, maximize)
        m = exp_avgs[i]._data
        v = exp_avg_sqs[i]._data
        lerp_(m, g, 1 - beta1)
        v *= beta2
        add_squared_(v, g, 1 - beta2)
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
