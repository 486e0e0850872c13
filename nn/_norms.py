"""Normalisations of ``nn.functional`` beyond batch and layer norm: ``group_norm``, ``instance_norm``,
``local_response_norm`` and ``rms_norm``.

Group and instance norm are layer norm over a reshaped view (autograd's ``layer_norm``, composed of registered
ops, so every derivative order is exact), followed by a per-channel affine map; instance norm with running
statistics is autograd's ``batch_norm`` in evaluation mode.
"""

from __future__ import annotations

import math

import autograd
from autograd import Tensor

__all__ = ["group_norm", "instance_norm", "local_response_norm", "rms_norm"]


def _check_channel_vectors(name: str, input: Tensor, **vectors: Tensor | None) -> None:
    channels = input.shape[1]
    for key, t in vectors.items():
        if t is not None and tuple(t.shape) != (channels,):
            raise RuntimeError(f"{name}: expected {key} of shape [{channels}] (one entry per channel of the input "
                               f"of shape {list(input.shape)}), got {key} of shape {list(t.shape)}")


def _affine(out: Tensor, weight: Tensor | None, bias: Tensor | None) -> Tensor:
    """out * weight + bias with (C,) vectors applied along dim 1 of an (N, C, *) tensor."""
    per_channel = (out.shape[1],) + (1,) * (out.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(per_channel)
    if bias is not None:
        out = out + bias.reshape(per_channel)
    return out


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each sample's channels in ``num_groups`` groups: within a group of C / G channels (and all
    their positions), (x - mean) / sqrt(var + eps) with the biased variance; then x * weight + bias per channel.

    Shapes: input (N, C, *) with C divisible by G; weight, bias (C,); output (N, C, *).
    """
    if input.ndim < 2:
        raise RuntimeError(f"group_norm: expected an input of shape (N, C, *) with at least 2 dimensions, got "
                           f"shape {list(input.shape)}")
    n, channels = input.shape[:2]
    if not isinstance(num_groups, int) or num_groups <= 0:
        raise ValueError(f"group_norm: num_groups must be a positive int, got {num_groups!r}")
    if channels % num_groups:
        raise RuntimeError(f"group_norm: expected the number of channels of the input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and num_groups={num_groups}")
    _check_channel_vectors("group_norm", input, weight=weight, bias=bias)
    group_size = channels // num_groups * math.prod(input.shape[2:])
    if n * group_size == 1:  # PyTorch's test: a single sample whose groups hold one value each
        raise ValueError(f"group_norm: expected more than 1 value per group when training, got input of shape "
                         f"{list(input.shape)} with num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, group_size)
    out = autograd.layer_norm(grouped, (group_size,), None, None, eps).reshape(input.shape)
    return _affine(out, weight, bias)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each sample over its positions: (x - mean) / sqrt(var + eps) (biased
    variance), then x * weight + bias per channel.

    With ``use_input_stats`` (the default) the statistics are the sample's own, and ``running_mean`` /
    ``running_var``, when given, are updated in place with their average over the batch:
    r = (1 - momentum) * r + momentum * mean_n(stat), the variance unbiased. Otherwise the running statistics
    are used instead (then both must be given).

    Shapes: input (N, C, *) with at least one spatial dim; running_mean, running_var, weight, bias (C,);
    output (N, C, *).
    """
    if input.ndim < 2:
        raise ValueError(f"instance_norm: expected an input of shape (N, C, *), got shape {list(input.shape)}")
    _check_channel_vectors("instance_norm", input, running_mean=running_mean, running_var=running_var,
                           weight=weight, bias=bias)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise RuntimeError("instance_norm: running_mean and running_var must be given when use_input_stats "
                               "is False")
        return autograd.batch_norm(input, weight, bias, running_mean, running_var, False, momentum, eps)
    spatial = tuple(input.shape[2:])
    if math.prod(spatial) <= 1:
        raise ValueError(f"instance_norm: expected more than 1 spatial element when training, got input of shape "
                         f"{list(input.shape)}")
    if running_mean is not None or running_var is not None:
        _update_running_stats(input, running_mean, running_var, momentum)
    out = autograd.layer_norm(input, spatial, None, None, eps)
    return _affine(out, weight, bias)


