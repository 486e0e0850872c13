"""``nn.utils.rnn`` (``torch.nn.utils.rnn``): padding a list of variable-length sequences into one batch.

Only ``pad_sequence`` exists: stepgrad's recurrent layers take padded tensors only, so there is no
``PackedSequence``, ``pack_padded_sequence`` or ``pad_packed_sequence``.
"""

from __future__ import annotations

from collections.abc import Sequence

import autograd
from autograd import Tensor

__all__ = ["pad_sequence"]


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
