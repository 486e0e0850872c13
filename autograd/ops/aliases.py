"""PyTorch's other names for existing ops (``absolute`` is ``abs``, ``divide`` is ``div``, ...) and the few
thin functions composed from one op (``positive``, ``rsub``, ``fliplr``, ``flipud``, ``ravel``, ``detach``).

Each alias is the very same function object as the op it names, so there is one implementation; the
composed functions take their gradients from the registered ops they call.
"""

from __future__ import annotations

from typing import Any

from autograd.ops import arithmetic, comparison, elementwise, shape

# The functional forms, re-exported by ``autograd`` (``autograd.absolute``).
__all__ = [
    "absolute", "divide", "multiply", "subtract", "negative", "greater", "greater_equal", "less", "less_equal",
    "not_equal", "positive", "rsub", "fliplr", "flipud", "ravel", "detach",
]

absolute = elementwise.abs
divide = arithmetic.div
multiply = arithmetic.mul
subtract = arithmetic.sub
negative = arithmetic.neg
greater = comparison.gt
greater_equal = comparison.ge
less = comparison.lt
less_equal = comparison.le
not_equal = comparison.ne


def positive(input: Any) -> Any:
    """``input`` itself (``+input``); RuntimeError for a bool tensor, as PyTorch."""
    if input.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def rsub(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``other - alpha * input`` (``sub`` with its operands swapped); ``input`` must be a tensor.

    Gradients: d/d input = -alpha, d/d other = 1 (from ``sub`` and ``mul``).
    """
    if not hasattr(input, "_data"):
        raise TypeError(f"rsub(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return arithmetic.sub(other, input, alpha=alpha)


def fliplr(input: Any) -> Any:
    """``input`` reversed along dim 1 (left/right); the input must be at least 2-D (a copy, as PyTorch)."""
    if input.ndim < 2:
        raise RuntimeError(f"fliplr: Input must be >= 2-d (got a {input.ndim}-D tensor).")
    return shape.flip(input, (1,))


def flipud(input: Any) -> Any:
    """``input`` reversed along dim 0 (up/down); the input must be at least 1-D (a copy, as PyTorch)."""
    if input.ndim < 1:
        raise RuntimeError("flipud: Input must be >= 1-d (got a 0-D tensor).")
    return shape.flip(input, (0,))


def ravel(input: Any) -> Any:
    """``input`` flattened to 1-D (a view when the memory allows, as ``flatten``)."""
    return shape.reshape(input, (-1,))


def detach(input: Any) -> Any:
    """``input.detach()``: the same data (and version counter), cut from the graph."""
    return input.detach()
