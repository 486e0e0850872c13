"""``nn.utils.rnn`` (``torch.nn.utils.rnn``): padding and packing batches of variable-length sequences.

A ``PackedSequence`` holds the time steps of B sequences sorted by decreasing length, step after step: its
``data`` has the first elements of all B sequences, then the second elements of those at least 2 long, and so on;
``batch_sizes[t]`` is how many sequences are longer than t. ``sorted_indices`` maps the sorted order to the
original batch (None when the batch already was sorted) and ``unsorted_indices`` maps back. Every function here
is built from differentiable ops (slicing, ``cat``, ``stack``, ``index_select``), so gradients flow through packing
and unpacking.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence

import numpy as np

import autograd
from autograd import Tensor

__all__ = ["PackedSequence", "pad_sequence", "unpad_sequence", "pack_padded_sequence", "pad_packed_sequence",
           "pack_sequence", "unpack_sequence"]


def _invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of the int64 permutation ``permutation`` (None stays None)."""
    if permutation is None:
        return None
    order = permutation.numpy()
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size, dtype=order.dtype)
    return autograd.tensor(inverse, dtype=autograd.int64)


def _as_lengths(lengths: Tensor | Sequence[int]) -> np.ndarray:
    """``lengths`` (a Tensor of any dtype or a sequence of numbers) as a 1-D int64 array."""
    values = lengths.numpy() if isinstance(lengths, Tensor) else np.asarray(lengths)
    return values.astype(np.int64).reshape(-1)


