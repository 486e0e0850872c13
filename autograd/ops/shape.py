"""Shape ops: views and rearrangements whose backward moves gradients back into place.

Primitive ops (each a registered ``Function``): ``reshape``, ``expand``, ``permute``, ``flip`` and ``roll``.
Everything else here (``transpose``, ``squeeze``, ``flatten``, ``movedim``, ``repeat`` ...) is composed from
them, so its gradient, and its gradient's gradient, come from those ops. Joining, splitting and padding
(``cat``, ``stack``, ``split``, ``pad`` ...) live in autograd/ops/joining.py and are re-exported here.

Memory: ``reshape``/``view``, ``permute`` (and so ``transpose``, ``T``, ``mT``), ``expand`` and basic
indexing return numpy views sharing the input's memory, as PyTorch's views do; ``flip``, ``roll``, ``cat``,
``pad`` and ``repeat`` return new memory, as in PyTorch. ``view`` is ``reshape``: it never fails for stride
reasons (numpy copies when a view is impossible).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops._dims import size_arg, wrap_dim, wrap_dims
from autograd.ops.indexing import view_of
from autograd.ops.joining import cat, chunk, concat, concatenate, pad, split, stack, unbind
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.reshape``).
__all__ = [
    "reshape", "expand", "broadcast_to", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "swapaxes",
    "swapdims", "permute", "movedim", "moveaxis", "t", "flip", "roll", "rot90", "repeat", "tile", "cat", "concat",
    "concatenate", "stack", "split", "chunk", "unbind", "pad",
]


@register_op("reshape", samples=[Sample((3, 4), shape=(2, 6)), Sample((3, 4), shape=(-1,)), Sample((), shape=(1, 1)),
                                 Sample((2, 0), shape=(0, 5))])
class Reshape(Function):
    """y = x with shape ``ctx.shape`` (one entry may be -1);  dy/dx = grad reshaped to x's shape."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        try:
            return x.reshape(ctx.shape)
        except ValueError:
            raise RuntimeError(f"reshape: shape {list(ctx.shape)} is invalid for input of size {x.size}") from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return grad.reshape(shape)


@register_op("expand", samples=[Sample((3, 1), shape=(3, 4)), Sample((4,), shape=(2, 3, 4)), Sample((), shape=(2,)),
                                Sample((1, 3), shape=(2, -1))])
class Expand(Function):
    """y = x broadcast to ``ctx.shape`` (-1 keeps a size);  dy/dx = grad summed over the broadcast axes."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        shape = ctx.shape
        lead = len(shape) - x.ndim
        if lead < 0:
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({x.ndim})"
            )
        target = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
        try:
            return np.broadcast_to(x, target)
        except ValueError:
            raise RuntimeError(
                f"expand: the expanded size of the tensor must match the existing size at non-singleton "
                f"dimensions; cannot expand shape {list(x.shape)} to {list(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return grad.sum_to_size(shape)


@register_op("permute", samples=[Sample((2, 3, 4), dims=(2, 0, 1)), Sample((3, 4), dims=(1, 0)), Sample((), dims=()),
                                 Sample((0, 3), dims=(1, 0))])
class Permute(Function):
    """y = x with its axes reordered: y.shape[i] = x.shape[dims[i]] (a view);  dy/dx = grad permuted by the
    inverse permutation."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return x.transpose(ctx.dims)

    @staticmethod
    def backward(ctx, grad):
        return Permute.apply(grad, dims=tuple(np.argsort(ctx.dims).tolist()))


