"""``Parameter``: a Tensor that a ``Module`` registers as one of its learnable weights; ``Buffer``: one it
registers as non-learnable state; ``UninitializedParameter`` and ``UninitializedBuffer``: the placeholders of a
lazy module (``nn.lazy``), materialised once its first input fixes their shape."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

import autograd
from autograd import Tensor


class Parameter(Tensor):
    """A leaf Tensor that requires grad by default and is registered when assigned to a ``Module`` attribute.

    Parameters
    ----------
    data : Tensor or array_like, optional
        Initial values; a Tensor's memory is shared (no copy), as ``torch.nn.Parameter`` does. ``None`` gives an
        empty tensor of the default dtype (``autograd.get_default_dtype()``).
    requires_grad : bool
        Default True.
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            array = np.empty((0,), dtype=autograd.get_default_dtype())
        elif isinstance(data, Tensor):
            array = data.detach().numpy()
        else:
            array = autograd.as_tensor(data).numpy()
        self._init(array, False, None)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A Tensor that a ``Module`` registers as a buffer when assigned to one of its attributes
    (``self.x = nn.Buffer(t)`` is ``self.register_buffer('x', t)``).

    Parameters
    ----------
    data : Tensor, optional
        The values; memory is shared (no copy), ``requires_grad`` is kept. ``None`` gives an empty tensor of the
        default dtype.
    persistent : bool
        Whether the buffer is part of the module's ``state_dict``. Default True.
    """

    __slots__ = ("persistent",)

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True) -> None:
        array = np.empty((0,), dtype=autograd.get_default_dtype()) if data is None else data.detach().numpy()
        self._init(array, False, None)
        self.persistent = persistent
        if data is not None and data.requires_grad:
            self.requires_grad_(True)


_DATA = Tensor.__dict__["_data"]  # the array slot, reached past the guard of ``_UninitializedTensorMixin``


class _UninitializedTensorMixin:
    """Shared by ``UninitializedParameter`` and ``UninitializedBuffer``: a placeholder that holds no values.

    Every use of its values (arithmetic, reductions, ``numpy()``, an optimizer step) raises ``ValueError``;
    ``shape`` raises ``RuntimeError``; ``dtype``, ``requires_grad`` and ``repr`` work. ``detach()`` returns
    the placeholder itself, so a lazy module's ``state_dict`` holds it as PyTorch's does.
    ``materialize(shape)`` allocates uninitialised memory and turns the object into ``cls_to_become``.
    """

    __slots__ = ()
    cls_to_become: type[Tensor]

    @property
    def _data(self) -> np.ndarray:
        caller = sys._getframe(1).f_code.co_qualname
        raise ValueError(
            f"Attempted to use an uninitialized parameter in {caller}. This error happens when you are using a "
            "`LazyModule` or explicitly manipulating `nn.UninitializedParameter` objects. When using LazyModules "
            "call `forward` with a dummy batch to initialize the parameters before calling autograd functions"
        )

    @_data.setter
    def _data(self, array: np.ndarray) -> None:
        _DATA.__set__(self, array)

    @property
    def dtype(self) -> np.dtype:
        return _DATA.__get__(self).dtype

    @property
    def shape(self) -> tuple[int, ...]:
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
            "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
            "`forward` to initialize the parameters before accessing their attributes."
        )

    def detach(self) -> Tensor:
        return self  # type: ignore[return-value]

    def materialize(self, shape: int | tuple[int, ...], device: Any = None, dtype: Any = None) -> None:
        """Allocate (uninitialised) memory of ``shape`` and become a ``cls_to_become``, in place.

        Parameters
        ----------
        shape : int or tuple of int
            The shape of the materialised tensor.
        device : str, optional
            Ignored: stepgrad runs on the CPU only.
        dtype : dtype, optional
            Default: the placeholder's dtype.
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        _DATA.__set__(self, np.empty(shape, dtype=self.dtype if dtype is None else dtype))
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _placeholder(dtype: Any) -> np.ndarray:
    return autograd.empty(0, dtype=dtype).numpy()


class UninitializedParameter(_UninitializedTensorMixin, Parameter):
    """A ``Parameter`` whose shape is not known yet (lazy modules infer it from their first input); becomes a
    ``Parameter`` on ``materialize``.

    Parameters
    ----------
    requires_grad : bool
        Default True.
    device : str, optional
        Ignored: stepgrad runs on the CPU only.
    dtype : dtype, optional
        Default: ``autograd.get_default_dtype()``.
    """

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        self._init(_placeholder(dtype), requires_grad, None)


class UninitializedBuffer(_UninitializedTensorMixin, Buffer):
    """A buffer whose shape is not known yet (lazy modules infer it from their first input); becomes a
    ``Buffer`` on ``materialize``.

    Parameters
    ----------
    requires_grad : bool
        Default False.
    device : str, optional
        Ignored: stepgrad runs on the CPU only.
    dtype : dtype, optional
        Default: ``autograd.get_default_dtype()``.
    persistent : bool
        Whether the buffer is part of the module's ``state_dict``. Default True.
    """

    __slots__ = ()
    cls_to_become = Buffer

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None,
                 persistent: bool = True) -> None:
        self._init(_placeholder(dtype), requires_grad, None)
        self.persistent = persistent


def is_lazy(value: Any) -> bool:
    """Whether ``value`` is an ``UninitializedParameter`` or ``UninitializedBuffer``."""
    return isinstance(value, _UninitializedTensorMixin)
