"""``autograd.linalg``, as ``torch.linalg``: norms, determinants, inverses, solves, products and singular values of
(batches of) matrices, whose trailing two dims are the matrix (*, m, n).

The ops live in ``autograd/ops`` (linalg_norms.py, linalg_inverse.py, linalg_svd.py, linalg.py); this module is
their public namespace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.ops.linalg import Matmul, matmul, vecdot
from autograd.ops.linalg import linalg_cross as cross
from autograd.ops.linalg_inverse import det, inv, matrix_power, slogdet, solve
from autograd.ops.linalg_norms import matrix_norm, norm, vector_norm
from autograd.ops.linalg_svd import svdvals
from autograd.ops.products import _chain_order

__all__ = ["cross", "det", "inv", "matmul", "matrix_norm", "matrix_power", "multi_dot", "norm", "slogdet", "solve",
           "svdvals", "vecdot", "vector_norm"]


def multi_dot(tensors: Sequence[Any]) -> Any:
    """The product of two or more tensors, multiplied in the order that needs the fewest scalar multiplications
    (``chain_matmul``'s order). The first may be 1-D (a row vector, shape (n,)) and the last 1-D (a column vector);
    the others are matrices (n_i, n_{i+1}). A 1-D end's dim is dropped from the result: (n,) @ ... @ (m,) is 0-D.
    The gradient is that of the matmuls.
    """
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"multi_dot(): argument 'tensors' must be a list or tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        if not hasattr(t, "_data"):
            raise TypeError(f"multi_dot(): tensors[{i}] must be Tensor, not {type(t).__name__}")
        allowed, where = ((1, 2), "first") if i == 0 else ((1, 2), "last") if i == len(tensors) - 1 else ((2,), "")
        if t.ndim not in allowed:
            expected = f"the {where} tensor must be 1D or 2D" if where else f"tensor {i} must be 2D"
            raise RuntimeError(f"multi_dot(): {expected} but got {t.ndim}D (shape {list(t.shape)})")
        if t.dtype != tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have the same dtype but tensor 0 is "
                               f"{tensors[0].dtype} and tensor {i} {t.dtype}")
    first, last = tensors[0], tensors[-1]
    matrices = [first.unsqueeze(0) if first.ndim == 1 else first, *tensors[1:-1],
                last.unsqueeze(1) if last.ndim == 1 else last]
    for i in range(1, len(matrices)):
        if matrices[i - 1].shape[1] != matrices[i].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i - 1} and {i} with shapes {list(tensors[i - 1].shape)} and "
                               f"{list(tensors[i].shape)} cannot be multiplied")
    split = _chain_order([m.shape for m in matrices])

    def product(i: int, j: int) -> Any:
        return matrices[i] if i == j else Matmul.apply(product(i, split[i][j]), product(split[i][j] + 1, j))

    out = product(0, len(matrices) - 1)
    if last.ndim == 1:
        out = out.squeeze(-1)
    return out.squeeze(0) if first.ndim == 1 else out
