"""Activation functions of ``nn.functional`` that autograd has no op for, composed of its differentiable ops.

Each is a few ``where``/``clamp``/``exp`` nodes, so first and higher derivatives come from the ops' own
backward passes. The compositions are chosen to give PyTorch 2.13's values *and* gradients at the edges:
which side of a kink owns the boundary point (e.g. the slope of ``hardsigmoid`` is 1/6 on the open interval
(-3, 3) and 0 at its ends), NaN propagation (a NaN input gives a NaN output), signed zeros, and no overflow
for large |x|.

``inplace=True`` is accepted where PyTorch has it; the result is computed out of place (see
``nn.functional``). Integer inputs are promoted to the default dtype (PyTorch raises for most of these).
"""

from __future__ import annotations

import math

import autograd
from autograd import Tensor
from nn._checks import wrap_dim

__all__ = ["relu6", "celu", "mish", "prelu", "hardswish", "hardsigmoid", "softsign", "softshrink", "hardshrink",
           "tanhshrink", "threshold", "glu", "logsigmoid", "rrelu"]


def _float(input: Tensor) -> Tensor:
    return input if input.is_floating_point() else input.float()


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6);  d/dx = 1 on the open interval (0, 6), else 0 (``hardtanh(x, 0, 6)``).

    Shape: any.
    """
    return autograd.hardtanh(input, 0.0, 6.0)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha * (exp(x / alpha) - 1);  d/dx = 1 where x > 0, else exp(x / alpha).

    Shape: any. ``alpha`` must be non-zero.
    """
    if alpha == 0:
        raise RuntimeError("celu: alpha cannot be 0 (the input is divided by it)")
    x = _float(input)
    # The exponential sees min(x, 0) only, so a large positive x cannot overflow into the unused branch
    # (whose zero gradient times an infinite exp would be NaN). ``x <= 0`` picks the branch so that NaN
    # falls to the identity branch, whose gradient is 1, as PyTorch's.
    negative = alpha * autograd.expm1(x.clamp(max=0.0) / alpha)
    return autograd.where(x <= 0, negative, x)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomised leaky ReLU: x where x > 0, else a * x.

    In training, each element draws its own slope a from U(lower, upper) (d/dx = a there); otherwise a is the
    mean slope (lower + upper) / 2, a ``leaky_relu``. Shape: any.
    """
    if lower > upper:
        raise RuntimeError(f"rrelu: the lower bound ({lower}) of the slopes must not exceed the upper bound ({upper})")
    x = _float(input)
    if not training:
        return autograd.leaky_relu(x, (lower + upper) / 2)
    slopes = autograd.rand(*x.shape, dtype=x.dtype) * (upper - lower) + lower
    # ``x <= 0`` picks the branch so that NaN falls to the identity, whose gradient is 1, as PyTorch's
    return autograd.where(x <= 0, x * slopes, x)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x));  d/dx = tanh(sp) + x * sigmoid(x) * (1 - tanh(sp)**2), sp = softplus(x).

    Shape: any. The softplus here has no linear threshold, as PyTorch's mish, and cannot overflow.
    """
    x = _float(input)
    return x * autograd.tanh(autograd.softplus(x, 1.0, math.inf))


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight * x, with one slope per channel (dim 1) or one shared slope.

    Shapes: input (N, C, *) or, with a single slope, any shape (a 1-D input has one channel); weight () or
    (1,) or (C,). d/dx = weight where x <= 0; d/dweight = x where x <= 0, summed over the channel's elements.
    """
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: expected weight to be a scalar or a 1-D tensor, got weight of shape "
                           f"{list(weight.shape)}")
    channels = input.shape[1] if input.ndim >= 2 else 1
    count = weight.numel()
    if count != 1 and count != channels:
        raise RuntimeError(f"prelu: weight has {count} parameters, but the input of shape {list(input.shape)} has "
                           f"{channels} channel(s) (dim 1); expected 1 or {channels} parameters")
    x = _float(input)
    slope = weight.reshape(()) if count == 1 else weight.reshape(channels, *(1,) * (input.ndim - 2))
    return autograd.where(x > 0, x, slope * x)


def _inside_three(x: Tensor) -> Tensor:
    """Where -3 < x < 3: the open interval on which hardswish and hardsigmoid have their sloped piece. It is
    tested on x itself, as PyTorch does, not on x + 3, which can round onto a bound."""
    return (x > -3) & (x < 3)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6: 0 for x <= -3, x * (x + 3) / 6 on (-3, 3), x for x >= 3;
    d/dx = 0, x / 3 + 1/2 and 1 on those pieces (at -3: 0, at 3: 1, as PyTorch).

    Shape: any.
    """
    x = _float(input)
    inside = _inside_three(x)
    # The quadratic piece sees x only inside (-3, 3) and 0 elsewhere, so that an infinite x gives no 0 * inf
    # in its (unused) gradient. x * 0 on the left: PyTorch's value there is a signed zero. NaN is outside and
    # not <= -3, so it takes the identity piece, whose gradient is 1 (PyTorch's vectorised kernel).
    middle = autograd.where(inside, x, 0.0)
    return autograd.where(inside, middle * (middle + 3) / 6, autograd.where(x <= -3, x * 0, x))


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6;  d/dx = 1/6 on the open interval (-3, 3), else 0.

    Shape: any.
    """
    x = _float(input)
    shifted = x + 3
    return autograd.where(_inside_three(x), shifted, shifted.detach().clamp(0.0, 6.0)) / 6


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|);  d/dx = 1 / (1 + |x|)**2.

    Shape: any.
    """
    x = _float(input)
    return x / (autograd.abs(x) + 1)


