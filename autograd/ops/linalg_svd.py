"""The singular value decomposition A = U diag(S) V^T (thin: for A of shape (*, m, n), k = min(m, n), U (*, m, k),
S (*, k) in descending order, V (*, n, k)), as three single-output ops, ``svd_u``, ``svdvals`` and ``svd_v``
(``svdvals`` is public through ``autograd.linalg``).

Each backward pass is written with the other two (applied to the same A), so the three form a closed family and
derivatives of any order work, as long as the singular values are distinct (and non-zero where m != n). The
signs of singular vectors are arbitrary; ours are fixed (the largest-magnitude entry of each column of U is
positive), which makes U and V smooth functions of A wherever the singular values are distinct.

The backward of U and V is the classical perturbation formula for the SVD: with F_ij = 1 / (s_j**2 - s_i**2)
(0 on the diagonal), J = F o (U^T gU - gU^T U) and K = F o (V^T gV - gV^T V),
gA = U (J S + S K) V^T + (I - U U^T) gU S^-1 V^T + U S^-1 gV^T (I - V V^T).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.linalg import Matmul
from autograd.ops.registry import Sample, register_op

_SAMPLES = [Sample((3, 3)), Sample((4, 2)), Sample((2, 4)), Sample((2, 3, 2))]


def _svd(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD (U, S, V) with each column of U made to have its largest-magnitude entry positive (V follows)."""
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    v = np.swapaxes(vh, -1, -2)
    peak = np.take_along_axis(u, np.abs(u).argmax(axis=-2)[..., None, :], axis=-2)
    flip = np.where(peak < 0, -1.0, 1.0).astype(a.dtype)
    return u * flip, s, v * flip


def factors(a: Any) -> tuple[Any, Any, Any]:
    """U, S and V of ``a`` as recorded ops (each differentiable)."""
    return SvdU.apply(a), Svdvals.apply(a), SvdV.apply(a)


def _pair_weights(s: Any) -> Any:
    """F_ij = 1 / (s_j**2 - s_i**2) off the diagonal, 0 on it (infinite where two singular values are equal)."""
    k = s.shape[-1]
    square = s * s
    gap = square.unsqueeze(-2) - square.unsqueeze(-1)
    diagonal = np.eye(k, dtype=bool)
    with np.errstate(divide="ignore"):
        return Where.apply(diagonal, np.zeros((), dtype=s.dtype), 1 / Where.apply(diagonal, np.ones((), s.dtype), gap))


def _vector_backward(ctx: Any, grad: Any, left: bool) -> Any:
    """gA for a gradient ``grad`` of U (``left``) or of V."""
    a = ctx.input(0)
    u, s, v = factors(a)
    near, far = (u, v) if left else (v, u)  # the factor grad belongs to, and the other one
    inner = _pair_weights(s) * (Matmul.apply(near.mT, grad) - Matmul.apply(grad.mT, near))
    core = inner * s.unsqueeze(-2) if left else s.unsqueeze(-1) * inner
    out = Matmul.apply(Matmul.apply(u, core), v.mT)
    rows = near.shape[-2]
    if rows > s.shape[-1]:  # the part of grad outside near's column space (only for the longer side)
        outside = grad - Matmul.apply(near, Matmul.apply(near.mT, grad))
        term = Matmul.apply(outside / s.unsqueeze(-2), far.mT)
        out = out + (term if left else term.mT)
    return out


@register_op("svd_u", samples=_SAMPLES)
class SvdU(Function):
    """y = U of the thin SVD of x (signs fixed as in the module docstring);  dy/dx by the formula above with
    gS = 0, gV = 0."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return _svd(x)[0]

    @staticmethod
    def backward(ctx, grad):
        return _vector_backward(ctx, grad, left=True)


@register_op("svd_v", samples=_SAMPLES)
class SvdV(Function):
    """y = V of the thin SVD of x (x = U diag(S) V^T);  dy/dx by the formula above with gU = 0, gS = 0."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return _svd(x)[2]

    @staticmethod
    def backward(ctx, grad):
        return _vector_backward(ctx, grad, left=False)


@register_op("svdvals", samples=_SAMPLES + [Sample((3, 0))])
class Svdvals(Function):
    """y = the singular values of x, descending;  dL/dx = U diag(g) V^T."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.linalg.svd(x, compute_uv=False)

    @staticmethod
    def backward(ctx, grad):
        if grad.shape[-1] == 0:
            (shape, dtype), = ctx.input_meta()
            return wrap(np.zeros(shape, dtype))
        a = ctx.input(0)
        return Matmul.apply(SvdU.apply(a) * grad.unsqueeze(-2), SvdV.apply(a).mT)


def svdvals(A: Any) -> Any:  # noqa: N803  (PyTorch's name)
    """The singular values of each matrix of ``A`` (*, m, n), as (*, min(m, n)) in descending order.

    Differentiable (to any order) where the singular values are distinct; the gradient is U diag(g) V^T.
    """
    if not hasattr(A, "_data") or A.dtype.kind != "f":
        got = A.dtype if hasattr(A, "_data") else type(A).__name__
        raise RuntimeError(f"linalg.svdvals: expected a floating point tensor as input, got {got}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.svdvals: the input must have at least 2 dimensions, got shape {list(A.shape)}")
    return Svdvals.apply(A)
