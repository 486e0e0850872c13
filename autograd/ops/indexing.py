"""Indexing: ``x[index]``, ``x[index] = value``, ``select``, ``narrow``, ``index_select``; re-exports the
gather/scatter family (autograd/ops/gather.py, autograd/ops/scatter_reduce.py) and masks and triangles
(autograd/ops/masking.py).

The ops form a closed family, so second derivatives work: the backward of ``getitem`` is ``index_accumulate``
(add the gradient into zeros at the indexed positions, repeated positions accumulating, as ``np.add.at``) and
the backward of that is ``getitem`` again; ``index_put`` (setitem) differentiates into both.

Indices follow PyTorch (which follows numpy): ints, slices with positive steps, ``None``, ``...``, integer and
bool arrays/tensors/lists, in any combination (advanced indexing).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.grad_mode import STATE as _GRAD
from autograd.ops._dims import wrap_dim
from autograd.ops.gather import gather, scatter, scatter_add, take_along_dim
from autograd.ops.masking import MASK, masked_fill, masked_select, tril, triu
from autograd.ops.registry import Sample, register_op
from autograd.ops.scatter_reduce import scatter_reduce

# The functional forms, re-exported by ``autograd`` (``autograd.gather``).
__all__ = [
    "index_select", "gather", "scatter", "scatter_add", "scatter_reduce", "take_along_dim", "select", "narrow",
    "masked_fill", "masked_select", "tril", "triu", "take",
]


def _index_item(item: Any) -> Any:
    """One entry of an index, as numpy understands it (with PyTorch's checks)."""
    if isinstance(item, (int, np.integer, np.bool_)) or item is None or item is Ellipsis:
        return item
    if isinstance(item, slice):
        step = item.step
        if step is not None and int(step) <= 0:
            raise ValueError("step must be greater than zero" if int(step) else "slice step cannot be zero")
        return item
    if hasattr(item, "_data"):
        array = item._data
        if array.dtype == np.uint8:
            array = array.astype(bool)
        if array.dtype.kind not in "biu":
            raise IndexError(f"tensors used as indices must be long, int, byte or bool tensors (got {array.dtype})")
        return array.item() if array.ndim == 0 else array
    if isinstance(item, (list, np.ndarray)):
        array = np.asarray(item) if not isinstance(item, list) or item else np.zeros(0, dtype=np.intp)
        if array.dtype.kind not in "biu":
            raise IndexError(f"arrays used as indices must be of integer or bool dtype (got {array.dtype})")
        return array
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
        f"{type(item).__name__})"
    )


def _is_int(item: Any) -> bool:
    return isinstance(item, (int, np.integer)) and not isinstance(item, bool)


def normalize_index(index: Any) -> dict:
    """``index`` as keyword arguments of the indexing ops: ``index``, a tuple numpy applies, and ``first``, a
    basic index applied before it (or None).

    A trailing ``...`` makes numpy return 0-d arrays (views) instead of scalars. ``first`` carries PyTorch's
    one difference from numpy: ints are applied before any advanced (array) index, so they never count as
    advanced indices (``x[1, :, [4, 0]]`` has shape (4, 2) in PyTorch, (2, 4) in numpy).
    """
    if type(index) is int:
        return {"index": (index, Ellipsis), "first": None}
    items = tuple(_index_item(i) for i in (index if isinstance(index, tuple) else (index,)))
    if not any(i is Ellipsis for i in items):
        items += (Ellipsis,)
    if not (any(isinstance(i, np.ndarray) for i in items) and any(_is_int(i) for i in items)):
        return {"index": items, "first": None}
    first: list = []
    for i in items:
        if i is Ellipsis or _is_int(i):
            first.append(i)
        elif isinstance(i, np.ndarray) and i.dtype == bool:
            first.extend([slice(None)] * i.ndim)
        elif i is not None:
            first.append(slice(None))
    return {"index": tuple(i for i in items if not _is_int(i)), "first": tuple(first)}


def _target(array: np.ndarray, first: tuple | None) -> np.ndarray:
    """The view of ``array`` that ``index`` applies to."""
    return array if first is None else array[first]


def _index_error(error: Exception, shape: tuple) -> IndexError:
    """numpy's IndexError in PyTorch's words (dimension and tensor rather than axis and array)."""
    message = str(error).replace("axis", "dimension").replace("array", "tensor")
    return IndexError(f"{message} (indexing a tensor of shape {list(shape)})")


def _accumulates(index: tuple) -> bool:
    """Whether an index can address one position twice (integer arrays), so writes must accumulate."""
    return any(isinstance(i, np.ndarray) and i.dtype != bool for i in index)


