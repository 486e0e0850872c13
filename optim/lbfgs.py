"""L-BFGS: a quasi-Newton method that builds its curvature model from the last few steps and gradient changes."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any

import numpy as np

from autograd.grad_mode import enable_grad, no_grad
from autograd.tensor import Tensor
from optim._docs import shared_parameter_docs
from optim._line_search import strong_wolfe
from optim._validation import check_hyperparameters
from optim.optimizer import Optimizer, ParamsT, options

__all__ = ["LBFGS", "lbfgs"]

_LINE_SEARCHES = (None, "strong_wolfe")
_FLAT_VECTORS = ("d", "prev_flat_grad", "old_dirs", "old_stps")  # state over all parameters' elements (or lists)


@shared_parameter_docs
class LBFGS(Optimizer):
    """Limited-memory BFGS (``torch.optim.LBFGS``); one step is :func:`lbfgs`.

    Each ``step(closure)`` runs up to ``max_iter`` iterations of L-BFGS on all parameters at once, seen as one flat
    vector, evaluating the model through ``closure`` (which must zero the gradients, compute the loss, call
    ``backward`` and return the loss). It keeps ``2 · history_size`` vectors the size of all parameters together
    (and a few more). Only one parameter group is supported, and the method suits full-batch, deterministic
    objectives.

    Parameters
    ----------
    {params}
    lr : float
        Step length of each iteration (with a line search, its first trial); the very first iteration of all uses
        lr · min(1, 1/‖g‖₁).
    max_iter : int
        Iterations per ``step``.
    max_eval : int or None
        Closure evaluations per ``step`` after which no new iteration begins; None means ``max_iter * 5 // 4``. As in
        PyTorch, the strong-Wolfe line search may use one evaluation beyond it in the iteration that reaches it.
    tolerance_grad : float
        Stop when the largest gradient component is at most this (first-order optimality).
    tolerance_change : float
        Stop when the loss, or the largest component of the step, changes by less than this, or when the
        directional derivative along the new direction is above ``-tolerance_change``.
    history_size : int
        Number of (step, gradient change) pairs kept for the inverse-Hessian approximation.
    line_search_fn : str or None
        ``'strong_wolfe'`` (:func:`optim._line_search.strong_wolfe`) or None (fixed steps of length lr).

    State (of the whole optimizer, kept as PyTorch keeps it, under the first parameter): ``'func_evals'`` and
    ``'n_iter'`` (totals over all steps, ints), ``'d'`` (last direction), ``'t'`` (last step length, a float),
    ``'old_dirs'`` and ``'old_stps'`` (lists of gradient changes y and steps s), ``'ro'`` (list of 1/(y·s)),
    ``'H_diag'`` (scale γ of the initial inverse Hessian; the int 1 until the first pair is stored),
    ``'prev_flat_grad'``, ``'prev_loss'`` (float) and ``'al'`` (the two-loop coefficients, ``history_size``
    entries, None where unused). Vectors are 1-d Tensors over all parameters' elements, scalars 0-d Tensors.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        check_hyperparameters("LBFGS", lr=lr)
        _check_count("max_iter", max_iter)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        _check_count("max_eval", max_eval)
        check_hyperparameters("LBFGS", tolerance_grad=tolerance_grad, tolerance_change=tolerance_change)
        _check_count("history_size", history_size)
        if line_search_fn not in _LINE_SEARCHES:
            raise ValueError(f"LBFGS: Invalid line_search_fn: {line_search_fn!r} (must be None or 'strong_wolfe')")
        defaults = dict(
            lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change, history_size=history_size, line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add the (only) parameter group; a second one raises ``ValueError``, as L-BFGS works on one flat vector."""
        if self.param_groups:
            raise ValueError(
                "LBFGS doesn't support per-parameter options (parameter groups): it optimizes exactly one group, "
                "but got a second one"
            )
        super().add_param_group(param_group)

    @no_grad()
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; returns the loss ``closure`` gave at the starting point.

        ``closure`` re-evaluates the model and returns the loss (a Tensor or a number); it runs with gradient
        recording on, and must leave the gradients in the parameters' ``.grad`` (None counts as zero).
        """
        group = self.param_groups[0]
        params = group["params"]
        hyperparameters = options(
            group, "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn"
        )
        return lbfgs(params, closure, self.state[params[0]], **hyperparameters)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state produced by ``state_dict`` (here or by PyTorch's LBFGS over same-shaped parameters).

        The state is copied; floating tensors take the first parameter's dtype, as in PyTorch.

        Raises
        ------
        ValueError
            When the groups differ in number or size (see :meth:`Optimizer.load_state_dict`), or a saved vector
            does not have one entry per parameter element.
        """
        super().load_state_dict({"state": {}, "param_groups": state_dict["param_groups"]})
        params = self.param_groups[0]["params"]
        saved = state_dict["state"].get(state_dict["param_groups"][0]["params"][0])
        if saved is not None:
            numel = sum(p.numel() for p in params)
            self.state[params[0]] = {
                key: _copied_state(key, value, params[0].dtype, numel) for key, value in saved.items()
            }


def lbfgs(
    params: list[Tensor],
    closure: Callable[[], Any],
    state: dict[str, Any],
    *,
    lr: float,
    max_iter: int,
    max_eval: int,
    tolerance_grad: float,
    tolerance_change: float,
    history_size: int,
    line_search_fn: str | None,
) -> Any:
    r"""One L-BFGS step: up to ``max_iter`` iterations on ``params`` (in place), continuing from ``state``.

    With x all parameters as one vector, f the closure's loss and g = ∇f(x), each iteration k (counted over all
    steps in ``state['n_iter']``)::

        d_1 = -g                                           (first iteration ever)
        y = g - g_prev,  s = t_prev d_prev                 (afterwards: update the memory)
        if y·s > 1e-10: keep (s, y) and ρ = 1/(y·s) (dropping the oldest beyond history_size), γ = y·s / y·y
        d_k = -H g                                         (H: the L-BFGS inverse Hessian, two-loop recursion)
        t = lr · min(1, 1/‖g‖₁) at k = 1, else lr
        stop if g·d_k > -tolerance_change                  (not a descent direction)
        t ← strong-Wolfe line search from t (line_search_fn='strong_wolfe'), else t is kept
        x ← x + t d_k, and f, g are evaluated there (not after the last iteration without line search)

    The step ends after ``max_iter`` iterations, or once ``max_eval`` evaluations are used, ``max|g| <=
    tolerance_grad``, ``max|t d_k| <= tolerance_change`` or ``|f - f_prev| < tolerance_change``. It ends at once,
    after one evaluation, when ``max|g| <= tolerance_grad`` at the starting point. Returns the loss that
    ``closure`` returned at the starting point.

    The two-loop recursion (Nocedal & Wright, Algorithm 7.4), over the kept pairs from newest to oldest and back::

        q = -g;   α_i = ρ_i s_i·q,  q ← q - α_i y_i;   r = γ q;   β_i = ρ_i y_i·r,  r ← r + (α_i - β_i) s_i;   d = r
    """
    state.setdefault("func_evals", 0)
    state.setdefault("n_iter", 0)
    first_loss = _call(closure)
    loss = float(first_loss)
    evaluations = 1
    state["func_evals"] += 1
    flat_grad = _flat_grad(params)
    if np.abs(flat_grad).max() <= tolerance_grad:
        return first_loss

    d, t = _value(state.get("d")), _value(state.get("t"))
    old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
    h_diag, prev_flat_grad, prev_loss = _value(state.get("H_diag")), state.get("prev_flat_grad"), state.get("prev_loss")
    for n_iter in range(1, max_iter + 1):
        state["n_iter"] += 1
        if state["n_iter"] == 1:
            d = -flat_grad
            old_dirs, old_stps, ro, h_diag = [], [], [], 1
        else:
            y = flat_grad - prev_flat_grad._data
            s = d * t
            ys = y.dot(s)
            if ys > 1e-10:
                if len(old_dirs) == history_size:
                    del old_dirs[0], old_stps[0], ro[0]
                old_dirs.append(Tensor._make(y))
                old_stps.append(Tensor._make(s))
                ro.append(Tensor._make(np.asarray(1.0 / ys)))
                h_diag = ys / y.dot(y)
            al = state.setdefault("al", [None] * history_size)
            d = _two_loop_direction(flat_grad, old_dirs, old_stps, ro, h_diag, al)
        if prev_flat_grad is None:
            prev_flat_grad = Tensor._make(flat_grad.copy())
        else:
            np.copyto(prev_flat_grad._data, flat_grad)
        prev_loss = loss

        t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
        gtd = flat_grad.dot(d)
        if gtd > -tolerance_change:
            break
        grad_is_small = False
        if line_search_fn == "strong_wolfe":
            x = [p._data.copy() for p in params]
            loss, flat_grad, t, used = strong_wolfe(
                _directional_objective(params, closure, x, d), d, t, loss, flat_grad, gtd,
                tolerance_change=tolerance_change, max_ls=max_eval - evaluations,
            )
            _add_(params, t, d)
            grad_is_small = np.abs(flat_grad).max() <= tolerance_grad
        else:
            _add_(params, t, d)
            used = 0
            if n_iter != max_iter:  # the last iteration's point is not evaluated (the next step evaluates it)
                loss = float(_call(closure))
                flat_grad = _flat_grad(params)
                grad_is_small = np.abs(flat_grad).max() <= tolerance_grad
                used = 1
        evaluations += used
        state["func_evals"] += used
        if (
            n_iter == max_iter
            or evaluations >= max_eval
            or grad_is_small
            or np.abs(d * t).max() <= tolerance_change
            or abs(loss - prev_loss) < tolerance_change
        ):
            break

    state["d"] = Tensor._make(d)
    state["t"] = float(t)
    state["old_dirs"], state["old_stps"], state["ro"] = old_dirs, old_stps, ro
    state["H_diag"] = h_diag if isinstance(h_diag, int) else Tensor._make(np.asarray(h_diag))
    state["prev_flat_grad"], state["prev_loss"] = prev_flat_grad, prev_loss
    return first_loss


def _two_loop_direction(
    flat_grad: np.ndarray, old_dirs: list[Tensor], old_stps: list[Tensor], ro: list[Tensor], h_diag: Any, al: list[Any]
) -> np.ndarray:
    """The L-BFGS direction -H g by the two-loop recursion (see :func:`lbfgs`); the α_i are stored in ``al``."""
    q = -flat_grad
    alphas = []
    for y, s, rho in zip(reversed(old_dirs), reversed(old_stps), reversed(ro)):
        alpha = s._data.dot(q) * rho._data
        q -= alpha * y._data
        alphas.append(alpha)
    alphas.reverse()
    r = q * h_diag
    for y, s, rho, alpha in zip(old_dirs, old_stps, ro, alphas):
        beta = y._data.dot(r) * rho._data
        r += (alpha - beta) * s._data
    al[: len(alphas)] = [Tensor._make(np.asarray(alpha)) for alpha in alphas]
    return r


def _directional_objective(
    params: list[Tensor], closure: Callable[[], Any], x: list[np.ndarray], d: np.ndarray
) -> Callable[[Any], tuple[float, np.ndarray]]:
    """``evaluate(t)``: the loss and flat gradient at x + t d, leaving the parameters at x (for the line search)."""

    def evaluate(t: Any) -> tuple[float, np.ndarray]:
        _add_(params, t, d)
        loss = float(_call(closure))
        flat_grad = _flat_grad(params)
        for p, values in zip(params, x):
            np.copyto(p._data, values)
            p._version_box[0] += 1
        return loss, flat_grad

    return evaluate


def _call(closure: Callable[[], Any]) -> Any:
    """Run the closure with gradient recording on (``step`` itself runs under no_grad)."""
    with enable_grad():
        return closure()


def _flat_grad(params: list[Tensor]) -> np.ndarray:
    """All gradients as one new vector, in parameter order (C order within each); a missing gradient counts as 0."""
    return np.concatenate(
        [p.grad._data.reshape(-1) if p.grad is not None else np.zeros(p.numel(), p.dtype) for p in params]
    )


def _add_(params: list[Tensor], t: Any, d: np.ndarray) -> None:
    """``x ← x + t d`` in place, with d a flat vector over all parameters."""
    offset = 0
    for p in params:
        size = p.numel()
        p._data += t * d[offset : offset + size].reshape(p.shape)
        p._version_box[0] += 1
        offset += size


def _value(entry: Any) -> Any:
    """A state entry as used in the arithmetic: a Tensor's array, anything else (None, int) unchanged."""
    return entry._data if isinstance(entry, Tensor) else entry


def _check_count(name: str, value: Any) -> None:
    """``max_iter``, ``max_eval`` and ``history_size`` must be integers >= 1."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"LBFGS: Invalid {name} value: {value!r} (must be an integer >= 1)")


def _copied_state(key: str, value: Any, dtype: np.dtype, numel: int) -> Any:
    """A private copy of a loaded state entry; floating tensors cast to ``dtype``, flat vectors' lengths checked."""
    if isinstance(value, list):
        return [_copied_state(key, item, dtype, numel) for item in value]
    if not isinstance(value, Tensor):
        return value
    if key in _FLAT_VECTORS and value.shape != (numel,):
        raise ValueError(
            f"LBFGS: loaded state dict has state '{key}' of shape {list(value.shape)}, but the parameters have "
            f"{numel} elements in all (expected shape [{numel}])"
        )
    return Tensor._make(np.array(value._data, dtype=dtype if value.dtype.kind == "f" else value.dtype, copy=True))
