"""Piecewise-linear activation modules: ``ReLU6``, ``Hardswish``, ``Hardsigmoid``, ``Hardshrink``,
``Softshrink``, ``Threshold``, ``RReLU`` (random slopes) and ``PReLU`` (learnable slopes), with PyTorch's
arguments, parameters and reprs.

Each is a thin wrapper over its ``nn.functional`` form; ``inplace=True`` is accepted and computed out of place.
Shapes: input (*), output of the same shape (``PReLU`` with several slopes: input (N, C, *)).
"""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn import init
from nn.activation import Hardtanh, _inplace
from nn.module import Module
from nn.parameter import Parameter


class ReLU6(Hardtanh):
    """min(max(x, 0), 6): ``Hardtanh(0, 6)``, as in PyTorch (where it is a subclass of Hardtanh too)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardswish(Module):
    """x * relu6(x + 3) / 6 (MobileNetV3). PyTorch prints no ``inplace`` for it, nor does stepgrad."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input, self.inplace)


class Hardsigmoid(Module):
    """relu6(x + 3) / 6, a piecewise-linear sigmoid. PyTorch prints no ``inplace`` for it, nor does stepgrad."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input, self.inplace)


class Hardshrink(Module):
    """x where |x| > lambd, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Softshrink(Module):
    """x - lambd for x > lambd, x + lambd for x < -lambd, else 0 (the soft-thresholding of sparse coding)."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Threshold(Module):
    """x where x > threshold, else ``value``."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace(self.inplace)}"


class RReLU(Module):
    """Randomised leaky ReLU: x where x > 0, else a * x, with a drawn per element from U(lower, upper) in training
    mode and a = (lower + upper) / 2 in evaluation mode (see ``F.rrelu``)."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{_inplace(self.inplace)}"


class PReLU(Module):
    """x where x > 0, else a * x, with learnable slopes a: one shared (``num_parameters=1``) or one per
    channel (dim 1 of the input, ``num_parameters=C``).

    Parameters: ``weight`` (num_parameters,), filled with ``init`` (0.25), as PyTorch's.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(autograd.empty(num_parameters, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
