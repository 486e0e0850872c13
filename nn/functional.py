"""``nn.functional`` (``torch.nn.functional``): activations, layers and losses as functions.

Maths lives in ``autograd``'s ops; the functions here give them ``torch.nn.functional``'s names, argument
orders and defaults. ``inplace=True`` is accepted where PyTorch has it, and the result is computed out of place
(the input is left unchanged); a program that uses the returned value behaves as in PyTorch.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd
from autograd import (
    Tensor,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv_transpose1d,
    conv_transpose2d,
    linear,
    max_pool1d,
    max_pool2d,
    max_unpool2d,
    one_hot,
    pad,
)
from nn._losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)

__all__ = [
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "max_unpool2d",
    "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "dropout2d", "interpolate",
    "linear", "bilinear", "one_hot", "pad", "dropout", "batch_norm", "layer_norm", "embedding",
    "relu", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "tanh", "softplus", "hardtanh", "softmax", "log_softmax",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "nll_loss",
]


# -- layers ------------------------------------------------------------------------------------------------
def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y[..., k] = sum_ij x1[..., i] * weight[k, i, j] * x2[..., j] + bias[k].

    Shapes: input1 (*, in1), input2 (*, in2), weight (out, in1, in2), bias (out,) → (*, out).
    """
    lead = input1.shape[:-1]
    out_features, in1, in2 = weight.shape
    x1 = input1.reshape(-1, 1, in1, 1)
    x2 = input2.reshape(-1, 1, 1, in2)
    y = (x1 * weight * x2).sum((2, 3))
    if bias is not None:
        y = y + bias
    return y.reshape(*lead, out_features)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout: zero elements with probability ``p``, scale the rest by 1 / (1 - p); identity when
    ``training`` is False."""
    return autograd.dropout(input, p, training)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of (N, C, H, W) input: whole channels are zeroed with probability ``p`` and the rest
    scaled by 1 / (1 - p); identity when ``training`` is False."""
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: received a {input.ndim}-D input; dropout2d expects (N, C, H, W) or (C, H, W)",
                      UserWarning, stacklevel=2)
    if input.ndim == 3:  # one unbatched image (C, H, W): drop its channels
        return autograd.feature_dropout(input.reshape(1, *input.shape), p, training).reshape(input.shape)
    return autograd.feature_dropout(input, p, training)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None) -> Tensor:
    """Resize the spatial dims of (N, C, L) or (N, C, H, W) input; ``mode='nearest'`` only.

    Output position i reads input position floor(i * in / out) (PyTorch's 'nearest'), or floor(i / scale) when
    ``scale_factor`` is given. Differentiable: an ``index_select`` per spatial dim.
    """
    if mode != "nearest":
        raise NotImplementedError(f"interpolate: mode {mode!r} is not supported by stepgrad (only 'nearest')")
    spatial = input.ndim - 2
    if spatial not in (1, 2):
        raise ValueError(f"interpolate: expected 3-D or 4-D input, got shape {tuple(input.shape)}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    sizes_in = input.shape[2:]
    if size is not None:
        sizes_out = (size,) * spatial if isinstance(size, int) else tuple(size)
        scales = [n / m for n, m in zip(sizes_in, sizes_out)]
    else:
        factors = (scale_factor,) * spatial if isinstance(scale_factor, (int, float)) else tuple(scale_factor)
        sizes_out = tuple(int(n * f) for n, f in zip(sizes_in, factors))
        scales = [1.0 / f for f in factors]
    out = input
    for axis, (n_in, n_out, scale) in enumerate(zip(sizes_in, sizes_out, scales)):
        index = np.minimum(np.floor(np.arange(n_out) * scale).astype(np.int64), n_in - 1)
        out = autograd.index_select(out, 2 + axis, autograd.from_numpy(index))
    return out


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Batch normalisation over every axis of an (N, C, *) input but C (see ``autograd.batch_norm``)."""
    return autograd.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def layer_norm(
    input: Tensor, normalized_shape: Any, weight: Tensor | None = None, bias: Tensor | None = None, eps: float = 1e-5
) -> Tensor:
    """Normalisation over the trailing ``normalized_shape`` dims (see ``autograd.layer_norm``)."""
    return autograd.layer_norm(input, normalized_shape, weight, bias, eps)


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Rows of ``weight`` (num_embeddings, D) at the integer ``input`` (*) → (*, D).

    ``padding_idx`` (negative counts from the end) gets no gradient; ``max_norm`` first rescales, in place,
    the looked-up rows whose norm exceeds it.
    """
    rows = weight.shape[0]
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= rows
    if max_norm is not None:
        autograd.embedding_renorm_(weight, input, max_norm, norm_type)
    return autograd.embedding(weight, input, -1 if padding_idx is None else padding_idx, scale_grad_by_freq, sparse)


# -- activations -----------------------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return autograd.relu(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x."""
    return autograd.leaky_relu(input, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha * (exp(x) - 1)."""
    return autograd.elu(input, alpha)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with PyTorch's fixed scale and alpha."""
    return autograd.selu(input)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (``approximate='tanh'``: the tanh approximation)."""
    return autograd.gelu(input, approximate=approximate)


def sigmoid(input: Tensor) -> Tensor:
    return autograd.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return autograd.tanh(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta, and x where beta * x > threshold."""
    return autograd.softplus(input, beta, threshold)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clipped to [min_val, max_val]."""
    return autograd.hardtanh(input, min_val, max_val)


def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim`` (chosen as PyTorch does, with a warning, when None)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.ndim)
    return autograd.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x - logsumexp(x) along ``dim`` (chosen as PyTorch does, with a warning, when None)."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.ndim)
    return autograd.log_softmax(input, dim, dtype=dtype)