@register_op("flip", samples=[Sample((3, 4), dims=(0,)), Sample((2, 3, 4), dims=(0, 2)), Sample((), dims=())])
class Flip(Function):
    """y = x reversed along ``dims`` (a copy);  dy/dx = grad flipped along the same dims."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.flip(x, ctx.dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return Flip.apply(grad, dims=ctx.dims)


@register_op("roll", samples=[Sample((5,), shifts=(2,), dims=(0,)), Sample((3, 4), shifts=(-1, 5), dims=(0, 1)),
                              Sample((0, 3), shifts=(1,), dims=(1,))])
class Roll(Function):
    """y = x shifted circularly by ``shifts[i]`` along ``dims[i]``: y[(j + s) mod n] = x[j];  dy/dx = grad rolled
    back by ``-shifts``."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.roll(x, ctx.shifts, axis=ctx.dims)

    @staticmethod
    def backward(ctx, grad):
        return Roll.apply(grad, shifts=tuple(-s for s in ctx.shifts), dims=ctx.dims)


# -- views and rearrangements -------------------------------------------------------------------------------
def reshape(input: Any, *shape: Any) -> Any:
    """The same values with a new shape (a view when possible); one dimension may be -1."""
    return view_of(input, Reshape, shape=size_arg(shape))


def expand(input: Any, *sizes: Any) -> Any:
    """Broadcast singleton dimensions to ``sizes`` without copying; -1 keeps a dimension's size."""
    return view_of(input, Expand, shape=size_arg(sizes))


def broadcast_to(input: Any, size: Sequence[int]) -> Any:
    """``input`` broadcast to ``size`` (same as ``expand``)."""
    return view_of(input, Expand, shape=tuple(size))


def flatten(input: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    """Merge dims ``start_dim..end_dim`` into one; a 0-d input becomes shape (1,)."""
    shape = input.shape
    start, end = wrap_dim("flatten", start_dim, len(shape)), wrap_dim("flatten", end_dim, len(shape))
    if start > end:
        raise RuntimeError(f"flatten: start_dim ({start_dim}) cannot come after end_dim ({end_dim})")
    if not shape:
        return view_of(input, Reshape, shape=(1,))
    return view_of(input, Reshape, shape=shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])


def unflatten(input: Any, dim: int, sizes: Sequence[int]) -> Any:
    """Split dim ``dim`` into ``sizes`` (one entry may be -1)."""
    shape = input.shape
    d = wrap_dim("unflatten", dim, len(shape))
    sizes = tuple(int(n) for n in sizes)
    known = math.prod(n for n in sizes if n != -1)
    if sizes.count(-1) == 1 and known:
        sizes = tuple(shape[d] // known if n == -1 else n for n in sizes)
    if math.prod(sizes) != shape[d] or -1 in sizes:
        raise RuntimeError(
            f"unflatten: provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({shape[d]}) in the "
            "input tensor"
        )
    return view_of(input, Reshape, shape=shape[:d] + sizes + shape[d + 1:])


def squeeze(input: Any, dim: int | Sequence[int] | None = None) -> Any:
    """Remove dims of size 1: all of them, or those among ``dim`` (a dim whose size is not 1 is kept)."""
    shape = input.shape
    dims = range(len(shape)) if dim is None else wrap_dims("squeeze", dim, len(shape))
    drop = {d for d in dims if d < len(shape) and shape[d] == 1}
    return view_of(input, Reshape, shape=tuple(n for i, n in enumerate(shape) if i not in drop))


def unsqueeze(input: Any, dim: int) -> Any:
    """Insert a dim of size 1 at ``dim`` (in ``[-ndim - 1, ndim]``)."""
    shape = input.shape
    d = wrap_dim("unsqueeze", dim, len(shape) + 1)
    return view_of(input, Reshape, shape=shape[:d] + (1,) + shape[d:])


def permute(input: Any, *dims: Any) -> Any:
    """Reorder the dims: result dim i is input dim ``dims[i]`` (a view)."""
    dims = size_arg(dims)
    ndim = input.ndim
    if len(dims) != ndim:
        raise RuntimeError(
            f"permute: number of dims don't match: the input has {ndim} dimensions but {len(dims)} were given ({dims})"
        )
    wrapped = [wrap_dim("permute", d, ndim) for d in dims]
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"permute: duplicate dims are not allowed (got {dims})")
    return view_of(input, Permute, dims=tuple(wrapped))


