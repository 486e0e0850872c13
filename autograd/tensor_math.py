"""Tensor methods for arithmetic, elementwise maths, reductions and comparisons.

Each method forwards to the functional form in ``autograd.ops`` (one definition of each op); they are
written out here rather than attached at run time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.grad_mode import STATE as _GRAD
from autograd.ops import arithmetic, basic, comparison, elementwise, reduction


class TensorMath:
    """Arithmetic, elementwise, reduction and comparison methods of ``Tensor``."""

    __slots__ = ()

    # -- operators ----------------------------------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        return arithmetic.add(self, other)

    def __radd__(self, other: Any) -> Any:
        return arithmetic.add(other, self)

    def __sub__(self, other: Any) -> Any:
        return arithmetic.sub(self, other)

    def __rsub__(self, other: Any) -> Any:
        return arithmetic.sub(other, self)

    def __mul__(self, other: Any) -> Any:
        return arithmetic.mul(self, other)

    def __rmul__(self, other: Any) -> Any:
        return arithmetic.mul(other, self)

    def __truediv__(self, other: Any) -> Any:
        return arithmetic.div(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return arithmetic.div(other, self)

    def __neg__(self) -> Any:
        return arithmetic.neg(self)

    def __pos__(self) -> Any:
        return self

    def __pow__(self, exponent: Any) -> Any:
        return arithmetic.pow(self, exponent)

    def __rpow__(self, base: Any) -> Any:
        return arithmetic.pow(base, self)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return comparison.eq(self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return comparison.ne(self, other)

    def __lt__(self, other: Any) -> Any:
        return comparison.lt(self, other)

    def __le__(self, other: Any) -> Any:
        return comparison.le(self, other)

    def __gt__(self, other: Any) -> Any:
        return comparison.gt(self, other)

    def __ge__(self, other: Any) -> Any:
        return comparison.ge(self, other)

    def __and__(self, other: Any) -> Any:
        return comparison.bitwise_and(self, other)

    def __rand__(self, other: Any) -> Any:
        return comparison.bitwise_and(other, self)

    def __or__(self, other: Any) -> Any:
        return comparison.bitwise_or(self, other)

    def __ror__(self, other: Any) -> Any:
        return comparison.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Any:
        return comparison.bitwise_xor(self, other)

    def __invert__(self) -> Any:
        return comparison.bitwise_not(self)

    # -- named arithmetic -----------------------------------------------------------------------------------
    def add(self, other: Any, *, alpha: float = 1) -> Any:
        return arithmetic.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: float = 1) -> Any:
        return arithmetic.sub(self, other, alpha=alpha)

    def mul(self, other: Any) -> Any:
        return arithmetic.mul(self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        return arithmetic.div(self, other, rounding_mode=rounding_mode)

    def neg(self) -> Any:
        return arithmetic.neg(self)

    def pow(self, exponent: Any) -> Any:
        return arithmetic.pow(self, exponent)

    def eq(self, other: Any) -> Any:
        return comparison.eq(self, other)

    def ne(self, other: Any) -> Any:
        return comparison.ne(self, other)

    def lt(self, other: Any) -> Any:
        return comparison.lt(self, other)

    def le(self, other: Any) -> Any:
        return comparison.le(self, other)

    def gt(self, other: Any) -> Any:
        return comparison.gt(self, other)

    def ge(self, other: Any) -> Any:
        return comparison.ge(self, other)

    def equal(self, other: Any) -> bool:
        return comparison.equal(self, other)

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return comparison.allclose(self, other, rtol, atol, equal_nan)

    def isnan(self) -> Any:
        return comparison.isnan(self)

    def isinf(self) -> Any:
        return comparison.isinf(self)

    def isfinite(self) -> Any:
        return comparison.isfinite(self)

    def logical_not(self) -> Any:
        return comparison.logical_not(self)

    def clone(self) -> Any:
        return basic.clone(self)

    # -- elementwise ----------------------------------------------------------------------------------------
    def exp(self) -> Any:
        return elementwise.exp(self)

    def log(self) -> Any:
        return elementwise.log(self)

    def tanh(self) -> Any:
        return elementwise.tanh(self)

    def relu(self) -> Any:
        return elementwise.relu(self)

    # -- reductions -----------------------------------------------------------------------------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return reduction.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return reduction.mean(self, dim, keepdim, dtype=dtype)

    def sum_to_size(self, *size: Any) -> Any:
        return reduction.sum_to_size(self, *size)

    # -- in place -------------------------------------------------------------------------------------------
    def _inplace_binary(self, name: str, ufunc: np.ufunc, other: Any, fallback: Any) -> Any:
        """Shared path of ``add_``/``sub_``/``mul_``/``div_``: a direct numpy update when nothing is
        recorded, otherwise the out-of-place op whose result is written back (history continues)."""
        self._check_inplace(name)
        other_grad = getattr(other, "_requires_grad", False)
        if not (_GRAD.enabled and (self._requires_grad or other_grad)):
            value = other._data if hasattr(other, "_data") else other
            if self._data.dtype.kind != "f" and np.asarray(value).dtype.kind == "f" or (
                self._data.dtype.kind == "b" and np.asarray(value).dtype.kind != "b"
            ):
                raise RuntimeError(
                    f"{name}: result type {np.asarray(value).dtype} can't be cast to the desired output type "
                    f"{self._data.dtype}"
                )
            if not self._data.flags.writeable:
                raise RuntimeError(
                    f"{name}: unsupported operation: more than one element of the written-to tensor refers to a "
                    "single memory location (an expanded or read-only tensor). Please clone() the tensor first."
                )
            try:
                ufunc(self._data, value, out=self._data, casting="unsafe")
            except ValueError:
                raise RuntimeError(
                    f"{name}: output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                    f"{list(np.broadcast_shapes(self._data.shape, np.shape(value)))}"
                ) from None
            return self._bump()
        return self._assign_result(fallback(self, other), name)

    def add_(self, other: Any, *, alpha: float = 1) -> Any:
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary("add_", np.add, other, arithmetic.add)

    def sub_(self, other: Any, *, alpha: float = 1) -> Any:
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary("sub_", np.subtract, other, arithmetic.sub)

    def mul_(self, other: Any) -> Any:
        return self._inplace_binary("mul_", np.multiply, other, arithmetic.mul)

    def div_(self, other: Any) -> Any:
        return self._inplace_binary("div_", np.true_divide, other, arithmetic.div)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_
