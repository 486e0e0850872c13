"""In-place activations of ``nn.functional``: ``relu_``, ``elu_``, ``leaky_relu_``, ``hardtanh_``, ``selu_``,
``celu_``, ``rrelu_``, ``threshold_``.

Each computes its out-of-place activation and writes it into ``input`` with ``Tensor.copy_``, which bumps the
version counter, refuses leaves that require grad and views inside a recorded graph, and continues ``input``'s
history from the result. When that is recorded the activation reads a ``clone`` of the input, so a backward that
needs the old values finds them intact (PyTorch's in-place kernels compute their gradients from the result).
"""

from __future__ import annotations

from collections.abc import Callable

import autograd
from autograd import Tensor
from nn._activations import celu, rrelu
from nn._activations import threshold as _threshold

__all__ = ["relu_", "elu_", "leaky_relu_", "hardtanh_", "selu_", "celu_", "rrelu_", "threshold_"]


def _apply_in_place(name: str, input: Tensor, activation: Callable[[Tensor], Tensor], floats_only: bool) -> Tensor:
    """Write ``activation(input)`` into ``input``; returns ``input``."""
    if floats_only and input.dtype.kind != "f":
        raise NotImplementedError(f"{name}: not implemented for {input.dtype} input (floating point only)")
    recording = autograd.is_grad_enabled() and input.requires_grad
    if recording and input.is_leaf:
        raise RuntimeError(f"{name}: a leaf Variable that requires grad is being used in an in-place operation.")
    return input.copy_(activation(input.clone() if recording else input))


def relu_(input: Tensor) -> Tensor:
    """max(x, 0), in place; returns ``input``."""
    return _apply_in_place("relu_", input, autograd.relu, False)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """x where x > 0, else alpha * (exp(x) - 1), in place; returns ``input``."""
    return _apply_in_place("elu_", input, lambda x: autograd.elu(x, alpha), True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x where x > 0, else negative_slope * x, in place; returns ``input``."""
    return _apply_in_place("leaky_relu_", input, lambda x: autograd.leaky_relu(x, negative_slope), True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """x clipped to [min_val, max_val], in place; returns ``input``."""
    return _apply_in_place("hardtanh_", input, lambda x: autograd.hardtanh(x, min_val, max_val), False)


def selu_(input: Tensor) -> Tensor:
    """scale * elu(x, alpha) with PyTorch's fixed scale and alpha, in place; returns ``input``."""
    return _apply_in_place("selu_", input, autograd.selu, True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """x where x > 0, else alpha * (exp(x / alpha) - 1), in place; returns ``input``."""
    return _apply_in_place("celu_", input, lambda x: celu(x, alpha), True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """Randomised leaky ReLU (see ``rrelu``), in place; returns ``input``."""
    return _apply_in_place("rrelu_", input, lambda x: rrelu(x, lower, upper, training), True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """x where x > threshold, else ``value``, in place; returns ``input``."""
    return _apply_in_place("threshold_", input, lambda x: _threshold(x, threshold, value), False)
