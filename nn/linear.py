"""``Identity``, ``Linear`` (and ``NonDynamicallyQuantizableLinear``, the same) and ``Bilinear``, initialised
exactly as PyTorch initialises them."""

from __future__ import annotations

import math
from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn import init
from nn.module import Module
from nn.parameter import Parameter


class Identity(Module):
    """Returns its input unchanged; constructor arguments are accepted and ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        return input


class Linear(Module):
    """y = x @ weight.T + bias.

    Shapes: input (*, in_features) → output (*, out_features); weight (out_features, in_features), bias
    (out_features,). Initialisation: weight by ``kaiming_uniform_(a=sqrt(5))`` (U(-1/sqrt(in), 1/sqrt(in))),
    bias U(-1/sqrt(in_features), 1/sqrt(in_features)).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(autograd.empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(autograd.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._reset_weight_and_bias(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return autograd.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear`` under PyTorch's name for the output projection of ``MultiheadAttention`` (so the reprs
    agree); PyTorch uses the class to keep quantisation away from it, stepgrad has no quantisation."""


class Bilinear(Module):
    """y[..., k] = x1 @ weight[k] @ x2 + bias[k].

    Shapes: input1 (*, in1_features), input2 (*, in2_features) → (*, out_features); weight (out, in1, in2).
    Weight and bias are initialised U(-1/sqrt(in1_features), 1/sqrt(in1_features)).
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(autograd.empty(out_features, in1_features, in2_features, dtype=dtype))
        if bias:
            self.bias = Parameter(autograd.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
