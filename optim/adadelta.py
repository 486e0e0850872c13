"""Adadelta: steps scaled by the ratio of running RMS of past updates to running RMS of gradients (Zeiler, 2012)."""

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

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    """Adadelta (``torch.optim.Adadelta``); the update is :func:`adadelta`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Coefficient γ that scales the delta before it is applied (1: the original method).
    rho : float
        Decay rate ρ of both running averages, in [0, 1].
    eps : float
        Added inside both square roots; it also sets the size of the first steps.
    weight_decay : float
        L2 penalty λ.
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    capturable, differentiable : bool
        Must be False (CUDA graph capture; recording the step for autograd).
    maximize : bool
        Ascend the objective instead of descending it.

    State per parameter: ``'step'`` (0-d float32 Tensor), ``'square_avg'`` and ``'acc_delta'``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative("Adadelta", lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Adadelta: Invalid rho value: {rho} (must be in [0, 1])")
        check_non_negative("Adadelta", eps=eps, weight_decay=weight_decay)
        check_implementation_flags("Adadelta", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one Adadelta step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p) for p in params]
            adadelta(
                params,
                [p.grad for p in params],
                [s["square_avg"] for s in states],
                [s["acc_delta"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                rho=group["rho"],
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["square_avg"] = Tensor._make(np.zeros_like(p._data))
            state["acc_delta"] = Tensor._make(np.zeros_like(p._data))
        return state


def adadelta(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    acc_deltas: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    rho: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""Adadelta update, in place on ``params`` and the state lists.

    For each parameter θ with gradient ∇, at step t, with v_0 = u_0 = 0::

        g_t = ∇ + λ θ_{t-1}                       (g_t = -∇ + λ θ_{t-1} when maximizing)
        v_t = ρ v_{t-1} + (1 - ρ) g_t²
        Δ_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t
        u_t = ρ u_{t-1} + (1 - ρ) Δ_t²
        θ_t = θ_{t-1} - γ Δ_t

    with coefficient γ (lr), decay rate ρ and weight decay λ.
    """
    for i, param in enumerate(params):
        w = param._data
        state_steps[i]._data += 1
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        v = square_avgs[i]._data
        u = acc_deltas[i]._data
        v *= rho
        add_squared_(v, g, 1 - rho)
        std = np.add(v, eps, out=np.empty_like(v))
        np.sqrt(std, out=std)
        delta = np.add(u, eps, out=np.empty_like(u))
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        u *= rho
        add_squared_(u, delta, 1 - rho)
        np.multiply(delta, -lr, out=delta)
        w += delta
        param._version_box[0] += 1
