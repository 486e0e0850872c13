"""Activation functions (used by ``nn.functional``): softmax, log_softmax, one_hot and the ReLU family.

``sigmoid`` and ``relu`` live in ``elementwise.py``, ``tanh`` in ``trigonometric.py``. Integer inputs are
promoted to the default dtype (PyTorch raises for most of these; promoting is the lenient choice). Ops that PyTorch
offers in place (``inplace=True``) write the result back through ``Tensor._assign_result``; the in-place forms
of ``leaky_relu`` and ``elu`` pass ``from_result=True``, so their backward reads the output alone (the input
is overwritten) and gives PyTorch's in-place values, which differ from the out-of-place ones at a few edges.

Edge values follow PyTorch 2.13, including its second derivatives, which are zero on the closed side of a kink
(elu at 0, softplus at the threshold; see ``_constant_unless``). At a NaN input PyTorch's CPU kernels disagree
with themselves: the vectorized loop, which handles all but the last few (< 16) elements of a tensor, gives
elu/selu a NaN gradient and hardtanh 0, its scalar tail (and so a tensor of one element) gives scale and 1. We
give every element the vectorized loop's value.

``softmax``/``log_softmax`` with ``dim=None`` follow PyTorch's legacy implicit rule (dim 0 for 0-, 1- and
3-dimensional inputs, else dim 1) and warn, as PyTorch does.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.elementwise import _floating, erf, erf_array, exp, sigmoid, sigmoid_array
from autograd.ops.reduction import normalize_dim
from autograd.ops.registry import Sample, register_op
from autograd.ops.trigonometric import tanh

# The functional forms, re-exported by ``autograd`` (``autograd.softmax``).
__all__ = ["softmax", "log_softmax", "one_hot", "leaky_relu", "elu", "selu", "gelu", "softplus", "hardtanh", "silu"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SAMPLES = [Sample((3, 4), low=-2.0, high=2.0), Sample(()), Sample((2, 0))]


def _stable_shift(x: np.ndarray, dim: int) -> np.ndarray:
    """x minus its maximum along ``dim``. An infinite maximum is subtracted too, as PyTorch does: a slice with
    +inf gives NaN throughout, one of -inf only gives NaN."""
    m = np.max(x, axis=dim, keepdims=True, initial=-np.inf)
    with np.errstate(invalid="ignore"):  # inf - inf
        return x - m


def _constant_unless(keep: np.ndarray, t: Any, value: Any) -> Any:
    """``t`` where ``keep``, else the constant ``value``: derivatives flow only where ``keep`` holds."""
    return Where.apply(keep, t, value)


@register_op("softmax", samples=[Sample((3, 4), dim=1), Sample((2, 3, 4), dim=0), Sample((), dim=0)])
class Softmax(Function):
    """y_i = exp(x_i) / sum_j exp(x_j) along ``dim`` (shifted by the maximum: no overflow);
    dL/dx = y * (g - sum(g * y))."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if x.ndim == 0:
            return np.ones_like(x)
        e = np.exp(_stable_shift(x, ctx.dim))
        return e / np.sum(e, axis=ctx.dim, keepdims=True)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        if y.ndim == 0:
            return grad * 0
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True))


