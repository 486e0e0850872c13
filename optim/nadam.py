"""NAdam: Adam with Nesterov momentum, whose momentum coefficient warms up over the first steps (Dozat, 2016)."""

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
    new_scalar_state,
    new_step_count,
    regularized_grad,
)

__all__ = ["NAdam", "nadam"]


class NAdam(Optimizer):
    """NAdam (``torch.optim.NAdam``); the update is :func:`nadam`.

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
        the parameter by γλ each step (NAdamW).
    momentum_decay : float
        ψ in the momentum schedule μ_t = β1 (1 - 0.96^(tψ) / 2).
    decoupled_weight_decay : bool
        Decouple the weight decay from the moments, as AdamW does.
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    capturable, differentiable : bool
        Must be False (CUDA graph capture; recording the step for autograd).

    State per parameter: ``'step'`` and ``'mu_product'`` (0-d float32 Tensors, the latter ∏ μ_i), ``'exp_avg'``
    and ``'exp_avg_sq'``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative("NAdam", lr=lr, eps=eps)
        check_betas("NAdam", betas)
        check_non_negative("NAdam", weight_decay=weight_decay, momentum_decay=momentum_decay)
        check_implementation_flags("NAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one NAdam step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p) for p in params]
            beta1, beta2 = group["betas"]
            nadam(
                params,
                [p.grad for p in params],
                [s["exp_avg"] for s in states],
                [s["exp_avg_sq"] for s in states],
                [s["mu_product"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                beta1=beta1,
                beta2=beta2,
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                momentum_decay=group["momentum_decay"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["mu_product"] = new_scalar_state(1.0)
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        return state


def nadam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    mu_products: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    momentum_decay: float,
    decoupled_weight_decay: bool,
    maximize: bool,
) -> None:
    r"""NAdam update, in place on ``params`` and the state lists.

    For each parameter θ with gradient ∇, at step t = 1, 2, ... (the counter is incremented first), with
    m_0 = v_0 = 0 and the product Π_0 = 1::

        g_t = ±∇                                  (minus when maximizing)
        θ_{t-1} ← θ_{t-1} (1 - γλ)               decoupled weight decay
        g_t ← g_t + λ θ_{t-1}                     otherwise (L2 penalty)
        μ_t = β1 (1 - 0.96^(t ψ) / 2),   μ_{t+1} = β1 (1 - 0.96^((t+1) ψ) / 2)
        Π_t = Π_{t-1} μ_t
        m_t = β1 m_{t-1} + (1 - β1) g_t
        v_t = β2 v_{t-1} + (1 - β2) g_t²
        d_t = √(v_t / (1 - β2^t)) + ε
        θ_t = θ_{t-1} - γ (1 - μ_t) / (1 - Π_t) · g_t / d_t - γ μ_{t+1} / (1 - Π_t μ_{t+1}) · m_t / d_t

    with learning rate γ, weight decay λ and momentum decay ψ. Π_t is kept in the dtype of its state tensor
    (float32, as PyTorch), so the step sizes round exactly as PyTorch's do.
    """
    for i, param in enumerate(params):
        w = param._data
        step_count = state_steps[i]._data
        step_count += 1
        step = float(step_count)
        bias_correction2 = 1 - beta2**step
        if decoupled_weight_decay and weight_decay != 0:
            w *= 1 - lr * weight_decay
        g = regularized_grad(grads[i]._data, w, 0 if decoupled_weight_decay else weight_decay, maximize)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        mu_product = mu_products[i]._data
        mu_product *= mu_product.dtype.type(mu)
        product = float(mu_product)
        m = exp_avgs[i]._data
        v = exp_avg_sqs[i]._data
        lerp_(m, g, 1 - beta1)
        v *= beta2
        add_squared_(v, g, 1 - beta2)
        denom = np.divide(v, bias_correction2, out=np.empty_like(v))
        np.sqrt(denom, out=denom)
        denom += eps
        # the gradient's share and the momentum's share, each added as (coefficient · x) / denom
        update = np.multiply(g, -lr * (1.0 - mu) / (1.0 - product), out=np.empty_like(v))
        update /= denom
        w += update
        np.multiply(m, -lr * mu_next / (1.0 - product * mu_next), out=update)
        update /= denom
        w += update
        param._version_box[0] += 1
