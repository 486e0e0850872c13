"""Margin and embedding losses of ``nn.functional``: ranking, hinge, soft-margin and multi-class margin
losses, and the cosine and triplet losses of embeddings.

Composed of autograd's differentiable ops, so gradients of every order are exact. Every loss takes PyTorch's
argument order and ``reduction='mean' | 'sum' | 'none'`` (with the deprecated ``size_average``/``reduce``
flags translated as PyTorch does). A clamp at 0 (``clamp_min``) lets the gradient through where its argument
is exactly 0, as PyTorch's does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

import autograd
from autograd import Tensor
from nn._activations import logsigmoid
from nn._checks import broadcast_shape
from nn._distances import pairwise_distance
from nn._losses import _reduce, _reduction

__all__ = ["margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "multi_margin_loss", "cosine_embedding_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
           "multilabel_margin_loss"]

# Added to the squared norms of cosine_embedding_loss, so zero vectors give finite values. PyTorch's constant
# is the float32 nearest 1e-12 (9.99999996e-13), which shows in the gradient at a zero vector (~1e6).
_COSINE_EPS = float(np.float32(1e-12))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y * (x1 - x2) + margin): y = 1 asks for x1 to rank above x2 by ``margin``, y = -1 below.

    Shapes: input1, input2, target with the same number of dims, broadcast together; 'none' keeps that shape.
    """
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(f"margin_ranking_loss: all inputs should have the same number of dimensions, but got "
                           f"input1 of shape {list(input1.shape)}, input2 of shape {list(input2.shape)} and target "
                           f"of shape {list(target.shape)}")
    broadcast_shape("margin_ranking_loss", input1=input1.shape, input2=input2.shape, target=target.shape)
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """x where y = 1 and max(0, margin - x) where y = -1, for x typically a distance between two embeddings.

    Shapes: input and target broadcast together. As in PyTorch, a target other than 1 and -1 gets both terms.
    """
    broadcast_shape("hinge_embedding_loss", input=input.shape, target=target.shape)
    below_margin = (margin - input).clamp_min(0)
    loss = autograd.where(target != 1, below_margin, 0.0) + autograd.where(target != -1, input, 0.0)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y * x)) for targets y = 1 or -1 (two-class logistic loss), averaged over every element.

    Shapes: input and target broadcast together. Computed as softplus(-y * x), which stays finite where
    PyTorch's log1p(exp(-y * x)) overflows to inf (-y * x > 88 in float32).
    """
    broadcast_shape("soft_margin_loss", input=input.shape, target=target.shape)
    loss = autograd.softplus(-target * input, 1.0, math.inf)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Per sample, the mean over the C classes of -w * (y * log sigmoid(x) + (1 - y) * log sigmoid(-x)):
    a binary cross entropy of logits for each class, with targets y in {0, 1}.

    Shapes: input (N, C) or (C,) (the classes are the last dim), target alike, weight (C,); 'none' gives (N,)
    (a 0-d tensor for a 1-D input).
    """
    if input.ndim == 0:
        raise ValueError("multilabel_soft_margin_loss: expected an input of shape (N, C) or (C,), got a 0-d tensor")
    broadcast_shape("multilabel_soft_margin_loss", input=input.shape, target=target.shape)
    reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss.sum(-1) / input.shape[-1], reduction)


