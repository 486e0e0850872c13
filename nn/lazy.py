"""Lazy modules (PyTorch's ``torch.nn.LazyLinear`` and friends): layers whose input size is inferred from the
first input.

Until the first ``forward`` a lazy module holds ``UninitializedParameter`` (and ``UninitializedBuffer``)
placeholders and its inferred size (``in_features``, ``in_channels`` or ``num_features``) is 0. The first call
reads the size from the input, materialises the placeholders, initialises them as the non-lazy layer does, and
turns the module into that layer (``cls_to_become``: a ``LazyLinear`` becomes a ``Linear``). Loading a
``state_dict`` into a lazy module materialises the placeholders with the checkpoint's shapes; the module stays
lazy until its first ``forward``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

import autograd
from autograd import Tensor, no_grad
from nn.conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from nn.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from nn.linear import Linear
from nn.module import Module
from nn.normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d
from nn.parameter import UninitializedBuffer, UninitializedParameter, is_lazy


def _infer_parameters(module: LazyModuleMixin, args: tuple) -> None:
    """The forward pre-hook of a lazy module: initialise from the first input, then become ``cls_to_become``."""
    module.initialize_parameters(*args)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._initialize_hook.remove()
    del module._initialize_hook
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


class LazyModuleMixin:
    """Infers the shapes of a module's parameters from its first input (PyTorch's ``LazyModuleMixin``).

    A subclass puts this mixin before the non-lazy layer among its bases, names the inferred attribute in
    ``_inferred``, reads it from an input in ``_size_from`` and gives the final shape of every lazy member in
    ``_shapes``.
    """

    cls_to_become: type[Module] | None = None
    _inferred: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters)

    def _members(self) -> chain:
        return chain(self._parameters.items(), self._buffers.items())

    def has_uninitialized_params(self) -> bool:
        """Whether any parameter or buffer is still an uninitialised placeholder."""
        return any(is_lazy(value) for _, value in self._members())

    def reset_parameters(self) -> None:
        """The non-lazy layer's initialisation, once the shapes are known (a no-op before)."""
        if not self.has_uninitialized_params() and getattr(self, self._inferred) != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Infer the input size from ``input``, materialise the placeholders and initialise them."""
        size = self._size_from(input)
        if self.has_uninitialized_params():
            setattr(self, self._inferred, size)
            self._check_size(size)
            with no_grad():
                for name, shape in self._shapes().items():
                    value = getattr(self, name)
                    if is_lazy(value):
                        value.materialize(shape)
                self.reset_parameters()
        elif getattr(self, self._inferred) == 0:  # materialised by load_state_dict
            setattr(self, self._inferred, size)

    def _size_from(self, input: Tensor) -> int:
        raise NotImplementedError

    def _check_size(self, size: int) -> None:
        """Reject an inferred size the layer cannot take (nothing by default)."""

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        raise NotImplementedError

    def _prepare_load(self, state_dict: Mapping, prefix: str) -> None:
        """Materialise each placeholder whose key the checkpoint holds with the checkpoint's shape."""
        for name, value in self._members():
            incoming = state_dict.get(prefix + name)
            if is_lazy(value) and isinstance(incoming, Tensor) and not is_lazy(incoming):
                with no_grad():
                    value.materialize(incoming.shape)


class LazyLinear(LazyModuleMixin, Linear):
    """A ``Linear`` whose ``in_features`` is the size of the last dimension of its first input.

    Parameters
    ----------
    out_features : int
        Size of each output sample.
    bias : bool
        Whether to learn an additive bias. Default True.
    device : str, optional
        Ignored: stepgrad runs on the CPU only.
    dtype : dtype, optional
        Dtype of the parameters; default ``autograd.get_default_dtype()``.
    """

    cls_to_become = Linear
    _inferred = "in_features"

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def _size_from(self, input: Tensor) -> int:
        return input.shape[-1]

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        return {"weight": (self.out_features, self.in_features), "bias": (self.out_features,)}


