"""Negative log-likelihood losses of ``nn.functional`` for regression targets: ``poisson_nll_loss`` (counts)
and ``gaussian_nll_loss`` (a predicted mean and variance), composed of autograd's differentiable ops."""

from __future__ import annotations

import math

import autograd
from autograd import Tensor
from nn._checks import broadcast_shape
from nn._distances import clamp_min_keep_grad
from nn._losses import _reduce, _reduction

__all__ = ["poisson_nll_loss", "gaussian_nll_loss"]

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> None:
    # checked before any arithmetic, as PyTorch does
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """Negative log likelihood of counts y under a Poisson distribution of rate r, without the constant
    log(y!): r - y * log(r).

    ``log_input`` (default): ``input`` is log(r), and the loss exp(x) - y * x; otherwise ``input`` is r, and
    the loss x - y * log(x + eps). ``full`` adds Stirling's approximation of log(y!),
    y * log(y) - y + log(2 pi y) / 2, where y > 1 (0 elsewhere).

    Shapes: input and target broadcast together. With ``full``, the target's gradient is 0 where y <= 1
    (PyTorch's is NaN at y = 0).
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    broadcast_shape("poisson_nll_loss", input=input.shape, target=target.shape)
    if log_input:
        loss = autograd.exp(input) - target * input
    else:
        loss = input - target * autograd.log(input + eps)
    if full:
        counted = target > 1
        # y = 1 where the term is unused, so that no log(0) enters the graph (it would make a NaN gradient)
        y = autograd.where(counted, target, 1.0)
        stirling = y * autograd.log(y) - y + 0.5 * autograd.log(2 * math.pi * y)
        loss = loss + autograd.where(counted, stirling, 0.0)
    return _reduce(loss, reduction)


def _variance_like(name: str, input: Tensor, var: Tensor | float) -> Tensor:
    """``var`` validated and shaped to broadcast against ``input``, as PyTorch's ``gaussian_nll_loss`` accepts
    it: the input's shape, the input's shape without its last dim (one variance per row), or the input's shape
    with exactly one mismatched dim of size 1."""
    if not isinstance(var, Tensor):
        if var < 0:
            raise ValueError(f"{name}: var has negative entry/entries (var={var})")
        return autograd.full_like(input, float(var))
    if var.numel() and bool((var < 0).any()):
        raise ValueError(f"{name}: var has negative entry/entries")
    if tuple(var.shape) == tuple(input.shape):
        return var
    if tuple(var.shape) == tuple(input.shape[:-1]):
        return var.unsqueeze(-1)
    if var.ndim == input.ndim and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1:
        return var
    raise ValueError(f"{name}: var of shape {list(var.shape)} is of incorrect size for the input of shape "
                     f"{list(input.shape)}; expected the input's shape, the input's shape without its last dim, "
                     "or the input's shape with one dim of size 1")


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """Negative log likelihood of ``target`` under a normal distribution of mean ``input`` and variance
    ``var``: (log(max(var, eps)) + (input - target)**2 / max(var, eps)) / 2, plus log(2 pi) / 2 if ``full``.

    Shapes: input (N, *) or (*); target broadcast against it; var a number or a tensor of the input's shape,
    of the input's shape without the last dim, or with one dim of size 1 (see ``_variance_like``).
    The clamp at ``eps`` does not stop var's gradient (PyTorch clamps in place under no_grad).
    """
    _check_reduction(reduction)
    broadcast_shape("gaussian_nll_loss", input=input.shape, target=target.shape)
    var = clamp_min_keep_grad(_variance_like("gaussian_nll_loss", input, var), eps)
    diff = input - target
    loss = 0.5 * (autograd.log(var) + diff * diff / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
