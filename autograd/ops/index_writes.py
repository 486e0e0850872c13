"""Writes at indexed positions, out of place: along one dim (``index_add``, ``index_copy``, ``index_fill``), at a
tuple of index tensors (``index_put``), at flat positions (``put``) or where a mask is set (``masked_scatter``).

Each is composed from the registered indexing ops ``index_put`` (assignment; its backward zeroes the written
positions of the input's gradient and reads the values' gradient back with ``getitem``) and
``index_accumulate`` (repeated positions add up; its backward is ``getitem``), so second derivatives are exact.
The gradients are PyTorch's, also where an index repeats: each value written to a repeated position receives
that position's gradient, although only the last write survives (``index_copy``, ``index_put``, ``put``), while
``index_fill`` fills each position once, so its value's gradient counts a repeated position once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops._dims import wrap_dim
from autograd.ops.indexing import IndexAccumulate, IndexPut, _index_error, normalize_index

# The functional forms, re-exported by ``autograd`` (``autograd.index_add``).
__all__ = ["index_add", "index_copy", "index_fill", "index_put", "put", "masked_scatter"]


def _vector_index(op: str, index: Any, kinds: tuple, size: int, negative: bool) -> np.ndarray:
    """A 0-d or 1-d index tensor as a 1-d int64 array, each entry checked against ``size`` (negative entries
    count from the end where ``negative``)."""
    if not hasattr(index, "_data"):
        raise TypeError(f"{op}(): argument 'index' must be Tensor, not {type(index).__name__}")
    array = index._data
    if array.dtype not in kinds:
        names = " or ".join(str(np.dtype(k)) for k in kinds)
        raise RuntimeError(f"{op}: expected dtype {names} for index, got {array.dtype}")
    if array.ndim > 1:
        raise IndexError(f"{op}: index is supposed to be a vector (0-d or 1-d), got shape {list(array.shape)}")
    array = array.reshape(-1).astype(np.int64, copy=False)
    low = -size if negative else 0
    if array.size and (array.min() < low or array.max() >= size):
        bad = int(array.min()) if array.min() < low else int(array.max())
        raise IndexError(f"{op}: index {bad} is out of bounds for a dimension of size {size} (expected "
                         f"{low} <= index < {size})")
    return array


def _same_dtype(op: str, input: Any, other: Any, name: str) -> None:
    if not hasattr(other, "_data"):
        raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(other).__name__}")
    if other.dtype != input.dtype:
        raise RuntimeError(f"{op}: input ({input.dtype}) and {name} ({other.dtype}) must have the same dtype")


def _along_dim(op: str, input: Any, dim: int, index: Any, source: Any, kinds: tuple) -> tuple[Any, tuple, Any]:
    """The checked arguments of index_add/index_copy: ``input`` (a 0-d one as shape (1,)), the index tuple that
    addresses positions ``index`` along ``dim``, and ``source`` shaped to match."""
    d = wrap_dim(op, dim, input.ndim)
    array = _vector_index(op, index, kinds, input.shape[d] if input.ndim else 1, negative=False)
    _same_dtype(op, input, source, "source")
    if input.ndim == 0:  # a 0-d input is one entry: one index, a 0-d source
        if array.size != 1 or source.ndim:
            raise IndexError(f"{op}: a 0-d input takes exactly one index and a 0-d source, got {array.size} "
                             f"indices and a source of shape {list(source.shape)}")
        return input.reshape(1), (array, Ellipsis), source.reshape(1)
    expected = list(input.shape)
    expected[d] = array.size
    if list(source.shape) != expected:
        raise RuntimeError(f"{op}: source of shape {list(source.shape)} does not match input of shape "
                           f"{list(input.shape)} with {array.size} indexed entries along dim {d} (expected "
                           f"{expected})")
    return input, (slice(None),) * d + (array, Ellipsis), source


def index_add(input: Any, dim: int, index: Any, source: Any, *, alpha: float = 1) -> Any:
    """``input`` with ``alpha * source[i]`` added at position ``index[i]`` along ``dim`` (repeats add up).

    ``index`` is an int64 or int32 vector of entries in [0, input.shape[dim]); ``source`` has input's shape
    with index's length at ``dim``. Gradients: input 1, source ``alpha`` times the gradient at its position.
    """
    x, where, src = _along_dim("index_add", input, dim, index, source, (np.int64, np.int32))
    if alpha != 1:  # alpha in input's dtype: an integer tensor takes int(alpha), as PyTorch
        src = src * np.asarray(alpha, dtype=input.dtype)
    out = x + IndexAccumulate.apply(src, index=where, shape=x.shape)
    return out.reshape(input.shape)


def index_copy(input: Any, dim: int, index: Any, source: Any) -> Any:
    """``input`` with ``source[i]`` written at position ``index[i]`` along ``dim`` (an int64 vector of entries in
    [0, input.shape[dim]); with repeats the last write wins)."""
    x, where, src = _along_dim("index_copy", input, dim, index, source, (np.int64,))
    return IndexPut.apply(x, src, index=where).reshape(input.shape)


def index_fill(input: Any, dim: int, index: Any, value: Any) -> Any:
    """``input`` with every position ``index[i]`` along ``dim`` set to ``value`` (a number or a 0-d tensor, whose
    gradient is the sum of the gradient over the filled positions). ``index`` is an int64 vector; negative
    entries count from the end."""
    d = wrap_dim("index_fill", dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    array = _vector_index("index_fill", index, (np.int64,), size, negative=True)
    if hasattr(value, "_data"):
        if value.ndim:
            raise RuntimeError(f"index_fill: only supports a 0-dimensional value tensor, but got one of shape "
                               f"{list(value.shape)}")
        value = value.to(input.dtype)
    else:
        value = np.asarray(value, dtype=input.dtype)
    positions = np.unique(array % size)  # each position filled once, so a repeated one adds no second gradient
    x = input.reshape(1) if input.ndim == 0 else input
    where = (slice(None),) * (d if input.ndim else 0) + (positions, Ellipsis)
    return IndexPut.apply(x, value, index=where).reshape(input.shape)


def _target_shape(shape: tuple, index: tuple, first: tuple | None) -> tuple:
    """The shape of ``x[first][index]`` for an x of ``shape`` (no copy of x), with indexing errors in PyTorch's
    words."""
    view = np.broadcast_to(np.zeros((), dtype=bool), shape)
    try:
        return (view if first is None else view[first])[index].shape
    except IndexError as error:
        raise _index_error(error, shape) from None


def _check_values(op: str, values: Any, target: tuple) -> None:
    """``values`` must broadcast to the indexed shape (extra leading 1s allowed, as numpy's assignment)."""
    extra = values.ndim - len(target)
    if extra > 0 and all(n == 1 for n in values.shape[:extra]):
        values_shape = values.shape[extra:]
    else:
        values_shape = values.shape
    try:
        ok = np.broadcast_shapes(values_shape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(f"{op}: shape mismatch: values of shape {list(values.shape)} cannot be broadcast to the "
                           f"indexing result of shape {list(target)}")


def index_put(input: Any, indices: tuple | list, values: Any, accumulate: bool = False) -> Any:
    """``input`` with ``input[indices] = values`` (``+=`` with ``accumulate``, repeated positions adding up);
    ``indices`` is a tuple or list of integer or bool tensors, one per leading dim, and ``values`` (a tensor of
    input's dtype) broadcasts to the indexed shape."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"index_put(): argument 'indices' must be a tuple of Tensors, not {type(indices).__name__}")
    for k, item in enumerate(indices):
        if not hasattr(item, "_data"):
            raise TypeError(f"index_put(): expected Tensor as element {k} of indices, but got {type(item).__name__}")
    _same_dtype("index_put", input, values, "values")
    where = normalize_index(tuple(indices))
    target = _target_shape(input.shape, where["index"], where["first"])
    _check_values("index_put", values, target)
    if accumulate:
        return input + IndexAccumulate.apply(values, shape=input.shape, **where)
    return IndexPut.apply(input, values, **where)


def put(input: Any, index: Any, source: Any, accumulate: bool = False) -> Any:
    """``input`` with the elements at flat positions ``index`` (an int64 tensor of any shape; negative entries
    count from the end) set to the elements of ``source`` (``+=`` with ``accumulate``)."""
    _same_dtype("put", input, source, "source")
    if not hasattr(index, "_data") or index.dtype != np.int64:
        got = index.dtype if hasattr(index, "_data") else type(index).__name__
        raise RuntimeError(f"put: expected an int64 tensor for index, got {got}")
    if index.numel() != source.numel():
        raise IndexError(f"put: expected source and index to have the same number of elements, but got "
                         f"{source.numel()} and {index.numel()}")
    size = input.numel()
    array = _vector_index("put", index.reshape(-1), (np.int64,), size, negative=True)
    flat, values = input.reshape(-1), source.reshape(-1)
    if accumulate:
        out = flat + IndexAccumulate.apply(values, index=(array, Ellipsis), shape=flat.shape)
    else:
        out = IndexPut.apply(flat, values, index=(array, Ellipsis))
    return out.reshape(input.shape)


def masked_scatter(input: Any, mask: Any, source: Any) -> Any:
    """``input`` (broadcast with ``mask``) with the positions where ``mask`` (a bool tensor) is True filled, in
    row-major order, with the leading elements of ``source``, which needs at least as many elements. Gradients:
    input where mask is False, the used elements of source their position's gradient, the rest 0."""
    if not hasattr(mask, "_data") or mask.dtype != np.bool_:
        got = mask.dtype if hasattr(mask, "_data") else type(mask).__name__
        raise RuntimeError(f"masked_scatter: only supports boolean masks, but got mask with dtype {got}")
    _same_dtype("masked_scatter", input, source, "source")
    try:
        shape = np.broadcast_shapes(input.shape, mask.shape)
    except ValueError:
        raise RuntimeError(f"masked_scatter: the shapes of input {list(input.shape)} and mask {list(mask.shape)} "
                           "cannot be broadcast") from None
    selected = np.broadcast_to(mask._data, shape)
    count = int(np.count_nonzero(selected))
    if source.numel() < count:
        raise RuntimeError(f"masked_scatter: source has {source.numel()} elements, fewer than the {count} True "
                           "entries of mask")
    x = input if input.shape == shape else input.expand(shape)
    return IndexPut.apply(x, source.reshape(-1)[:count], index=(selected, Ellipsis))
