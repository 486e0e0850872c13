"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, average_squares_, lerp_, regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, options, state_like

__all__ = ["RMSprop", "rmsprop"]


@shared_parameter_docs
class RMSprop(Optimizer):
    """RMSprop (``torch.optim.RMSprop``); the update is :func:`rmsprop`.

    Parameters
    ----------
    {params, lr}
    alpha : float
        Smoothing constant α of the running averages.
    {eps, weight_decay}
    momentum : float
        Momentum factor μ (0: none).
    centered : bool
        Normalize by an estimate of the gradient's variance (v - ḡ²) instead of its second moment.
    {capturable, foreach, maximize, differentiable}

    As in PyTorch every argument may be given by position (``capturable`` comes before ``maximize``).

    State per parameter: ``'step'``, ``'square_avg'``, ``'momentum_buffer'`` (momentum > 0) and ``'grad_avg'``
    (centered).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters("RMSprop", lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        check_implementation_flags("RMSprop", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered, weight_decay=weight_decay,
            capturable=capturable, foreach=foreach, maximize=maximize, differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        state = {"square_avg": state_like(p)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = state_like(p)
        if group["centered"]:
            state["grad_avg"] = state_like(p)
        return state

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        states = self._states(params, group)
        square_avgs, steps = gather(states, "square_avg", "step")
        grad_avgs = [s["grad_avg"] for s in states] if group["centered"] else None
        momentum_buffers = [s["momentum_buffer"] for s in states] if group["momentum"] > 0 else None
        hyperparameters = options(group, "lr", "alpha", "eps", "weight_decay", "momentum", "maximize")
        rmsprop(params, grads, square_avgs, grad_avgs, momentum_buffers, steps, **hyperparameters)


def rmsprop(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    grad_avgs: list[Tensor] | None,
    momentum_buffers: list[Tensor] | None,
    state_steps: list[Tensor],
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    maximize: bool,
) -> None:
    r"""RMSprop update, in place on ``params`` and the state lists (``grad_avgs`` given: centered;
    ``momentum_buffers`` given: with momentum).

    For each parameter θ with gradient ∇, at step t, with v_0 = ḡ_0 = b_0 = 0::

        g_t = ∇ + λ θ_{t-1}                  (g_t = -∇ + λ θ_{t-1} when maximizing)
        v_t = α v_{t-1} + (1 - α) g_t²
        ṽ_t = v_t                             (centered: ḡ_t = α ḡ_{t-1} + (1 - α) g_t;  ṽ_t = v_t - ḡ_t²)
        momentum μ > 0:  b_t = μ b_{t-1} + g_t / (√ṽ_t + ε);   θ_t = θ_{t-1} - γ b_t
        otherwise:       θ_t = θ_{t-1} - γ g_t / (√ṽ_t + ε)

    with learning rate γ, smoothing constant α, momentum μ and weight decay λ.
    """
    for i, param in enumerate(params):
        w = param._data
        advance_step(state_steps[i])
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        v = square_avgs[i]._data
        average_squares_(v, g, alpha)
        if grad_avgs is not None:
            g_avg = grad_avgs[i]._data
            lerp_(g_avg, g, 1 - alpha)
            avg = np.multiply(g_avg, g_avg, out=np.empty_like(v))
            np.subtract(v, avg, out=avg)
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(v, out=np.empty_like(v))
        avg += eps
        if momentum_buffers is not None:
            b = momentum_buffers[i]._data
            b *= momentum
            b += np.divide(g, avg, out=avg)
            w -= np.multiply(b, lr, out=avg)
        else:
            # θ += (-γ g) / avg, in PyTorch's order of rounding
            update = np.multiply(g, -lr, out=np.empty_like(v))
            update /= avg
            w += update
        param._version_box[0] += 1
