"""Flatten parameters into one vector and back (e.g. for line searches or second-order methods)."""

from __future__ import annotations

from collections.abc import Iterable

import autograd
from autograd import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated in order into one 1-D Tensor (differentiable)."""
    return autograd.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each parameter's data the next slice of ``vec`` (reshaped; shares memory with ``vec``)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected vec to be a Tensor, but got: {type(vec).__name__}")
    flat = vec.detach().numpy()
    params = list(parameters)
    needed = sum(p.numel() for p in params)
    if flat.ndim != 1 or flat.size != needed:
        raise RuntimeError(f"vector_to_parameters: expected a 1-D vector of {needed} elements, got shape "
                           f"{list(flat.shape)}")
    offset = 0
    for p in params:
        p.data = flat[offset:offset + p.numel()].reshape(p.shape)
        offset += p.numel()
