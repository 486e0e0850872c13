"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

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
    lerp_,
    new_step_count,
    regularized_grad,
)

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    """RMSprop (``torch.optim.RMSprop``); the update is :func:`rmsprop`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    alpha : float
        Smoothing constant α of the running averages.
    eps : float
        Added to the denominator for numerical stability.
    weight_decay : float
        L2 penalty λ.
    momentum : float
        Momentum factor μ (0: none).
    centered : bool
        Normalize by an estimate of the gradient's variance (v - ḡ²) instead of its second moment.
    capturable : bool
        Must be False (CUDA graph capture).
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    differentiable : bool
        Must be False: steps are not recorded for autograd.

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
        check_non_negative("RMSprop", lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        check_implementation_flags("RMSprop", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one RMSprop step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p, group) for p in params]
            rmsprop(
                params,
                [p.grad for p in params],
                [s["square_avg"] for s in states],
                [s["grad_avg"] for s in states] if group["centered"] else None,
                [s["momentum_buffer"] for s in states] if group["momentum"] > 0 else None,
                [s["step"] for s in states],
                lr=group["lr"],
                alpha=group["alpha"],
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                momentum=group["momentum"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["square_avg"] = Tensor._make(np.zeros_like(p._data))
            if group["momentum"] > 0:
                state["momentum_buffer"] = Tensor._make(np.zeros_like(p._data))
            if group["centered"]:
                state["grad_avg"] = Tensor._make(np.zeros_like(p._data))
        return state


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
        state_steps[i]._data += 1
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        v = square_avgs[i]._data
        v *= alpha
        add_squared_(v, g, 1 - alpha)
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
