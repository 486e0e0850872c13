"""Finite-difference checks of first and second derivatives (``gradcheck`` and ``gradgradcheck``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.autograd_api import grad as autograd_grad
from autograd.tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised when an analytic gradient disagrees with finite differences."""


def _outputs(fn: Callable, inputs: Sequence[Any]) -> list[Tensor]:
    out = fn(*inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return [o for o in outs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _differentiable(inputs: Sequence[Any]) -> list[int]:
    return [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]


def _numeric_jacobians(fn: Callable, inputs: Sequence[Any], wrt: list[int], eps: float) -> list[list[np.ndarray]]:
    """``J[k][j]`` is d output k / d input ``wrt[j]`` with shape (output size, input size), by central
    differences on the inputs' data."""
    sizes = [o._data.size for o in _outputs(fn, inputs)]
    jac = [[np.zeros((n, inputs[j]._data.size)) for j in wrt] for n in sizes]
    for col, j in enumerate(wrt):
        flat = inputs[j]._data.reshape(-1)
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            plus = [o._data.astype(np.float64).ravel().copy() for o in _outputs(fn, inputs)]
            flat[i] = original - eps
            minus = [o._data.astype(np.float64).ravel().copy() for o in _outputs(fn, inputs)]
            flat[i] = original
            for k in range(len(sizes)):
                jac[k][col][:, i] = (plus[k] - minus[k]) / (2 * eps)
    return jac


def _analytic_jacobians(fn: Callable, inputs: Sequence[Any], wrt: list[int]) -> list[list[np.ndarray]]:
    outs = _outputs(fn, inputs)
    jac = [[np.zeros((o._data.size, inputs[j]._data.size)) for j in wrt] for o in outs]
    for k, out in enumerate(outs):
        if not out.requires_grad:
            continue
        for row in range(out._data.size):
            seed = np.zeros(out._data.size, dtype=out.dtype)
            seed[row] = 1.0
            grads = autograd_grad(
                out, [inputs[j] for j in wrt], Tensor._make(seed.reshape(out.shape)), retain_graph=True,
                allow_unused=True,
            )
            for col, g in enumerate(grads):
                if g is not None:
                    jac[k][col][row, :] = g._data.astype(np.float64).ravel()
    return jac


def gradcheck(
    fn: Callable,
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Compare the gradients of ``fn`` at ``inputs`` with central finite differences.

    Parameters
    ----------
    fn : callable
        Takes ``*inputs`` and returns a Tensor or a tuple of Tensors.
    inputs : sequence
        Tensors (those with ``requires_grad`` are checked; use float64) and other arguments.
    eps, atol, rtol : float
        Step of the differences; an element passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.

    Returns
    -------
    bool
        True when every element passes; otherwise raises ``GradcheckError`` naming the worst element (or
        returns False with ``raise_exception=False``).
    """
    inputs = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
    wrt = _differentiable(inputs)
    if not wrt:
        raise ValueError("gradcheck: no input requires grad; pass at least one Tensor with requires_grad=True")
    numeric = _numeric_jacobians(fn, inputs, wrt, eps)
    analytic = _analytic_jacobians(fn, inputs, wrt)
    for k, (num_k, ana_k) in enumerate(zip(numeric, analytic)):
        for col, (num, ana) in enumerate(zip(num_k, ana_k)):
            bad = np.abs(ana - num) > atol + rtol * np.abs(num)
            if bad.any() or not np.isfinite(ana).all():
                excess = np.where(np.isfinite(ana), np.abs(ana - num) - rtol * np.abs(num), np.inf)
                row, i = np.unravel_index(int(np.argmax(excess)), excess.shape)
                in_index = np.unravel_index(i, inputs[wrt[col]].shape) if inputs[wrt[col]].shape else ()
                message = (
                    f"gradcheck: Jacobian mismatch for output {k} with respect to input {wrt[col]}: worst at "
                    f"output element {row}, input element {tuple(int(v) for v in in_index)}: analytic "
                    f"{ana[row, i]:.8g}, numeric {num[row, i]:.8g} (|diff| {abs(ana[row, i] - num[row, i]):.3g}, "
                    f"allowed {atol + rtol * abs(num[row, i]):.3g}; {int(bad.sum())} of {bad.size} elements fail)"
                )
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def gradgradcheck(
    fn: Callable,
    inputs: Sequence[Any],
    grad_outputs: Sequence[Tensor] | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Check second derivatives: gradcheck of ``v -> grad(fn(inputs), inputs, v, create_graph=True)`` with
    respect to the inputs and the random output gradients ``v`` (float64)."""
    inputs = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
    wrt = _differentiable(inputs)
    outs = _outputs(fn, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [Tensor._make(rng.uniform(-1, 1, o.shape), True) for o in outs]
    n = len(inputs)

    def first_derivative(*args: Any) -> tuple:
        ins, gos = list(args[:n]), list(args[n:])
        outputs = _outputs(fn, ins)
        used = [(o, g) for o, g in zip(outputs, gos) if o.requires_grad]
        if not used:
            return ()
        grads = autograd_grad(
            [o for o, _ in used], [ins[j] for j in wrt], [g for _, g in used], create_graph=True, allow_unused=True
        )
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + list(grad_outputs), eps, atol, rtol, raise_exception)
