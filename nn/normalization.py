"""``BatchNorm1d``, ``BatchNorm2d`` (sharing ``_BatchNorm``), ``LayerNorm``, ``RMSNorm``, ``GroupNorm`` and
``LocalResponseNorm``; ``_NormBase`` holds the parameters and running statistics that batch and instance norm
(``nn.instancenorm``) share, as PyTorch's does."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn import init
from nn.module import Module
from nn.parameter import Parameter


def _register_affine(module: Module, shape: tuple[int, ...], affine: bool, bias: bool, dtype: Any) -> None:
    """The ``weight`` and ``bias`` parameters of ``shape`` (``None`` placeholders when not ``affine``, and
    ``bias`` alone when not ``bias``), registered in PyTorch's order; ``_reset_affine`` fills them."""
    module.register_parameter("weight", Parameter(autograd.empty(shape, dtype=dtype)) if affine else None)
    module.register_parameter("bias", Parameter(autograd.empty(shape, dtype=dtype)) if affine and bias else None)


def _reset_affine(module: Module) -> None:
    """The identity map: weight ones, bias zeros (where present)."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class _NormBase(Module):
    """Per-channel normalisation state: ``weight`` and ``bias`` (C,) when ``affine`` (ones and zeros), and,
    when ``track_running_stats``, the buffers ``running_mean`` (zeros), ``running_var`` (ones) and
    ``num_batches_tracked``."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _register_affine(self, (num_features,), affine, bias, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", autograd.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", autograd.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", autograd.tensor(0, dtype=autograd.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        _reset_affine(self)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    """Batch normalisation over every axis of an (N, C, *) input but C, with running statistics.

    Training: normalise with the batch mean and (biased) variance, and update ``running_mean``/``running_var``
    as r = (1 - momentum) * r + momentum * batch statistic (unbiased variance), or, with ``momentum=None``,
    as the cumulative average over ``num_batches_tracked`` batches. Evaluation: normalise with the running
    statistics (with the batch ones when ``track_running_stats=False``).
    """

    _expected_dims: tuple[int, ...] = ()

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self._expected_dims:
            dims = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ValueError(f"{self._get_name()}: expected {dims} input (got {input.ndim}D input)")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked.item())
        use_batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        keep_running = not self.training or self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if keep_running else None,
            self.running_var if keep_running else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input; see ``_BatchNorm``."""

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input over N, H and W per channel; see ``_BatchNorm``."""

    _expected_dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) input over N, D, H and W per channel; see ``_BatchNorm``."""

    _expected_dims = (5,)


class LayerNorm(Module):
    """Normalise each sample over its trailing ``normalized_shape`` dims: (x - mean) / sqrt(var + eps) * w + b.

    Shapes: input (*, *normalized_shape), same output; weight and bias have ``normalized_shape`` (ones/zeros).
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _register_affine(self, self.normalized_shape, elementwise_affine, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class RMSNorm(Module):
    """Root mean square layer norm over the trailing ``normalized_shape`` dims: x / sqrt(mean(x**2) + eps) * w
    (``F.rms_norm``; ``eps=None`` is the machine epsilon of the input's dtype).

    Shapes: input (*, *normalized_shape), same output; ``weight`` has ``normalized_shape`` (ones), or is None
    without ``elementwise_affine``.
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        weight = Parameter(autograd.empty(self.normalized_shape, dtype=dtype)) if elementwise_affine else None
        self.register_parameter("weight", weight)  # a weight only: no ``bias``, not even a placeholder
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Normalise each sample over groups of ``num_channels / num_groups`` channels (and all positions), then
    scale and shift per channel.

    Shapes: input (N, C, *) with C = ``num_channels``; same output. Parameters (when ``affine``): ``weight``
    (C,) ones and ``bias`` (C,) zeros.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        if num_groups <= 0:
            raise ValueError(f"GroupNorm: num_groups must be positive, got {num_groups}")
        if num_channels % num_groups != 0:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _register_affine(self, (num_channels,), affine, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class LocalResponseNorm(Module):
    """Divide each value by (k + alpha / size * sum of squares over ``size`` neighbouring channels)**beta.

    Shapes: input (N, C, *) with at least one spatial dim; same output.
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
