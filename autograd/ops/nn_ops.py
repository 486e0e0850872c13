"""Ops that belong to layers: batch normalisation, layer normalisation, dropout and embedding lookup.

The functional forms follow ``torch.<name>`` (``torch.batch_norm``, ``torch.dropout``, ``torch.embedding``),
whose argument orders differ from ``torch.nn.functional``; ``nn.functional`` adapts them. ``batch_norm`` and
``dropout`` are single ops carrying a ``training`` keyword, so a forward listener sees the mode of every call.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function, wrap
from autograd.grad_mode import no_grad
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.add``).
__all__ = ["batch_norm", "layer_norm", "dropout", "feature_dropout", "embedding", "embedding_renorm_"]

_CE_TARGETS = np.array([2, 0, 3])


def _channel_axes(ndim: int) -> tuple[int, ...]:
    """Every axis of an (N, C, *) input but the channel axis 1."""
    return (0, *range(2, ndim))


def _per_channel(ndim: int, channels: int) -> tuple[int, ...]:
    """Shape (1, C, 1, ...) that broadcasts a per-channel vector against an (N, C, *) input."""
    return (1, channels) + (1,) * (ndim - 2)


_RUNNING = {"running_mean": np.zeros(3), "running_var": np.array([0.5, 1.0, 2.0])}


@register_op(
    "batch_norm",
    samples=[
        Sample((4, 3), (3,), (3,), training=True),
        Sample((4, 3, 2), (3,), (3,), training=True, eps=1e-3),
        Sample((3, 3, 2, 2), None, None, training=True),
        Sample((4, 3), (3,), (3,), training=False, **_RUNNING),
        Sample((2, 3, 5), (3,), None, training=False, **_RUNNING),
    ],
)
class BatchNorm(Function):
    """Batch normalisation of an (N, C, *) input over every axis but C.

    Training: y = (x - mean) / sqrt(var + eps) * w + b with the batch mean and biased variance per channel;
    with x_hat the normalised input, g' = g * w and M the count per channel,
    dx = invstd * (g' - mean(g') - x_hat * mean(g' * x_hat)), dw = sum(g * x_hat), db = sum(g).
    Evaluation: the running statistics replace the batch ones and are constants, so dx = g' * invstd.
    When ``running_mean``/``running_var`` arrays are given in training, they are updated in place:
    r = (1 - momentum) * r + momentum * batch statistic, with the unbiased variance for ``running_var``.
    """

    training = False
    momentum = 0.1
    eps = 1e-5
    running_mean = None
    running_var = None

    @staticmethod
    def forward(ctx, x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None) -> np.ndarray:
        axes = _channel_axes(x.ndim)
        shape = _per_channel(x.ndim, x.shape[1])
        if ctx.training:
            mean = x.mean(axis=axes)
            centred = x - mean.reshape(shape)
            var = np.mean(centred * centred, axis=axes)
            if ctx.running_mean is not None:
                count = x.size // x.shape[1]
                m = ctx.momentum
                ctx.running_mean *= 1 - m
                ctx.running_mean += m * mean
                ctx.running_var *= 1 - m
                ctx.running_var += m * var * (count / (count - 1))
        else:
            centred = x - ctx.running_mean.reshape(shape).astype(x.dtype, copy=False)
            var = ctx.running_var.astype(x.dtype, copy=False)
        ctx.invstd = 1.0 / np.sqrt(var + ctx.eps)
        out = centred * ctx.invstd.reshape(shape)
        if weight is not None:
            out *= weight.reshape(shape)
        if bias is not None:
            out += bias.reshape(shape)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight, _ = ctx.inputs
        axes = _channel_axes(x.ndim)
        shape = _per_channel(x.ndim, x.shape[1])
        g = grad * weight.reshape(shape) if weight is not None else grad
        if ctx.training:
            centred = x - x.mean(axes, keepdim=True)
            invstd = ((centred * centred).mean(axes, keepdim=True) + ctx.eps) ** -0.5
            x_hat = centred * invstd
            dx = invstd * (g - g.mean(axes, keepdim=True) - x_hat * (g * x_hat).mean(axes, keepdim=True))
        else:
            invstd = wrap(ctx.invstd.reshape(shape))
            x_hat = (x - wrap(ctx.running_mean.reshape(shape).astype(x.dtype, copy=False))) * invstd
            dx = g * invstd
        needs = ctx.needs_input_grad
        dw = (grad * x_hat).sum(axes) if needs[1] else None
        db = grad.sum(axes) if needs[2] else None
        return dx if needs[0] else None, dw, db


def batch_norm(
    input: Any,
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    training: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool = True,
) -> Any:
    """Batch normalisation of an (N, C, *) input (``torch.batch_norm``'s argument order).

    Parameters
    ----------
    input : Tensor (N, C, *)
    weight, bias : Tensor (C,) or None
    running_mean, running_var : Tensor (C,) or None
        Used instead of the batch statistics when ``training`` is False; updated in place when it is True.
    training : bool
    momentum : float
        Weight of the new batch statistic in the running average.
    eps : float
        Added to the variance before the square root.
    cudnn_enabled : bool
        Accepted for compatibility with ``torch.batch_norm``; ignored.

    Returns
    -------
    Tensor (N, C, *)
    """
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, *) with at least 2 dims, got {input.ndim}D")
    channels = input.shape[1]
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and tuple(t.shape) != (channels,):
            raise RuntimeError(
                f"batch_norm: {name} should have shape ({channels},) for an input with {channels} channels, "
                f"got {tuple(t.shape)}"
            )
    if training and input.numel() // max(channels, 1) <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {list(input.shape)}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("batch_norm: running_mean and running_var must be given when training is False")
    stats = {}
    if running_mean is not None and running_var is not None:
        stats = {"running_mean": running_mean._data, "running_var": running_var._data}
    out = BatchNorm.apply(input, weight, bias, training=bool(training), momentum=momentum, eps=eps, **stats)
    if training and stats:
        running_mean._bump()
        running_var._bump()
    return out


def layer_norm(
    input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Any:
    """Normalise over the trailing ``normalized_shape`` dims: y = (x - mean) / sqrt(var + eps) * w + b.

    Composed of registered ops (mean, sub, mul, pow, add), so every derivative order is exact. The variance is
    the biased one. ``cudnn_enable`` is accepted for compatibility with ``torch.layer_norm`` and ignored.

    Parameters
    ----------
    input : Tensor (*, *normalized_shape)
    normalized_shape : int or tuple of int
    weight, bias : Tensor (normalized_shape) or None
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape or len(shape) > input.ndim:
        raise RuntimeError(
            f"layer_norm: given normalized_shape={list(shape)}, expected input with shape [*, "
            f"{', '.join(map(str, shape))}], but got input of size {list(input.shape)}"
        )
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    centred = input - input.mean(dims, keepdim=True)
    out = centred * ((centred * centred).mean(dims, keepdim=True) + eps) ** -0.5
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


@register_op(
    "dropout",
    samples=[
        Sample((3, 4), np.array([[2.0, 0, 2, 2], [0, 2, 0, 2], [2, 2, 2, 0]]), p=0.5, training=True),
        Sample((3, 4), None, p=0.5, training=False),
        Sample((), np.array(1.25), p=0.2, training=True),
    ],
)
class Dropout(Function):
    """Inverted dropout: y = x * mask, mask holding 0 (probability p) or 1 / (1 - p);  dy/dx = mask.

    ``mask`` is a constant array (``None`` when not training, where y = x and dy/dx = 1).
    """

    p = 0.5
    training = True

    @staticmethod
    def forward(ctx, x: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        return x if mask is None else x * mask

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.inputs[1]
        return (grad if mask is None else grad * wrap(mask)), None


def dropout(input: Any, p: float, train: bool) -> Any:
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) when ``train`` is True
    (``torch.dropout``); the identity otherwise. The mask comes from the global generator."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    mask = None
    if train:
        from autograd.random import rng_of

        keep = rng_of(None).random(input.shape) >= p
        dtype = input.dtype if input.dtype.kind == "f" else dtypes.DEFAULT_FLOAT
        mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - p)) if p < 1 else np.zeros(input.shape, dtype)
    return Dropout.apply(input, mask, p=p, training=bool(train))


