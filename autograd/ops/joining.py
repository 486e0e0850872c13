"""Joining, splitting and padding: ``cat``, ``stack``, ``split``, ``chunk``, ``unbind``, ``pad`` (re-exported by
autograd/ops/shape.py).

``cat`` and constant ``pad`` are registered ops; the rest are built from them and from indexing's
``getitem`` (``split`` and ``unbind`` are views made by ``narrow``/``select``; the reflect, replicate and
circular pad modes gather rows with ``index_select``, so their gradients accumulate where rows repeat).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function
from autograd.ops._dims import wrap_dim
from autograd.ops.indexing import GetItem, index_select, narrow, select
from autograd.ops.registry import Sample, register_op

__all__ = ["cat", "concat", "concatenate", "stack", "split", "chunk", "unbind", "pad"]


@register_op("cat", samples=[Sample((2, 3), (4, 3), dim=0), Sample((2, 3), (2, 0), (2, 1), dim=1),
                             Sample((3,), dim=0), Sample((0, 2), (1, 2), dim=0)])
class Cat(Function):
    """y = the inputs joined along ``dim``;  dy/dx_i = the slice of grad that x_i occupies."""

    @staticmethod
    def forward(ctx, *xs: np.ndarray) -> np.ndarray:
        return np.concatenate(xs, axis=ctx.dim)

    @staticmethod
    def backward(ctx, grad):
        grads, start, lead = [], 0, (slice(None),) * ctx.dim
        for (shape, _), need in zip(ctx.input_meta(), ctx.needs_input_grad):
            stop = start + shape[ctx.dim]
            grads.append(GetItem.apply(grad, index=lead + (slice(start, stop),)) if need else None)
            start = stop
        return tuple(grads)


@register_op("pad", samples=[Sample((3, 4), pad=(1, 2)), Sample((2, 3, 4), pad=(-1, 1, 2, -1), value=0.5),
                             Sample((3,), pad=(0, 0)), Sample((2, 0), pad=(1, 1, 0, 1))])
class Pad(Function):
    """Constant padding: y = x with ``pad[2k]``/``pad[2k+1]`` entries of ``value`` added before/after dim ``-1-k``
    (negative amounts crop);  dy/dx = grad padded by ``-pad`` (crop what was added, zero-fill what was cropped)."""

    value = 0.0

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        crop, inner, shape = [slice(None)] * x.ndim, [slice(None)] * x.ndim, list(x.shape)
        for k in range(len(ctx.pad) // 2):
            d = x.ndim - 1 - k
            before, after = ctx.pad[2 * k], ctx.pad[2 * k + 1]
            shape[d] = x.shape[d] + before + after
            crop[d] = slice(max(-before, 0), x.shape[d] - max(-after, 0))
            inner[d] = slice(max(before, 0), shape[d] - max(after, 0))
        out = np.full(shape, ctx.value, dtype=x.dtype)
        out[tuple(inner)] = x[tuple(crop)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return Pad.apply(grad, pad=tuple(-p for p in ctx.pad), value=0.0)


def cat(tensors: Sequence[Any], dim: int = 0) -> Any:
    """Join tensors along an existing dim; sizes must match elsewhere. 1-D empty tensors are skipped, as in
    PyTorch; dtypes are promoted to a common one."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {i}) cannot be concatenated")
    kept = [(i, x) for i, x in enumerate(tensors) if x.shape != (0,)] or [(0, tensors[0])]
    ref = kept[0][1].shape
    d = wrap_dim("cat", dim, len(ref))
    for i, x in kept[1:]:
        if x.ndim != len(ref):
            raise RuntimeError(f"cat: tensors must have same number of dimensions: got {len(ref)} and {x.ndim} "
                               f"(tensor 0 has shape {list(ref)}, tensor {i} has shape {list(x.shape)})")
        for k, (n, m) in enumerate(zip(ref, x.shape)):
            if k != d and n != m:
                raise RuntimeError(
                    f"cat: sizes of tensors must match except in dimension {d}. Expected size {n} but got size {m} "
                    f"for tensor number {i} in the list (shapes {list(ref)} and {list(x.shape)}, dimension {k})"
                )
    dtype = dtypes.promote([(x.dtype, 2) for x in tensors])
    return Cat.apply(*[x if x.dtype == dtype else x.to(dtype) for _, x in kept], dim=d)


concat = cat
concatenate = cat


