"""Tensor methods under PyTorch's other names (``absolute``, ``divide``, ``greater`` ...), the predicates
(``is_nonzero``, ``isposinf`` ...), ``aminmax`` and ``multinomial``; each forwards to its functional form.

The in-place aliases (``absolute_``, ``divide_`` ...) are in ``tensor_inplace.py`` with the other in-place
methods.
"""

from __future__ import annotations

from typing import Any

from autograd import sampling
from autograd.ops import aliases, extremes, predicates


class TensorAliases:
    """Alias, predicate and sampling methods of ``Tensor``."""

    __slots__ = ()

    # -- other names of arithmetic and comparisons -----------------------------------------------------------
    def absolute(self) -> Any:
        return aliases.absolute(self)

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        return aliases.divide(self, other, rounding_mode=rounding_mode)

    def multiply(self, other: Any) -> Any:
        return aliases.multiply(self, other)

    def subtract(self, other: Any, *, alpha: float = 1) -> Any:
        return aliases.subtract(self, other, alpha=alpha)

    def negative(self) -> Any:
        return aliases.negative(self)

    def positive(self) -> Any:
        return aliases.positive(self)

    def greater(self, other: Any) -> Any:
        return aliases.greater(self, other)

    def greater_equal(self, other: Any) -> Any:
        return aliases.greater_equal(self, other)

    def less(self, other: Any) -> Any:
        return aliases.less(self, other)

    def less_equal(self, other: Any) -> Any:
        return aliases.less_equal(self, other)

    def not_equal(self, other: Any) -> Any:
        return aliases.not_equal(self, other)

    # -- shapes ------------------------------------------------------------------------------------------------
    def fliplr(self) -> Any:
        return aliases.fliplr(self)

    def flipud(self) -> Any:
        return aliases.flipud(self)

    def ravel(self) -> Any:
        return aliases.ravel(self)

    # -- predicates --------------------------------------------------------------------------------------------
    def is_nonzero(self) -> bool:
        return predicates.is_nonzero(self)

    def is_same_size(self, other: Any) -> bool:
        return predicates.is_same_size(self, other)

    def is_signed(self) -> bool:
        return predicates.is_signed(self)

    def is_complex(self) -> bool:
        return predicates.is_complex(self)

    def isposinf(self) -> Any:
        return predicates.isposinf(self)

    def isneginf(self) -> Any:
        return predicates.isneginf(self)

    def isreal(self) -> Any:
        return predicates.isreal(self)

    # -- extremes and sampling ---------------------------------------------------------------------------------
    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> Any:
        return extremes.aminmax(self, dim=dim, keepdim=keepdim)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Any:
        return sampling.multinomial(self, num_samples, replacement, generator=generator)
