"""ASGD: SGD with a decaying step size and a running (Polyak-Ruppert) average of the iterates."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step, regularized_grad
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, new_scalar_state, options, state_like

__all__ = ["ASGD", "asgd"]


@shared_parameter_docs
class ASGD(Optimizer):
    """Averaged stochastic gradient descent (``torch.optim.ASGD``); the update is :func:`asgd`.

    The parameters follow plain SGD with step size η_t; the average of the iterates since step ``t0`` is kept in
    ``state[p]['ax']`` (copy it into the parameters for evaluation).

    Parameters
    ----------
    {params, lr}
    lambd : float
        Decay term λ: shrinks the parameter by λη_t each step and slows the decay of η_t.
    alpha : float
        Power α of the step-size decay η_t = γ / (1 + λγt)^α.
    t0 : float
        Step at which averaging starts (before it, the "average" is the current iterate).
    {weight_decay, foreach, maximize, differentiable, capturable}

    As in PyTorch every argument may be given by position. State per parameter: ``'step'``, ``'eta'`` (η_t) and
    ``'mu'`` (the averaging weight), 0-d float32 Tensors, and ``'ax'`` (the average).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_hyperparameters("ASGD", lr=lr, weight_decay=weight_decay)
        check_implementation_flags("ASGD", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
            differentiable=differentiable, capturable=capturable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"eta": new_scalar_state(group["lr"]), "mu": new_scalar_state(1.0), "ax": state_like(p)}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        axs, mus, etas, steps = gather(self._states(params, group), "ax", "mu", "eta", "step")
        hyperparameters = options(group, "lr", "lambd", "alpha", "t0", "weight_decay", "maximize")
        asgd(params, grads, axs, mus, etas, steps, **hyperparameters)


def asgd(
    params: list[Tensor],
    grads: list[Tensor],
    axs: list[Tensor],
    mus: list[Tensor],
    etas: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float,
    lambd: float,
    alpha: float,
    t0: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""ASGD update, in place on ``params`` and the state lists.

    For each parameter θ with gradient ∇, at step t = 1, 2, ... (the counter is incremented first), with
    η_1 = γ, μ_1 = 1 and ā_0 = 0::

        g_t = ∇ + w θ_{t-1}                       (g_t = -∇ + w θ_{t-1} when maximizing; w = weight_decay)
        θ_t = θ_{t-1} (1 - λ η_t) - η_t g_t
        ā_t = ā_{t-1} + μ_t (θ_t - ā_{t-1})     (ā_t = θ_t while μ_t = 1)
        η_{t+1} = γ / (1 + λ γ t)^α
        μ_{t+1} = 1 / max(1, t - t0)

    with learning rate γ, decay λ, power α. η and μ are rounded to float32 (as PyTorch does) before they are used.
    """
    for i, param in enumerate(params):
        w = param._data
        step = advance_step(state_steps[i])
        g = regularized_grad(grads[i]._data, w, weight_decay, maximize)
        eta = etas[i]._data
        mu = mus[i]._data
        eta_value = float(eta)
        w *= 1 - lambd * eta_value
        w -= np.multiply(g, eta_value, out=np.empty_like(w))
        ax = axs[i]._data
        mu_value = float(mu)
        if mu_value != 1:
            moved = np.subtract(w, ax, out=np.empty_like(ax))
            moved *= mu_value
            ax += moved
        else:
            ax[...] = w
        # rounded to float32 even when the state tensors are float64 (after loading a state dict), because PyTorch
        # builds the new values as default-dtype (float32) tensors before copying them into the state
        eta[...] = np.float32(lr / ((1 + lambd * lr * step) ** alpha))
        mu[...] = np.float32(1 / max(1, step - t0))
        param._version_box[0] += 1
