"""The strong-Wolfe line search of :class:`optim.LBFGS`, with safeguarded cubic interpolation.

This is the bracketing-and-zoom search of Nocedal & Wright, *Numerical Optimization* (2nd ed.), Algorithms 3.5 and
3.6, with the refinements of Mark Schmidt's minFunc that PyTorch's ``torch.optim.LBFGS`` follows: trial steps come
from the minimiser of the cubic through two points (eq. 3.59), and a zoom step that lands too close to the end of
the bracket is pushed back inside it. Scalars keep the dtype of the gradients (numpy scalars), so that float32
problems round as PyTorch's 0-d tensors do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = ["cubic_interpolate", "strong_wolfe"]


class _Point(NamedTuple):
    """One evaluated step along the search direction: step length t, φ(t) = f, ∇f there (g) and φ'(t) = g·d."""

    t: Any
    f: Any
    g: np.ndarray
    gtd: Any


def cubic_interpolate(
    x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any, bounds: tuple[Any, Any] | None = None
) -> Any:
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to ``bounds``.

    With the points ordered so that a <= b (Nocedal & Wright, eq. 3.59)::

        d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2)
        d2 = sqrt(d1² - g1 g2)
        x* = b - (b - a) (g_b + d2 - d1) / (g_b - g_a + 2 d2)

    clamped to ``bounds`` (by default [a, b]). When d1² < g1 g2 the cubic has no minimiser, and the midpoint of the
    bounds is returned instead.
    """
    lo, hi = ((x1, g1), (x2, g2)) if x1 <= x2 else ((x2, g2), (x1, g1))
    low_bound, high_bound = (lo[0], hi[0]) if bounds is None else bounds
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square >= 0:
        (a, g_a), (b, g_b) = lo, hi
        d2 = np.sqrt(d2_square)
        minimiser = b - (b - a) * ((g_b + d2 - d1) / (g_b - g_a + 2 * d2))
        return min(max(minimiser, low_bound), high_bound)
    return (low_bound + high_bound) / 2.0


def strong_wolfe(
    evaluate: Callable[[Any], tuple[float, np.ndarray]],
    d: np.ndarray,
    t: Any,
    f: float,
    g: np.ndarray,
    gtd: Any,
    *,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, Any, int]:
    r"""Find a step length t along ``d`` that satisfies the strong Wolfe conditions.

    With φ(t) = f(x + t d) and φ'(t) = ∇f(x + t d)·d, a step t is accepted when::

        φ(t) <= φ(0) + c1 t φ'(0)          (sufficient decrease, Armijo)
        |φ'(t)| <= -c2 φ'(0)                (curvature)

    Bracketing: from the initial guess ``t``, try steps until one is too long (no sufficient decrease, or, after
    the second trial, no lower than the previous one) or has φ' >= 0, which brackets an acceptable step between it
    and the previous one; until then the next trial is the cubic minimiser clamped to [t + 0.01 (t - t_prev), 10 t].
    Zoom: shrink the bracket (its low end has the lower φ) by cubic interpolation between its ends, moved to 10 % of
    its width from an end when it falls that close to it twice in a row (or beyond it), until the conditions hold,
    the bracket is narrower than ``tolerance_change`` (measured as width · max|d|), or the trials run out.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(t) -> (f(x + t d), ∇f(x + t d) flattened)``; it must leave the parameters at x.
    d : ndarray, shape (P,)
        Search direction, a descent direction (``gtd < 0``).
    t : float
        Initial step length.
    f : float
        f(x).
    g : ndarray, shape (P,)
        ∇f(x), flattened.
    gtd : float
        φ'(0) = g·d.
    c1, c2 : float
        Constants of the sufficient-decrease and curvature conditions, 0 < c1 < c2 < 1.
    tolerance_change : float
        Smallest bracket width (times max|d|) worth zooming into.
    max_ls : int
        Number of trials after the first one.

    Returns
    -------
    (f_new, g_new, t, evaluations)
        The loss and gradient at the step found, the step length, and how many times ``evaluate`` ran (at most
        ``max_ls + 1``).
    """
    d_norm = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evaluations = 1
    new = _Point(t, f_new, g_new, g_new.dot(d))
    prev = _Point(0, f, g, gtd)

    # bracketing phase: grow the step until an interval is known to contain an acceptable one
    bracket: list[_Point] | None = None
    done = False
    trials = 0
    while trials < max_ls:
        if new.f > f + c1 * new.t * gtd or (trials > 1 and new.f >= prev.f):
            bracket = [prev, new]
            break
        if abs(new.gtd) <= -c2 * gtd:
            bracket, done = [new], True
            break
        if new.gtd >= 0:
            bracket = [prev, new]
            break
        step_bounds = (new.t + 0.01 * (new.t - prev.t), new.t * 10)
        t = cubic_interpolate(prev.t, prev.f, prev.gtd, new.t, new.f, new.gtd, bounds=step_bounds)
        prev = new
        f_new, g_new = evaluate(t)
        evaluations += 1
        new = _Point(t, f_new, g_new, g_new.dot(d))
        trials += 1
    if bracket is None:  # the trials ran out
        bracket = [_Point(0, f, g, gtd), new]

    # zoom phase: shrink the bracket around a step that satisfies both conditions
    low = 0 if bracket[0].f <= bracket[-1].f else 1
    insufficient_progress = False
    while not done and trials < max_ls:
        left, right = bracket
        if abs(right.t - left.t) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(left.t, left.f, left.gtd, right.t, right.f, right.gtd)
        t, insufficient_progress = _keep_inside(t, left.t, right.t, insufficient_progress)
        f_new, g_new = evaluate(t)
        evaluations += 1
        trials += 1
        new = _Point(t, f_new, g_new, g_new.dot(d))
        high = 1 - low
        if new.f > f + c1 * t * gtd or new.f >= bracket[low].f:
            bracket[high] = new
            low = 0 if bracket[0].f <= bracket[1].f else 1
        else:
            if abs(new.gtd) <= -c2 * gtd:
                done = True
            elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = new
    best = bracket[low]
    return best.f, best.g, best.t, evaluations


def _keep_inside(t: Any, end_a: Any, end_b: Any, insufficient_progress: bool) -> tuple[Any, bool]:
    """Safeguard a zoom trial ``t`` in the bracket [min(a, b), max(a, b)]; returns it and the new progress flag.

    A trial within 10 % of the bracket's width from an end is moved to exactly 10 % from that end when it is on or
    beyond the end, or when the previous trial was that close too (the flag says so).
    """
    lowest, highest = min(end_a, end_b), max(end_a, end_b)
    margin = 0.1 * (highest - lowest)
    near_an_end = min(highest - t, t - lowest) < margin
    if not near_an_end:
        return t, False
    if insufficient_progress or t >= highest or t <= lowest:
        return (highest - margin if abs(t - highest) < abs(t - lowest) else lowest + margin), False
    return t, True
