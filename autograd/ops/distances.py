"""Distances and norms built from registered ops: ``dist``, ``cdist``, ``cosine_similarity`` and ``renorm``.

No new differentiable op lives here: each is a composition of ``vector_norm`` (the registered ``norm`` op),
arithmetic and ``where``, whose first and second derivatives the registry already checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import wrap
from autograd.ops._dims import wrap_dim
from autograd.ops._operands import binary_operands
from autograd.ops.basic import where
from autograd.ops.linalg_norms import vector_norm
from autograd.ops.shape import broadcast_to

__all__ = ["dist", "cdist", "cosine_similarity", "renorm"]


def _floating_pair(op: str, x1: Any, x2: Any) -> tuple[Any, Any]:
    for name, x in (("x1", x1), ("x2", x2)):
        if not hasattr(x, "_data"):
            raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(x).__name__}")
        if x.dtype.kind != "f":
            raise RuntimeError(f"{op}: expected floating point tensors, got {name} of dtype {x.dtype}")
    return binary_operands(op, x1, x2)


def dist(input: Any, other: Any, p: float = 2) -> Any:
    """The p-norm of ``input - other`` (broadcast) over all elements: (sum |a - b|**p)**(1/p), a 0-d tensor."""
    a, b = _floating_pair("dist", input, other)
    return vector_norm(a - b, float(p))


def cdist(x1: Any, x2: Any, p: float = 2.0, compute_mode: str | None = None) -> Any:
    """All pairwise p-norm distances between the rows of ``x1`` and ``x2``.

    Shapes: x1 (*, P, M) and x2 (*, R, M), batch dims broadcast, give (*, P, R) with
    out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p. ``compute_mode`` is accepted for compatibility; the
    distance is always computed from the differences (exact, no matrix-product shortcut).
    """
    a, b = _floating_pair("cdist", x1, x2)
    if a.ndim < 2 or b.ndim < 2:
        raise RuntimeError(f"cdist: expected at least 2-D inputs, got x1 of shape {list(a.shape)} and x2 of shape "
                           f"{list(b.shape)}")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"cdist: x1 and x2 must have the same number of columns, got x1 of shape "
                           f"{list(a.shape)} and x2 of shape {list(b.shape)} ({a.shape[-1]} != {b.shape[-1]})")
    if p < 0:
        raise RuntimeError(f"cdist: only supports non-negative p values, got p={p}")
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError(f"cdist: batch dims of x1 {list(a.shape)} and x2 {list(b.shape)} do not broadcast") from None
    return vector_norm(a.unsqueeze(-2) - b.unsqueeze(-3), float(p), dim=-1)


def _clamp_min_keep_grad(norm: Any, bound: float) -> Any:
    """``norm`` raised to ``bound`` where below it, with the gradient passing as if nothing were clamped."""
    return where(norm < bound, norm - norm.detach() + bound, norm)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Any:
    """sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)) along ``dim``: the cosine of the angle, in [-1, 1].

    Shapes: x1 and x2 broadcast to a common shape S; the result is S without ``dim``. Each norm is clamped to
    ``eps`` on its own, and (as in PyTorch) the clamp does not stop the norm's gradient.
    """
    a, b = _floating_pair("cosine_similarity", x1, x2)
    try:
        shape = tuple(np.broadcast_shapes(a.shape, b.shape))
    except ValueError:
        raise RuntimeError(f"cosine_similarity: x1 of shape {list(a.shape)} and x2 of shape {list(b.shape)} cannot "
                           "be broadcast to a common shape") from None
    axis = wrap_dim("cosine_similarity", dim, len(shape))
    a, b = broadcast_to(a, shape), broadcast_to(b, shape)
    a = a / _clamp_min_keep_grad(vector_norm(a, 2.0, axis, keepdim=True), eps)
    b = b / _clamp_min_keep_grad(vector_norm(b, 2.0, axis, keepdim=True), eps)
    return (a * b).sum(axis)


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Any:
    """Each slice ``input.select(dim, i)`` whose p-norm exceeds ``maxnorm`` scaled down to that norm:
    y = x * maxnorm / (||x_i||_p + 1e-7) there, x elsewhere (the 1e-7 is PyTorch's). Differentiable through
    the norm."""
    if not hasattr(input, "_data") or input.dtype.kind != "f":
        raise RuntimeError(f"renorm: expected a floating point tensor, got "
                           f"{getattr(input, 'dtype', type(input).__name__)}")
    if p <= 0:
        raise RuntimeError(f"renorm: non-positive norm not supported, got p={p}")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0, got {maxnorm}")
    if input.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} (shape {list(input.shape)})")
    d = wrap_dim("renorm", dim, input.ndim)
    others = tuple(i for i in range(input.ndim) if i != d)
    norm = vector_norm(input, float(p), others, keepdim=True)
    scale = where(norm > maxnorm, maxnorm / (norm + 1e-7), wrap(np.ones((), dtype=input.dtype)))
    return input * scale
