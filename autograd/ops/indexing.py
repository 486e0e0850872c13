"""Indexing: ``x[index]``, ``x[index] = value``, gather/scatter, masks and triangles.

The ops form closed families, so second derivatives work: the backward of ``getitem`` is ``index_accumulate``
(add the gradient into zeros at the indexed positions, repeated positions accumulating, as ``np.add.at``) and
the backward of that is ``getitem`` again; ``gather`` and ``scatter_add`` are each other's backward.

Indices follow PyTorch (which follows numpy): ints, slices with positive steps, ``None``, ``...``, integer and
bool arrays/tensors/lists, in any combination (advanced indexing).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.grad_mode import STATE as _GRAD
from autograd.ops.masking import MASK, masked_fill, masked_select, tril, triu
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.gather``).
__all__ = [
    "index_select", "gather", "scatter", "scatter_add", "take_along_dim", "select", "narrow", "masked_fill",
    "masked_select", "tril", "triu",
]


def wrap_dim(op: str, dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-D tensor (0-d tensors accept -1 and 0); IndexError if out of
    range."""
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(
            f"{op}: dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {dim})"
        )
    return dim % bound


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


def normalize_index(index: Any) -> tuple:
    """``index`` as a tuple numpy applies with PyTorch's meaning (a trailing ``...`` makes numpy return 0-d
    arrays, which stay views, instead of scalars)."""
    if type(index) is int:
        return (index, Ellipsis)
    items = tuple(_index_item(i) for i in (index if isinstance(index, tuple) else (index,)))
    if not any(i is Ellipsis for i in items):
        items += (Ellipsis,)
    return items


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
])
class GetItem(Function):
    """y = x[index];  dy/dx = zeros of x's shape with grad added at the indexed positions (``index_accumulate``)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        try:
            return x[ctx.index]
        except IndexError as error:
            raise _index_error(error, x.shape) from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return IndexAccumulate.apply(grad, index=ctx.index, shape=shape)


@register_op("index_accumulate", samples=[
    Sample((4,), index=(np.array([0, 2, 0, 1]), Ellipsis), shape=(3,)),
    Sample((2, 5), index=(slice(0, 4, 2), Ellipsis), shape=(4, 5)), Sample((), index=(1, Ellipsis), shape=(3,)),
    Sample((2, 3, 1), index=(np.array([1, 1]), slice(None), None), shape=(2, 3)),
])
class IndexAccumulate(Function):
    """y = zeros(``shape``) with y[index] += x, repeated positions accumulating;  dy/dx = grad[index]."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        out = np.zeros(ctx.shape, dtype=x.dtype)
        if _accumulates(ctx.index):
            np.add.at(out, ctx.index, x)
        else:
            out[ctx.index] = x
        return out

    @staticmethod
    def backward(ctx, grad):
        return GetItem.apply(grad, index=ctx.index)