def feature_dropout(input: Any, p: float, train: bool) -> Any:
    """Channel dropout (``torch.feature_dropout``): zero whole channels of (N, C, *) input with probability
    ``p`` and scale the rest by 1 / (1 - p) when ``train`` is True; the identity otherwise."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if input.ndim < 2:
        raise RuntimeError(f"feature_dropout: expected input with at least 2 dimensions (N, C, *), got shape "
                           f"{tuple(input.shape)}")
    mask = None
    if train:
        from autograd.random import rng_of

        shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
        dtype = input.dtype if input.dtype.kind == "f" else dtypes.DEFAULT_FLOAT
        keep = rng_of(None).random(shape) >= p
        mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - p)) if p < 1 else np.zeros(shape, dtype)
    return Dropout.apply(input, mask, p=p, training=bool(train))


_IDX = np.array([[0, 2, 2], [1, 0, 3]])


@register_op(
    "embedding",
    samples=[Sample(_IDX, (4, 3)), Sample(np.array(1), (3, 2))],
)
class Embedding(Function):
    """y[...] = weight[indices[...]] (rows looked up);  dweight = rows of grad summed into their indices
    (``embedding_dense_backward``), except the ``padding_idx`` row, whose gradient is zero by definition (so
    finite differences disagree there: the registry samples leave ``padding_idx`` out)."""

    padding_idx = None

    @staticmethod
    def forward(ctx, indices: np.ndarray, weight: np.ndarray) -> np.ndarray:
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        indices, weight = ctx.inputs
        rows = ctx.input_meta()[1][0][0]
        return None, EmbeddingBackward.apply(grad, indices, num_weights=rows, padding_idx=ctx.padding_idx)


@register_op(
    "embedding_dense_backward",
    samples=[Sample((2, 3, 5), _IDX, num_weights=4), Sample((2, 3, 5), _IDX, num_weights=4, padding_idx=0)],
)
class EmbeddingBackward(Function):
    """y = zeros(num_weights, D) with y[indices[i]] += g[i] (the ``padding_idx`` row kept zero);
    dy/dg = the rows of the incoming gradient looked up at ``indices`` (zero where indices == padding_idx)."""

    padding_idx = None

    @staticmethod
    def forward(ctx, grad: np.ndarray, indices: np.ndarray) -> np.ndarray:
        out = np.zeros((ctx.num_weights, grad.shape[-1]), dtype=grad.dtype)
        np.add.at(out, indices.reshape(-1), grad.reshape(-1, grad.shape[-1]))
        if ctx.padding_idx is not None:
            out[ctx.padding_idx] = 0
        return out

    @staticmethod
    def backward(ctx, grad):
        indices = ctx.inputs[1]
        looked_up = Embedding.apply(indices, grad, padding_idx=ctx.padding_idx)
        if ctx.padding_idx is not None:
            index_array = indices._data if hasattr(indices, "_data") else indices
            looked_up = looked_up * wrap((index_array != ctx.padding_idx)[..., None].astype(looked_up.dtype))
        return looked_up, None


def embedding(
    weight: Any, input: Any, padding_idx: int = -1, scale_grad_by_freq: bool = False, sparse: bool = False
) -> Any:
    """Look up rows of ``weight`` (num_embeddings, D) at integer ``input`` (*) → (*, D) (``torch.embedding``:
    weight first; ``padding_idx=-1`` means none, another value excludes that row from the gradient)."""
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not supported")
    index_array = input._data if hasattr(input, "_data") else np.asarray(input)
    if index_array.dtype.kind not in "iu":
        raise RuntimeError(
            f"embedding: expected the indices to have an integer dtype (int64 or int32), got {index_array.dtype}"
        )
    rows = weight.shape[0]
    if index_array.size and (index_array.min() < 0 or index_array.max() >= rows):
        bad = index_array.min() if index_array.min() < 0 else index_array.max()
        raise IndexError(f"embedding: index {bad} is out of range for a weight with {rows} rows")
    return Embedding.apply(input, weight, padding_idx=None if padding_idx < 0 else int(padding_idx))


def embedding_renorm_(weight: Any, input: Any, max_norm: float, norm_type: float) -> Any:
    """Rescale in place the rows of ``weight`` looked up by ``input`` whose ``norm_type``-norm exceeds
    ``max_norm`` to norm ``max_norm`` (scale max_norm / (norm + 1e-7)); not recorded by autograd."""
    with no_grad():
        data = weight._data
        rows = np.unique(input._data if hasattr(input, "_data") else np.asarray(input))
        norms = np.linalg.norm(data[rows], ord=norm_type, axis=1)
        over = norms > max_norm
        data[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(data.dtype)
        weight._bump()
    return weight


def _probabilities(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (N, C) logits, computed stably."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@register_op("cross_entropy", samples=[Sample((3, 4), _CE_TARGETS), Sample((3, 4), _CE_TARGETS, reduction="sum")])
class CrossEntropy(Function):
    """L = sum_n (logsumexp(x_n) - x_n[t_n]), divided by N for reduction 'mean', for logits x (N, C) and class
    indices t (N,);  dL/dx = (softmax(x) - onehot(t)) (/ N).  The fused fast path of ``F.cross_entropy``."""

    reduction = "mean"

    @staticmethod
    def forward(ctx, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        shifted = x - x.max(axis=1, keepdims=True)
        lse = np.log(np.exp(shifted).sum(axis=1))
        loss = (lse - shifted[np.arange(x.shape[0]), target]).sum()
        return loss / x.shape[0] if ctx.reduction == "mean" else loss

    @staticmethod
    def backward(ctx, grad):
        return CrossEntropyBackward.apply(grad, ctx.input(0), ctx.input(1), reduction=ctx.reduction), None


@register_op("cross_entropy_backward", samples=[Sample((), (3, 4), _CE_TARGETS),
                                                Sample((), (3, 4), _CE_TARGETS, reduction="sum")])
class CrossEntropyBackward(Function):
    """y = g * (softmax(x) - onehot(t)) (/ N) for a scalar g;  dy/dg = softmax(x) - onehot(t) (/ N),
    d<u, y>/dx = g (/ N) * (p * u - p * sum(p * u, row)) with p = softmax(x) (the softmax Jacobian)."""

    reduction = "mean"

    @staticmethod
    def forward(ctx, g: np.ndarray, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        p = _probabilities(x)
        p[np.arange(x.shape[0]), target] -= 1
        scale = g / x.shape[0] if ctx.reduction == "mean" else g
        p *= scale
        return p

    @staticmethod
    def backward(ctx, grad):
        from autograd.ops.activation import softmax

        g, x, target = ctx.inputs
        count = x.shape[0] if ctx.reduction == "mean" else 1
        p = softmax(x, 1)
        onehot = np.zeros(x.shape, dtype=x.dtype)
        onehot[np.arange(x.shape[0]), target] = 1
        need_g, need_x = ctx.needs_input_grad[:2]
        grad_g = ((p - wrap(onehot)) * grad).sum() / count if need_g else None
        grad_x = None
        if need_x:
            pu = p * grad
            grad_x = (pu - p * pu.sum(1, keepdim=True)) * (g / count)
        return grad_g, grad_x, None
