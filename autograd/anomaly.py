"""Anomaly mode: the first backward node that produces NaN or Inf raises, naming where its op was created."""

from __future__ import annotations

import numpy as np

from autograd import engine
from autograd.function import ANOMALY


def _check_event(event: engine.BackwardEvent) -> None:
    if event.kind != "node":
        return
    node = event.vertex
    for index, grad in enumerate(event.grad_inputs):
        if grad is None or grad._data.dtype.kind != "f" or np.isfinite(grad._data).all():
            continue
        what = "nan" if np.isnan(grad._data).any() else "inf"
        where = node.created_at or "<created outside anomaly mode>"
        raise RuntimeError(
            f"Function '{node.name()}' returned {what} values in its {index}th output. The forward op that "
            f"created it was called at {where}."
        )


class set_detect_anomaly:
    """Turn anomaly detection on or off (a context manager, like ``torch.autograd.set_detect_anomaly``)."""

    def __init__(self, mode: bool) -> None:
        self.prev = ANOMALY.enabled
        self.handle = None
        self._set(mode)

    def _set(self, mode: bool) -> None:
        ANOMALY.enabled = bool(mode)
        if mode and self.handle is None:
            self.handle = engine.add_listener(_check_event)

    def __enter__(self) -> set_detect_anomaly:
        return self

    def __exit__(self, *exc: object) -> None:
        ANOMALY.enabled = self.prev
        if self.handle is not None:
            self.handle.remove()
            self.handle = None


class detect_anomaly(set_detect_anomaly):
    """Context manager: record where each op is created in forward, and during backward raise at the first
    node whose gradient contains NaN or Inf, naming the op and the file:line of the user's code."""

    def __init__(self, check_nan: bool = True) -> None:
        super().__init__(check_nan)


def is_anomaly_enabled() -> bool:
    """Return True inside ``detect_anomaly()`` or after ``set_detect_anomaly(True)``."""
    return ANOMALY.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """Return True when backward checks gradients for NaN/Inf: the same as ``is_anomaly_enabled`` here, since
    anomaly mode always checks (``detect_anomaly(check_nan=False)`` turns it off altogether)."""
    return ANOMALY.enabled
