"""Gradient clipping, in place on the ``.grad`` of parameters (run after ``backward``, before ``step``)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

import autograd
from autograd import Tensor, no_grad


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their joint ``norm_type``-norm is at most ``max_norm``.

    The norm is taken over all gradients as if concatenated into one vector (``inf``: the largest absolute
    value). Each gradient is multiplied by min(1, max_norm / (total_norm + 1e-6)). ``foreach`` is accepted for
    compatibility and ignored.

    Returns
    -------
    Tensor
        The total norm of the gradients before clipping (0-d).
    """
    grads = _grads(parameters)
    if not grads:
        return autograd.tensor(0.0)
    norm_type = float(norm_type)
    arrays = [g.detach().numpy() for g in grads]
    if math.isinf(norm_type):
        per_grad = [np.max(np.abs(a)) if a.size else 0.0 for a in arrays]
        total = float(np.max(per_grad))
    else:
        total = float(np.sum([np.sum(np.abs(a.astype(np.float64)) ** norm_type) for a in arrays]) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    coef = min(1.0, float(max_norm) / (total + 1e-6))
    with no_grad():
        for g in grads:
            g.mul_(coef)
    return autograd.tensor(total, dtype=grads[0].dtype)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.copy_(autograd.clamp(g, -clip_value, clip_value))
