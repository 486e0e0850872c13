"""``autograd.special``, as ``torch.special``: the error, gamma and Bessel families, the normal distribution's
cdf and quantile, entropy terms, and softmax with ``torch.special``'s signature.

Most names are the existing ops under ``torch.special``'s names (the same function objects: ``expit`` is
``autograd.sigmoid``, ``gammaln`` is ``autograd.lgamma``). ``entr``, ``xlog1py``, ``ndtr``, ``log_ndtr`` and
``ndtri`` are compositions of registered ops, so their derivatives (of any order) come from those ops; the last
three compute float16/float32 input in float64 and round once, as the special-function ops do.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import wrap
from autograd.ops._operands import float_operands
from autograd.ops.activation import log_softmax as _log_softmax
from autograd.ops.activation import softmax as _softmax
from autograd.ops.basic import where
from autograd.ops.bessel import i0, i1
from autograd.ops.elementwise import _floating, erf, expm1, log, log1p, reciprocal
from autograd.ops.elementwise import sigmoid as expit
from autograd.ops.gamma import digamma, polygamma
from autograd.ops.gamma import lgamma as gammaln
from autograd.ops.gamma import mvlgamma as multigammaln
from autograd.ops.piecewise import round  # noqa: A004  (torch.special's name)
from autograd.ops.special import erfc, erfinv, exp2, logit, xlogy
from autograd.ops.statistics import logsumexp
from autograd.ops.trigonometric import sinc

__all__ = ["digamma", "entr", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i1", "log1p",
           "log_ndtr", "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi",
           "round", "sinc", "softmax", "xlog1py", "xlogy"]

psi = digamma

_SQRT_HALF = math.sqrt(0.5)
_SQRT2 = math.sqrt(2.0)
_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)
# Below this, log_ndtr uses the asymptotic series; above it erfc keeps full relative precision in float64.
_LOG_NDTR_TAIL = -20.0
# The asymptotic series of the Mills ratio: Phi(x) ~ phi(x) / -x * (1 + sum_k c_k / x**(2k)), c_k = (-1)**k (2k-1)!!.
# At x <= -20 the first omitted term is below 1e-17.
_MILLS = [-1.0, 3.0, -15.0, 105.0, -945.0, 10395.0, -135135.0, 2027025.0, -34459425.0]


def _float64(input: Any, op: str) -> tuple[Any, np.dtype]:
    """``input`` as a floating Tensor converted to float64 (differentiably), and the dtype of the result."""
    x = _floating(input, op)
    return (x if x.dtype == np.float64 else x.to(np.float64)), x.dtype


def entr(input: Any) -> Any:
    """The elementwise entropy term -x log(x): 0 at x = 0 and -inf for x < 0 (as PyTorch).

    Composed as ``xlogy(-x, x)``, so dy/dx = -(1 + log x) for x > 0. At x = 0 the gradient is NaN (PyTorch: +inf),
    for x < 0 it is 0 (PyTorch: NaN).
    """
    x = _floating(input, "entr")
    return where(x._data < 0, -math.inf, xlogy(-x, x))


def xlog1py(input: Any, other: Any) -> Any:
    """``input * log1p(other)``, 0 where ``input`` is 0 (unless ``other`` is NaN); either argument may be a number.

    dy/dinput = log1p(other), 0 where input = 0 and other <= -1; dy/dother = input / (1 + other), as PyTorch (but 0
    where input = 0 and other <= -1 (PyTorch: NaN at other = -1), and dy/dinput is 0 at input = 0, other = +inf
    (PyTorch: inf).
    """
    if not (hasattr(input, "_data") or hasattr(other, "_data")):
        raise TypeError(f"xlog1py(): expected at least one Tensor argument, got {type(input).__name__} and "
                        f"{type(other).__name__}")
    a, b = (t if hasattr(t, "_data") else wrap(t) for t in float_operands("xlog1py", input, other))
    flat = (a._data == 0) & ((b._data <= -1) | (b._data == math.inf))  # 0 * log1p(b) is NaN: use log1p(0) = 0
    return a * log1p(where(flat, 0.0, b) if flat.any() else b)


def ndtr(input: Any) -> Any:
    """The standard normal cdf, (1 + erf(x / sqrt 2)) / 2, computed as erfc(-x / sqrt 2) / 2 (full relative precision
    in the lower tail);  dy/dx = exp(-x**2 / 2) / sqrt(2 pi)."""
    x, dtype = _float64(input, "ndtr")
    return (erfc(x * -_SQRT_HALF) * 0.5).to(dtype)


def log_ndtr(input: Any) -> Any:
    """log(ndtr(x)), accurate over the whole real line;  dy/dx = phi(x) / ndtr(x).

    log1p(-erfc(x / sqrt 2) / 2) for x >= -1, log(erfc(-x / sqrt 2) / 2) down to x = -20, and below that the
    asymptotic series -x**2 / 2 - log(-x) - log(2 pi) / 2 + log(1 + sum_k (-1)**k (2k-1)!! / x**(2k)). Each branch
    sees a clamped input where it is not used, so no NaN leaks into the gradient.
    """
    x, dtype = _float64(input, "log_ndtr")
    tail = x._data < _LOG_NDTR_TAIL
    head = x._data >= -1
    middle = ~(tail | head)  # and NaN
    near = log1p(erfc(where(head, x, 0.0) * _SQRT_HALF) * -0.5)
    mid = log(erfc(where(middle, x, -2.0) * -_SQRT_HALF) * 0.5)
    far_x = where(tail, x, _LOG_NDTR_TAIL)
    square = far_x * far_x
    t = reciprocal(square)
    series = t * _MILLS[-1]
    for c in reversed(_MILLS[:-1]):
        series = t * (series + c)
    far = square * -0.5 - log(-far_x) - _HALF_LOG_TWO_PI + log1p(series)
    return where(tail, far, where(head, near, mid)).to(dtype)


def ndtri(input: Any) -> Any:
    """The standard normal quantile (the inverse of ``ndtr``): sqrt(2) erfinv(2p - 1); -inf at 0, inf at 1, NaN
    outside [0, 1];  dy/dp = sqrt(2 pi) exp(y**2 / 2).

    2p - 1 is exact for p >= 1/4 (and for float32 p above 2e-9); below, its rounding limits the precision:
    relative error about 1e-16 / p in p, and -inf for float64 0 < p < 2**-54. For -2**-54 < p < 0 the value is NaN
    and the gradient 0 (PyTorch: NaN).
    """
    p, dtype = _float64(input, "ndtri")
    shifted = p * 2.0 - 1.0
    below = (p._data < 0) & (shifted._data == -1)  # tiny negative p, where 2p - 1 rounds to -1
    return (erfinv(where(below, math.nan, shifted) if below.any() else shifted) * _SQRT2).to(dtype)


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """exp(input) normalised to sum to 1 along ``dim`` (``autograd.softmax`` with ``torch.special``'s signature);
    ``dtype`` casts the input first."""
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """log(softmax(input, dim)), computed stably (``autograd.log_softmax`` with ``torch.special``'s signature);
    ``dtype`` casts the input first."""
    return _log_softmax(input, dim, dtype=dtype)
