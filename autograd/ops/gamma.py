"""The log-gamma function and its derivatives: ``lgamma``, ``digamma``, ``polygamma(n, x)`` and the multivariate
``mvlgamma(x, p)``. Each op states y = f(x) and its derivative: lgamma' = digamma = polygamma(0),
polygamma(n)' = polygamma(n + 1), so the family is closed under differentiation.

Everything is computed in float64 with numpy (no scipy) and rounded once to the input's dtype:

* lgamma: the Taylor series of lgamma(2 + z) (|z| <= 1/2, coefficients (zeta(k) - 1) / k) near its zeros 1 and
  2, the recurrence Gamma(x + 1) = x Gamma(x) up to 10, Stirling's series beyond, and the reflection
  Gamma(x) Gamma(1 - x) = pi / sin(pi x) for x <= -1/2;
* digamma: the recurrence up to 10, then the asymptotic series; reflection psi(1 - x) - psi(x) = pi cot(pi x);
* polygamma(n >= 1): (-1)**(n + 1) n! zeta(n + 1, x) with the Hurwitz zeta function (a direct sum, then the
  Euler-Maclaurin tail); for x < 0 the n-th derivative of the reflection formula.

Poles and infinities follow PyTorch: lgamma is +inf at 0 and the negative integers, digamma(+-0) = -+inf and NaN
at negative integers, polygamma(n >= 1) = (-1)**(n + 1) inf there. Integer and bool inputs get the default dtype.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.elementwise import _floating
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.lgamma``).
__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma"]

_EULER = 0.57721566490153286061
_HALF_LOG_TWO_PI = 0.91893853320467274178
# B_2k for k = 1..12, exact.
_BERNOULLI = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30), Fraction(5, 66),
              Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510), Fraction(43867, 798),
              Fraction(-174611, 330), Fraction(854513, 138), Fraction(-236364091, 2730)]
# Stirling: lgamma(x) ~ (x - 1/2) log x - x + log(2 pi) / 2 + sum_k B_2k / (2k (2k - 1) x**(2k - 1)).
_STIRLING = [float(b / (2 * k * (2 * k - 1))) for k, b in enumerate(_BERNOULLI[:8], 1)]
# digamma(x) ~ log x - 1 / (2x) - sum_k B_2k / (2k x**2k).
_DIGAMMA_TAIL = [float(b / (2 * k)) for k, b in enumerate(_BERNOULLI[:8], 1)]


def _horner(coefficients: list[float], t: np.ndarray) -> np.ndarray:
    """sum_k coefficients[k] * t**k."""
    out = np.full_like(t, coefficients[-1])
    for c in coefficients[-2::-1]:
        out = out * t + c
    return out


def hurwitz_zeta(s: int, q: np.ndarray) -> np.ndarray:
    """zeta(s, q) = sum_{k >= 0} (q + k)**-s for an integer s >= 2 and q > 0 (float64 arrays).

    The first K = s + 10 terms are summed directly; the rest by Euler-Maclaurin at a = q + K:
    a**(1 - s) / (s - 1) + a**-s / 2 + sum_j B_2j / (2j)! s (s + 1) ... (s + 2j - 2) a**(-s - 2j + 1), whose
    truncation error after 12 terms is below 1e-19 relative for a >= s + 10.
    """
    terms = s + 10
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        total = np.zeros_like(q)
        for k in range(terms):
            total = total + (q + k) ** -s
        a = q + terms
        correction = np.zeros_like(q)
        rising = Fraction(s)  # s (s + 1) ... (s + 2j - 2)
        inverse_square = 1 / (a * a)
        power = 1 / a  # a**(1 - 2j)
        for j, b in enumerate(_BERNOULLI, 1):
            correction = correction + float(b / math.factorial(2 * j) * rising) * power
            rising *= (s + 2 * j - 1) * (s + 2 * j)
            power = power * inverse_square
        tail = a ** (1.0 - s) / (s - 1) + a**-s * (0.5 + correction)
    return total + tail


# lgamma(2 + z) = (1 - euler) z + sum_{k >= 2} (-1)**k (zeta(k) - 1) z**k / k, for |z| < 2 (30 terms: |z| <= 1/2).
_SERIES = [0.0, 1 - _EULER] + [(-1) ** k * float(hurwitz_zeta(k, np.array(2.0))) / k for k in range(2, 32)]


def _reduced(x: np.ndarray) -> np.ndarray:
    """x - round(x), in [-1/2, 1/2]: sin(pi x) and tan(pi x) from it are accurate (exact reduction)."""
    return x - np.round(x)


def lgamma_array(x: np.ndarray) -> np.ndarray:
    """log|Gamma(x)| elementwise (float64 inside, x's dtype out)."""
    t = np.asarray(x, dtype=np.float64)
    out = np.full_like(t, np.inf)
    with np.errstate(all="ignore"):
        small = np.abs(t) < 0.5  # lgamma(1 + x) - log|x|, z = x exactly
        z = t[small]
        out[small] = _horner(_SERIES, z) - np.log1p(z) - np.log(np.abs(z))
        near_one = (t >= 0.5) & (t < 1.5)
        z = t[near_one] - 1
        out[near_one] = _horner(_SERIES, z) - np.log1p(z)
        middle = (t >= 1.5) & (t < 10)
        y = t[middle]
        steps = np.floor(y - 1.5)  # y - steps in [1.5, 2.5), exactly
        base = y - steps
        product = np.ones_like(y)
        for k in range(1, 9):
            product = np.where(steps >= k, product * (y - k), product)
        out[middle] = _horner(_SERIES, base - 2) + np.log(product)
        large = (t >= 10) & np.isfinite(t)
        y = t[large]
        out[large] = (y - 0.5) * np.log(y) - y + _HALF_LOG_TWO_PI + _horner(_STIRLING, 1 / (y * y)) / y
        negative = (t <= -0.5) & np.isfinite(t)
        if negative.any():  # 1 - x >= 1.5 there, so the reflection recurses once
            y = t[negative]
            sine = np.abs(np.sin(np.pi * _reduced(y)))
            out[negative] = np.where(sine == 0, np.inf, np.log(np.pi / sine) - lgamma_array(1 - y))  # poles: inf
    out[np.isnan(t)] = np.nan
    return out.astype(x.dtype, copy=False)


def digamma_array(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx log Gamma(x) elementwise (float64 inside, x's dtype out)."""
    t = np.asarray(x, dtype=np.float64)
    out = np.full_like(t, np.nan)
    with np.errstate(all="ignore"):
        positive = (t > 0) & np.isfinite(t)
        y = t[positive]
        shift = np.zeros_like(y)
        for _ in range(10):
            low = y < 10
            shift = np.where(low, shift - 1 / y, shift)
            y = np.where(low, y + 1, y)
        inverse_square = 1 / (y * y)
        out[positive] = shift + np.log(y) - 0.5 / y - inverse_square * _horner(_DIGAMMA_TAIL, inverse_square)
        negative = (t < 0) & np.isfinite(t) & (t != np.round(t))
        if negative.any():
            y = t[negative]
            out[negative] = digamma_array(1 - y) - np.pi / np.tan(np.pi * _reduced(y))
    out[t == np.inf] = np.inf
    zero = t == 0
    out[zero] = np.where(np.signbit(t[zero]), np.inf, -np.inf)  # PyTorch: copysign(inf, -x)
    return out.astype(x.dtype, copy=False)


def _cot_derivative_polynomial(n: int) -> list[int]:
    """Coefficients (ascending) of P_n with d^n/dx^n cot(x) = P_n(cot x): P_0(c) = c, P_(k+1) = -(1 + c**2) P_k'."""
    p = [0, 1]
    for _ in range(n):
        dp = [k * p[k] for k in range(1, len(p))] + [0, 0]
        p = [-(dp[k] + (dp[k - 2] if k >= 2 else 0)) for k in range(len(dp))]
    return p


def polygamma_array(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma (n >= 0) elementwise (float64 inside, x's dtype out)."""
    if n == 0:
        return digamma_array(x)
    t = np.asarray(x, dtype=np.float64)
    sign = 1.0 if n % 2 else -1.0  # (-1)**(n + 1)
    out = np.full_like(t, sign * np.inf)  # the poles: x = 0 and the negative integers
    with np.errstate(all="ignore"):
        positive = (t > 0) & np.isfinite(t)
        out[positive] = sign * math.factorial(n) * hurwitz_zeta(n + 1, t[positive])
        negative = (t < 0) & np.isfinite(t) & (t != np.round(t))
        if negative.any():
            y = t[negative]
            cot = 1 / np.tan(np.pi * _reduced(y))
            derivative = np.pi ** (n + 1) * _horner([float(c) for c in _cot_derivative_polynomial(n)], cot)
            # psi^(n)(x) = (-1)**n psi^(n)(1 - x) - pi d^n/dx^n cot(pi x)
            out[negative] = -sign * polygamma_array(n, 1 - y) - derivative
    out[t == np.inf] = 0.0 if n == 1 else np.nan  # PyTorch's values at the infinities
    out[t == -np.inf] = np.nan if n == 1 else sign * np.inf
    out[np.isnan(t)] = np.nan
    return out.astype(x.dtype, copy=False)


_SAMPLES = [Sample((3, 4), low=0.1, high=4.0), Sample((2, 3), low=-3.9, high=-3.1), Sample((2, 3), low=9.0, high=14.0),
            Sample((), low=0.4, high=2.6), Sample((2, 0))]


@register_op("lgamma", samples=_SAMPLES)
class Lgamma(Function):
    """y = log|Gamma(x)|;  dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return lgamma_array(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * Polygamma.apply(ctx.input(0), n=0)


@register_op("polygamma", samples=[*_SAMPLES, Sample((3, 4), low=0.1, high=4.0, n=1),
                                   Sample((2, 3), low=-2.9, high=-2.1, n=2), Sample((2, 3), low=0.5, high=12.0, n=3)])
class Polygamma(Function):
    """y = psi^(n)(x), the n-th derivative of digamma (``n = 0``: digamma itself);  dy/dx = psi^(n+1)(x)."""

    n = 0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return polygamma_array(ctx.n, x)

    @staticmethod
    def backward(ctx, grad):
        return grad * Polygamma.apply(ctx.input(0), n=ctx.n + 1)


@register_op("mvlgamma", samples=[Sample((3, 4), low=1.6, high=4.0, p=3), Sample((), low=0.6, high=2.0, p=1),
                                  Sample((2, 3), low=1.1, high=3.0, p=2), Sample((2, 0), p=2)])
class Mvlgamma(Function):
    """y = p (p - 1) / 4 log(pi) + sum_{j < p} lgamma(x - j / 2), the log of the multivariate gamma function;
    dy/dx = sum_{j < p} digamma(x - j / 2)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        total = np.full(x.shape, ctx.p * (ctx.p - 1) / 4 * math.log(math.pi))
        for j in range(ctx.p):
            total = total + lgamma_array(x.astype(np.float64) - j / 2)
        return total.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        slope = Polygamma.apply(x, n=0)
        for j in range(1, ctx.p):
            slope = slope + Polygamma.apply(x - j / 2, n=0)
        return grad * slope


def lgamma(input: Any) -> Any:
    """The natural logarithm of the absolute value of the gamma function, elementwise (+inf at the poles
    0, -1, -2, ...)."""
    return Lgamma.apply(_floating(input, "lgamma"))


def digamma(input: Any) -> Any:
    """The digamma function psi(x) = d/dx lgamma(x), elementwise (-inf at +0, +inf at -0, NaN at the negative
    integers, as in PyTorch)."""
    return Polygamma.apply(_floating(input, "digamma"), n=0)


def polygamma(n: int, input: Any) -> Any:
    """The n-th derivative of the digamma function, elementwise; ``n`` is a non-negative int."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n (got n = {n})")
    return Polygamma.apply(_floating(input, "polygamma"), n=int(n))


def mvlgamma(input: Any, p: int) -> Any:
    """The multivariate log-gamma function of dimension ``p`` (an int >= 1), elementwise:
    log(pi) p (p - 1) / 4 + sum_{j=0}^{p-1} lgamma(input - j / 2)."""
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        raise TypeError(f"mvlgamma(): argument 'p' (position 2) must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError(f"mvlgamma: p has to be greater than or equal to 1 (got p = {p})")
    return Mvlgamma.apply(_floating(input, "mvlgamma"), p=int(p))
