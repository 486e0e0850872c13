"""Adamax: Adam with the second moment replaced by an exponentially weighted infinity norm (Kingma & Ba, §7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.grad_mode import no_grad
from autograd.tensor import Tensor
from optim.optimizer import (
    Optimizer,
    ParamsT,
    check_betas,
    check_implementation_flags,
    check_non_negative,
    lerp_,
    new_step_count,
    regularized_grad,
)

__all__ = ["Adamax", "adamax"]


class Adamax(Optimizer):
    """Adamax (``torch.optim.Adamax``); the update is :func:`adamax`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    betas : (float, float)
        Decay rates β1 of the first moment and β2 of the infinity norm, each in [0, 1).
    eps : float
        Added to |g| before taking the maximum, so the norm is never 0.
    weight_decay : float
        L2 penalty λ.
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    differentiable, capturable : bool
        Must be False (recording the step for autograd; CUDA graph capture).

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
        check_non_negative("Adamax", lr=lr, eps=eps)
        check_betas("Adamax", betas)
        check_non_negative("Adamax", weight_decay=weight_decay)
        check_implementation_flags("Adamax", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one Adamax step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p) for p in params]
            beta1, beta2 = group["betas"]
            adamax(
                params,
                [p.grad for p in params],
                [s["exp_avg"] for s in states],
                [s["exp_inf"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                beta1=beta1,
                beta2=beta2,
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_inf"] = Tensor._make(np.zeros_like(p._data))
        return state


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
        step_count = state_steps[i]._data
        step_count += 1
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        m = exp_avgs[i]._data
        u = exp_infs[i]._data
        lerp_(m, g, 1 - beta1)
        u *= beta2
        scratch = np.abs(g, out=np.empty_like(u))
        scratch += eps
        np.maximum(u, scratch, out=u)
        clr = lr / (1 - beta1 ** float(step_count))
        np.multiply(m, -clr, out=scratch)
        scratch /= u
        w += scratch
        param._version_box[0] += 1
