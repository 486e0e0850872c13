"""Tensor methods for the inverse trigonometric and hyperbolic functions, the special functions (gamma family,
Bessel i0), covariances, diagonal embeddings and view scatters, float/integer utilities, the piecewise ops, the
NaN-skipping reductions, medians, quantiles, searching and splitting, and scans (forwarding to ``autograd.ops``)."""

from __future__ import annotations

from typing import Any

from autograd import random
from autograd.ops import (
    arithmetic,
    bessel,
    comparison,
    covariance,
    diagonal,
    distances,
    float_binary,
    gamma,
    integer_float,
    nan_reductions,
    order_statistics,
    piecewise,
    products,
    quantiles,
    scans,
    scatter_views,
    searching,
    special,
    splitting,
    trigonometric,
)


class TensorSpecial:
    """Special-function, NaN-aware reduction, median and scan methods of ``Tensor``."""

    __slots__ = ()

    # -- trigonometric and hyperbolic ----------------------------------------------------------------------
    def asin(self) -> Any:
        return trigonometric.asin(self)

    def acos(self) -> Any:
        return trigonometric.acos(self)

    def atan(self) -> Any:
        return trigonometric.atan(self)

    def sinh(self) -> Any:
        return trigonometric.sinh(self)

    def cosh(self) -> Any:
        return trigonometric.cosh(self)

    def asinh(self) -> Any:
        return trigonometric.asinh(self)

    def acosh(self) -> Any:
        return trigonometric.acosh(self)

    def atanh(self) -> Any:
        return trigonometric.atanh(self)

    arcsin, arccos, arctan = asin, acos, atan
    arcsinh, arccosh, arctanh = asinh, acosh, atanh

    def sinc(self) -> Any:
        return trigonometric.sinc(self)

    def deg2rad(self) -> Any:
        return trigonometric.deg2rad(self)

    def rad2deg(self) -> Any:
        return trigonometric.rad2deg(self)

    def atan2(self, other: Any) -> Any:
        return trigonometric.atan2(self, other)

    arctan2 = atan2

    def hypot(self, other: Any) -> Any:
        return trigonometric.hypot(self, other)

    # -- special functions ---------------------------------------------------------------------------------
    def log2(self) -> Any:
        return special.log2(self)

    def log10(self) -> Any:
        return special.log10(self)

    def exp2(self) -> Any:
        return special.exp2(self)

    def erfc(self) -> Any:
        return special.erfc(self)

    def erfinv(self) -> Any:
        return special.erfinv(self)

    def logit(self, eps: float | None = None) -> Any:
        return special.logit(self, eps)

    def xlogy(self, other: Any) -> Any:
        return special.xlogy(self, other)

    def logaddexp(self, other: Any) -> Any:
        return special.logaddexp(self, other)

    def logaddexp2(self, other: Any) -> Any:
        return special.logaddexp2(self, other)

    def true_divide(self, other: Any) -> Any:
        return arithmetic.true_divide(self, other)

    def lgamma(self) -> Any:
        return gamma.lgamma(self)

    def digamma(self) -> Any:
        return gamma.digamma(self)

    def polygamma(self, n: int) -> Any:
        return gamma.polygamma(n, self)

    def mvlgamma(self, p: int) -> Any:
        return gamma.mvlgamma(self, p)

    def i0(self) -> Any:
        return bessel.i0(self)

    # -- covariances, diagonal embeddings, view scatters ---------------------------------------------------
    def cov(self, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Any:
        return covariance.cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self) -> Any:
        return covariance.corrcoef(self)

    def addr(self, vec1: Any, vec2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
        return products.addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:
        return diagonal.diag_embed(self, offset, dim1, dim2)

    def diagflat(self, offset: int = 0) -> Any:
        return diagonal.diagflat(self, offset)

    def slice_scatter(self, src: Any, dim: int = 0, start: int | None = None, end: int | None = None,
                      step: int = 1) -> Any:
        return scatter_views.slice_scatter(self, src, dim, start, end, step)

    def select_scatter(self, src: Any, dim: int, index: int) -> Any:
        return scatter_views.select_scatter(self, src, dim, index)

    def diagonal_scatter(self, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:
        return scatter_views.diagonal_scatter(self, src, offset, dim1, dim2)

    # -- integer and floating-point utilities --------------------------------------------------------------
    def ldexp(self, other: Any) -> Any:
        return integer_float.ldexp(self, other)

    def frexp(self) -> Any:
        return integer_float.frexp(self)

    def nextafter(self, other: Any) -> Any:
        return integer_float.nextafter(self, other)

    def gcd(self, other: Any) -> Any:
        return integer_float.gcd(self, other)

    def lcm(self, other: Any) -> Any:
        return integer_float.lcm(self, other)

    # -- piecewise and logical -----------------------------------------------------------------------------
    def sgn(self) -> Any:
        return piecewise.sgn(self)

    def frac(self) -> Any:
        return piecewise.frac(self)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Any:
        return piecewise.nan_to_num(self, nan, posinf, neginf)

    def heaviside(self, values: Any) -> Any:
        return piecewise.heaviside(self, values)

    def logical_and(self, other: Any) -> Any:
        return comparison.logical_and(self, other)

    def logical_or(self, other: Any) -> Any:
        return comparison.logical_or(self, other)

    def logical_xor(self, other: Any) -> Any:
        return comparison.logical_xor(self, other)

    # -- reductions and scans ------------------------------------------------------------------------------
    def nansum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return nan_reductions.nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return nan_reductions.nanmean(self, dim, keepdim, dtype=dtype)

    def count_nonzero(self, dim: Any = None) -> Any:
        return nan_reductions.count_nonzero(self, dim)

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return order_statistics.median(self, dim, keepdim)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return order_statistics.nanmedian(self, dim, keepdim)

    def cummax(self, dim: int) -> Any:
        return scans.cummax(self, dim)

    def cummin(self, dim: int) -> Any:
        return scans.cummin(self, dim)

    def logcumsumexp(self, dim: int) -> Any:
        return scans.logcumsumexp(self, dim)

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Any:
        return scans.diff(self, n, dim, prepend, append)

    # -- NaN-ignoring extremes, signs, distances and products ----------------------------------------------
    def fmax(self, other: Any) -> Any:
        return float_binary.fmax(self, other)

    def fmin(self, other: Any) -> Any:
        return float_binary.fmin(self, other)

    def copysign(self, other: Any) -> Any:
        return float_binary.copysign(self, other)

    def signbit(self) -> Any:
        return float_binary.signbit(self)

    def float_power(self, exponent: Any) -> Any:
        return float_binary.float_power(self, exponent)

    def dist(self, other: Any, p: float = 2) -> Any:
        return distances.dist(self, other, p)

    def renorm(self, p: float, dim: int, maxnorm: float) -> Any:
        return distances.renorm(self, p, dim, maxnorm)

    def vdot(self, other: Any) -> Any:
        return products.vdot(self, other)

    def ger(self, vec2: Any) -> Any:
        return products.ger(self, vec2)

    # -- quantiles, order statistics and searching ---------------------------------------------------------
    def quantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear") -> Any:
        return quantiles.quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanquantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                    interpolation: str = "linear") -> Any:
        return quantiles.nanquantile(self, q, dim, keepdim, interpolation=interpolation)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        return searching.kthvalue(self, k, dim, keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        return searching.mode(self, dim, keepdim)

    def msort(self) -> Any:
        return searching.msort(self)

    def argwhere(self) -> Any:
        return searching.argwhere(self)

    def bincount(self, weights: Any = None, minlength: int = 0) -> Any:
        return searching.bincount(self, weights, minlength)

    def unique_consecutive(self, return_inverse: bool = False, return_counts: bool = False,
                           dim: int | None = None) -> Any:
        return searching.unique_consecutive(self, return_inverse, return_counts, dim)

    # -- splitting -----------------------------------------------------------------------------------------
    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple:
        return splitting.tensor_split(self, indices_or_sections, dim)

    def hsplit(self, indices_or_sections: Any) -> tuple:
        return splitting.hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections: Any) -> tuple:
        return splitting.vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections: Any) -> tuple:
        return splitting.dsplit(self, indices_or_sections)

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Any:
        return random.bernoulli(self, p, generator=generator)