def _class_index_targets(input: Tensor, target: Tensor) -> np.ndarray:
    """The class indices of multi_margin_loss as an (N,) array, validated against the (N, C) or (C,) input."""
    if input.ndim not in (1, 2) or input.shape[-1] == 0:
        raise RuntimeError(f"multi_margin_loss: expected an input of shape (N, C) or (C,) with C > 0, got shape "
                           f"{list(input.shape)}")
    if target.dtype.kind not in "iu":
        raise RuntimeError(f"multi_margin_loss: expected class-index targets of an integer dtype, got {target.dtype}")
    samples = input.shape[0] if input.ndim == 2 else 1
    if not (target.ndim <= 1 and target.numel() == samples and (target.ndim == 1 or input.ndim == 1)):
        raise RuntimeError(f"multi_margin_loss: target should be 1-D with one class index per sample, expected "
                           f"target of shape [{samples}] for the input of shape {list(input.shape)}, got "
                           f"{list(target.shape)}")
    classes = input.shape[-1]
    indices = target.numpy().reshape(samples).astype(np.int64)
    bad = (indices < 0) | (indices >= classes)
    if bad.any():
        raise RuntimeError(f"multi_margin_loss: target {int(indices[bad][0])} is out of range for {classes} classes")
    return indices


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: per sample, sum over classes i != y of w[y] * max(0, margin - x[y] + x[i])**p,
    divided by the number of classes C.

    Shapes: input (N, C) or (C,); target (N,) of class indices (for a (C,) input: () or (1,), which is also
    the shape of the 'none' result); weight (C,), a constant (as in PyTorch it cannot require grad).
    An empty batch averages to NaN, where PyTorch returns 0.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p == 1 and p == 2 are supported, got p={p}")
    if weight is not None and weight.ndim != 1:
        raise ValueError(f"multi_margin_loss: weight must be one-dimensional, got shape {list(weight.shape)}")
    indices = _class_index_targets(input, target)
    classes = input.shape[-1]
    if weight is not None and tuple(weight.shape) != (classes,):
        raise RuntimeError(f"multi_margin_loss: expected weight of shape [{classes}] (one per class), got "
                           f"{list(weight.shape)}")
    if weight is not None and weight.requires_grad:
        raise RuntimeError("multi_margin_loss: weight is not differentiable; it cannot require grad")
    x = input.reshape(len(indices), classes)
    rows = autograd.from_numpy(indices.reshape(-1, 1))
    hinge = autograd.relu(margin - autograd.gather(x, 1, rows) + x)  # (N, C); no gradient where exactly 0
    if p == 2:
        hinge = hinge * hinge
    others = autograd.from_numpy(indices[:, None] != np.arange(classes))  # the target's own class does not count
    hinge = autograd.where(others, hinge, 0.0)
    if weight is not None:
        hinge = hinge * autograd.from_numpy(weight.detach().numpy()[indices].reshape(-1, 1))
    loss = hinge.sum(1) / classes
    return _reduce(loss.reshape(target.shape), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1 and max(0, cos(x1, x2) - margin) where y = -1 (0 for other targets), with
    cos = sum(x1 * x2) / sqrt((sum(x1**2) + 1e-12) * (sum(x2**2) + 1e-12)) over the feature dim.

    Shapes: input1, input2 (N, D) with target (N,), or (D,) with a 0-d target.
    """
    if target.ndim > 1:
        raise RuntimeError(f"cosine_embedding_loss: expected a 0-D or 1-D target (multi-target is not supported), "
                           f"got target of shape {list(target.shape)}")
    if not input1.ndim == input2.ndim == target.ndim + 1:
        raise RuntimeError(f"cosine_embedding_loss: a {target.ndim}-D target expects {target.ndim + 1}-D inputs, but "
                           f"got inputs of shapes {list(input1.shape)} and {list(input2.shape)}")
    shape = broadcast_shape("cosine_embedding_loss", input1=input1.shape, input2=input2.shape)
    broadcast_shape("cosine_embedding_loss", target=target.shape, similarity=shape[:-1])
    dim = target.ndim
    dot = (input1 * input2).sum(dim)
    norms = ((input1 * input1).sum(dim) + _COSINE_EPS) * ((input2 * input2).sum(dim) + _COSINE_EPS)
    cos = dot / autograd.sqrt(norms)
    loss = autograd.where(target == 1, 1 - cos, 0.0) + autograd.where(target == -1, (cos - margin).clamp_min(0), 0.0)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with d the ``pairwise_distance`` (p-norm, ``eps``): the anchor
    should be nearer the positive than the negative by ``margin``. ``swap`` uses min(d(a, n), d(p, n)).

    Shapes: anchor, positive, negative (N, D) or (D,) (same number of dims, broadcast); 'none' gives (N,).
    """
    _check_triplet("triplet_margin_loss", anchor, positive, negative, margin)
    broadcast_shape("triplet_margin_loss", anchor=anchor.shape, positive=positive.shape, negative=negative.shape)
    loss = _triplet_hinge(lambda x1, x2: pairwise_distance(x1, x2, p, eps), anchor, positive, negative, margin, swap)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def _check_triplet(name: str, anchor: Tensor, positive: Tensor, negative: Tensor, margin: float) -> None:
    if margin <= 0:
        raise ValueError(f"{name}: margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"{name}: the anchor, positive and negative tensors are expected to have the same number "
                           f"of dimensions, but got shapes {list(anchor.shape)}, {list(positive.shape)} and "
                           f"{list(negative.shape)}")


def _triplet_hinge(distance: Callable[[Tensor, Tensor], Tensor], anchor: Tensor, positive: Tensor, negative: Tensor,
                   margin: float, swap: bool) -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)), with min(d(a, n), d(p, n)) for d(a, n) when ``swap``."""
    to_positive = distance(anchor, positive)
    to_negative = distance(anchor, negative)
    if swap:
        to_negative = autograd.minimum(to_negative, distance(positive, negative))
    return (margin + to_positive - to_negative).clamp_min(0)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with any distance d (default ``pairwise_distance``); ``swap`` uses
    min(d(a, n), d(p, n)) as the negative distance.

    Shapes: anchor, positive, negative with the same number of dims, which ``distance_function`` maps to the
    per-triplet distances (N,) (or any shape; 'none' keeps it). The default distance wants (N, D) or (D,).
    """
    _check_triplet("triplet_margin_with_distance_loss", anchor, positive, negative, margin)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    distance = pairwise_distance if distance_function is None else distance_function
    return _reduce(_triplet_hinge(distance, anchor, positive, negative, margin, swap), reduction)


