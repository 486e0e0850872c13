"""Sampling from distributions given as tensors: ``normal`` (PyTorch's four overloads) and ``multinomial``.

Samples carry no gradient (PyTorch records ``normal`` with a zero gradient to its mean and std); they come
from the global generator unless ``generator=`` is given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap
from autograd.ops.shape import size_arg
from autograd.random import Generator, rng_of

__all__ = ["normal", "multinomial"]


def _check_float(op: str, name: str, value: Any) -> None:
    if hasattr(value, "_data") and value.dtype.kind != "f":
        raise NotImplementedError(f"{op}: {name} must be a floating point tensor, got dtype {value.dtype}")


def normal(mean: Any = None, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           dtype: Any = None, requires_grad: bool = False) -> Any:
    """Samples from N(mean, std**2), as ``torch.normal``'s overloads:

    - ``normal(mean: Tensor, std: Tensor)``: one sample per element of the broadcast shape, with ``mean``'s
      dtype (``std`` may be an integer tensor);
    - ``normal(mean: Tensor, std: float = 1.0)`` and ``normal(mean: float, std: Tensor)``: the tensor's shape
      and dtype (the tensor must be floating, else NotImplementedError);
    - ``normal(mean: float, std: float, size, *, dtype=None, requires_grad=False)``: a new tensor of ``size``
      (the default floating dtype unless ``dtype``).

    RuntimeError when ``std`` is negative (or NaN) anywhere, or when the shapes do not broadcast. ``dtype`` and
    ``requires_grad`` go with ``size`` only.
    """
    if mean is None:
        raise TypeError("normal() missing 1 required positional arguments: \"mean\"")
    tensors = [v for v in (mean, std) if hasattr(v, "_data")]
    if not tensors:
        if size is None:
            raise TypeError("normal(): with a float mean and a float std, the argument 'size' is required")
        return _normal_of_size(float(mean), float(std), size, generator, dtype, requires_grad)
    if size is not None or dtype is not None or requires_grad:
        raise TypeError("normal(): 'size', 'dtype' and 'requires_grad' go with a float mean and a float std only")
    if hasattr(mean, "_data"):
        _check_float("normal", "mean", mean)
        out_dtype = mean.dtype
    else:
        _check_float("normal", "std", std)
        out_dtype = std.dtype
    mean_values = mean._data if hasattr(mean, "_data") else np.float64(mean)
    std_values = std._data if hasattr(std, "_data") else np.float64(std)
    if hasattr(std, "_data"):
        if not np.all(std_values >= 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not std_values >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    try:
        shape = np.broadcast_shapes(np.shape(mean_values), np.shape(std_values))
    except ValueError:
        raise RuntimeError(f"normal: the shapes of mean {list(np.shape(mean_values))} and std "
                           f"{list(np.shape(std_values))} do not broadcast") from None
    draws = rng_of(generator).standard_normal(shape)
    return wrap(np.asarray(mean_values + std_values * draws).astype(out_dtype, copy=False))


def _normal_of_size(mean: float, std: float, size: Any, generator: Generator | None, dtype: Any,
                    requires_grad: bool) -> Any:
    if not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    out_dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.DEFAULT_FLOAT
    shape = size_arg((size,))
    t = wrap(rng_of(generator).normal(mean, std, shape).astype(out_dtype))
    return t.requires_grad_(True) if requires_grad else t


def multinomial(input: Any, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Any:
    """Indices of categories drawn with probabilities proportional to the rows of ``input``.

    Parameters
    ----------
    input : Tensor, shape (C,) or (N, C)
        Non-negative finite weights (need not sum to 1), floating dtype.
    num_samples : int
        Draws per row (> 0; at most C without replacement).
    replacement : bool
        Draw with replacement; without it each row's draws are distinct, and categories of weight 0 are drawn
        only after every category of positive weight has been.
    generator : Generator, optional

    Returns
    -------
    Tensor, int64, shape (num_samples,) or (N, num_samples)

    Raises
    ------
    RuntimeError
        For a non-floating input, one that is not 1-D or 2-D, ``num_samples <= 0``, too many draws without
        replacement, more than 2**24 categories, negative/inf/NaN weights, or a row summing to 0.
    TypeError
        When ``num_samples`` is not an int.
    """
    if not isinstance(num_samples, (int, np.integer)) or isinstance(num_samples, bool):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{type(num_samples).__name__}")
    if input.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype}")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim (got {input.ndim} dims)")
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples (got {num_samples})")
    categories = input.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError(f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
                           f"({num_samples} > {categories})")
    if categories > 2 ** 24:
        raise RuntimeError("multinomial: number of categories cannot exceed 2^24")
    weights = np.atleast_2d(input._data).astype(np.float64)
    if not np.all(np.isfinite(weights) & (weights >= 0)):
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    totals = weights.sum(axis=1, keepdims=True)
    if np.any(totals <= 0):
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    rng = rng_of(generator)
    if replacement:
        cumulative = np.cumsum(weights / totals, axis=1)
        draws = rng.random((weights.shape[0], num_samples))
        picks = np.array([np.searchsorted(row, u, side="right") for row, u in zip(cumulative, draws)],
                         dtype=np.int64).reshape(weights.shape[0], num_samples)
        picks = np.minimum(picks, categories - 1)  # u just below 1 and a rounded cumulative sum
    else:  # exponential races: the first num_samples arrivals, rate = weight (weight 0 never arrives: last)
        with np.errstate(divide="ignore"):
            arrival = rng.standard_exponential(weights.shape) / weights
        picks = np.argsort(arrival, axis=1, kind="stable")[:, :num_samples]
    picks = picks.astype(np.int64)
    return wrap(picks if input.ndim == 2 else picks[0])
