"""``Parameter``: a Tensor that a ``Module`` registers as one of its learnable weights; ``Buffer``: one it
registers as non-learnable state."""

from __future__ import annotations

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