def _multilabel_targets(input: Tensor, target: Tensor) -> tuple[np.ndarray, np.ndarray]:
    """The (N, C) class indices of multilabel_margin_loss and the mask of those before each row's first -1,
    validated against the (N, C), (C,) or 0-d input."""
    if input.ndim > 2 or (input.ndim >= 1 and input.shape[-1] == 0):
        raise RuntimeError(f"multilabel_margin_loss: expected a non-empty vector or matrix (N, C) with optional "
                           f"0-dim batch size, got input of shape {list(input.shape)}")
    if not input.is_floating_point():
        raise NotImplementedError(f"multilabel_margin_loss: expected a floating-point input, got {input.dtype}")
    if target.dtype != np.int64:
        raise RuntimeError(f"multilabel_margin_loss: expected target of dtype int64 (class indices), got "
                           f"{target.dtype}")
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"multilabel_margin_loss: inconsistent target size: {list(target.shape)} for input of "
                           f"size {list(input.shape)}")
    classes = input.shape[-1] if input.ndim else 1
    indices = target.numpy().reshape(-1, classes)
    bad = (indices < -1) | (indices >= classes)
    if bad.any():
        raise RuntimeError(f"multilabel_margin_loss: target {int(indices[bad][0])} is out of range for {classes} "
                           f"classes (expected class indices in [0, {classes}), or -1 to end a sample's list)")
    listed = np.cumprod(indices != -1, axis=1).astype(bool)
    return indices, listed


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss: per sample, sum over listed targets j and classes i not listed of
    max(0, 1 - (x[y[j]] - x[i])), divided by the number of classes C.

    Shapes: input (N, C), (C,) or 0-d; target of the same shape, int64 class indices, each row's list ending
    at its first -1 (later entries are ignored; a class listed twice counts twice). 'none' gives (N,) (0-d
    for a (C,) input). As in PyTorch, there is no gradient where a hinge is exactly 0. An empty batch averages
    to NaN (PyTorch returns uninitialised memory).
    """
    reduction = _reduction(size_average, reduce, reduction)
    indices, listed = _multilabel_targets(input, target)
    samples, classes = indices.shape
    is_target = np.zeros((samples, classes), dtype=bool)
    rows, cols = np.nonzero(listed)
    is_target[rows, indices[rows, cols]] = True
    x = input.reshape(samples, classes)
    target_scores = autograd.gather(x, 1, autograd.from_numpy(np.where(listed, indices, 0)))  # (N, J)
    hinge = 1 - target_scores.unsqueeze(2) + x.unsqueeze(1)  # (N, J, C)
    counted = autograd.from_numpy(listed[:, :, None] & ~is_target[:, None, :])
    hinge = autograd.where(counted & (hinge > 0), hinge, 0.0)
    loss = hinge.sum((1, 2)) / classes
    return _reduce(loss.reshape(input.shape[:-1] if input.ndim else ()), reduction)