@register_op("getitem", samples=[
    Sample((4, 5), index=(1, Ellipsis)), Sample((4, 5), index=(slice(1, 4, 2), None, Ellipsis)),
    Sample((4, 5), index=(np.array([0, 2, 0, 3]), Ellipsis)), Sample((3, 4), index=(MASK, Ellipsis)),
    Sample((3, 4, 5), index=(np.array([0, 2]), slice(None), np.array([-1, 1]))), Sample((), index=(None, Ellipsis)),
    Sample((3, 0), index=(slice(None, 2), Ellipsis)),
    Sample((3, 4, 5), index=(slice(None), np.array([4, 0]), Ellipsis), first=(1, slice(None), slice(None), Ellipsis)),
])
class GetItem(Function):
    """y = x[first][index];  dy/dx = zeros of x's shape with grad added at the indexed positions
    (``index_accumulate``)."""

    first = None

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        try:
            return _target(x, ctx.first)[ctx.index]
        except IndexError as error:
            raise _index_error(error, x.shape) from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return IndexAccumulate.apply(grad, index=ctx.index, first=ctx.first, shape=shape)


@register_op("index_accumulate", samples=[
    Sample((4,), index=(np.array([0, 2, 0, 1]), Ellipsis), shape=(3,)),
    Sample((2, 5), index=(slice(0, 4, 2), Ellipsis), shape=(4, 5)), Sample((), index=(1, Ellipsis), shape=(3,)),
    Sample((2, 3, 1), index=(np.array([1, 1]), slice(None), None), shape=(2, 3)),
    Sample((4, 2), index=(slice(None), np.array([4, 4]), Ellipsis), first=(1, Ellipsis), shape=(3, 4, 5)),
])
class IndexAccumulate(Function):
    """y = zeros(``shape``) with y[first][index] += x, repeated positions accumulating;  dy/dx = grad[first][index]."""

    first = None

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        out = np.zeros(ctx.shape, dtype=x.dtype)
        target = _target(out, ctx.first)
        if _accumulates(ctx.index):
            np.add.at(target, ctx.index, x)
        else:
            target[ctx.index] = x
        return out

    @staticmethod
    def backward(ctx, grad):
        return GetItem.apply(grad, index=ctx.index, first=ctx.first)


