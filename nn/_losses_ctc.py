"""The connectionist temporal classification loss of ``nn.functional`` (``ctc_loss``), composed of autograd's
differentiable ops: the forward (alpha) recursion runs in log space, vectorised over the batch and the
extended label sequence, and its gradient comes from the ops' own backward passes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import autograd
from autograd import Tensor
from nn._checks import check_floating
from nn._losses_likelihood import _check_reduction

__all__ = ["ctc_loss"]

# stands in for log(0): finite, so that logsumexp over unreachable states has a finite gradient (0), not NaN
_NEG = -1e30


def _lengths(name: str, value: Tensor | Sequence[int], batch: int) -> np.ndarray:
    """``input_lengths``/``target_lengths`` as an int64 array of shape (batch,), checked to be >= 0."""
    if isinstance(value, Tensor):
        array = np.asarray(value.detach().numpy())
    elif isinstance(value, (list, tuple)):
        array = np.asarray(value)
    else:
        raise TypeError(f"ctc_loss: {name} must be a tuple, a list or a Tensor, got {type(value).__name__}")
    array = array.astype(np.int64).reshape(-1)
    if array.size != batch:
        raise RuntimeError(f"ctc_loss: {name} must be of size batch_size ({batch}), got {array.size} values")
    if array.size and array.min() < 0:
        raise RuntimeError(f"ctc_loss: expected {name} to have values at least 0, but got {array.min()}")
    return array


def _padded_targets(targets: Tensor, target_lengths: np.ndarray, batched: bool) -> np.ndarray:
    """The targets as an int64 array (N, max target length), from padded (N, S) or concatenated 1-D targets;
    entries past a sample's length are unspecified."""
    labels = np.asarray(targets.detach().numpy()).astype(np.int64)
    longest = int(target_lengths.max(initial=0))
    if labels.ndim == 1 and batched:
        if labels.size != target_lengths.sum():
            raise RuntimeError(f"ctc_loss: concatenated targets must have size sum(target_lengths) = "
                               f"{target_lengths.sum()}, got {labels.size}")
        padded = np.zeros((target_lengths.size, longest), dtype=np.int64)
        starts = np.cumsum(target_lengths) - target_lengths
        for n, (start, length) in enumerate(zip(starts, target_lengths)):
            padded[n, :length] = labels[start:start + length]
        return padded
    padded = labels.reshape(1, -1) if labels.ndim == 1 else labels
    if padded.ndim != 2 or padded.shape[0] != target_lengths.size:
        raise RuntimeError(f"ctc_loss: targets of shape {list(labels.shape)} must be (N, S) padded or 1-D "
                           f"concatenated for a batch of {target_lengths.size}")
    if padded.shape[1] < longest:
        raise RuntimeError(f"ctc_loss: padded targets of shape {list(padded.shape)} are shorter than the longest "
                           f"target length {longest}")
    return padded[:, :longest]


