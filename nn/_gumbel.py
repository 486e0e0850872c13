"""``gumbel_softmax``: differentiable samples from a categorical distribution given by its logits (the
Gumbel-softmax or concrete distribution; Jang et al. 2016, Maddison et al. 2016)."""

from __future__ import annotations

import warnings

import numpy as np

import autograd
from autograd import Tensor

__all__ = ["gumbel_softmax"]


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) along ``dim``, with g = -log(E), E ~ Exponential(1) i.i.d. (Gumbel(0, 1)
    noise drawn from autograd's global generator, see ``autograd.manual_seed``).

    ``hard=True`` returns the one-hot vector of the sample's argmax (first among ties) in the forward pass
    and the soft sample's gradient in the backward pass (straight-through: y_hard - y_soft.detach() + y_soft).
    ``tau`` is not validated (0 gives NaN, as PyTorch); ``eps`` is deprecated and unused (a warning when set).

    Shapes: logits any shape (float), output the same shape and dtype.
    """
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    if not logits.is_floating_point():
        raise RuntimeError(f"gumbel_softmax: the Gumbel noise is continuous, so logits must have a floating "
                           f"dtype, got {logits.dtype}")
    # Uniform samples in float64, so E = -log(u) is finite and positive (u = 0 has probability 2**-53).
    uniform = autograd.rand(tuple(logits.shape), dtype=np.float64)
    gumbels = -autograd.log(-autograd.log(uniform))
    y_soft = autograd.softmax((logits + gumbels.to(logits.dtype)) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.detach().argmax(dim, keepdim=True)
    y_hard = autograd.zeros_like(y_soft).scatter(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