def _batch_sizes_to_lengths(batch_sizes: np.ndarray) -> np.ndarray:
    """The length of each sorted sequence: how many steps have a batch larger than its row."""
    return (batch_sizes[None, :] > np.arange(int(batch_sizes[0]))[:, None]).sum(1).astype(np.int64)


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """A batch of variable-length sequences packed step by step (see the module docstring); as in PyTorch, make
    one with ``pack_padded_sequence`` or ``pack_sequence`` rather than by hand.

    Attributes
    ----------
    data : Tensor
        (sum of the lengths, *): the steps of the sorted sequences, step after step.
    batch_sizes : Tensor
        int64 (longest length,): how many sequences are longer than each step t.
    sorted_indices : Tensor or None
        int64 (B,): ``sorted_indices[i]`` is the original batch index of the i-th longest sequence.
    unsorted_indices : Tensor or None
        int64 (B,): the inverse permutation; computed from ``sorted_indices`` when not given.
    """

    __slots__ = ()

    def __new__(cls, data: Tensor, batch_sizes: Tensor, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = _invert_permutation(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)


def pad_sequence(sequences: Tensor | Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of lengths L_1, ..., L_B into one batch, filling each up to T = max L_i with
    ``padding_value`` after (``padding_side='right'``) or before ('left') its elements.

    Shapes: each sequence (L_i, *) with the same trailing dims * → (T, B, *), or (B, T, *) with
    ``batch_first``. A Tensor (B, L, *) counts as B sequences. The result has the first sequence's dtype
    (``padding_value`` converted to it) and is differentiable with respect to every sequence.
    """
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"pad_sequence: expected padding_side to be one of 'left' or 'right', got "
                         f"{padding_side!r}")
    sequences = list(sequences.unbind(0)) if isinstance(sequences, Tensor) else list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    first = sequences[0]
    if first.ndim == 0:
        raise RuntimeError("pad_sequence: expected sequences of at least 1 dim (L, *), got a 0-d tensor")
    trailing = tuple(first.shape[1:])
    for i, sequence in enumerate(sequences):
        if sequence.ndim == 0 or tuple(sequence.shape[1:]) != trailing:
            raise RuntimeError(f"pad_sequence: every sequence must have shape (L, *{list(trailing)}) like the "
                               f"first, but sequence {i} has shape {list(sequence.shape)}")
    longest = max(sequence.shape[0] for sequence in sequences)
    padded = []
    for sequence in sequences:
        fill = autograd.full((longest - sequence.shape[0], *trailing), padding_value, dtype=first.dtype)
        parts = [sequence.to(first.dtype), fill]
        padded.append(autograd.cat(parts if padding_side == "right" else parts[::-1], 0))
    return autograd.stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor | Sequence[int],
                   batch_first: bool = False) -> list[Tensor]:
    """The inverse of ``pad_sequence``: sequence i is the first ``lengths[i]`` steps of batch entry i.

    Shapes: ``padded_sequences`` (T, B, *), or (B, T, *) with ``batch_first`` → B Tensors (lengths[i], *).
    """
    batch = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [row[:int(length)] for row, length in zip(batch.unbind(0), _as_lengths(lengths))]


def pack_padded_sequence(input: Tensor, lengths: Tensor | Sequence[int], batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch whose sequence i has ``lengths[i]`` valid steps.

    Parameters
    ----------
    input : Tensor
        (T, B, *), or (B, T, *) with ``batch_first``; steps past a sequence's length are ignored.
    lengths : Tensor or sequence of int
        The B lengths, each in [1, T]; decreasing unless ``enforce_sorted=False``.
    batch_first : bool
        Whether the batch is the first dim of ``input``.
    enforce_sorted : bool
        Require decreasing lengths (then ``sorted_indices`` is None); otherwise sort them (stably) first.

    Returns
    -------
    PackedSequence
        Differentiable with respect to ``input``.
    """
    values = _as_lengths(lengths)
    batch_dim, time_dim = (0, 1) if batch_first else (1, 0)
    sorted_indices = None
    if enforce_sorted:
        if np.any(np.diff(values) > 0):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                               "to sidestep this requirement if you do not need ONNX exportability.")
    if values.size != input.shape[batch_dim]:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {values.size} "
                           f"(batch_size={input.shape[batch_dim]})")
    if not enforce_sorted:
        order = np.argsort(-values, kind="stable")
        values = values[order]
        sorted_indices = autograd.tensor(order, dtype=autograd.int64)
        input = input.index_select(batch_dim, sorted_indices)
    if values.size == 0 or values.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if values[0] > input.shape[time_dim]:
        raise RuntimeError(f"pack_padded_sequence: the longest length ({int(values[0])}) is larger than the "
                           f"input's {input.shape[time_dim]} time steps")
    batch_sizes = (values[None, :] > np.arange(int(values[0]))[:, None]).sum(1).astype(np.int64)
    steps = input.transpose(0, 1) if batch_first else input
    data = autograd.cat([steps[t, :int(size)] for t, size in enumerate(batch_sizes)], 0)
    return PackedSequence(data, autograd.tensor(batch_sizes, dtype=autograd.int64), sorted_indices)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence``: the padded batch, in the original order, and its lengths.

    Parameters
    ----------
    sequence : PackedSequence
        The packed batch.
    batch_first : bool
        Return (B, T, *) instead of (T, B, *).
    padding_value : float
        The value of the steps past each sequence's length.
    total_length : int, optional
        Pad to this many steps (at least the longest length) instead of the longest length.

    Returns
    -------
    tuple of Tensor
        The padded batch (differentiable with respect to ``sequence.data``) and the int64 lengths (B,).
    """
    batch_sizes = sequence.batch_sizes.numpy().astype(np.int64)
    longest = batch_sizes.size
    if total_length is None:
        total_length = longest
    elif total_length < longest:
        raise ValueError(f"Expected total_length to be at least the length of the longest sequence in input, but "
                         f"got total_length={total_length} and max sequence length being {longest}")
    data = sequence.data
    batch, trailing = int(batch_sizes[0]), tuple(data.shape[1:])
    rows = []
    for step in data.split([int(size) for size in batch_sizes], 0):
        fill = autograd.full((batch - step.shape[0], *trailing), padding_value, dtype=data.dtype)
        rows.append(autograd.cat([step, fill], 0))
    rows += [autograd.full((batch, *trailing), padding_value, dtype=data.dtype)] * (total_length - longest)
    batch_dim = 0 if batch_first else 1
    padded = autograd.stack(rows, 1 - batch_dim)
    lengths = _batch_sizes_to_lengths(batch_sizes)
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(batch_dim, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.numpy()]
    return padded, autograd.tensor(lengths, dtype=autograd.int64)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *), of decreasing lengths unless ``enforce_sorted=False``."""
    lengths = [sequence.shape[0] for sequence in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The inverse of ``pack_sequence``: the list of sequences (L_i, *) in the original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