def _check_lambd(name: str, lambd: float) -> None:
    if not lambd >= 0:
        raise RuntimeError(f"{name}: lambd must be >= 0, got {lambd}")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd for x > lambd, x + lambd for x < -lambd, else 0;  d/dx = 1 outside [-lambd, lambd], else 0.

    Shape: any. ``lambd`` must be >= 0.
    """
    _check_lambd("softshrink", lambd)
    x = _float(input)
    # x * 0 in the dead band keeps PyTorch's signed zero and lets NaN through.
    return autograd.where(x > lambd, x - lambd, autograd.where(x < -lambd, x + lambd, x * 0))


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0;  d/dx = 1 outside [-lambd, lambd], else 0 (also at NaN).

    Shape: any. A negative ``lambd`` makes it the identity, as in PyTorch.
    """
    x = _float(input)
    # PyTorch passes NaN through (it is not in the band) but gives it no gradient (it is not outside either).
    outside = (x < -lambd) | (x > lambd)
    return autograd.where(outside, x, autograd.where((x >= -lambd) & (x <= lambd), 0.0, x.detach()))


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x);  d/dx = tanh(x)**2.

    Shape: any.
    """
    x = _float(input)
    return x - autograd.tanh(x)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else ``value``;  d/dx = 1 where x > threshold, else 0.

    Shape: any. NaN is kept (it is not <= threshold), as in PyTorch.
    """
    return autograd.where(input <= threshold, value, input)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: a * sigmoid(b), where a and b are the first and second halves of ``input`` along
    ``dim``.

    Shapes: input (*, 2M, *) → (*, M, *). d/da = sigmoid(b); d/db = a * sigmoid(b) * (1 - sigmoid(b)).
    """
    if input.ndim == 0:
        raise RuntimeError("glu: does not support a 0-d input (a scalar), since it halves a dimension")
    axis = wrap_dim("glu", dim, input.ndim)
    size = input.shape[axis]
    if size % 2:
        raise RuntimeError(f"glu: halving dimension must be even, but dimension {axis} of the input of shape "
                           f"{list(input.shape)} has size {size}")
    x = _float(input)
    half = size // 2
    return autograd.narrow(x, axis, 0, half) * autograd.sigmoid(autograd.narrow(x, axis, half, half))


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x);  d/dx = sigmoid(-x).

    Shape: any. Exact for every x: for x << 0 it is x - exp(x) (not log of an underflowed 0), for x >> 0
    it is -exp(-x) (not 0 from 1 - 1).
    """
    x = _float(input)
    return -autograd.softplus(-x, 1.0, math.inf)
