"""In-place numpy pieces that several update rules share, each rounded the way PyTorch's kernels round.

The update functions (``optim/adam.py``'s :func:`adam`, ...) are written with these, so that a step count, a
weight decay or a running average is computed in one place and agrees with PyTorch's to the last bits.
"""

from __future__ import annotations

import numpy as np

from autograd.tensor import Tensor


def advance_step(step_count: Tensor) -> float:
    """Add 1 to a ``state['step']`` counter in place; returns the new count t (1 at the first step)."""
    count = step_count._data
    count += 1
    return float(count)


def regularized_grad(grad: np.ndarray, param: np.ndarray, weight_decay: float, maximize: bool) -> np.ndarray:
    """The gradient an update uses: ``±grad + weight_decay * param`` (minus sign when maximizing).

    Returns ``grad`` itself when nothing changes it, so callers must treat the result as read-only; otherwise a new
    array (never a numpy scalar, even for a 0-d parameter, so it can serve as an ``out=`` buffer).
    """
    g = np.negative(grad, out=np.empty_like(grad)) if maximize else grad
    if weight_decay != 0:
        decayed = np.multiply(param, weight_decay, out=np.empty_like(param))
        decayed += g
        return decayed
    return g


def decayed_grad(
    grad: np.ndarray, param: np.ndarray, *, lr: float, weight_decay: float, decoupled: bool, maximize: bool
) -> np.ndarray:
    """Weight decay as the Adam family applies it; returns the gradient the moments are built from.

    Decoupled (AdamW): ``param ← param (1 - lr · weight_decay)`` in place, and the gradient is ``±grad``.
    Otherwise the decay is an L2 penalty: ``±grad + weight_decay · param`` (see :func:`regularized_grad`).
    """
    if decoupled and weight_decay != 0:
        param *= 1 - lr * weight_decay
    return regularized_grad(grad, param, 0 if decoupled else weight_decay, maximize)


def lerp_(start: np.ndarray, end: np.ndarray, weight: float, scratch: np.ndarray | None = None) -> None:
    """``start ← start + weight (end - start)`` in place, the running-average update of the Adam family.

    Computed from the nearer end (``end - (1 - weight)(end - start)`` when weight >= 0.5), as PyTorch's ``lerp_``
    rounds, so that moment estimates agree with PyTorch's to the last bits rather than drifting apart.
    ``scratch`` (an array like ``start``) spares an allocation; its contents are overwritten.
    """
    diff = np.subtract(end, start, out=np.empty_like(start) if scratch is None else scratch)
    if abs(weight) < 0.5:
        diff *= weight
        start += diff
    else:
        diff *= 1 - weight
        np.subtract(end, diff, out=start)


def add_squared_(avg: np.ndarray, g: np.ndarray, value: float, scratch: np.ndarray | None = None) -> None:
    """``avg ← avg + value g²`` in place (PyTorch's ``addcmul_(g, g, value=value)``, rounded the same way).

    ``scratch`` (an array like ``avg``) spares an allocation; its contents are overwritten.
    """
    scaled = np.multiply(g, value, out=np.empty_like(avg) if scratch is None else scratch)
    scaled *= g
    avg += scaled


def average_squares_(avg: np.ndarray, g: np.ndarray, decay: float, scratch: np.ndarray | None = None) -> None:
    """``avg ← decay · avg + (1 - decay) g²`` in place: the running average of squares (Adam's v, RMSprop's).

    ``scratch`` (an array like ``avg``) spares an allocation; its contents are overwritten.
    """
    avg *= decay
    add_squared_(avg, g, 1 - decay, scratch=scratch)
