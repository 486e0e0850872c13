"""ASGD: SGD with a decaying step size and a running (Polyak-Ruppert) average of the iterates."""

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
    new_scalar_state,
    new_step_count,
    regularized_grad,
)

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    """Averaged stochastic gradient descent (``torch.optim.ASGD``); the update is :func:`asgd`.

    The parameters follow plain SGD with step size η_t; the average of the iterates since step ``t0`` is kept in
    ``state[p]['ax']`` (copy it into the parameters for evaluation).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Tensors to optimize, or parameter groups.
    lr : float
        Learning rate γ.
    lambd : float
        Decay term λ: shrinks the parameter by λη_t each step and slows the decay of η_t.
    alpha : float
        Power α of the step-size decay η_t = γ / (1 + λγt)^α.
    t0 : float
        Step at which averaging starts (before it, the "average" is the current iterate).
    weight_decay : float
        L2 penalty.
    foreach : bool or None
        PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).
    maximize : bool
        Ascend the objective instead of descending it.
    differentiable, capturable : bool
        Must be False (recording the step for autograd; CUDA graph capture).

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
        check_non_negative("ASGD", lr=lr, weight_decay=weight_decay)
        check_implementation_flags("ASGD", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one ASGD step on every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            states = [self._init_state(p, group) for p in params]
            asgd(
                params,
                [p.grad for p in params],
                [s["ax"] for s in states],
                [s["mu"] for s in states],
                [s["eta"] for s in states],
                [s["step"] for s in states],
                lr=group["lr"],
                lambd=group["lambd"],
                alpha=group["alpha"],
                t0=group["t0"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
            )
        return loss

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p]
        if not state:
            state["step"] = new_step_count()
            state["eta"] = new_scalar_state(group["lr"])
            state["mu"] = new_scalar_state(1.0)
            state["ax"] = Tensor._make(np.zeros_like(p._data))
        return state


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
        step_count = state_steps[i]._data
        step_count += 1
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
        step = float(step_count)
        # rounded to float32 even when the state tensors are float64 (after loading a state dict), because PyTorch
        # builds the new values as default-dtype (float32) tensors before copying them into the state
        eta[...] = np.float32(lr / ((1 + lambd * lr * step) ** alpha))
        mu[...] = np.float32(1 / max(1, step - t0))
        param._version_box[0] += 1