@register_op("index_put", samples=[
    Sample((3, 4), (4,), index=(1, Ellipsis)), Sample((3, 4), (), index=(MASK, Ellipsis)),
    Sample((4,), (2,), index=(np.array([0, 3]), Ellipsis)), Sample((3, 4), (1, 4), index=(1, Ellipsis)),
])
class IndexPut(Function):
    """y = x with y[index] = v (v broadcast);  dy/dx = grad with the indexed positions zeroed,
    dy/dv = grad[index] (summed over the dims v was broadcast along)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        out = x.copy()
        out[ctx.index] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_v = ctx.needs_input_grad
        grad_x = IndexPut.apply(grad, np.zeros((), grad.dtype), index=ctx.index) if need_x else None
        grad_v = None
        if need_v:
            grad_v = GetItem.apply(grad, index=ctx.index)
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
    return view_of(tensor, GetItem, index=normalize_index(index))


def setitem(tensor: Any, index: Any, value: Any) -> None:
    """``tensor[index] = value`` in place (value a number or a tensor, broadcast); recorded in the graph when
    gradients are on and either side requires them."""
    idx = normalize_index(index)
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
        tensor._assign_result(IndexPut.apply(tensor, constant, index=idx), "setitem")
        return
    data = tensor._data
    try:
        data[idx] = value._data if hasattr(value, "_data") else value
    except IndexError as error:
        raise _index_error(error, data.shape) from None
    except ValueError:
        raise RuntimeError(
            f"setitem: shape mismatch: value tensor of shape {list(np.shape(value))} cannot be broadcast to indexing "
            f"result of shape {list(data[idx].shape)}"
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


def _mesh(index: np.ndarray, dim: int) -> tuple:
    """The advanced index that reads ``x[..., index[i, j, k], ...]`` at position (i, j, k) (``index`` in slot
    ``dim``, broadcast ranges elsewhere)."""
    ndim = index.ndim
    return tuple(index if d == dim else np.arange(n).reshape((n,) + (1,) * (ndim - 1 - d))
                 for d, n in enumerate(index.shape))


_GATHER_INDEX = np.array([[0, 3, 3], [1, 0, 2], [2, 2, 2]])


@register_op("gather", samples=[Sample((3, 4), dim=1, index=_GATHER_INDEX), Sample((4, 3), dim=0, index=_GATHER_INDEX),
                                Sample((3, 4), dim=0, index=np.zeros((0, 2), dtype=np.int64))])
class Gather(Function):
    """y[i][j] = x[index[i][j]][j] for dim 0 (likewise for other dims);  dy/dx = ``scatter_add`` of grad into zeros
    at the same positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x[_mesh(ctx.index, ctx.dim)]

    @staticmethod
    def backward(ctx, grad):
        (shape, dtype), = ctx.input_meta()
        return ScatterAdd.apply(wrap(np.zeros(shape, dtype)), grad, dim=ctx.dim, index=ctx.index)


@register_op("scatter_add", samples=[Sample((3, 4), (3, 3), dim=1, index=_GATHER_INDEX),
                                     Sample((4, 3), (3, 3), dim=0, index=_GATHER_INDEX)])
