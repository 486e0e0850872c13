"""The op registry: every built-in op registers itself with sample inputs; the test suite iterates it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.function import Function

REGISTRY: dict[str, type[Function]] = {}


class Sample:
    """Inputs on which an op is gradchecked.

    Positional entries: a tuple of ints is the shape of a random float64 tensor that requires grad; any other
    value (a numpy array of indices, a number, ``None``) is passed to the op as it is. Keyword arguments are
    passed to ``apply`` as the op's non-tensor arguments. ``low``/``high`` bound the random values (use them
    to keep inputs inside the op's domain, e.g. ``low=0.1`` for ``log``).

    Examples
    --------
    >>> Sample((3, 4), (4,))                 # a (3, 4) tensor and a (4,) tensor, broadcast
    >>> Sample((2, 3), dim=1, keepdim=True)  # one tensor and two keyword arguments
    """

    def __init__(self, *args: Any, low: float = -1.0, high: float = 1.0, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.low, self.high = low, high

    def build(self, rng: np.random.Generator) -> tuple[list, dict]:
        """Fresh float64 inputs (numpy arrays for the random tensors) and the keyword arguments."""
        built = []
        for arg in self.args:
            if isinstance(arg, tuple) and all(isinstance(n, int) for n in arg):
                built.append(rng.uniform(self.low, self.high, size=arg))
            else:
                built.append(arg)
        return built, dict(self.kwargs)

    def __repr__(self) -> str:
        parts = [repr(a) if not isinstance(a, np.ndarray) else f"array{a.shape}" for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"Sample({', '.join(parts)})"


def register_op(
    name: str, samples: list[Sample], differentiable: bool = True, has_derivative: bool = True
) -> Callable:
    """Class decorator: mark a ``Function`` as a built-in op (forward on numpy arrays) and register it.

    ``differentiable=False`` marks ops whose gradient is zero almost everywhere or that are piecewise (they
    are still gradchecked away from their kinks). ``has_derivative=False`` marks ops that PyTorch records but
    cannot differentiate (``heaviside``): their output requires grad and their backward raises; the tests
    check that it does, instead of gradchecking them.
    """

    def decorate(cls: type[Function]) -> type[Function]:
        if name in REGISTRY:
            raise ValueError(f"register_op: an op named {name!r} is already registered")
        cls.array_forward = True
        cls.op_name = name
        cls.samples = list(samples)
        cls.differentiable = differentiable
        cls.has_derivative = has_derivative
        REGISTRY[name] = cls
        return cls

    return decorate
