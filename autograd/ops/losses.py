"""Loss ops whose backward is not the derivative of their forward as written, so they cannot be compositions.

``binary_cross_entropy`` clamps its logs (as PyTorch), and its backward is ATen's: finite at probabilities
of exactly 0 and 1, where the derivative of the clamped logs would be 0 or undefined.
"""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.elementwise import log, log1p
from autograd.ops.registry import Sample, register_op

__all__: list[str] = []  # used through nn.functional

BCE_EPSILON = float(np.float32(1e-12))  # ATen's clamp of x * (1 - x): the float 1e-12, 9.99999996e-13 as a double


@register_op("binary_cross_entropy",
             samples=[Sample((3, 4), (3, 4), low=0.1, high=0.9), Sample((), (), low=0.2, high=0.8)])
class BinaryCrossEntropy(Function):
    """l = (y - 1) * max(log(1 - x), -100) - y * max(log(x), -100), elementwise (ATen's binary_cross_entropy);
    dl/dx = (x - y) / max(x * (1 - x), 1e-12) and dl/dy = log(1 - x) - log(x), as ATen.

    Inside (0, 1) these are the derivatives of the forward. At x = y in {0, 1} the input gradient is 0 and at
    x = 1 - y in {0, 1} it is -+1e12, while dl/dy is infinite there. Written with Tensor ops, so second
    derivatives follow from them.
    """

    @staticmethod
    def forward(ctx, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):  # log(0) = -inf, clamped to -100 as PyTorch
            return (y - 1) * np.maximum(np.log1p(-x), -100.0) - y * np.maximum(np.log(x), -100.0)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.input(0), ctx.input(1)
        need_x, need_y = ctx.needs_input_grad
        grad_x = grad * (x - y) / (x * (1 - x)).clamp(min=BCE_EPSILON) if need_x else None
        grad_y = grad * (log1p(-x) - log(x)) if need_y else None
        return grad_x, grad_y