def stack(tensors: Sequence[Any], dim: int = 0) -> Any:
    """Join equally shaped tensors along a new dim ``dim``."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack: expects a non-empty TensorList")
    shape = tensors[0].shape
    for i, x in enumerate(tensors[1:], 1):
        if x.shape != shape:
            raise RuntimeError(
                f"stack: expects each tensor to be equal size, but got {list(shape)} at entry 0 and {list(x.shape)} "
                f"at entry {i}"
            )
    d = wrap_dim("stack", dim, len(shape) + 1)
    return cat([x.unsqueeze(d) for x in tensors], d)


def split(tensor: Any, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple:
    """Pieces along ``dim``: of size ``split_size_or_sections`` each (the last may be smaller), or of the listed
    sizes (which must sum to the dim's size)."""
    d = wrap_dim("split", dim, tensor.ndim)
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step < 0 or (step == 0 and size != 0):
            raise RuntimeError(
                f"split: split_size can only be 0 if dimension size is 0, but got split_size {step} for dimension "
                f"size {size}"
            )
        sections = [min(step, size - start) for start in range(0, size, step)] if step else [0]
    else:
        sections = [int(n) for n in split_size_or_sections]
        if sum(sections) != size or any(n < 0 for n in sections):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension "
                f"{d}), but got split_sizes={sections}"
            )
    starts = np.cumsum([0] + sections[:-1]).tolist()
    return tuple(narrow(tensor, d, start, n) for start, n in zip(starts, sections))


def chunk(input: Any, chunks: int, dim: int = 0) -> tuple:
    """Split into ``chunks`` pieces of ``ceil(size / chunks)`` along ``dim`` (fewer when the size runs out)."""
    if chunks <= 0:
        raise RuntimeError(f"chunk: expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim("chunk", dim, input.ndim)
    size = input.shape[d]
    if size == 0:
        return tuple(narrow(input, d, 0, 0) for _ in range(chunks))
    return split(input, -(-size // chunks), d)


def unbind(input: Any, dim: int = 0) -> tuple:
    """The slices ``input.select(dim, i)`` for every i, as a tuple."""
    d = wrap_dim("unbind", dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


# -- padding ------------------------------------------------------------------------------------------------
def _edge_index(mode: str, size: int, before: int, after: int, dim: int, shape: tuple) -> np.ndarray:
    """Source positions along one dim for the non-constant pad modes (position j of the result reads
    ``x[index[j]]``)."""
    limit = size if mode == "circular" else size - 1
    if mode != "replicate" and (before > limit or after > limit):
        raise RuntimeError(
            f"pad: padding size should be {'at most' if mode == 'circular' else 'less than'} the corresponding input "
            f"dimension in {mode} mode, but got padding ({before}, {after}) at dimension {dim} of input {list(shape)}"
        )
    j = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(j, 0, size - 1)
    if mode == "circular":
        # as PyTorch: crop by the negative amounts first, then wrap around what is left
        lo, hi = max(-before, 0), size - max(-after, 0)
        if max(before, after, 0) > hi - lo:
            raise RuntimeError(
                f"pad: circular padding ({before}, {after}) at dimension {dim} of input {list(shape)} wraps around "
                f"more than once: after cropping, {max(hi - lo, 0)} elements are left"
            )
        return lo + (np.arange(-max(before, 0), hi - lo + max(after, 0)) % (hi - lo))
    period = 2 * (size - 1) if size > 1 else 1
    j = j % period
    return np.where(j < size, j, period - j)


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Any:
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims, last dim first:
    ``pad = (left, right, top, bottom, ...)``, as ``torch.nn.functional.pad``.

    ``mode``: ``'constant'`` (fill with ``value``, default 0), ``'reflect'``, ``'replicate'`` or ``'circular'``
    (the latter three pad the last 1-3 dims of a 2-D to 5-D input, as in PyTorch).
    """
    pad = tuple(int(p) for p in pad)
    ndim = input.ndim
    if len(pad) % 2:
        raise RuntimeError(f"pad: padding length must be divisible by 2, got {len(pad)} ({list(pad)})")
    if len(pad) // 2 > ndim:
        raise RuntimeError(
            f"pad: padding length should be less than or equal to two times the input dimension but got padding "
            f"length {len(pad)} and input of dimension {ndim}"
        )
    for k in range(len(pad) // 2):
        d = ndim - 1 - k
        if input.shape[d] + pad[2 * k] + pad[2 * k + 1] < 0:
            raise RuntimeError(
                f"pad: the input size {input.shape[d]}, plus negative padding {pad[2 * k]} and {pad[2 * k + 1]} "
                f"resulted in a negative output size, which is invalid. Check dimension {d} of your input."
            )
    if mode == "constant":
        return Pad.apply(input, pad=pad, value=0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: unrecognised padding mode {mode!r}; expected 'constant', 'reflect', "
                                  "'replicate' or 'circular'")
    n = len(pad) // 2
    if n not in (1, 2, 3) or ndim not in (n + 1, n + 2):
        raise NotImplementedError(
            f"pad: padding size {len(pad)} is not supported for {ndim}D input tensor in {mode} mode; supported: "
            "2D or 3D input with padding size 2, 3D or 4D with 4, 4D or 5D with 6"
        )
    if value:
        raise RuntimeError(f"pad: padding mode {mode!r} doesn't take in value argument")
    out = input
    for k in range(n):
        d = ndim - 1 - k
        out = index_select(out, d, _edge_index(mode, input.shape[d], pad[2 * k], pad[2 * k + 1], d, input.shape))
    return out