@register_op("index_put", samples=[
    Sample((3, 4), (4,), index=(1, Ellipsis)), Sample((3, 4), (), index=(MASK, Ellipsis)),
    Sample((4,), (2,), index=(np.array([0, 3]), Ellipsis)), Sample((3, 4), (1, 4), index=(1, Ellipsis)),
    Sample((3, 4, 5), (4, 2), index=(slice(None), np.array([4, 0]), Ellipsis), first=(1, Ellipsis)),
])
class IndexPut(Function):
    """y = x with y[first][index] = v (v broadcast);  dy/dx = grad with the written positions zeroed,
    dy/dv = grad[first][index] (summed over the dims v was broadcast along)."""

    first = None

    @staticmethod
    def forward(ctx, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        out = x.copy()
        _target(out, ctx.first)[ctx.index] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_v = ctx.needs_input_grad
        where = {"index": ctx.index, "first": ctx.first}
        grad_x = IndexPut.apply(grad, np.zeros((), grad.dtype), **where) if need_x else None
        grad_v = None
        if need_v:
            grad_v = GetItem.apply(grad, **where)
            v_shape = ctx.input_meta()[1][0]
            if len(v_shape) > grad_v.ndim:  # numpy lets v carry extra leading 1s
                grad_v = grad_v.reshape((1,) * (len(v_shape) - grad_v.ndim) + grad_v.shape)
        return grad_x, grad_v


def view_of(base: Any, op: type[Function], **kwargs: Any) -> Any:
    """``op.apply(base, **kwargs)`` for a view op (``reshape``, ``expand``, ``permute``, basic ``getitem``).

    When the result shares ``base``'s memory it also shares its version counter, as PyTorch's views do: an
    in-place change through either one is then caught by every node that saved the other.
    """
    out = op.apply(base, **kwargs)
    box = getattr(base, "_version_box", None)
    if box is not None and np.may_share_memory(out._data, base._data):
        out._version_box = box
        out._view_base = base
        node = out.grad_fn
        if node is not None:
            node._out_box, node._out_version = box, box[0]
            node.is_view = True
    return out


def _check_not_view_of_leaf(tensor: Any) -> None:
    """PyTorch refuses in-place writes into a view of a leaf that requires grad (the leaf would change)."""
    node = tensor.grad_fn
    while node is not None and node.__dict__.get("is_view"):
        node = node.next_edges[0]
        if hasattr(node, "_data"):
            raise RuntimeError("setitem: a view of a leaf Variable that requires grad is being used in an in-place "
                               "operation.")


def getitem(tensor: Any, index: Any) -> Any:
    """``tensor[index]``: a view for basic indices (ints, slices, None, ...), a copy with advanced ones."""
    return view_of(tensor, GetItem, **normalize_index(index))


def setitem(tensor: Any, index: Any, value: Any) -> None:
    """``tensor[index] = value`` in place (value a number or a tensor, broadcast); recorded in the graph when
    gradients are on and either side requires them."""
    where = normalize_index(index)
    tensor._check_inplace("setitem")
    if not tensor._data.flags.writeable:
        raise RuntimeError(
            "setitem: unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location (e.g. a result of expand). Please clone() the tensor before performing the operation."
        )
    if hasattr(value, "_data"):
        if value.dtype != tensor.dtype:
            value = value.to(tensor.dtype)
    elif not isinstance(value, (int, float, bool, np.number, np.bool_)):
        raise TypeError(f"setitem: can't assign a {type(value).__name__} to a {tensor.dtype} tensor; expected a "
                        "number or a Tensor")
    if _GRAD.enabled and (tensor._requires_grad or getattr(value, "_requires_grad", False)):
        _check_not_view_of_leaf(tensor)
        constant = value if hasattr(value, "_data") else np.asarray(value, dtype=tensor.dtype)
        tensor._assign_result(IndexPut.apply(tensor, constant, **where), "setitem")
        return
    try:
        data = _target(tensor._data, where["first"])
        data[where["index"]] = value._data if hasattr(value, "_data") else value
    except IndexError as error:
        raise _index_error(error, tensor.shape) from None
    except ValueError:
        raise RuntimeError(
            f"setitem: shape mismatch: value tensor of shape {list(np.shape(value))} cannot be broadcast to indexing "
            f"result of shape {list(data[where['index']].shape)}"
        ) from None
    tensor._bump()


def select(input: Any, dim: int, index: int) -> Any:
    """The slice at position ``index`` of dim ``dim`` (that dim removed; a view)."""
    d = wrap_dim("select", dim, input.ndim)
    return view_of(input, GetItem, index=(slice(None),) * d + (int(index), Ellipsis))


def narrow(input: Any, dim: int, start: int, length: int) -> Any:
    """Positions ``start .. start + length - 1`` of dim ``dim`` (a view); a negative start counts from the end."""
    d = wrap_dim("narrow", dim, input.ndim)
    size, start, length = input.shape[d], int(start), int(length)
    if not -size <= start <= size:
        raise IndexError(f"narrow: start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0 or start + length > size:
        raise RuntimeError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({size}) "
                           "or length is negative")
    return view_of(input, GetItem, index=(slice(None),) * d + (slice(start, start + length), Ellipsis))


def _index_array(op: str, index: Any) -> np.ndarray:
    array = index._data if hasattr(index, "_data") else np.asarray(index)
    if array.dtype.kind not in "iu":
        raise RuntimeError(f"{op}: expected an integer index tensor, got dtype {array.dtype}")
    return array


def index_select(input: Any, dim: int, index: Any) -> Any:
    """The entries at positions ``index`` (a 1-D or 0-d integer tensor) along ``dim``; a copy."""
    array = _index_array("index_select", index)
    if array.ndim > 1:
        raise IndexError(f"index_select: index is supposed to be a vector, got shape {list(array.shape)}")
    d = wrap_dim("index_select", dim, input.ndim)
    if input.ndim == 0:
        return GetItem.apply(input.reshape(1), index=(array.reshape(-1), Ellipsis)).reshape(())
    return GetItem.apply(input, index=(slice(None),) * d + (array.reshape(-1), Ellipsis))


def take(input: Any, index: Any) -> Any:
    """The elements of the flattened ``input`` at ``index`` (an int64 tensor of any shape, which the result
    takes; negative entries count from the end); repeated entries accumulate their gradients."""
    if not hasattr(index, "_data"):
        raise TypeError(f"take(): argument 'index' (position 2) must be Tensor, not {type(index).__name__}")
    array = index._data
    if array.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {array.dtype}")
    size = input._data.size
    if array.size and (array.min() < -size or array.max() >= size):
        bad = int(array.min()) if array.min() < -size else int(array.max())
        raise IndexError(f"take(): out of range: tried to access index {bad} on a tensor of {size} elements.")
    return GetItem.apply(input.reshape(-1), index=(array, Ellipsis))
