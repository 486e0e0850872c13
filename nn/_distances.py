"""Norms and distances of ``nn.functional``: ``normalize``, ``cosine_similarity`` and ``pairwise_distance``,
composed of autograd's ``norm`` (whose gradient at the zero vector is 0, as PyTorch's) and elementwise ops."""

from __future__ import annotations

import autograd
from autograd import Tensor
from nn._checks import broadcast_shape, check_floating, wrap_dim

__all__ = ["normalize", "cosine_similarity", "pairwise_distance", "pdist"]


def clamp_min_keep_grad(input: Tensor, bound: float) -> Tensor:
    """``input`` with values below ``bound`` raised to it, while the gradient passes through unchanged, as if
    nothing were clamped.

    This is what PyTorch's in-place clamp under ``no_grad`` amounts to in ``cosine_similarity`` and
    ``gaussian_nll_loss``. ``input - input.detach()`` is exactly 0, so the clamped values are exactly ``bound``.
    """
    return autograd.where(input < bound, input - input.detach() + bound, input)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``: unit p-norm vectors (a zero vector stays zero).

    Shapes: input any (``dim`` must exist), same output. ``out``, when given, receives the result (it must have
    the input's shape; as in PyTorch, this form does not support autograd).
    """
    wrap_dim("normalize", dim, input.ndim)
    denom = autograd.norm(input, p, dim, keepdim=True).clamp_min(eps)
    if out is None:
        return input / denom
    if input.requires_grad and autograd.is_grad_enabled():
        raise RuntimeError("normalize: out= does not support automatic differentiation, but the input requires "
                           "grad; call it under no_grad() or without out=")
    if tuple(out.shape) != tuple(input.shape):
        raise RuntimeError(f"normalize: out has shape {list(out.shape)}, but the result has the input's shape "
                           f"{list(input.shape)}")
    return out.copy_(input / denom)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """The cosine of the angle between vectors along ``dim``: :func:`autograd.cosine_similarity` (each norm
    clamped to ``eps`` on its own, as PyTorch >= 1.12).

    Shapes: x1 and x2 broadcast to a common shape S; the result is S without ``dim``.
    """
    return autograd.cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim: the distance between corresponding rows.

    Shapes: x1 (*, D) and x2 (*, D) broadcast together → (*) (``keepdim``: (*, 1)); 1-D inputs give a 0-d
    result. ``eps`` keeps the difference off the zero vector, where a norm has no derivative.
    """
    check_floating("pairwise_distance", x1=x1, x2=x2)
    shape = broadcast_shape("pairwise_distance", x1=x1.shape, x2=x2.shape)
    return autograd.norm(x1 - x2 + eps, p, len(shape) - 1 if shape else -1, keepdim)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """The p-norm distances ||x[i] - x[j]||_p between every pair of rows i < j, in row-major order of the
    upper triangle: (0, 1), (0, 2), ..., (0, N-1), (1, 2), ...

    Shapes: input (N, M) → (N * (N - 1) / 2,). Composed of ``index_select`` and ``norm``, so the gradient of a
    zero distance is 0, as PyTorch's (and, unlike PyTorch's, it can be differentiated again). For p = inf
    every component tied for the largest |x[i] - x[j]| receives the full gradient sign(x[i] - x[j]), as in
    PyTorch (``norm`` would share it among the ties).
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist: only supports 2-D input (N, M), got shape {list(input.shape)} "
                           f"({input.ndim}-D)")
    if not input.is_floating_point():
        raise RuntimeError(f"pdist: only supports floating-point dtypes, got {input.dtype}")
    if p < 0:
        raise RuntimeError(f"pdist: only supports non-negative p values, got p={p}")
    rows = input.shape[0]
    first, second = autograd.triu_indices(rows, rows, 1)
    diff = autograd.index_select(input, 0, first) - autograd.index_select(input, 0, second)
    if p != float("inf"):
        return autograd.norm(diff, float(p), 1)
    # PyTorch's pdist gives every component tied for the maximum the full gradient sign(diff), where ``norm``
    # would share it among them: the value is the maximum, the gradient flows through each tied |diff|.
    size = autograd.abs(diff)
    frozen = size.detach()
    largest = frozen.amax(1, keepdim=True) if frozen.shape[1] else autograd.zeros_like(frozen.sum(1, keepdim=True))
    ties = frozen == largest
    return largest.squeeze(1) + autograd.where(ties, size - frozen, 0.0).sum(1)
