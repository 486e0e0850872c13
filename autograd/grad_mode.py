"""Gradient recording switches: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

The state is a single process-wide flag (as in PyTorch it is per thread; stepgrad runs its graph on
one thread, so a module attribute keeps the hot path to one attribute read).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    enabled: bool = True


STATE = _GradState()


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
