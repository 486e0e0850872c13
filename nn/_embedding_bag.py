"""``embedding_bag``: sums, means or maxima of bags of embedding rows, without building the (L, D) lookup
as the user's tensor.

Composed of autograd's ``embedding`` (row lookup), ``index_add`` (sum of each
bag's rows) and ``gather`` (the maximising row of each feature), so gradients with respect to the weight and
``per_sample_weights`` are exact, and differentiable again.
"""

from __future__ import annotations

import warnings

import numpy as np

import autograd
from autograd import Tensor

__all__ = ["embedding_bag"]


def _bag_starts(input: Tensor, offsets: Tensor | None, include_last_offset: bool) -> tuple[np.ndarray, np.ndarray]:
    """The flat (L,) indices and the start of each bag in them, validated as PyTorch does."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(f"embedding_bag: if input is 2-D (B, N), offsets has to be None, as input is treated "
                             f"as a mini-batch of fixed-length bags; got offsets of shape {list(offsets.shape)}")
        bags, length = input.shape
        return input.numpy().reshape(-1).astype(np.int64), np.arange(bags, dtype=np.int64) * length
    if input.ndim != 1:
        raise ValueError(f"embedding_bag: input has to be a 1-D or 2-D tensor, got shape {list(input.shape)}")
    if offsets is None:
        raise ValueError("embedding_bag: offsets has to be a 1-D tensor of bag starts for a 1-D input, but got None")
    if offsets.ndim != 1 or offsets.dtype.kind not in "iu":
        raise ValueError(f"embedding_bag: offsets has to be a 1-D integer tensor, got shape {list(offsets.shape)} "
                         f"and dtype {offsets.dtype}")
    flat = input.numpy().astype(np.int64)
    starts = offsets.numpy().astype(np.int64)
    if starts.size and starts[0] != 0:
        raise RuntimeError(f"embedding_bag: offsets[0] has to be 0, i.e., the first bag has to start at position 0, "
                           f"but got {int(starts[0])}")
    if starts.size and starts[-1] > flat.size:
        raise RuntimeError(f"embedding_bag: offsets[-1] can not be greater than the input's length {flat.size}, but "
                           f"got offsets[-1] of {int(starts[-1])}")
    if (np.diff(starts) < 0).any():
        raise RuntimeError(f"embedding_bag: offsets must be non-decreasing, got {starts.tolist()}")
    # With include_last_offset the last bag still runs to the input's end, as PyTorch's CPU kernel does.
    return flat, starts[:-1] if include_last_offset else starts


def _check_arguments(weight: Tensor, flat: np.ndarray, mode: str, scale_grad_by_freq: bool, sparse: bool,
                     per_sample_weights: Tensor | None, input: Tensor) -> None:
    if weight.ndim != 2:
        raise ValueError(f"embedding_bag: weight has to be a 2-D tensor (num_embeddings, embedding_dim), got shape "
                         f"{list(weight.shape)}")
    if not weight.is_floating_point():
        raise RuntimeError(f"embedding_bag: expected a floating-point weight, got {weight.dtype}")
    if input.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"embedding_bag: expected indices of dtype int64 or int32, got {input.dtype}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"embedding_bag: mode has to be one of sum, mean or max, got {mode!r}")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("embedding_bag: max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("embedding_bag: max mode does not support sparse weights")
    rows = weight.shape[0]
    bad = (flat < 0) | (flat >= rows)
    if bad.any():
        raise RuntimeError(f"embedding_bag: expected indices in [0, {rows}) for a weight of shape "
                           f"{list(weight.shape)}, but found index {int(flat[bad][0])}")
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                      f"supported for mode='sum' (got mode={mode!r})")
        if tuple(per_sample_weights.shape) != tuple(input.shape):
            raise ValueError(f"embedding_bag: per_sample_weights of shape {list(per_sample_weights.shape)} must "
                             f"have the same shape as the input {list(input.shape)}")
        if per_sample_weights.dtype != weight.dtype:
            raise RuntimeError(f"embedding_bag: per_sample_weights ({per_sample_weights.dtype}) must have the "
                               f"weight's dtype ({weight.dtype})")


def _bag_maxima(rows: Tensor, bag_of: np.ndarray, bags: int) -> Tensor:
    """Per bag and feature, the largest of the bag's ``rows`` (L', D) (the first among ties gets the gradient);
    0 for empty bags."""
    out = autograd.zeros(bags, rows.shape[1], dtype=rows.dtype)
    if bag_of.size == 0:
        return out
    filled, first = np.unique(bag_of, return_index=True)
    values = rows.detach().numpy()
    maxima = np.maximum.reduceat(values, first, axis=0)
    positions = np.arange(len(bag_of))[:, None]
    candidates = np.where(values == maxima[np.searchsorted(filled, bag_of)], positions, len(bag_of))
    winner = np.minimum.reduceat(candidates, first, axis=0)
    winner = np.where(winner == len(bag_of), first[:, None], winner)  # a NaN maximum: the bag's first row
    picked = autograd.gather(rows, 0, autograd.from_numpy(winner))
    return out.index_add(0, autograd.from_numpy(filled), picked)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """The sum, mean or maximum of the ``weight`` rows of each bag of indices.

    out[b] = sum_{i in bag b} s_i * weight[input[i]]  ('sum', s = ``per_sample_weights`` or 1),
    the same divided by the bag's size ('mean'), or the elementwise maximum ('max'). Entries equal to
    ``padding_idx`` are left out (they do not count towards a mean); an empty bag gives zeros.

    Shapes: input (B, N) (B bags of N indices, ``offsets`` None) or (L,) with ``offsets`` (B,), the start of
    each bag (``include_last_offset``: (B + 1,), the last entry ending the bags; as in PyTorch's CPU kernel,
    the last bag nevertheless runs to the input's end). weight (num_embeddings, D), per_sample_weights like
    input → (B, D). ``max_norm`` rescales the looked-up rows in place first, as ``embedding`` does.
    """
    if weight.dtype.kind in "iu" and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=2)
        input, weight = weight, input
    flat, starts = _bag_starts(input, offsets, include_last_offset)
    _check_arguments(weight, flat, mode, scale_grad_by_freq, sparse, per_sample_weights, input)
    rows_total = weight.shape[0]
    if padding_idx is not None:
        if not -rows_total <= padding_idx < rows_total:
            raise RuntimeError(f"embedding_bag: padding_idx must be within the number of embeddings, "
                               f"{-rows_total} through {rows_total - 1}, but got {padding_idx}")
        padding_idx %= rows_total
    if max_norm is not None:
        autograd.embedding_renorm_(weight, autograd.from_numpy(flat), max_norm, norm_type)
    bags = len(starts)
    bag_of = np.searchsorted(starts, np.arange(flat.size), side="right") - 1
    keep = bag_of >= 0 if bags else np.zeros(flat.size, dtype=bool)
    if padding_idx is not None:
        keep &= flat != padding_idx
    kept = np.flatnonzero(keep)
    rows = autograd.embedding(weight, autograd.from_numpy(flat[kept]), -1, False, sparse)
    if scale_grad_by_freq:  # each row's gradient divided by its index's count in the batch; values unchanged
        counts = np.bincount(flat[kept], minlength=rows_total)[flat[kept]]
        frozen = rows.detach()
        rows = frozen + (rows - frozen) * autograd.from_numpy((1 / counts).astype(rows.dtype).reshape(-1, 1))
    if mode == "max":
        return _bag_maxima(rows, bag_of[kept], bags)
    if per_sample_weights is not None:
        rows = rows * autograd.index_select(per_sample_weights.reshape(-1), 0, autograd.from_numpy(kept)).unsqueeze(1)
    out = autograd.zeros(bags, weight.shape[1], dtype=weight.dtype).index_add(0, autograd.from_numpy(bag_of[kept]),
                                                                               rows)
    if mode == "mean":
        sizes = np.bincount(bag_of[kept], minlength=bags).clip(min=1).astype(out.dtype)
        out = out / autograd.from_numpy(sizes.reshape(-1, 1))
    return out
