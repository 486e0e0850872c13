"""The Tensor: a numpy array, its gradient, and its place in the graph.

Maths lives in the ops (``autograd/ops``); the methods that reach it are written out in the mixins
``TensorMath``, ``TensorShape``, ``TensorSpecial`` and ``TensorAliases`` (PyTorch's other names), and the
in-place ones (with the version counter's bookkeeping) in ``TensorInPlace``. This file holds what a tensor
*is*: data, dtype conversions, the grad attributes, hooks and ``backward``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.tensor_aliases import TensorAliases
from autograd.tensor_format import format_tensor
from autograd.tensor_inplace import TensorInPlace
from autograd.tensor_math import TensorMath
from autograd.tensor_shape import TensorShape
from autograd.tensor_special import TensorSpecial


def infer_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert ``data`` to an array with PyTorch's ``torch.tensor`` dtype inference.

    Python floats get the default dtype (``dtypes.DEFAULT_FLOAT``), ints int64, bools bool; numpy arrays keep
    their dtype.
    """
    if isinstance(data, Tensor):
        array = data._data
    elif isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flat(data)):
        array = np.array([np.asarray(x) for x in data])
    else:
        array = np.array(data)
        # Python floats get the default dtype, unless a dtype is given: then they go to it unrounded, as in PyTorch
        if array.dtype == np.float64 and not isinstance(data, np.floating) and dtype is None:
            array = array.astype(dtypes.DEFAULT_FLOAT)
        elif array.dtype.kind in "iu" and not isinstance(data, np.integer):
            array = array.astype(dtypes.int64)
        elif array.dtype.kind not in "biuf":
            raise TypeError(
                f"tensor(): cannot build a tensor from {type(data).__name__} with numpy dtype {array.dtype}"
            )
    if dtype is not None:
        array = array.astype(dtypes.to_dtype(dtype), copy=False)
    return array


def _flat(items: Any) -> Iterator[Any]:
    for x in items:
        if isinstance(x, (list, tuple)):
            yield from _flat(x)
        else:
            yield x


class Tensor(TensorMath, TensorShape, TensorSpecial, TensorInPlace, TensorAliases):
    """A multi-dimensional array that can record the operations applied to it.

    Parameters
    ----------
    data : array_like
        Values; as ``torch.Tensor(data)`` the result has the default dtype (``autograd.get_default_dtype()``)
        unless ``dtype`` says otherwise.
    dtype : dtype, optional
    requires_grad : bool
        Record operations on this tensor so ``backward`` can compute its gradient (floating dtypes only).
    """

    # ``_view_base`` is set only on views made by view ops (the tensor whose memory they share); unset elsewhere.
    __slots__ = ("_data", "grad", "_requires_grad", "grad_fn", "_version_box", "_hooks", "_view_base", "__weakref__")
    __hash__ = object.__hash__
    __array_priority__ = 1000  # numpy defers ``ndarray + Tensor`` to Tensor.__radd__

    def __init__(self, data: Any = (), dtype: Any = None, requires_grad: bool = False) -> None:
        array = np.array(infer_array(data), dtype=dtypes.to_dtype(dtype) if dtype is not None else dtypes.DEFAULT_FLOAT)
        self._init(array, False, None)
        if requires_grad:
            self.requires_grad_(True)

    def _init(self, array: np.ndarray, requires_grad: bool, grad_fn: Any) -> None:
        self._data = array
        self.grad = None
        self._requires_grad = requires_grad
        self.grad_fn = grad_fn
        self._version_box = [0]
        self._hooks = None

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False, grad_fn: Any = None) -> Tensor:
        """Wrap an array without copying or checking (internal fast path)."""
        t = object.__new__(cls)
        t._data = array
        t.grad = None
        t._requires_grad = requires_grad
        t.grad_fn = grad_fn
        t._version_box = [0]
        t._hooks = None
        return t

    # -- basic attributes -------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self) -> str:
        return "cpu"

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    @property
    def _version(self) -> int:
        return self._version_box[0]

    @property
    def data(self) -> Tensor:
        """The same values, detached from the graph (changes through it are not tracked)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor | np.ndarray) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        if dim is None:
            return self._data.shape
        return self._data.shape[self._wrap_dim(dim, "size")]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def _wrap_dim(self, dim: int, op: str) -> int:
        ndim = max(self._data.ndim, 1)
        if not -ndim <= dim < ndim:
            raise IndexError(
                f"{op}: dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})"
            )
        return dim % ndim

    # -- conversion -------------------------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The underlying array (shared memory)."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def item(self) -> float | int | bool:
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return array.copy() if copy else array

    def _one_value(self, kind: str) -> Any:
        if self._data.size != 1:
            raise RuntimeError(
                f"{kind} value of Tensor with more than one value is ambiguous"
                if kind == "Boolean"
                else f"only one element tensors can be converted to Python scalars (got {self._data.size})"
            )
        return self._data.reshape(()).item()

    def __bool__(self) -> bool:
        return bool(self._one_value("Boolean"))

    def __float__(self) -> float:
        return float(self._one_value("float"))

    def __int__(self) -> int:
        return int(self._one_value("int"))

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()).item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __repr__(self) -> str:
        return format_tensor(self)

    # -- dtype conversion -------------------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(other_tensor)`` or ``to('cpu')``; returns self when nothing changes."""
        target = kwargs.get("dtype")
        for arg in args:
            if isinstance(arg, Tensor):
                target = arg.dtype
            elif not (isinstance(arg, str) and arg.startswith("cpu")):
                target = arg
        if target is None:
            return self
        target = dtypes.to_dtype(target)
        if target == self._data.dtype:
            return self
        from autograd.ops.basic import cast

        return cast(self, target)

    def type(self, dtype: Any = None) -> Tensor | str:
        return str(self.dtype) if dtype is None else self.to(dtype)

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool_)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def cpu(self) -> Tensor:
        return self

    # -- graph ------------------------------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients (got dtype {self._data.dtype})"
            )
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        self._requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """A tensor with the same data (and version counter), cut from the graph."""
        t = Tensor._make(self._data)
        t._version_box = self._version_box
        return t

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn.retain_ref = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        return self.grad_fn is not None and self.grad_fn.retain_ref is not None

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> _HookHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            if self.grad_fn.pre_hooks is None:
                self.grad_fn.pre_hooks = []
            hooks = self.grad_fn.pre_hooks
        else:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Sequence[Tensor] | Tensor | None = None,
    ) -> None:
        """Compute the gradient of this tensor w.r.t. graph leaves and accumulate it into their ``.grad``."""
        from autograd.autograd_api import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)


class _HookHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)