def transpose(input: Any, dim0: int, dim1: int) -> Any:
    """Swap dims ``dim0`` and ``dim1`` (a view)."""
    ndim = input.ndim
    order = list(range(ndim))
    a, b = wrap_dim("transpose", dim0, ndim), wrap_dim("transpose", dim1, ndim)
    if ndim:
        order[a], order[b] = order[b], order[a]
    return view_of(input, Permute, dims=tuple(order))


swapaxes = transpose
swapdims = transpose


def t(input: Any) -> Any:
    """Transpose of a matrix; 0-d and 1-D tensors are returned as they are (as views)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return view_of(input, Permute, dims=tuple(range(input.ndim))[::-1])


def movedim(input: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> Any:
    """Move dims ``source`` to positions ``destination``; the other dims keep their order."""
    ndim = input.ndim
    src, dst = wrap_dims("movedim", source, ndim), wrap_dims("movedim", destination, ndim)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: invalid source or destination dims: source ({list(src)}) and destination ({list(dst)}) must "
            "have the same number of elements"
        )
    rest = iter(d for d in range(ndim) if d not in src)
    placed = dict(zip(dst, src))
    return view_of(input, Permute, dims=tuple(placed[i] if i in placed else next(rest) for i in range(ndim)))


moveaxis = movedim


def flip(input: Any, dims: int | Sequence[int]) -> Any:
    """Reverse the order of elements along ``dims`` (a copy)."""
    return Flip.apply(input, dims=tuple(d for d in wrap_dims("flip", dims, input.ndim) if d < input.ndim))


def roll(input: Any, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Any:
    """Circular shift by ``shifts`` along ``dims``; with ``dims=None`` the flattened tensor is rolled."""
    shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: 0")
        return Roll.apply(input.reshape(-1), shifts=shifts, dims=(0,)).reshape(input.shape)
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: {len(dims)}")
    if input.ndim == 0:
        raise IndexError(f"roll: dimension specified as {dims[0]} but tensor has no dimensions")
    dims = tuple(wrap_dim("roll", d, input.ndim) for d in dims)
    return Roll.apply(input, shifts=tuple(int(s) for s in shifts), dims=dims)


def rot90(input: Any, k: int = 1, dims: Sequence[int] = (0, 1)) -> Any:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first dim's direction towards the
    second's (k = 1 maps row i, column j of a matrix to row n - 1 - j, column i); negative k turns the other way.
    Built from ``flip`` and ``transpose``, as PyTorch does."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"rot90: expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"rot90: expected total dims >= 2, but got total dims = {input.ndim}")
    first, second = wrap_dim("rot90", dims[0], input.ndim), wrap_dim("rot90", dims[1], input.ndim)
    if first == second:
        raise RuntimeError(f"rot90: expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = "
                           f"{dims[1]}")
    k %= 4
    if k == 1:
        return transpose(flip(input, second), first, second)
    if k == 2:
        return flip(input, (first, second))
    if k == 3:
        return transpose(flip(input, first), first, second)
    return input.clone()


def repeat(input: Any, *sizes: Any) -> Any:
    """Tile ``input`` ``sizes[i]`` times along dim i (extra leading sizes add dims); a copy."""
    sizes = size_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError(
            f"repeat: number of dimensions of repeat dims ({len(sizes)}) can not be smaller than number of "
            f"dimensions of tensor ({input.ndim})"
        )
    shape = (1,) * (len(sizes) - input.ndim) + input.shape
    interleaved = tuple(n for pair in zip((1,) * len(shape), shape) for n in pair)
    expanded = tuple(n for pair in zip(sizes, shape) for n in pair)
    out = Expand.apply(Reshape.apply(input, shape=interleaved), shape=expanded)
    return Reshape.apply(out, shape=tuple(r * n for r, n in zip(sizes, shape)))


def tile(input: Any, dims: Sequence[int]) -> Any:
    """``repeat`` with ``dims`` padded by leading 1s to the tensor's number of dims."""
    dims = tuple(dims)
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)
