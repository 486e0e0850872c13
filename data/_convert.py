"""The one place where the data package meets the autograd core: Tensor <-> ndarray and random streams."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd


def is_tensor(value: Any) -> bool:
    """Whether ``value`` is an ``autograd.Tensor``."""
    return isinstance(value, autograd.Tensor)


def to_numpy(value: Any) -> np.ndarray:
    """Return ``value`` as an ndarray: a Tensor's data (detached from any graph), or ``np.asarray(value)``."""
    if is_tensor(value):
        return value.detach().numpy()
    return np.asarray(value)


def to_tensor(array: np.ndarray) -> autograd.Tensor:
    """Wrap an ndarray in a Tensor without copying (dtype and shape kept)."""
    return autograd.from_numpy(array)


def numpy_rng(generator: autograd.Generator | None) -> np.random.Generator:
    """The numpy stream behind ``generator``, or behind the global ``autograd.default_generator`` if None.

    Looked up at every call, so ``autograd.manual_seed`` takes effect immediately.
    """
    source = autograd.default_generator if generator is None else generator
    return source.numpy_rng