def _extended_labels(padded: np.ndarray, target_lengths: np.ndarray, blank: int,
                     classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The extended labels (N, 2S+1): blank, l_1, blank, l_2, ..., l_S, blank (blank also past each sample's
    own 2 S_n + 1 states), and where the skip from state s-2 to s is allowed (l'_s is no blank and differs
    from l'_(s-2))."""
    batch, longest = padded.shape
    within = np.arange(longest)[None, :] < target_lengths[:, None]
    used = padded[within]
    if used.size and (used.min() < 0 or used.max() >= classes):
        raise RuntimeError(f"ctc_loss: target labels must be in [0, {classes}), got values in "
                           f"[{used.min()}, {used.max()}]")
    extended = np.full((batch, 2 * longest + 1), blank, dtype=np.int64)
    extended[:, 1::2] = np.where(within, padded, blank)
    skip = np.zeros(extended.shape, dtype=bool)
    skip[:, 2:] = (extended[:, 2:] != blank) & (extended[:, 2:] != extended[:, :-2])
    return extended, skip


def _log_likelihood(log_probs: Tensor, extended: np.ndarray, skip: np.ndarray, input_lengths: np.ndarray,
                    target_lengths: np.ndarray) -> Tensor:
    """log p(l | x) per sample (N,), by the alpha recursion over the extended labels l' (W = 2S+1 states):

        alpha_0(s) = y_0(l'_s) for s < 2,    alpha_t(s) = y_t(l'_s) + logsumexp(alpha_(t-1)(s - k), k in K_s)

    with K_s = {0, 1, 2} where the skip is allowed and {0, 1} elsewhere; alpha freezes once t >= input_length,
    and log p = logsumexp(alpha(2 S_n), alpha(2 S_n - 1)). Unreachable states hold ``_NEG`` instead of -inf."""
    steps, batch, _ = log_probs.shape
    width = extended.shape[1]
    index = autograd.tensor(np.broadcast_to(extended, (steps, batch, width)).copy())
    emissions = autograd.clamp(autograd.gather(log_probs, 2, index), min=_NEG)
    states = np.arange(width)[None, :]
    alpha = autograd.where((states < 2) & (states <= 2 * target_lengths[:, None]), emissions[0], _NEG)
    negatives = autograd.full((batch, 2), _NEG, dtype=log_probs.dtype)
    for t in range(1, steps):
        shifted = autograd.cat([negatives, alpha], 1)
        predecessors = autograd.stack([alpha, shifted[:, 1:width + 1],
                                       autograd.where(skip, shifted[:, :width], _NEG)])
        step = emissions[t] + autograd.logsumexp(predecessors, 0)
        alpha = autograd.where((t < input_lengths)[:, None], step, alpha)
    last = 2 * target_lengths[:, None]
    ends = [autograd.gather(alpha, 1, autograd.tensor(last)),
            autograd.where((target_lengths > 0)[:, None],
                           autograd.gather(alpha, 1, autograd.tensor(np.maximum(last - 1, 0))), _NEG)]
    return autograd.logsumexp(autograd.cat(ends, 1), 1)


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | Sequence[int],
             target_lengths: Tensor | Sequence[int], blank: int = 0, reduction: str = "mean",
             zero_infinity: bool = False) -> Tensor:
    """Connectionist temporal classification loss: the negative log likelihood of each target sequence,
    summed over all its alignments with the input,

        loss_n = -log sum_{pi in B^-1(l_n)} prod_{t < T_n} y_t(pi_t),    y_t(c) = exp(log_probs[t, n, c]),

    where B removes repeated labels and then blanks, computed with the log-space alpha recursion.

    Parameters
    ----------
    log_probs : Tensor
        Log-probabilities (T, N, C), or (T, C) unbatched; normally the output of ``log_softmax``.
    targets : Tensor
        Labels in [0, C), padded (N, S) (S at least the longest target; (S,) unbatched) or concatenated 1-D of
        size sum(target_lengths).
    input_lengths, target_lengths : Tensor or sequence of int
        Per sample, T_n <= T and S_n.
    blank : int
        The blank label, in [0, C).
    reduction : {'mean', 'sum', 'none'}
        'mean' divides each loss by max(S_n, 1) and then averages over the batch.
    zero_infinity : bool
        Zero the losses (and their gradients) of samples that no alignment fits (loss inf), as when
        T_n < S_n + the number of repeated neighbours in l_n.

    Returns
    -------
    Tensor
        The reduced loss, or the losses (N,) (a 0-d tensor unbatched) for 'none'.

    Notes
    -----
    As PyTorch's, the gradient with respect to ``log_probs`` is exp(log_probs) - posterior(t, c) for t < T_n
    (0 after): the term exp(log_probs) cancels through ``log_softmax``. It is added by a term whose value is 0.
    """
    _check_reduction(reduction)
    check_floating("ctc_loss", log_probs=log_probs)
    if log_probs.ndim not in (2, 3):
        raise RuntimeError(f"ctc_loss: log_probs must be (T, N, C) or (T, C), got shape {list(log_probs.shape)}")
    batched = log_probs.ndim == 3
    if not batched:
        log_probs = log_probs.unsqueeze(1)
    steps, batch, classes = log_probs.shape
    if not 0 <= blank < classes:
        raise RuntimeError(f"ctc_loss: blank must be in label range [0, {classes}), got {blank}")
    input_lengths = _lengths("input_lengths", input_lengths, batch)
    target_lengths = _lengths("target_lengths", target_lengths, batch)
    if input_lengths.size and input_lengths.max() > steps:
        raise RuntimeError(f"ctc_loss: expected input_lengths to have values at most {steps}, "
                           f"but got {input_lengths.max()}")
    padded = _padded_targets(targets, target_lengths, batched)
    extended, skip = _extended_labels(padded, target_lengths, blank, classes)
    nll = -_log_likelihood(log_probs, extended, skip, input_lengths, target_lengths)

    empty = input_lengths == 0
    impossible = (nll.detach().numpy() > -_NEG / 2) | (empty & (target_lengths > 0))
    # PyTorch's extra gradient exp(log_probs), for t < T_n of the samples that have an alignment
    timed = (np.arange(steps)[:, None] < input_lengths[None, :]) & ~impossible[None, :]
    probs = autograd.exp(log_probs)
    nll = nll + autograd.where(timed[:, :, None], probs - probs.detach(), 0.0).sum((0, 2))

    fill = np.where(impossible & (not zero_infinity), np.inf, 0.0).astype(probs.detach().numpy().dtype)
    loss = autograd.where(impossible | empty, autograd.tensor(fill), nll)
    if reduction == "mean":
        return (loss / autograd.tensor(np.maximum(target_lengths, 1).astype(fill.dtype))).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)