def _update_running_stats(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
                          momentum: float) -> None:
    """r = (1 - momentum) * r + momentum * (the statistic of each sample, averaged over the batch), in place."""
    axes = tuple(range(2, input.ndim))
    with autograd.no_grad():
        x = input.detach()
        if running_mean is not None:
            batch = x.mean(axes).mean(0).to(running_mean.dtype)
            running_mean.copy_(running_mean * (1 - momentum) + batch * momentum)
        if running_var is not None:
            batch = x.var(axes, unbiased=True).mean(0).to(running_var.dtype)
            running_var.copy_(running_var * (1 - momentum) + batch * momentum)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """Divide each value by (k + alpha / size * sum of x**2 over ``size`` neighbouring channels)**beta
    (AlexNet's local response normalisation).

    The window of channel c covers channels c - size // 2 .. c + (size - 1) // 2, zeros beyond the edges.
    Shapes: input (N, C, *) with at least one spatial dim; same output.
    """
    if input.ndim < 3:
        raise ValueError(f"local_response_norm: expected a 3-D or higher input (N, C, *), got shape "
                         f"{list(input.shape)}")
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"local_response_norm: size must be a positive int, got {size!r}")
    if input.numel() == 0:
        return input
    squares = input * input
    n, channels, *rest = input.shape
    before, after = size // 2, (size - 1) // 2
    padded = autograd.cat([autograd.zeros(n, before, *rest, dtype=input.dtype), squares,
                           autograd.zeros(n, after, *rest, dtype=input.dtype)], 1)
    window = autograd.narrow(padded, 1, 0, channels)
    for offset in range(1, size):
        window = window + autograd.narrow(padded, 1, offset, channels)
    # the order of PyTorch's arithmetic: the window's average, times alpha, plus k
    return input / (window / size * alpha + k) ** beta


def rms_norm(input: Tensor, normalized_shape: list[int] | tuple[int, ...], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """Root mean square layer norm over the trailing ``normalized_shape`` dims: y = x / sqrt(mean(x**2) + eps)
    * weight, the mean over those dims (no centring, no bias).

    ``eps=None`` means the machine epsilon of the computation type: ``finfo(float64).eps`` for float64 input,
    ``finfo(float32).eps`` otherwise (float16 is computed in float32 and rounded once, as PyTorch's opmath).
    Composed of registered ops, so every derivative order is exact.

    Shapes: input (*, *normalized_shape); weight (normalized_shape) or None; output like input.
    """
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"rms_norm: normalized_shape must be a tuple or list of ints, got "
                        f"{type(normalized_shape).__name__}")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("rms_norm: expected normalized_shape to have at least one element, got []")
    if len(shape) > input.ndim:
        raise ValueError(f"rms_norm: normalized_shape={list(shape)} has {len(shape)} dims, but the input of shape "
                         f"{list(input.shape)} has only {input.ndim}")
    if tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise RuntimeError(f"rms_norm: given normalized_shape={list(shape)}, expected input with shape [*, "
                           f"{', '.join(map(str, shape))}], but got input of size {list(input.shape)}")
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(f"rms_norm: expected weight to have the shape normalized_shape={list(shape)}, but got "
                           f"weight of shape {list(weight.shape)}")
    if input.dtype.kind != "f":
        raise NotImplementedError(f"rms_norm: not implemented for {input.dtype} input (floating point only)")
    x = input if input.dtype in (autograd.float32, autograd.float64) else input.to(autograd.float32)
    if eps is None:
        eps = autograd.finfo(x.dtype).eps
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    out = x * ((x * x).mean(dims, keepdim=True) + eps) ** -0.5
    if weight is not None:
        out = out * weight
    if x is input:
        return out
    return out.to(input.dtype if weight is None else autograd.result_type(input, weight))
