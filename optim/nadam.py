"""NAdam: Adam with Nesterov momentum, whose momentum coefficient warms up over the first steps (Dozat, 2016)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, average_squares_, decayed_grad, lerp_
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, new_scalar_state, options, state_like

__all__ = ["NAdam", "nadam"]


@shared_parameter_docs
class NAdam(Optimizer):
    """NAdam (``torch.optim.NAdam``); the update is :func:`nadam`.

    Parameters
    ----------
    {params, lr, betas, eps, adam_weight_decay}
    momentum_decay : float
        ψ in the momentum schedule μ_t = β1 (1 - 0.96^(tψ) / 2).
    {decoupled_weight_decay, foreach, maximize, capturable, differentiable}

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
        check_hyperparameters(
            "NAdam", lr=lr, eps=eps, betas=betas, weight_decay=weight_decay, momentum_decay=momentum_decay
        )
        check_implementation_flags("NAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"mu_product": new_scalar_state(1.0), "exp_avg": state_like(p), "exp_avg_sq": state_like(p)}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        states = self._states(params, group)
        exp_avgs, exp_avg_sqs, mu_products, steps = gather(states, "exp_avg", "exp_avg_sq", "mu_product", "step")
        beta1, beta2 = group["betas"]
        hyperparameters = options(
            group, "lr", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "maximize"
        )
        nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, steps, beta1=beta1, beta2=beta2, **hyperparameters)


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
        step = advance_step(state_steps[i])
        bias_correction2 = 1 - beta2**step
        g = decayed_grad(
            grads[i]._data, w, lr=lr, weight_decay=weight_decay, decoupled=decoupled_weight_decay, maximize=maximize
        )
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        mu_product = mu_products[i]._data
        mu_product *= mu_product.dtype.type(mu)
        product = float(mu_product)
        m = exp_avgs[i]._data
        v = exp_avg_sqs[i]._data
        lerp_(m, g, 1 - beta1)
        average_squares_(v, g, beta2)
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
