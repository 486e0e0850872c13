"""Products and assemblies built from registered ops: ``vdot``, ``ger``, ``addr``, ``chain_matmul``, ``block_diag``,
``cartesian_prod``.

No new differentiable op lives here: they are compositions of matmul, outer, ``addmm``, ``cat`` and ``meshgrid``,
whose gradients the registry already checks.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap
from autograd.ops._operands import tensor_arguments
from autograd.ops.fused import Addmm, _check_input
from autograd.ops.joining import cat, stack
from autograd.ops.linalg import Matmul, dot, outer
from autograd.ops.selection import meshgrid

__all__ = ["vdot", "ger", "addr", "chain_matmul", "block_diag", "cartesian_prod"]


def vdot(input: Any, other: Any) -> Any:
    """sum_i input[i] * other[i] for two 1-D tensors of one size and dtype (the conjugate is a no-op for reals)."""
    return dot(input, other)


def ger(input: Any, vec2: Any) -> Any:
    """The outer product out[i, j] = input[i] * vec2[j]; an alias of ``outer``."""
    return outer(input, vec2)


def addr(input: Any, vec1: Any, vec2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta * input + alpha * outer(vec1, vec2)`` for 1-D vec1 (n,) and vec2 (m,); ``input`` broadcasts to
    (n, m). The three tensors promote to one dtype; with ``beta=0`` ``input`` is ignored (its NaN and inf do not
    propagate). Integer tensors take integer ``beta`` and ``alpha`` only; bool tensors combine with or/and.
    Gradients: beta * grad for input, alpha * grad @ vec2 for vec1, alpha * grad^T @ vec1 for vec2 (``addmm``'s)."""
    tensor_arguments("addr", input=input, vec1=vec1, vec2=vec2)
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D (shape {list(v.shape)})")
    dtype = dtypes.promote([(t.dtype, 2 if t.ndim else 1) for t in (input, vec1, vec2)])
    for name, value in (("beta", beta), ("alpha", alpha)):
        if not isinstance(value, (int, float, np.number)):
            raise TypeError(f"addr(): argument '{name}' must be Number, not {type(value).__name__}")
        if dtype.kind in "biu" and isinstance(value, (float, np.floating)):
            raise RuntimeError(f"addr: for integral input tensors, argument {name} must not be a floating point "
                               f"number (got {value})")
    input, vec1, vec2 = (t if t.dtype == dtype else t.to(dtype) for t in (input, vec1, vec2))
    _check_input("addr", input, (vec1.shape[0], vec2.shape[0]))
    return Addmm.apply(input, vec1.unsqueeze(1), vec2.unsqueeze(0), beta=beta, alpha=alpha)


def _chain_order(shapes: list[tuple]) -> list[list[int]]:
    """The matrix-chain split points minimising the multiplications (the classic dynamic programme, as
    ``linalg.multi_dot``): ``split[i][j]`` is where the product of matrices i..j is cut."""
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    count = len(shapes)
    cost = [[0] * count for _ in range(count)]
    split = [[0] * count for _ in range(count)]
    for length in range(1, count):
        for i in range(count - length):
            j = i + length
            cost[i][j], split[i][j] = min((cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1], k)
                                          for k in range(i, j))
    return split


def chain_matmul(*matrices: Any) -> Any:
    """The product of two or more matrices (n0, n1) @ (n1, n2) @ ..., multiplied in the order that needs the
    fewest scalar multiplications; one matrix is returned as a copy. Deprecated in PyTorch in favour of
    ``linalg.multi_dot`` (it warns, as PyTorch does). The gradient is that of the matmuls."""
    warnings.warn("chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
                  "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
                  "parameters.", UserWarning, stacklevel=2)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    tensor_arguments("chain_matmul", **{f"matrices[{i}]": m for i, m in enumerate(matrices)})
    for i, m in enumerate(matrices):
        if m.ndim != 2:
            raise RuntimeError(f"chain_matmul: tensor {i} has dimension {m.ndim}, expected 2 (shape {list(m.shape)})")
        if m.dtype != matrices[0].dtype:
            raise RuntimeError(f"chain_matmul: all tensors must have the same dtype but tensor 0 is "
                               f"{matrices[0].dtype} and tensor {i} {m.dtype}")
        if i and matrices[i - 1].shape[1] != m.shape[0]:
            raise RuntimeError(f"chain_matmul: tensors {i - 1} and {i} with shapes {list(matrices[i - 1].shape)} "
                               f"and {list(m.shape)} cannot be multiplied")
    if len(matrices) == 1:
        return matrices[0].clone()
    split = _chain_order([m.shape for m in matrices])

    def product(i: int, j: int) -> Any:
        if i == j:
            return matrices[i]
        k = split[i][j]
        return Matmul.apply(product(i, k), product(k + 1, j))

    return product(0, len(matrices) - 1)


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
