"""Adam and AdamW: bias-corrected running moments of the gradient (decoupled weight decay for AdamW)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, average_squares_, decayed_grad, lerp_
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, options, state_like

__all__ = ["Adam", "AdamW", "adam"]


@shared_parameter_docs
class Adam(Optimizer):
    """Adam (``torch.optim.Adam``); the update is :func:`adam`.

    Parameters
    ----------
    {params, lr, betas, eps, adam_weight_decay}
    amsgrad : bool
        Normalize by the running maximum of the second moment estimate (AMSGrad).
    {foreach, maximize, capturable, differentiable, fused, decoupled_weight_decay}

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
        check_hyperparameters(name, lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        if not all(isinstance(beta, float) for beta in betas):
            # PyTorch's condition ("both floats or both Tensors"; Tensors are rejected above): ints are refused too
            raise ValueError(f"{name}: betas must be floats, but got {tuple(betas)!r}")
        check_implementation_flags(
            name, foreach=foreach, fused=fused, capturable=capturable, differentiable=differentiable
        )
        defaults = dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
            foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        state = {"exp_avg": state_like(p), "exp_avg_sq": state_like(p)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = state_like(p)
        return state

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        states = self._states(params, group)
        exp_avgs, exp_avg_sqs, steps = gather(states, "exp_avg", "exp_avg_sq", "step")
        max_exp_avg_sqs = [s["max_exp_avg_sq"] for s in states] if group["amsgrad"] else None
        beta1, beta2 = group["betas"]
        hyperparameters = options(group, "lr", "eps", "weight_decay", "maximize", "decoupled_weight_decay")
        adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, beta1=beta1, beta2=beta2, **hyperparameters)


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
            params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize, capturable=capturable,
            differentiable=differentiable, fused=fused, decoupled_weight_decay=True,
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
        step = advance_step(state_steps[i])
        g = decayed_grad(
            grads[i]._data, w, lr=lr, weight_decay=weight_decay, decoupled=decoupled_weight_decay, maximize=maximize
        )
        m = exp_avgs[i]._data
        v = exp_avg_sqs[i]._data
        denom = np.empty_like(m)
        lerp_(m, g, 1 - beta1, scratch=denom)
        average_squares_(v, g, beta2, scratch=denom)
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
