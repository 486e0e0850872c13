"""Stochastic gradient descent, optionally with (Nesterov) momentum and weight decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, options

__all__ = ["SGD", "sgd"]


@shared_parameter_docs
class SGD(Optimizer):
    """Stochastic gradient descent (``torch.optim.SGD``); the update is :func:`sgd`.

    Parameters
    ----------
    {params, lr}
    momentum : float
        Momentum factor μ (0: plain SGD).
    dampening : float
        Dampening τ of the momentum (the new gradient enters the buffer with weight 1 - τ).
    {weight_decay}
    nesterov : bool
        Nesterov momentum (needs momentum > 0 and dampening 0).
    {maximize, foreach, differentiable, fused}

    State per parameter: ``'momentum_buffer'`` (only when momentum ≠ 0).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_hyperparameters("SGD", lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"SGD: Nesterov momentum requires a momentum and zero dampening, but got momentum={momentum} and "
                f"dampening={dampening}"
            )
        check_implementation_flags("SGD", foreach=foreach, fused=fused, differentiable=differentiable)
        defaults = dict(
            lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
            maximize=maximize, foreach=foreach, differentiable=differentiable, fused=fused,
        )
        super().__init__(params, defaults)

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        # The only state, the momentum buffer, is made by sgd() from the first gradient (and kept only with momentum).
        momentum_buffers = [self.state.get(p, {}).get("momentum_buffer") for p in params]
        hyperparameters = options(group, "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")
        sgd(params, grads, momentum_buffers, **hyperparameters)
        if group["momentum"] != 0:
            for p, buffer in zip(params, momentum_buffers):
                self.state[p]["momentum_buffer"] = buffer


def sgd(
    params: list[Tensor],
    grads: list[Tensor],
    momentum_buffers: list[Tensor | None],
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
) -> None:
    r"""SGD update, in place on ``params`` (and ``momentum_buffers``, where a None entry gets a new buffer).

    For each parameter θ with gradient ∇ (step t = 1, 2, ...)::

        g_t = ∇ + λ θ_{t-1}                  (g_t = -∇ + λ θ_{t-1} when maximizing)
        if μ ≠ 0:
            b_t = g_t                         if t = 1
            b_t = μ b_{t-1} + (1 - τ) g_t     otherwise
            g_t = g_t + μ b_t  (nesterov)     or   g_t = b_t
        θ_t = θ_{t-1} - γ g_t

    with learning rate γ, momentum μ, dampening τ and weight decay λ.
    """
    for i, param in enumerate(params):
        w = param._data
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        if momentum != 0:
            buffer = momentum_buffers[i]
            if buffer is None:
                b = g.copy()
                momentum_buffers[i] = Tensor._make(b)
            else:
                b = buffer._data
                b *= momentum
                b += g if dampening == 0 else g * (1 - dampening)
            if nesterov:
                update = np.multiply(b, momentum)
                update += g
            else:
                update = b
        else:
            update = g
        w -= lr * update
        param._version_box[0] += 1
