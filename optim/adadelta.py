"""Adadelta: steps scaled by the ratio of running RMS of past updates to running RMS of gradients (Zeiler, 2012)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, average_squares_, regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, options, state_like

__all__ = ["Adadelta", "adadelta"]


@shared_parameter_docs
class Adadelta(Optimizer):
    """Adadelta (``torch.optim.Adadelta``); the update is :func:`adadelta`.

    Parameters
    ----------
    {params}
    lr : float
        Coefficient γ that scales the delta before it is applied (1: the original method).
    rho : float
        Decay rate ρ of both running averages, in [0, 1].
    eps : float
        Added inside both square roots; it also sets the size of the first steps.
    {weight_decay, foreach, capturable, maximize, differentiable}

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
        check_hyperparameters("Adadelta", lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        check_implementation_flags("Adadelta", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
            foreach=foreach, differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"square_avg": state_like(p), "acc_delta": state_like(p)}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        square_avgs, acc_deltas, steps = gather(self._states(params, group), "square_avg", "acc_delta", "step")
        hyperparameters = options(group, "lr", "rho", "eps", "weight_decay", "maximize")
        adadelta(params, grads, square_avgs, acc_deltas, steps, **hyperparameters)


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
        advance_step(state_steps[i])
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        v = square_avgs[i]._data
        u = acc_deltas[i]._data
        average_squares_(v, g, rho)
        std = np.add(v, eps, out=np.empty_like(v))
        np.sqrt(std, out=std)
        delta = np.add(u, eps, out=np.empty_like(u))
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        average_squares_(u, delta, rho)
        np.multiply(delta, -lr, out=delta)
        w += delta
        param._version_box[0] += 1
