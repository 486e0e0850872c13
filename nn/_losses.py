"""Loss functions of ``nn.functional``, composed of registered ops (so gradients of every order are exact).

Every loss takes ``reduction='mean' | 'sum' | 'none'`` and PyTorch's argument order, including the deprecated
``size_average``/``reduce`` flags, which are translated to a reduction as PyTorch does. Class weights
(``weight``) of ``nll_loss`` and of ``cross_entropy`` with class indices are constants, as in PyTorch (which
refuses a weight that requires grad there); with class-probability targets the weight is differentiable, as
PyTorch's is.
"""

from __future__ import annotations

import warnings

import numpy as np

import autograd
from autograd import Tensor
from autograd.ops.losses import BinaryCrossEntropy
from autograd.ops.nn_ops import CrossEntropy


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """PyTorch's translation of the legacy flags: both None keeps ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _check_sizes(name: str, input: Tensor, target: Tensor) -> None:
    if tuple(input.shape) != tuple(target.shape):
        warnings.warn(
            f"{name}: using a target size ({list(target.shape)}) that is different to the input size "
            f"({list(input.shape)}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            stacklevel=3,
        )


def mse_loss(
    input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
    reduction: str = "mean", weight: Tensor | None = None,
) -> Tensor:
    """(x - y)**2, reduced; ``weight`` (same shape) multiplies each term before the reduction."""
    _check_sizes("mse_loss", input, target)
    diff = input - target
    loss = diff * diff
    return _reduce(loss if weight is None else loss * weight, _reduction(size_average, reduce, reduction))


def l1_loss(
    input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
    reduction: str = "mean", weight: Tensor | None = None,
) -> Tensor:
    """|x - y|, reduced."""
    _check_sizes("l1_loss", input, target)
    loss = autograd.abs(input - target)
    return _reduce(loss if weight is None else loss * weight, _reduction(size_average, reduce, reduction))


def smooth_l1_loss(
    input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
    reduction: str = "mean", beta: float = 1.0,
) -> Tensor:
    """0.5 * d**2 / beta where d = |x - y| < beta, else d - 0.5 * beta (``beta=0`` is the L1 loss)."""
    _check_sizes("smooth_l1_loss", input, target)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta, got {beta}")
    d = autograd.abs(input - target)
    loss = d if beta == 0 else autograd.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0, weight: Tensor | None = None
) -> Tensor:
    """0.5 * d**2 where d = |x - y| < delta, else delta * (d - 0.5 * delta); ``weight`` multiplies each term."""
    _check_sizes("huber_loss", input, target)
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta, got {delta}")
    d = autograd.abs(input - target)
    loss = autograd.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
    reduce: bool | None = None, reduction: str = "mean",
) -> Tensor:
    """-w * (y * log(x) + (1 - y) * log(1 - x)) for probabilities x in [0, 1]; each log is clamped to >= -100.

    The gradient is PyTorch's: d/dx = w * (x - y) / max(x * (1 - x), 1e-12), finite at x = 0 and x = 1;
    d/dy = w * (log(1 - x) - log(x)).
    """
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({list(target.shape)}) that is different to the input size ({list(input.shape)}) "
            "is deprecated. Please ensure they have the same size."
        )
    values = input.detach().numpy()
    if values.size and not (values.min() >= 0 and values.max() <= 1):
        raise RuntimeError("binary_cross_entropy: all elements of input should be between 0 and 1")
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def binary_cross_entropy_with_logits(
    input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
    reduce: bool | None = None, reduction: str = "mean", pos_weight: Tensor | None = None,
) -> Tensor:
    """BCE of sigmoid(x), computed stably: (1 - y) * x + l * softplus(-x) with l = 1 + (pos_weight - 1) * y.

    softplus(-x) = max(-x, 0) + log1p(exp(-|x|)) never overflows, so large logits are exact.
    """
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({list(target.shape)}) must be the same as input size ({list(input.shape)})"
        )
    softplus_neg = autograd.softplus(-input)
    if pos_weight is not None:
        softplus_neg = (1 + (pos_weight - 1) * target) * softplus_neg
    loss = (1 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def kl_div(
    input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
    reduction: str = "mean", log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence of log-probabilities ``input`` x from ``target`` y, pointwise:
    y * (log(y) - x), taken as 0 where y == 0 (xlogy), or exp(y) * (y - x) when ``log_target`` (y = log q).

    'mean' averages over every element (with PyTorch's warning that this is not the KL divergence);
    'batchmean' divides the sum by the batch size x.shape[0] (the sum itself for a 0-d input), which is the
    KL divergence per sample; 'sum' and 'none' as usual.

    Differentiable in both: dl/dx = -y and dl/dy = log(y) + 1 - x (``log_target``: -exp(y) and
    exp(y) * (y + 1 - x)). At y == 0 the target gradient is -x here; PyTorch's is NaN there (its xlogy's
    backward divides 0 by 0).
    """
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            stacklevel=2,
        )
    if log_target:
        loss = autograd.exp(target) * (target - input)
    else:
        # xlogy(y, y) through log(1) at y == 0: no 0 * log(0) is ever formed, in forward or backward.
        loss = target * (autograd.log(autograd.where(target == 0, 1.0, target)) - input)
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim else total
    return _reduce(loss, reduction)


