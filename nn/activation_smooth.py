"""Smooth activation modules: ``CELU``, ``Mish``, ``Softsign``, ``Tanhshrink`` and ``LogSigmoid``, with
PyTorch's arguments and reprs; thin wrappers over their ``nn.functional`` forms (``inplace=True`` is accepted
and computed out of place). Shapes: input (*), output of the same shape."""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.activation import _inplace, _WithInplace
from nn.module import Module


class CELU(Module):
    """x where x > 0, else alpha * (exp(x / alpha) - 1): an ELU that is continuously differentiable for any
    alpha."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace(self.inplace)}"


class Mish(_WithInplace):
    """x * tanh(softplus(x))."""

    function = staticmethod(F.mish)


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class Tanhshrink(Module):
    """x - tanh(x)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanhshrink(input)


class LogSigmoid(Module):
    """log(sigmoid(x)), computed without overflow or underflow for any x."""

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)
