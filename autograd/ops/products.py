"""Products and assemblies built from registered ops: ``vdot``, ``ger``, ``block_diag``, ``cartesian_prod``.

No new differentiable op lives here: they are compositions of matmul, outer, ``cat`` and ``meshgrid``, whose
gradients the registry already checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap
from autograd.ops.joining import cat, stack
from autograd.ops.linalg import dot, outer
from autograd.ops.selection import meshgrid

__all__ = ["vdot", "ger", "block_diag", "cartesian_prod"]


def vdot(input: Any, other: Any) -> Any:
    """sum_i input[i] * other[i] for two 1-D tensors of one size and dtype (the conjugate is a no-op for reals)."""
    return dot(input, other)


def ger(input: Any, vec2: Any) -> Any:
    """The outer product out[i, j] = input[i] * vec2[j]; an alias of ``outer``."""
    return outer(input, vec2)


def _as_matrix(op: str, position: int, x: Any) -> Any:
    if not hasattr(x, "_data"):
        raise TypeError(f"{op}(): argument {position} must be Tensor, not {type(x).__name__}")
    if x.ndim > 2:
        raise RuntimeError(f"{op}: Input tensors must have 2 or fewer dimensions. Input {position} has {x.ndim} "
                           f"dimensions (shape {list(x.shape)})")
    return x.reshape(1, -1) if x.ndim < 2 else x


def block_diag(*tensors: Any) -> Any:
    """The block-diagonal matrix with the given tensors on its diagonal, in order, zeros elsewhere.

    Each input is 0-D (a 1x1 block), 1-D (a 1xn row) or 2-D; the result has the dtype the inputs promote to
    and shape (sum of rows, sum of columns).
    """
    blocks = [_as_matrix("block_diag", i, t) for i, t in enumerate(tensors)]
    if not blocks:
        return wrap(np.zeros((1, 0), dtype=dtypes.DEFAULT_FLOAT))
    dtype = blocks[0].dtype
    for b in blocks[1:]:
        dtype = dtypes.promote([(dtype, 2), (b.dtype, 2)])
    blocks = [b if b.dtype == dtype else b.to(dtype) for b in blocks]
    total = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        r, c = b.shape
        pieces = [wrap(np.zeros((r, left), dtype=dtype)), b, wrap(np.zeros((r, total - left - c), dtype=dtype))]
        rows.append(cat(pieces, 1))
        left += c
    return cat(rows, 0)


def cartesian_prod(*tensors: Any) -> Any:
    """All tuples (a, b, ...) with one element from each 1-D tensor, in row-major order: shape (n1 * n2 * ..., k)
    for k tensors (a single tensor is returned as a copy of itself). Differentiable."""
    for i, t in enumerate(tensors):
        if not hasattr(t, "_data") or t.ndim != 1:
            shape = list(t.shape) if hasattr(t, "shape") else type(t).__name__
            raise RuntimeError(f"cartesian_prod: expects 1-D tensors, but argument {i} is {shape}")
    if not tensors:
        raise RuntimeError("cartesian_prod: expects at least one tensor")
    if len(tensors) == 1:
        return tensors[0].clone()
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype != dtype:
            raise RuntimeError(f"cartesian_prod: expected all tensors to have dtype {dtype}, got {t.dtype}")
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)