@register_op("log_softmax", samples=[Sample((3, 4), dim=1), Sample((2, 3, 4), dim=0), Sample((), dim=0)])
class LogSoftmax(Function):
    """y_i = x_i - log(sum_j exp(x_j)) along ``dim`` (shifted by the maximum: finite at logits of 1e4);
    dL/dx = g - exp(y) * sum(g)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if x.ndim == 0:
            return np.zeros_like(x)
        shifted = _stable_shift(x, ctx.dim)
        return shifted - np.log(np.sum(np.exp(shifted), axis=ctx.dim, keepdims=True))

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output
        if y.ndim == 0:
            return grad * 0
        return grad - exp(y) * grad.sum(ctx.dim, keepdim=True)


@register_op("leaky_relu", samples=[Sample((3, 4)), Sample((3, 4), negative_slope=0.2), Sample(())])
class LeakyRelu(Function):
    """y = x for x > 0, else negative_slope * x;  dy/dx = 1 for x > 0, else negative_slope (NaN included).

    With ``from_result`` (the in-place form) the mask is y > 0, which is x > 0 for a slope >= 0 (a NaN then gets
    0 with slope 0, as in PyTorch); a negative slope cannot be undone from y, and backward raises as PyTorch's.
    """

    negative_slope = 0.01
    from_result = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, x, x * np.asarray(ctx.negative_slope, dtype=x.dtype))

    @staticmethod
    def backward(ctx, grad):
        slope = ctx.negative_slope
        if ctx.from_result and slope < 0:
            raise RuntimeError(f"leaky_relu_: in-place backward with a negative slope ({slope}) is not supported "
                               "(the input cannot be recovered from the output); use inplace=False")
        positive = (ctx.output if ctx.from_result else ctx.input(0))._data > 0
        return grad * wrap(np.where(positive, 1.0, slope).astype(grad.dtype))


@register_op("elu", samples=_SAMPLES + [Sample((3, 4), alpha=0.5, scale=2.0), Sample((3, 4), alpha=-0.5),
                              Sample((3, 4), alpha=0.5, from_result=True)])
class Elu(Function):
    """y = scale * x for x > 0, else scale * alpha * (exp(x) - 1);
    dy/dx = scale for x > 0, else scale * alpha * exp(x) (NaN at NaN, as PyTorch's vectorized kernel).

    ``selu`` is this op with PyTorch's fixed alpha and scale. With ``from_result`` (the in-place form) the
    derivative is read from y: y + scale * alpha where y <= 0, as PyTorch's in-place backward does (so it is 0
    where exp(x) is below y's precision); a negative alpha cannot be undone from y, and backward raises.
    """

    alpha = 1.0
    scale = 1.0
    from_result = False

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        negative = ctx.alpha * np.expm1(np.minimum(x, 0))
        return (ctx.scale * np.where(x > 0, x, negative)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        scale, alpha = ctx.scale, ctx.alpha
        zero = np.zeros((), dtype=grad.dtype)
        if ctx.from_result:
            if alpha < 0:
                raise RuntimeError(f"elu_: in-place backward with a negative alpha ({alpha}) is not supported (the "
                                   "input cannot be recovered from the output); use inplace=False")
            y = ctx.output
            slope = _constant_unless(~(y._data >= 0), y, zero) + scale * alpha
            return Where.apply(~(y._data > 0), grad * slope, grad * scale)
        x = ctx.input(0)
        # exp(min(x, 0)), NaN kept, without a derivative at x = 0 (PyTorch's second derivative is 0 there) and
        # without overflow above it; the negated tests send NaN to the exponential branch
        slope = exp(_constant_unless(~(x._data >= 0), x, zero)) * (scale * alpha)
        return Where.apply(~(x._data > 0), grad * slope, grad * scale)


@register_op("gelu", samples=_SAMPLES + [Sample((3, 4), low=-3.0, high=3.0, approximate="tanh")])
class Gelu(Function):
    """approximate='none': y = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2;  dy/dx = Phi(x) + x phi(x),
    phi(x) = exp(-x**2 / 2) / sqrt(2 pi).
    approximate='tanh': y = x (1 + tanh(u)) / 2 with u = sqrt(2/pi) (x + 0.044715 x**3);
    dy/dx = (1 + tanh(u)) / 2 + x (1 - tanh(u)**2) sqrt(2/pi) (1 + 3 * 0.044715 x**2) / 2."""

    approximate = "none"

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        if ctx.approximate == "tanh":
            u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
            return 0.5 * x * (1 + np.tanh(u))
        return x * 0.5 * (1 + erf_array(x * (1 / math.sqrt(2))))

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        if ctx.approximate == "tanh":
            k = math.sqrt(2 / math.pi)
            t = tanh(k * (x + 0.044715 * x * x * x))
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x))
        cdf = 0.5 * (1 + erf(x * (1 / math.sqrt(2))))
        pdf = exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
        return grad * (cdf + x * pdf)


@register_op("softplus", samples=_SAMPLES + [Sample((3, 4), beta=2.0, threshold=1.0, low=-1.0, high=0.4)])
class Softplus(Function):
    """y = log(1 + exp(beta x)) / beta, or x where beta x > threshold;
    dy/dx = sigmoid(beta x), or 1 where beta x > threshold (NaN where x is NaN)."""

    beta = 1.0
    threshold = 20.0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        z = x * ctx.beta
        return np.where(z > ctx.threshold, x, np.logaddexp(0, z) / ctx.beta).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        z = x * ctx.beta
        # sigmoid(beta x) without a derivative at beta x = threshold, where PyTorch's second derivative is 0 (NaN
        # keeps it: PyTorch's is NaN there)
        s = sigmoid(_constant_unless(~(z._data >= ctx.threshold), z, z._data))
        return Where.apply(z._data > ctx.threshold, grad, grad * s)


@register_op("hardtanh", samples=[Sample((3, 4), low=-2.0, high=2.0), Sample((3, 4), min_val=0.0, max_val=0.5),
                                  Sample(())])
class Hardtanh(Function):
    """y = clamp(x, min_val, max_val);  dy/dx = 1 where min_val < x < max_val, else 0 (so 0 at NaN, as PyTorch's
    vectorized kernel; the open interval: PyTorch's hardtanh differs from clamp at the bounds)."""

    min_val = -1.0
    max_val = 1.0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.clip(x, ctx.min_val, ctx.max_val)

    @staticmethod
    def backward(ctx, grad):
        y = ctx.output._data  # inside the open interval exactly where x is
        inside = (y > ctx.min_val) & (y < ctx.max_val)
        return Where.apply(inside, grad, np.zeros((), dtype=grad.dtype))


@register_op("silu", samples=_SAMPLES)
class Silu(Function):
    """y = x sigmoid(x);  dy/dx = s (1 + x (1 - s)) with s = sigmoid(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x * sigmoid_array(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        s = sigmoid(x)
        return grad * (s * (1 + x * (1 - s)))


def _softmax_dim(op: str, input: Any, dim: int | None, stacklevel: int) -> int:
    if dim is None:
        warnings.warn(
            f"Implicit dimension choice for {op} has been deprecated. Change the call to include dim=X as an argument.",
            UserWarning,
            stacklevel=stacklevel,
        )
        dim = 0 if input.ndim in (0, 1, 3) else 1
    return normalize_dim(op, dim, input.ndim)


def _finish(input: Any, result: Any, inplace: bool, op: str) -> Any:
    if not inplace:
        return result
    input._check_inplace(op)
    return input._assign_result(result, op)


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    """exp(input) normalised to sum to 1 along ``dim``; ``dtype`` casts the input first."""
    input = _floating(input if dtype is None else input.to(dtype), "softmax")
    return Softmax.apply(input, dim=_softmax_dim("softmax", input, dim, _stacklevel))


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    """log(softmax(input, dim)), computed stably; ``dtype`` casts the input first."""
    input = _floating(input if dtype is None else input.to(dtype), "log_softmax")
    return LogSoftmax.apply(input, dim=_softmax_dim("log_softmax", input, dim, _stacklevel))


def one_hot(tensor: Any, num_classes: int = -1) -> Any:
    """int64 tensor of shape ``tensor.shape + (num_classes,)`` with 1 at each index; -1 infers max + 1."""
    data = tensor._data
    if data.dtype != np.int64:
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor (got dtype {data.dtype}).")
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("one_hot: Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError(f"one_hot: Class values must be non-negative (got {int(data.min())}).")
    if data.size and data.max() >= num_classes:
        raise RuntimeError(
            f"one_hot: Class values must be smaller than num_classes (got {int(data.max())}, "
            f"num_classes={num_classes})."
        )
    return wrap((data[..., None] == np.arange(num_classes)).astype(np.int64))


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    """x where x > 0, else negative_slope * x."""
    result = LeakyRelu.apply(_floating(input, "leaky_relu"), negative_slope=negative_slope, from_result=inplace)
    return _finish(input, result, inplace, "leaky_relu_")


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """x where x > 0, else alpha * (exp(x) - 1)."""
    result = Elu.apply(_floating(input, "elu"), alpha=alpha, from_result=inplace)
    return _finish(input, result, inplace, "elu_")


def selu(input: Any, inplace: bool = False) -> Any:
    """scale * elu(input, alpha) with alpha = 1.6732632423543772, scale = 1.0507009873554805."""
    result = Elu.apply(_floating(input, "selu"), alpha=_SELU_ALPHA, scale=_SELU_SCALE, from_result=inplace)
    return _finish(input, result, inplace, "selu_")


def gelu(input: Any, approximate: str = "none") -> Any:
    """x * Phi(x) (Phi the standard normal CDF), or its tanh approximation with ``approximate='tanh'``."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return Gelu.apply(_floating(input, "gelu"), approximate=approximate)


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    return Softplus.apply(_floating(input, "softplus"), beta=beta, threshold=threshold)


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Any:
    """clamp(input, min_val, max_val), with gradient 0 at the bounds."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    result = Hardtanh.apply(_floating(input, "hardtanh"), min_val=min_val, max_val=max_val)
    return _finish(input, result, inplace, "hardtanh_")


def silu(input: Any, inplace: bool = False) -> Any:
    """x * sigmoid(x). With ``inplace=True`` on a recorded tensor, backward needs the overwritten input and
    raises the usual in-place error."""
    return _finish(input, Silu.apply(_floating(input, "silu")), inplace, "silu_")
