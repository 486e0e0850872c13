"""Stochastic gradient descent, optionally with (Nesterov) momentum and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.grad_mode import no_grad
from autograd.tensor import Tensor
from optim.optimizer import (
    Optimizer,
    ParamsT,
    check_implementation_flags,
    check_non_negative,
    regularized_grad,
)

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    """Stochastic gradient descent (``torch.optim.SGD``); the update is :func:`sgd`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    momentum : float
        Momentum factor μ (0: plain SGD).
    dampening : float
        Dampening τ of the momentum (the new gradient enters the buffer with weight 1 - τ).
    weight_decay : float
        L2 penalty λ (adds λθ to the gradient).
    nesterov : bool
        Nesterov momentum (needs momentum > 0 and dampening 0).
    maximize : bool
        Ascend the objective instead of descending it.
    foreach, fused : bool or None
        PyTorch's kernel choices; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    differentiable : bool
        Must be False: steps are not recorded for autograd.

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
        check_non_negative("SGD", lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"SGD: Nesterov momentum requires a momentum and zero dampening, but got momentum={momentum} and "
                f"dampening={dampening}"
            )
        check_implementation_flags("SGD", foreach=foreach, fused=fused, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one SGD step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            momentum_buffers = [self.state.get(p, {}).get("momentum_buffer") for p in params]
            sgd(
                params,
                [p.grad for p in params],
                momentum_buffers,
                lr=group["lr"],
                momentum=group["momentum"],
                dampening=group["dampening"],
                weight_decay=group["weight_decay"],
                nesterov=group["nesterov"],
                maximize=group["maximize"],
            )
            if group["momentum"] != 0:
                for p, buffer in zip(params, momentum_buffers):
                    self.state[p]["momentum_buffer"] = buffer
        return loss


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
