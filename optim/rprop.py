"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign and shrink when it flips."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from optim._arithmetic import advance_step
from optim._docs import shared_parameter_docs
from optim._validation import check_hyperparameters, check_implementation_flags
from optim.optimizer import Optimizer, ParamsT, gather, state_like

__all__ = ["Rprop", "rprop"]


@shared_parameter_docs
class Rprop(Optimizer):
    """Resilient backpropagation (``torch.optim.Rprop``, the Rprop- variant); the update is :func:`rprop`.

    Only the sign of the gradient is used, so Rprop suits full-batch training rather than mini-batches.

    Parameters
    ----------
    {params}
    lr : float
        Initial step size of every coordinate.
    etas : (float, float)
        (η-, η+): factors that shrink and grow a step size, with 0 < η- < 1 < η+.
    step_sizes : (float, float)
        (minimal, maximal) step size.
    {capturable, foreach, maximize, differentiable}

    State per parameter: ``'step'`` (0-d float32 Tensor), ``'prev'`` (the gradient used last step) and
    ``'step_size'`` (one step size per coordinate, starting at the group's lr of the first step).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters("Rprop", lr=lr, etas=etas)
        check_implementation_flags("Rprop", foreach=foreach, capturable=capturable, differentiable=differentiable)
        defaults = dict(
            lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
            differentiable=differentiable, capturable=capturable,
        )
        super().__init__(params, defaults)

    def _new_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        return {"prev": state_like(p), "step_size": state_like(p, group["lr"])}

    def _update_group(self, group: dict[str, Any], params: list[Tensor], grads: list[Tensor]) -> None:
        prevs, step_sizes, steps = gather(self._states(params, group), "prev", "step_size", "step")
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        rprop(
            params, grads, prevs, step_sizes, steps, step_size_min=step_size_min, step_size_max=step_size_max,
            etaminus=etaminus, etaplus=etaplus, maximize=group["maximize"],
        )


def rprop(
    params: list[Tensor],
    grads: list[Tensor],
    prevs: list[Tensor],
    step_sizes: list[Tensor],
    state_steps: list[Tensor],
    *,
    step_size_min: float,
    step_size_max: float,
    etaminus: float,
    etaplus: float,
    maximize: bool,
) -> None:
    r"""Rprop update, in place on ``params`` and the state lists.

    For each coordinate of each parameter θ with gradient ∇ (g_t = ±∇, minus when maximizing), with g_0 = 0::

        s_t = clip(η+ s_{t-1}, s_min, s_max)    if g_t g_{t-1} > 0
        s_t = clip(η- s_{t-1}, s_min, s_max)    if g_t g_{t-1} < 0, and then g_t ← 0 (no move, and no
                                                 shrinking again next step)
        s_t = clip(s_{t-1}, s_min, s_max)       if g_t g_{t-1} = 0
        θ_t = θ_{t-1} - sign(g_t) s_t

    The g_t kept for the next step is the one after the reset. A NaN product leaves a NaN step size, as in PyTorch.
    """
    for i, param in enumerate(params):
        w = param._data
        advance_step(state_steps[i])
        grad = grads[i]._data
        g = np.negative(grad, out=np.empty_like(grad)) if maximize else grad.copy()
        prev = prevs[i]._data
        step_size = step_sizes[i]._data
        product = np.multiply(g, prev, out=np.empty_like(g))
        factor = np.sign(product, out=product)
        flipped = factor < 0
        factor[factor > 0] = etaplus
        factor[flipped] = etaminus
        factor[factor == 0] = 1
        step_size *= factor
        np.clip(step_size, step_size_min, step_size_max, out=step_size)
        g[flipped] = 0
        update = np.sign(g, out=factor)
        update *= step_size
        w -= update
        prev[...] = g
        param._version_box[0] += 1
