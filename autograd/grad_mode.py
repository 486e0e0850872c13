"""Gradient recording switches: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

The state is a single process-wide flag (as in PyTorch it is per thread; stepgrad runs its graph on
one thread, so a module attribute keeps the hot path to one attribute read).

The other process-wide setting, the default floating dtype (``set_default_dtype``), is kept the same way, as
``autograd.dtypes.DEFAULT_FLOAT``; ``autograd.dtype_info`` documents what it governs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    enabled: bool = True
    inference: bool = False  # inside an active ``inference_mode`` (read by ``is_inference_mode_enabled``)


STATE = _GradState()


def is_inference_mode_enabled() -> bool:
    """Return True inside an ``inference_mode()`` block or function (and not inside ``inference_mode(False)``)."""
    return STATE.inference


def is_grad_enabled() -> bool:
    """Return True when operations on tensors that require grad are recorded."""
    return STATE.enabled


class set_grad_enabled:
    """Context manager (and decorator) that sets gradient recording on or off.

    Like ``torch.set_grad_enabled``, calling it as a plain function also sets the mode at once.
    """

    def __init__(self, mode: bool) -> None:
        self.prev = STATE.enabled
        self.mode = bool(mode)
        STATE.enabled = self.mode

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self.prev

    def __call__(self, func: F) -> F:
        # Used as a decorator the constructor already flipped the flag; restore it now.
        STATE.enabled = self.prev
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _ModeGuard:
    """Base of ``no_grad`` and ``enable_grad``: a context manager and a decorator."""

    mode: bool = True

    def __enter__(self) -> None:
        self.prev = STATE.enabled
        STATE.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self.prev

    def __call__(self, func: F) -> F:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = STATE.enabled
            STATE.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                STATE.enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_ModeGuard):
    """Disable gradient recording inside a ``with`` block or a decorated function."""

    mode = False


class enable_grad(_ModeGuard):
    """Enable gradient recording inside a ``with`` block or a decorated function."""

    mode = True


class inference_mode(_ModeGuard):
    """``no_grad`` under PyTorch's other name: with ``mode=True`` (the default) nothing is recorded inside the
    block or the decorated function; ``mode=False`` leaves recording as it is.

    stepgrad has no separate inference tensors, so this is exactly ``no_grad``; it is accepted with or without
    parentheses as a decorator (``@inference_mode`` and ``@inference_mode()``).
    """

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode):  # ``@inference_mode`` without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.active = bool(mode)

    def __enter__(self) -> None:
        self.prev, self.prev_inference = STATE.enabled, STATE.inference
        STATE.inference = self.active
        if self.active:
            STATE.enabled = False

    def __exit__(self, *exc: object) -> None:
        STATE.enabled, STATE.inference = self.prev, self.prev_inference

    def __call__(self, func: F) -> F:
        active = self.active

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev, prev_inference = STATE.enabled, STATE.inference
            STATE.inference = active
            if active:
                STATE.enabled = False
            try:
                return func(*args, **kwargs)
            finally:
                STATE.enabled, STATE.inference = prev, prev_inference

        return wrapper  # type: ignore[return-value]
