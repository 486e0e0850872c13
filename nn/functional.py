"""``nn.functional`` (``torch.nn.functional``): activations, layers and losses as functions.

Maths lives in ``autograd``'s ops; the functions here give them ``torch.nn.functional``'s names, argument
orders and defaults. Functions that autograd has no op for are composed of its ops, by family, in the private
modules ``nn._activations``, ``_attention``, ``_distances``, ``_norms``, ``_dropouts``, ``_spatial`` and
``_losses*`` (so their gradients of every order come from the ops' own backward passes). ``inplace=True`` is
accepted where PyTorch has it, and the result is computed out of place (the input is left unchanged); a program
that uses the returned value behaves as in PyTorch.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd
from autograd import (
    Tensor,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
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
from autograd.ops.fold import fold, unfold
from nn._activations import (
    celu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    logsigmoid,
    mish,
    prelu,
    relu6,
    rrelu,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from nn._attention import multi_head_attention_forward, scaled_dot_product_attention
from nn._distances import cosine_similarity, normalize, pairwise_distance, pdist
from nn._dropouts import alpha_dropout, dropout1d, dropout3d, feature_alpha_dropout
from nn._embedding_bag import embedding_bag
from nn._gumbel import gumbel_softmax
from nn._inplace import celu_, elu_, hardtanh_, leaky_relu_, relu_, rrelu_, selu_, threshold_
from nn._losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from nn._losses_ctc import ctc_loss
from nn._losses_likelihood import gaussian_nll_loss, poisson_nll_loss
from nn._losses_margin import (
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    soft_margin_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from nn._norms import group_norm, instance_norm, local_response_norm, rms_norm
from nn._pooling import (
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d_with_indices,
    channel_shuffle,
    lp_pool1d,
    lp_pool2d,
    max_pool1d_with_indices,
    max_pool2d_with_indices,
    max_unpool1d,
    native_channel_shuffle,
)
from nn._spatial import adaptive_avg_pool1d, adaptive_max_pool1d, pixel_shuffle, pixel_unshuffle

__all__ = [
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "max_unpool2d",
    "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "dropout2d", "interpolate",
    "linear", "bilinear", "one_hot", "pad", "dropout", "batch_norm", "layer_norm", "embedding",
    "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "sigmoid", "tanh", "softplus", "hardtanh", "softmax",
    "log_softmax",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "nll_loss", "kl_div",
    "relu6", "celu", "mish", "prelu", "hardswish", "hardsigmoid", "softsign", "softshrink", "hardshrink",
    "tanhshrink", "threshold", "glu", "logsigmoid", "softmin",
    "normalize", "cosine_similarity", "pairwise_distance", "group_norm", "instance_norm", "local_response_norm",
    "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
    "multi_margin_loss", "cosine_embedding_loss", "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "ctc_loss",
    "dropout1d", "dropout3d", "alpha_dropout", "pixel_shuffle", "pixel_unshuffle", "adaptive_avg_pool1d",
    "rrelu", "feature_alpha_dropout", "adaptive_max_pool1d", "scaled_dot_product_attention",
    "multi_head_attention_forward",
    "triplet_margin_with_distance_loss", "multilabel_margin_loss", "gumbel_softmax", "pdist", "embedding_bag",
    "fold", "unfold", "rms_norm", "lp_pool1d", "lp_pool2d", "max_unpool1d", "channel_shuffle",
    "native_channel_shuffle", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices", "upsample", "upsample_nearest",
    "relu_", "elu_", "leaky_relu_", "hardtanh_", "selu_", "celu_", "rrelu_", "threshold_",
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
    """Channel dropout: each slice ``input[n, c]`` is zeroed with probability ``p`` and the rest are scaled by
    1 / (1 - p); identity when ``training`` is False.

    Expects (N, C, H, W). A 3-D input is read as batched (N, C, L), so whole rows ``input[n, c]`` are dropped,
    as PyTorch 2.13 does (with the same warning); it is not one unbatched (C, H, W) image.
    """
    # PyTorch warns whatever the mode, so these warnings do not depend on ``training``.
    if input.ndim == 3:
        warnings.warn("dropout2d: received a 3-D input; assuming channel-wise 1-D dropout, as PyTorch does: the "
                      "input is read as (N, C, L), where C is the channel dim, and whole rows input[n, c] are "
                      "zeroed. For one unbatched (C, H, W) image, pass input.unsqueeze(0)",
                      UserWarning, stacklevel=2)
    elif input.ndim != 4:
        warnings.warn(f"dropout2d: received a {input.ndim}-D input; dropout2d expects (N, C, H, W) input "
                      "(or (N, C, L)); use dropout for other shapes", UserWarning, stacklevel=2)
    return autograd.feature_dropout(input, p, training)


def _per_dim(name: str, value: Any, input: Tensor) -> tuple:
    """``value`` (a number or one per spatial dim) as a tuple with one entry per spatial dim of ``input``."""
    spatial = input.ndim - 2
    if not isinstance(value, (list, tuple)):
        return (value,) * spatial
    if len(value) != spatial:
        raise ValueError(f"interpolate: {name}={tuple(value)} has {len(value)} entries, but the input of shape "
                         f"{tuple(input.shape)} has {spatial} spatial dims; expected one {name} per spatial dim "
                         "or a single number")
    return tuple(value)


def _nearest_source_index(n_in: int, n_out: int, factor: float | None, special_cases: bool,
                          precision: type) -> np.ndarray:
    """The input position that each of ``n_out`` outputs reads along one dim, as PyTorch's 'nearest' picks it:
    min(floor(i * scale), n_in - 1), scale = 1 / ``factor``, or n_in / n_out when ``factor`` is None.

    ``special_cases`` (ATen's ``nearest_idx``) copies when n_out == n_in and takes i // 2 when n_out == 2 * n_in,
    whatever the factor. ``precision`` is the type the kernel computes the scale and product in; the product is
    rounded to float32 before the floor either way (ATen's ``floorf``).
    """
    i = np.arange(n_out)
    if special_cases and n_out == n_in:
        return i
    if special_cases and n_out == 2 * n_in:
        return i // 2
    scale = precision(1.0 / factor) if factor is not None else precision(n_in) / precision(n_out)
    source = (i.astype(precision) * scale).astype(np.float32)
    return np.minimum(np.floor(source).astype(np.int64), n_in - 1)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None) -> Tensor:
    """Resize the spatial dims of (N, C, L), (N, C, H, W) or (N, C, D, H, W) input; ``mode='nearest'`` only.

    Output position i along a spatial dim reads input position min(floor(i * scale), in - 1) (PyTorch's
    'nearest', OpenCV's INTER_NEAREST). The output size is ``size``, or floor(in * scale_factor); the scale is
    1 / scale_factor, or in / out when ``size`` is given or ``recompute_scale_factor`` is True.
    Differentiable: an ``index_select`` per spatial dim, so the gradient is summed onto the picked positions.

    Notes
    -----
    The rounding is that of PyTorch 2.13's CPU kernels, which differ by input:

    - 4-D input with out_H + out_W <= 128 (ATen's channels-last kernel): out == in reads i, out == 2 * in reads
      i // 2, whatever the scale factor; otherwise the scale and i * scale are float32.
    - 3-D and 5-D input, and 4-D input with larger outputs (ATen's generic kernel): no special cases; the scale
      and i * scale are float64 for float64 input and float32 otherwise, the product rounded to float32.

    stepgrad has no memory formats: PyTorch also takes the first kernel for channels-last input with C > 3.
    """
    if mode != "nearest":
        raise NotImplementedError(f"interpolate: mode {mode!r} is not supported by stepgrad (only 'nearest')")
    if align_corners is not None:
        raise ValueError(f"interpolate: align_corners can only be set with the interpolating modes (linear, "
                         f"bilinear, bicubic, trilinear), got align_corners={align_corners} with mode='nearest'")
    if input.ndim not in (3, 4, 5):
        raise ValueError(f"interpolate: expected 3-D, 4-D or 5-D input (N, C, *spatial), got shape "
                         f"{tuple(input.shape)}")
    if (size is None) == (scale_factor is None):
        got = "neither" if size is None else f"both (size={size}, scale_factor={scale_factor})"
        raise ValueError(f"interpolate: give exactly one of size and scale_factor, got {got}")
    if recompute_scale_factor and size is not None:
        raise ValueError(f"interpolate: recompute_scale_factor=True needs scale_factor, got size={size}")
    sizes_in = tuple(input.shape[2:])
    if size is not None:
        sizes_out = _per_dim("size", size, input)
        if not all(isinstance(n, (int, np.integer)) for n in sizes_out):
            raise TypeError(f"interpolate: size must be an int or a tuple of ints, got {size!r}")
        factors = (None,) * len(sizes_out)
    else:
        factors = _per_dim("scale_factor", scale_factor, input)
        if not all(isinstance(f, (int, float, np.number)) and 0 < f < float("inf") for f in factors):
            raise ValueError(f"interpolate: scale_factor must be positive and finite, got {scale_factor!r}")
        sizes_out = tuple(int(n * f) for n, f in zip(sizes_in, factors))
        if recompute_scale_factor:  # the kernel then sees only the sizes, as if ``size`` had been given
            factors = (None,) * len(sizes_out)
    if min(sizes_in + sizes_out) < 1:
        raise ValueError(f"interpolate: input and output sizes should be > 0, but got input "
                         f"{sizes_in} and output {sizes_out} (size={size}, scale_factor={scale_factor})")
    # ATen's choice of kernel (_use_vectorized_kernel_cond_2d), which decides how the indices are rounded
    special_cases = input.ndim == 4 and sum(sizes_out) <= 128
    precision = np.float32 if special_cases or input.dtype != np.float64 else np.float64
    out = input
    for axis, (n_in, n_out, factor) in enumerate(zip(sizes_in, sizes_out, factors)):
        index = _nearest_source_index(n_in, n_out, factor, special_cases, precision)
        out = autograd.index_select(out, 2 + axis, autograd.from_numpy(index))
    return out


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of ``interpolate`` (warns, as PyTorch does); ``mode='nearest'`` only."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated alias of ``interpolate(..., mode='nearest')`` (warns, as PyTorch does)."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


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


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (the swish);  d/dx = s * (1 + x * (1 - s)) with s = sigmoid(x)."""
    return autograd.silu(input)


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


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim`` (chosen as PyTorch does, with a warning, when None): weights that favour the
    smallest values."""
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim)
    return autograd.softmax(-input, dim, dtype=dtype)
