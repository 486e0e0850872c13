"""``InstanceNorm1d``, ``InstanceNorm2d`` and ``InstanceNorm3d``: each channel of each sample normalised over its
positions.

As in PyTorch they share ``_NormBase`` with batch norm but default to ``affine=False`` and
``track_running_stats=False``; with tracking, the running statistics are updated in training mode (the batch
average of the per-sample statistics) and used in evaluation mode. ``num_batches_tracked`` is registered
but, as in PyTorch, not counted, and ``momentum=None`` leaves the running statistics unchanged.
"""

from __future__ import annotations

import warnings
from typing import Any

from autograd import Tensor
from nn import functional as F
from nn.normalization import _NormBase


class _InstanceNorm(_NormBase):
    _unbatched_dims: int = 0  # the number of dims of one unbatched sample (C, *spatial)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input: Tensor) -> Tensor:
        batched = self._unbatched_dims + 1
        if input.ndim not in (self._unbatched_dims, batched):
            raise ValueError(f"{self._get_name()}: expected {self._unbatched_dims}D (unbatched) or {batched}D input, "
                             f"got {input.ndim}D input of shape {list(input.shape)}")
        channel_dim = input.ndim - self._unbatched_dims
        channels = input.shape[channel_dim]
        if channels != self.num_features:
            if self.affine:
                raise ValueError(f"{self._get_name()}: expected the input's size at dim={channel_dim} to match "
                                 f"num_features ({self.num_features}), but got {channels} (input of shape "
                                 f"{list(input.shape)})")
            warnings.warn(f"{self._get_name()}: input's size at dim={channel_dim} ({channels}) does not match "
                          f"num_features ({self.num_features}); num_features is not used because affine=False",
                          UserWarning, stacklevel=2)
        x = input if input.ndim == batched else input.unsqueeze(0)
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              0.0 if self.momentum is None else self.momentum, self.eps)
        return out if input.ndim == batched else out.squeeze(0)


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or unbatched (C, L) input, over L."""

    _unbatched_dims = 2


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or unbatched (C, H, W) input, over H and W."""

    _unbatched_dims = 3


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or unbatched (C, D, H, W) input, over D, H and W."""

    _unbatched_dims = 4
