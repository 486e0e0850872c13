"""Covariance and correlation matrices: ``cov`` and ``corrcoef``, composed from registered ops (sum, mul, div,
matmul, sqrt, clamp), so their gradients, to every input including ``aweights``, are those of the parts.

Rows of the input are variables, columns observations, as in PyTorch (and numpy's default).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap
from autograd.ops.linalg import matmul

# The functional forms, re-exported by ``autograd`` (``autograd.cov``).
__all__ = ["cov", "corrcoef"]


def _weights(name: str, w: Any, kind: str, observations: int) -> None:
    if not hasattr(w, "_data"):
        raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(w).__name__}")
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} "
                           "dimensions")
    if w.dtype.kind not in kind:
        expected = "integral" if kind == "iu" else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {expected} dtype but got {name} with {w.dtype} dtype")
    if w.numel() != observations:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the input "
                           f"but got {w.numel()} != {observations}")
    if observations and w._data.min() < 0:
        raise RuntimeError(f"cov(): {name} cannot be negative")


def _priority(x: Any) -> tuple:
    return x.dtype, 2 if x.ndim else 1


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Any:
    """The covariance matrix of the variables in the rows of ``input`` (a 1-D input is one variable; 0-D one
    observation of one), observations in its columns.

    With w = fweights * aweights (either, both or neither; 1 each when absent), W = sum w and the weighted means
    m = sum_j w_j x_ij / W,

        cov_ik = sum_j w_j (x_ij - m_i) (x_kj - m_k) / (W - c * sum_j w_j a_j / W)

    where c = ``correction`` and a = ``aweights`` (without aweights the denominator is W - c). A denominator
    <= 0 is taken as 0 (inf or NaN entries, with a warning), as in PyTorch. Integer inputs give the default
    float dtype; ``aweights`` of a wider float dtype widen the result. The result is squeezed (0-D for one
    variable). The gradient reaches ``input`` and ``aweights``.
    """
    if not hasattr(input, "_data"):
        raise TypeError(f"cov(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with {input.ndim} "
                           f"dimensions (shape {list(input.shape)})")
    if input.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    if isinstance(correction, bool) or not isinstance(correction, (int, np.integer)):
        raise TypeError(f"cov(): argument 'correction' must be int, not {type(correction).__name__}")
    x = input.reshape(1, -1) if input.ndim < 2 else input
    observations = x.shape[1]
    dtype = dtypes.DEFAULT_FLOAT if x.dtype.kind != "f" else x.dtype
    if fweights is not None:
        _weights("fweights", fweights, "iu", observations)
    if aweights is not None:
        _weights("aweights", aweights, "f", observations)
        dtype = dtypes.promote([(dtype, 2), _priority(aweights)])
    x = x.to(dtype) if x.dtype != dtype else x
    w = None
    if fweights is not None:
        w = fweights.to(dtype).reshape(-1)
    if aweights is not None:
        a = aweights.to(dtype).reshape(-1) if aweights.dtype != dtype else aweights.reshape(-1)
        w = a if w is None else w * a
    if w is None:
        total = wrap(np.asarray(observations, dtype=dtype))
        mean = x.sum(1, keepdim=True) / total
    else:
        total = w.sum()
        if total._data == 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        mean = (x * w).sum(1, keepdim=True) / total
    if w is not None and aweights is not None and correction != 0:
        denominator = total - correction * (w * a).sum() / total
    else:
        denominator = total - correction
    if denominator._data <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", UserWarning, stacklevel=2)
        denominator = wrap(np.zeros((), dtype=dtype))
    centered = x - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        return (matmul(centered, (centered if w is None else centered * w).t()) / denominator).squeeze()


def corrcoef(input: Any) -> Any:
    """Pearson's correlation coefficients of the variables in the rows of ``input``:
    r_ik = cov_ik / sqrt(cov_ii cov_kk), clamped to [-1, 1] (NaN for a constant variable); 0-D covariances give
    cov / cov, as in PyTorch."""
    c = cov(input)
    if c.ndim == 0:
        return c / c
    deviation = c.diagonal().sqrt()
    c = c / deviation.reshape(-1, 1)
    return (c / deviation.reshape(1, -1)).clamp(-1, 1)
