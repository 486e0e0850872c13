"""Vector and matrix norms as ``torch.linalg`` has them: ``vector_norm``, ``matrix_norm`` and ``norm`` (public
through ``autograd.linalg``).

All are built from registered ops: the vector p-norm (``norm``, autograd/ops/statistics.py), sums, ``amax`` /
``amin`` (whose ties share the gradient evenly, as PyTorch's) and the singular values (``svdvals``).
"""

from __future__ import annotations

import math
from typing import Any

from autograd.ops._dims import wrap_dims
from autograd.ops.extremes import Amax, Amin
from autograd.ops.linalg_svd import svdvals
from autograd.ops.reduction import normalize_dims
from autograd.ops.statistics import Norm

_MATRIX_ORDS = ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2)


def _floating(op: str, x: Any, dtype: Any) -> Any:
    if not hasattr(x, "_data"):
        raise TypeError(f"{op}(): argument 'x' must be Tensor, not {type(x).__name__}")
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point tensor as input, got {x.dtype}")
    return x


def vector_norm(x: Any, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002  (PyTorch's name)
                dtype: Any = None) -> Any:
    """(sum |x|**ord)**(1/ord) over ``dim`` (an int, a tuple, or None for every element); ``ord`` may be any
    number, ``inf`` (max |x|), ``-inf`` (min |x|) or 0 (the number of non-zeros). ``dtype`` casts first."""
    x = _floating("linalg.vector_norm", x, dtype)
    if isinstance(ord, str) or isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    dims = normalize_dims("linalg.vector_norm", dim, x.ndim)
    if (ord < 0 or ord == math.inf) and any(x.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm: cannot compute the {ord} norm over an empty dimension (input shape "
                           f"{list(x.shape)}): the reduction has no identity")
    return Norm.apply(x, p=float(ord), dim=dim, keepdim=keepdim)


def _two_dims(op: str, x: Any, dim: Any) -> tuple[int, int]:
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"{op}: dim must be a 2-tuple of ints, got {dim!r}")
    rows, cols = wrap_dims(op, dim, x.ndim)
    return rows, cols


def matrix_norm(A: Any, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Any:
    """The norm of each matrix of ``A`` (the two dims ``dim``): 'fro' (Frobenius), 'nuc' (sum of singular
    values), inf / -inf (largest / smallest sum of |a| along a row), 1 / -1 (... along a column), 2 / -2
    (largest / smallest singular value). ``dtype`` casts first."""
    op = "linalg.matrix_norm"
    A = _floating(op, A, dtype)
    if A.ndim < 2:
        raise RuntimeError(f"{op}: the input must have at least 2 dimensions, got shape {list(A.shape)}")
    if ord not in _MATRIX_ORDS or isinstance(ord, bool):
        raise RuntimeError(f"{op}: order {ord!r} is not supported; expected one of 'fro', 'nuc', inf, -inf, 1, -1, "
                           "2, -2")
    rows, cols = _two_dims(op, A, dim)
    if ord == "fro" or (A.shape[rows] * A.shape[cols] == 0 and ord != "nuc" and ord > 0):
        return Norm.apply(A, p=2.0, dim=(rows, cols), keepdim=keepdim)  # (an empty matrix has norm 0, as PyTorch)
    if ord in (math.inf, -math.inf, 1, -1):
        summed, across = (cols, rows) if abs(ord) == math.inf else (rows, cols)
        sums = Norm.apply(A, p=1.0, dim=summed, keepdim=True)
        out = (Amax if ord > 0 else Amin).apply(sums, dim=across, keepdim=True)
    else:
        values = svdvals(A.movedim((rows, cols), (-2, -1)))
        out = values.sum(-1) if ord == "nuc" else (Amax if ord > 0 else Amin).apply(values, dim=-1)
        out = out.unsqueeze(-1).unsqueeze(-1).movedim((-2, -1), (rows, cols))
    return out if keepdim else out.squeeze((rows, cols))


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002, N803
         dtype: Any = None) -> Any:
    """``vector_norm`` when ``dim`` is an int or a 1-tuple, ``matrix_norm`` when it is a 2-tuple. With
    ``dim=None``: the 2-norm of every element when ``ord`` is None, else A must be 1-D (a vector norm) or 2-D
    (a matrix norm)."""
    op = "linalg.norm"
    A = _floating(op, A, dtype)
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 1:
            if isinstance(ord, str):
                raise RuntimeError(f"{op}: ord {ord!r} is a matrix norm, but one dim ({dim}) was given")
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim)
        raise RuntimeError(f"{op}: dim must be an int or a tuple of 1 or 2 ints, got {dim!r}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim)
    if A.ndim == 1:
        return norm(A, ord, 0, keepdim)
    if A.ndim == 2:
        return norm(A, ord, (0, 1), keepdim)
    raise RuntimeError(f"{op}: if dim is not given but ord is, the input must be 1-D or 2-D, got {A.ndim}-D")