def _class_targets(name: str, input: Tensor, target: Tensor, ignore_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate integer class targets; return them with ignored entries replaced by 0, and the keep-mask."""
    expected = (input.shape[0], *input.shape[2:]) if input.ndim >= 2 else ()
    if target.dtype.kind not in "iu":
        raise RuntimeError(f"{name}: expected class-index targets of an integer dtype, got {target.dtype}")
    if tuple(target.shape) != expected:
        raise ValueError(
            f"{name}: expected target of shape {list(expected)} for input of shape {list(input.shape)}, "
            f"got {list(target.shape)}"
        )
    classes = input.shape[1] if input.ndim >= 2 else input.shape[0]
    t = target.numpy()
    keep = np.asarray(t != ignore_index)
    bad = keep & ((t < 0) | (t >= classes))
    if bad.any():
        raise IndexError(f"{name}: Target {int(t[bad].reshape(-1)[0])} is out of bounds (classes: {classes})")
    return np.asarray(np.where(keep, t, 0)), keep


def nll_loss(
    input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
    ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
) -> Tensor:
    """-w[y] * input[y] per sample, for log-probabilities ``input`` (N, C, *) or (C,) and class targets (N, *).

    'mean' divides by the total weight of the non-ignored targets (the count without ``weight``).
    """
    reduction = _reduction(size_average, reduce, reduction)
    safe, keep = _class_targets("nll_loss", input, target, ignore_index)
    batched = input.ndim >= 2
    index = safe.reshape((safe.shape[0], 1, *safe.shape[1:])) if batched else safe.reshape(1)
    picked = autograd.gather(input, 1 if batched else 0, autograd.from_numpy(index.astype(np.int64)))
    w = keep.astype(input.dtype)
    if weight is not None:
        w = w * weight.detach().numpy().astype(input.dtype)[safe]
    if reduction == "none":
        return picked.reshape(safe.shape) * autograd.as_tensor(-w)
    if reduction not in ("mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if keep.all():  # few graph nodes on the hot path: nothing to mask
        total = picked.sum() if weight is None else (picked * autograd.as_tensor(w.reshape(index.shape))).sum()
    else:
        # A mask, not only the zero weight: when every target is ignored the scale 1 / total weight is infinite
        # and 0 * inf would make the ignored gradients NaN, where PyTorch leaves them 0.
        weighted = picked * autograd.as_tensor(w.reshape(index.shape))
        total = autograd.where(autograd.from_numpy(keep.reshape(index.shape)), weighted, 0.0).sum()
    return total / -(float(w.sum()) if reduction == "mean" else 1.0)


def cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
    ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean", label_smoothing: float = 0.0,
) -> Tensor:
    """Cross entropy of raw logits ``input`` (N, C, *) or (C,) against class indices (N, *) or class
    probabilities (same shape as ``input``): log_softmax over C followed by the negative log likelihood.

    ``label_smoothing`` e mixes the targets with the uniform distribution: (1 - e) * one_hot + e / C.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 1 if input.ndim >= 2 else 0
    classes = input.shape[class_dim]
    if (input.ndim == 2 and target.dtype.kind in "iu" and weight is None and label_smoothing == 0
            and reduction in ("mean", "sum")):
        # The common case (a batch of logits, class indices, no weights) as one fused op.
        safe, keep = _class_targets("cross_entropy", input, target, ignore_index)
        if keep.all() and input.shape[0] > 0:
            return CrossEntropy.apply(input, safe, reduction=reduction)
    logp = autograd.log_softmax(input, class_dim)
    w_shape = [1] * input.ndim
    w_shape[class_dim] = classes
    if target.dtype.kind == "f":
        if tuple(target.shape) != tuple(input.shape):
            raise ValueError(
                f"cross_entropy: probability targets must have the input's shape {list(input.shape)}, "
                f"got {list(target.shape)}"
            )
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        weighted = logp if weight is None else logp * weight.reshape(w_shape)
        loss = -(weighted * target).sum(class_dim)
        if reduction == "mean":
            return loss.sum() / (input.numel() // max(classes, 1))
        return _reduce(loss, reduction)
    if label_smoothing == 0:
        return nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    safe, keep = _class_targets("cross_entropy", input, target, ignore_index)
    weighted = logp if weight is None else logp * weight.detach().reshape(w_shape)
    # Masked (PyTorch's masked_fill), so ignored targets get a zero gradient even when all are ignored.
    smooth = autograd.where(autograd.from_numpy(keep), -weighted.sum(class_dim), 0.0)
    if reduction == "mean":
        total = keep.sum() if weight is None else weight.detach().numpy()[safe[keep]].sum()
        smooth = smooth.sum() / float(total)
    else:
        smooth = _reduce(smooth, reduction)
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / classes)

