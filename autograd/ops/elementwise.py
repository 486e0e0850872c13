"""Unary elementwise maths. Each op states y = f(x) and dy/dx in its docstring."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["exp", "log", "tanh", "relu"]

_SAMPLES = [Sample((3, 4)), Sample(()), Sample((2, 0))]
_POSITIVE = [Sample((3, 4), low=0.2, high=2.0), Sample((), low=0.2, high=2.0)]


@register_op("exp", samples=_SAMPLES)
class Exp(Function):
    """y = exp(x);  dy/dx = y."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.exp(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.output


@register_op("log", samples=_POSITIVE)
class Log(Function):
    """y = log(x);  dy/dx = 1 / x."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.inputs
        return grad / x


@register_op("tanh", samples=_SAMPLES)
class Tanh(Function):
    """y = tanh(x);  dy/dx = 1 - y**2."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        return grad * (1 - y * y)


@register_op("relu", samples=_SAMPLES)
class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad):
        return grad * (ctx.output > 0)


def exp(input: Any) -> Any:
    return Exp.apply(input)


def log(input: Any) -> Any:
    return Log.apply(input)


def tanh(input: Any) -> Any:
    return Tanh.apply(input)


def relu(input: Any) -> Any:
    return Relu.apply(input)