class _LazyConvMixin(LazyModuleMixin):
    """``in_channels`` from dimension 1 of a batched input (dimension 0 of an unbatched one)."""

    _inferred = "in_channels"

    def _make_lazy(self, bias: bool, dtype: Any) -> None:
        self.weight = UninitializedParameter(dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def _size_from(self, input: Tensor) -> int:
        unbatched = self._dims + 1
        if input.ndim not in (unbatched, unbatched + 1):
            raise RuntimeError(f"Expected {unbatched}D (unbatched) or {unbatched + 1}D (batched) input to "
                             f"{type(self).__name__}, but got input of size: {list(input.shape)}")
        return input.shape[1] if input.ndim == unbatched + 1 else input.shape[0]

    def _check_size(self, size: int) -> None:
        if size % self.groups:
            raise ValueError("in_channels must be divisible by groups")

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        channels = (self.in_channels, self.out_channels // self.groups)
        if not self.transposed:
            channels = (self.out_channels, self.in_channels // self.groups)
        return {"weight": (*channels, *self.kernel_size), "bias": (self.out_channels,)}


class _LazyConv(_LazyConvMixin):
    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, dilation, groups, False, padding_mode)
        self._make_lazy(bias, dtype)


class _LazyConvTranspose(_LazyConvMixin):
    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, output_padding, groups, False, dilation,
                         padding_mode)
        self._make_lazy(bias, dtype)


class LazyConv1d(_LazyConv, Conv1d):
    """A ``Conv1d`` whose ``in_channels`` is inferred from its first input (arguments as ``Conv1d``'s, without
    ``in_channels``)."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """A ``Conv2d`` whose ``in_channels`` is inferred from its first input (arguments as ``Conv2d``'s, without
    ``in_channels``)."""

    cls_to_become = Conv2d


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """A ``ConvTranspose1d`` whose ``in_channels`` is inferred from its first input (arguments as
    ``ConvTranspose1d``'s, without ``in_channels``)."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """A ``ConvTranspose2d`` whose ``in_channels`` is inferred from its first input (arguments as
    ``ConvTranspose2d``'s, without ``in_channels``)."""

    cls_to_become = ConvTranspose2d


class _LazyNormBase(LazyModuleMixin):
    """``num_features`` from the channel dimension; ``weight``/``bias`` (when ``affine``) and ``running_mean``/
    ``running_var`` (when ``track_running_stats``) start as placeholders, ``num_batches_tracked`` as 0."""

    _inferred = "num_features"

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(0, eps, momentum, False, False, bias=bias)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            if bias:
                self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = autograd.tensor(0, dtype=autograd.int64)

    def _size_from(self, input: Tensor) -> int:
        return input.shape[1]

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        shape = (self.num_features,)
        return {"weight": shape, "bias": shape, "running_mean": shape, "running_var": shape}


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """A ``BatchNorm1d`` whose ``num_features`` is inferred from its first input (dimension 1)."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """A ``BatchNorm2d`` whose ``num_features`` is inferred from its first input (dimension 1)."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormBase, BatchNorm3d):
    """A ``BatchNorm3d`` whose ``num_features`` is inferred from its first input (dimension 1)."""

    cls_to_become = BatchNorm3d


class _LazyInstanceNorm(_LazyNormBase):
    def _size_from(self, input: Tensor) -> int:
        unbatched = self._unbatched_dims
        if input.ndim not in (unbatched, unbatched + 1):
            raise ValueError(f"{self._get_name()}: expected {unbatched}D (unbatched) or {unbatched + 1}D input, "
                             f"got {input.ndim}D input of shape {list(input.shape)}")
        return input.shape[input.ndim - unbatched]  # the channel dimension, batched or not


class LazyInstanceNorm1d(_LazyInstanceNorm, InstanceNorm1d):
    """An ``InstanceNorm1d`` whose ``num_features`` is inferred from its first input; as in PyTorch, ``affine``
    and ``track_running_stats`` default to True here (False for ``InstanceNorm1d``)."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyInstanceNorm, InstanceNorm2d):
    """An ``InstanceNorm2d`` whose ``num_features`` is inferred from its first input; as in PyTorch, ``affine``
    and ``track_running_stats`` default to True here (False for ``InstanceNorm2d``)."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyInstanceNorm, InstanceNorm3d):
    """An ``InstanceNorm3d`` whose ``num_features`` is inferred from its first input; as in PyTorch, ``affine``
    and ``track_running_stats`` default to True here (False for ``InstanceNorm3d``)."""

    cls_to_become = InstanceNorm3d
