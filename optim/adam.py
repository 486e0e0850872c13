"""Adam and AdamW: bias-corrected running moments of the gradient (decoupled weight decay for AdamW)."""

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

__all__ = ["Adam", "AdamW", "adam"]


class Adam(Optimizer):
    """Adam (``torch.optim.Adam``); the update is :func:`adam`.

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
        the parameter by γλ each step (AdamW).
    amsgrad : bool
        Normalize by the running maximum of the second moment estimate (AMSGrad).
    maximize : bool
        Ascend the objective instead of descending it.
    foreach, fused : bool or None
        PyTorch's kernel choices; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    capturable, differentiable : bool
        Must be False (CUDA graph capture; recording the step for autograd).
    decoupled_weight_decay : bool
        Use AdamW's decoupled weight decay.

    As in PyTorch, ``betas`` must be two floats (``(0, 0.99)`` is rejected: write ``(0.0, 0.99)``).

    State per parameter: ``'step'`` (0-d float32 Tensor), ``'exp_avg'``, ``'exp_avg_sq'`` and
    ``'max_exp_avg_sq'`` (amsgrad).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        name = type(self).__name__
        check_non_negative(name, lr=lr, eps=eps)
        check_betas(name, betas)
        check_non_negative(name, weight_decay=weight_decay)
        if not all(isinstance(beta, float) for beta in betas):
            # PyTorch's condition ("both floats or both Tensors"; Tensors are rejected above): ints are refused too
            raise ValueError(f"{name}: betas must be floats, but got {tuple(betas)!r}")
        check_implementation_flags(
            name, foreach=foreach, fused=fused, capturable=capturable, differentiable=differentiable
        )
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one Adam step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p, group) for p in params]
            beta1, beta2 = group["betas"]
            adam(
                params,
                [p.grad for p in params],
                [s["exp_avg"] for s in states],
                [s["exp_avg_sq"] for s in states],
                [s["max_exp_avg_sq"] for s in states] if group["amsgrad"] else None,
                [s["step"] for s in states],
                lr=group["lr"],
                beta1=beta1,
                beta2=beta2,
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
            )
        return loss

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        return state


class AdamW(Adam):
    """AdamW (``torch.optim.AdamW``): Adam with decoupled weight decay, θ ← θ - γλθ before the Adam step.

    Same parameters as :class:`Adam` except the default ``weight_decay=1e-2``; the update is :func:`adam` with
    ``decoupled_weight_decay=True``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


def adam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    max_exp_avg_sqs: list[Tensor] | None,
    state_steps: list[Tensor],
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
    decoupled_weight_decay: bool,
) -> None:
    r"""Adam/AdamW update, in place on ``params`` and the state lists (``max_exp_avg_sqs`` given: AMSGrad).

    For each parameter θ with gradient ∇, at step t = 1, 2, ... (the counter is incremented first), with
    m_0 = v_0 = v_0^max = 0::

        g_t = ±∇                                 (minus when maximizing)
        θ_{t-1} ← θ_{t-1} (1 - γλ)              decoupled weight decay (AdamW)
        g_t ← g_t + λ θ_{t-1}                    otherwise (L2 penalty)
        m_t = β1 m_{t-1} + (1 - β1) g_t
        v_t = β2 v_{t-1} + (1 - β2) g_t²
        v̂_t = v_t, or with AMSGrad v_t^max = max(v_{t-1}^max, v_t) and v̂_t = v_t^max
        θ_t = θ_{t-1} - (γ / (1 - β1^t)) m_t / (√v̂_t / √(1 - β2^t) + ε)

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
        denom = np.empty_like(m)
        lerp_(m, g, 1 - beta1, scratch=denom)
        v *= beta2
        add_squared_(v, g, 1 - beta2, scratch=denom)
        if max_exp_avg_sqs is not None:
            v = np.maximum(max_exp_avg_sqs[i]._data, v, out=max_exp_avg_sqs[i]._data)
        step_size = lr / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        np.sqrt(v, out=denom)
        denom /= bias_correction2_sqrt
        denom += eps
        # θ += (-step_size · m) / denom, in PyTorch's order of rounding
        update = np.multiply(m, -step_size, out=np.empty_like(m))
        update /= denom
        w += update
        param._version_box[0] += 1