class ScatterAdd(Function):
    """y = x with y[index[i][j]][j] += src[i][j] for dim 0 (repeats accumulate);  dy/dx = grad,
    dy/dsrc = ``gather`` of grad at the same positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        np.add.at(out, _mesh(ctx.index, ctx.dim), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_src = Gather.apply(grad, dim=ctx.dim, index=ctx.index) if ctx.needs_input_grad[1] else None
        return grad, grad_src


@register_op("scatter", samples=[Sample((3, 4), (3, 2), dim=1, index=np.array([[0, 3], [1, 0], [2, 1]])),
                                 Sample((4, 3), (2, 3), dim=0, index=np.array([[0, 1, 2], [3, 2, 1]]))])
class Scatter(Function):
    """y = x with y[index[i][j]][j] = src[i][j] for dim 0;  dy/dx = grad with the written positions zeroed,
    dy/dsrc = ``gather`` of grad at those positions."""

    @staticmethod
    def forward(ctx, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        out = x.copy()
        out[_mesh(ctx.index, ctx.dim)] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        zeros = np.zeros(ctx.index.shape, grad.dtype)
        grad_x = Scatter.apply(grad, zeros, dim=ctx.dim, index=ctx.index) if need_x else None
        return grad_x, (Gather.apply(grad, dim=ctx.dim, index=ctx.index) if need_src else None)


def _scatter_index(op: str, input: Any, dim: int, index: Any) -> tuple[int, np.ndarray]:
    """Validate a gather/scatter index (int64, same ndim as input, within range and bounds) as PyTorch does."""
    array = index._data if hasattr(index, "_data") else np.asarray(index)
    if array.dtype != np.int64:
        raise RuntimeError(f"{op}: expected dtype int64 for index, got {array.dtype}")
    d = wrap_dim(op, dim, input.ndim)
    if array.ndim != input.ndim:
        raise RuntimeError(f"{op}: index tensor must have the same number of dimensions as input tensor "
                           f"(index shape {list(array.shape)}, input shape {list(input.shape)})")
    if any(n > m for k, (n, m) in enumerate(zip(array.shape, input.shape)) if k != d):
        raise RuntimeError(f"{op}: size does not match: expected index {list(array.shape)} to be no larger than input "
                           f"{list(input.shape)} apart from dimension {d}")
    if array.size and (array.min() < 0 or array.max() >= input.shape[d]):
        bad = array.min() if array.min() < 0 else array.max()
        raise RuntimeError(f"{op}: index {bad} is out of bounds for dimension {d} with size {input.shape[d]}")
    return d, array


def gather(input: Any, dim: int, index: Any) -> Any:
    """``out[i][j][k] = input[index[i][j][k]][j][k]`` for ``dim=0`` (likewise for other dims); out has index's
    shape."""
    if input.ndim == 0:
        return gather(input.reshape(1), 0, index.reshape(1)).reshape(())
    d, array = _scatter_index("gather", input, dim, index)
    return Gather.apply(input, dim=d, index=array)


def _scatter_src(op: str, input: Any, array: np.ndarray, src: Any) -> Any:
    if not hasattr(src, "_data"):
        return np.full(array.shape, src, dtype=input.dtype)
    if src.dtype != input.dtype:
        raise RuntimeError(f"{op}: expected self.dtype to be equal to src.dtype, got {input.dtype} and {src.dtype}")
    if any(n > m for n, m in zip(array.shape, src.shape)) or src.ndim != array.ndim:
        raise RuntimeError(f"{op}: expected index {list(array.shape)} to be no larger than src {list(src.shape)}")
    if src.shape != array.shape:
        src = GetItem.apply(src, index=tuple(slice(0, n) for n in array.shape))
    return src


def scatter(input: Any, dim: int, index: Any, src: Any = None, *, value: Any = None) -> Any:
    """A copy of ``input`` with ``out[index[i][j]][j] = src[i][j]`` for ``dim=0`` (likewise for other dims);
    ``src`` may be a number (or pass ``value=``). With repeated positions, one of the writes wins."""
    if src is None:
        src = value
    d, array = _scatter_index("scatter", input, dim, index)
    return Scatter.apply(input, _scatter_src("scatter", input, array, src), dim=d, index=array)


def scatter_add(input: Any, dim: int, index: Any, src: Any) -> Any:
    """A copy of ``input`` with ``out[index[i][j]][j] += src[i][j]`` for ``dim=0``; repeated positions add up."""
    d, array = _scatter_index("scatter_add", input, dim, index)
    return ScatterAdd.apply(input, _scatter_src("scatter_add", input, array, src), dim=d, index=array)


def take_along_dim(input: Any, indices: Any, dim: int | None = None) -> Any:
    """``gather`` after broadcasting ``input`` and ``indices`` in every dim but ``dim``; with ``dim=None`` both are
    flattened."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    d = wrap_dim("take_along_dim", dim, input.ndim)
    if input.ndim != indices.ndim:
        raise RuntimeError(f"take_along_dim: input and indices should have the same number of dimensions, but got "
                           f"{input.ndim} and {indices.ndim}")
    rest = [n for k, n in enumerate(input.shape) if k != d], [n for k, n in enumerate(indices.shape) if k != d]
    try:
        common = list(np.broadcast_shapes(tuple(rest[0]), tuple(rest[1])))
    except ValueError:
        raise RuntimeError(f"take_along_dim: shapes {list(input.shape)} and {list(indices.shape)} cannot be broadcast "
                           f"outside dimension {d}") from None
    shape_in, shape_idx = common[:d] + [input.shape[d]] + common[d:], common[:d] + [indices.shape[d]] + common[d:]
    return gather(input.expand(shape_in), d, indices.expand(shape_idx))
