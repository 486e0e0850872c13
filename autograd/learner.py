"""Learner guard rails: warnings for the classic mistakes of a first training loop (off by default).

Turn them on with ``autograd.set_learner_checks(True)`` or, for a block, ``with autograd.learner_checks():``.
Each warning is a ``LearnerWarning`` (a ``UserWarning``) that names the file and line of your code where it
happened. When the checks are off nothing is installed, so they cost nothing.

The checks, all built on the engine's backward events and the forward listener:

* **gradients accumulated**: a backward pass reached a leaf whose ``.grad`` still held a (non-zero) gradient
  of an earlier ``backward()`` (zero the gradients, e.g. ``optimizer.zero_grad()``, once per step). Once per
  pass.
* **double softmax**: ``log_softmax`` (which ``cross_entropy``/``CrossEntropyLoss`` apply to their input) was
  given the output of ``softmax`` or ``log_softmax``: the loss expects raw logits.
* **train mode under no_grad**: ``dropout`` or ``batch_norm`` ran in training mode while gradients were off,
  the sign of evaluating a model that is still in ``train()`` mode (call ``model.eval()``).
* **parameter without gradient**: when a backward pass starts, every tensor that requires grad, was a leaf
  input of an op recorded since the previous backward pass, but cannot be reached from the tensors being
  differentiated (a layer whose output is unused, a ``detach()`` in the middle of the model) is reported,
  since it will get no gradient. Passes with ``inputs=`` and ``autograd.grad`` are not checked; with several
  losses differentiated one after the other, a parameter used only by a later loss is reported too.
"""

from __future__ import annotations

import sys
import warnings
import weakref
from pathlib import Path
from typing import Any

import numpy as np

from autograd import engine
from autograd.function import ForwardEvent, add_forward_listener
from autograd.grad_mode import is_grad_enabled
from autograd.tensor import Tensor
from autograd.trace import backward_frame

__all__ = ["LearnerWarning", "learner_checks", "set_learner_checks", "learner_checks_enabled"]

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_OWN_DIRS = tuple(str(_PACKAGE_ROOT / name) + "/" for name in ("autograd", "nn", "optim", "data", "stepgrad"))


class LearnerWarning(UserWarning):
    """A likely mistake in a training loop, found by the learner checks (``autograd.set_learner_checks``)."""


def _warn(message: str) -> None:
    """Warn, attributing the warning to the innermost frame of user code (outside stepgrad's packages)."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_DIRS):
        frame, level = frame.f_back, level + 1
    where = f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "<unknown>"
    warnings.warn(f"{message} (at {where})", LearnerWarning, stacklevel=level)


def _describe(t: Tensor) -> str:
    return f"tensor of shape {tuple(t.shape)} ({t.dtype})"


class _Checks:
    """The installed listeners and what they remember between events."""

    def __init__(self) -> None:
        self.softmax_outputs: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self.used_leaves: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self.current_pass: Any = None
        self.warned_accumulation = False
        self.handles = [add_forward_listener(self.on_forward), engine.add_listener(self.on_backward)]

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()

    # -- forward ---------------------------------------------------------------------------------------
    def on_forward(self, event: ForwardEvent) -> None:
        if backward_frame() is not None:
            return  # an op of a gradient formula
        name = getattr(event.op, "op_name", "")
        grad_on = is_grad_enabled()
        if name in ("softmax", "log_softmax", "cross_entropy"):
            source = event.inputs[0]
            if name != "softmax" and self.softmax_outputs.get(id(source)) is source:
                _warn("log_softmax was applied to the output of a softmax: cross_entropy/CrossEntropyLoss already "
                      "apply log_softmax, so pass them the raw logits (remove the softmax from the model)")
            if name != "cross_entropy":
                self.softmax_outputs[id(event.output)] = event.output
        elif name in ("dropout", "batch_norm") and not grad_on and event.kwargs.get("training", False):
            if name == "batch_norm" or event.kwargs.get("p", 0) > 0:
                _warn(f"{name} ran in training mode under no_grad: a model evaluated while still in train() mode "
                      "(call model.eval() before evaluating, model.train() before training again)")
        if event.node is not None:
            for value, edge in zip(event.inputs, event.node.next_edges):
                if edge is value:  # a leaf that requires grad
                    self.used_leaves[id(value)] = value

    # -- backward --------------------------------------------------------------------------------------
    def on_backward(self, event: engine.BackwardEvent) -> None:
        frame = backward_frame()
        run = frame.f_locals["self"] if frame is not None else None
        if run is not None and (self.current_pass is None or self.current_pass() is not run):
            self.current_pass = weakref.ref(run)
            self.warned_accumulation = False
            self.check_unreached(run, frame.f_locals.get("roots", ()))
        before = event.grad_before
        if (event.kind == "leaf" and before is not None and event.grad_after is not before
                and not self.warned_accumulation and np.asarray(before).any()):  # zeroed in place is fine
            self.warned_accumulation = True
            _warn(f"backward() added to a .grad that already held a gradient from an earlier backward() "
                  f"({_describe(event.vertex)}): call optimizer.zero_grad() (or model.zero_grad()) once per step, "
                  "before backward(), unless you mean to accumulate gradients")

    def check_unreached(self, run: Any, roots: Any) -> None:
        used = dict(self.used_leaves)
        self.used_leaves.clear()
        if not used or run.inputs is not None or not run.accumulate:
            return
        for vertex in engine.traverse(list(roots)):
            if isinstance(vertex, Tensor):
                used.pop(id(vertex), None)
        if used:
            listed = ", ".join(_describe(t) for t in list(used.values())[:5])
            _warn(f"{len(used)} tensor(s) that require grad were used in the forward pass but the loss does not "
                  f"depend on them, so they get no gradient: {listed}. Is a layer's output unused, or the graph "
                  "cut by detach() / .data / no_grad?")


_STATE: dict[str, _Checks | None] = {"checks": None}


def set_learner_checks(mode: bool) -> None:
    """Turn the learner checks on (``True``) or off (``False``); see ``autograd.learner``."""
    checks = _STATE["checks"]
    if mode and checks is None:
        _STATE["checks"] = _Checks()
    elif not mode and checks is not None:
        checks.remove()
        _STATE["checks"] = None


def learner_checks_enabled() -> bool:
    """Whether the learner checks are on."""
    return _STATE["checks"] is not None


class learner_checks:
    """Context manager: learner checks on (or off with ``mode=False``) inside the block, restored after."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> learner_checks:
        self.prev = learner_checks_enabled()
        set_learner_checks(self.mode)
        return self

    def __exit__(self, *exc: object) -> None:
        set_learner_checks(self.prev)
