"""Samplers: the order in which a DataLoader visits a map-style dataset, as ``torch.utils.data`` samplers.

A sampler is an iterable of dataset indices (a batch sampler: of lists of indices) that usually knows its
length. Random samplers draw from an ``autograd.Generator`` (the global ``autograd.default_generator`` when
none is given, looked up at every epoch so that ``autograd.manual_seed`` takes effect). They draw from the
same distributions as PyTorch's samplers, but not the same numbers.

The built-in index samplers also offer ``_index_array()``, one epoch of indices as an int64 ndarray, which
lets :class:`BatchSampler` and the DataLoader slice batches without a Python loop over indices (used for
those exact classes only, never for subclasses, which may override ``__iter__``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

import numpy as np

import autograd

from ._convert import numpy_rng, to_numpy


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


class Sampler:
    """Base class of samplers: subclasses implement ``__iter__`` and, where they can, ``__len__``."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")


class SequentialSampler(Sampler):
    """Indices ``0, 1, ..., len(data_source) - 1``, in that order, every epoch.

    Parameters
    ----------
    data_source : sized
        Anything with ``__len__``; read at every epoch.
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _index_array(self) -> np.ndarray:
        return np.arange(len(self.data_source))

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Random indices into ``data_source``: a fresh permutation each epoch, or independent draws.

    Parameters
    ----------
    data_source : sized
        N = ``len(data_source)``, read at every epoch.
    replacement : bool, default False
        False: each epoch is a random permutation of ``range(N)`` (when ``num_samples > N``, further
        independent permutations follow, the last one cut short). True: ``num_samples`` independent
        uniform draws from ``range(N)``.
    num_samples : int, optional
        Indices per epoch; N if None.
    generator : autograd.Generator, optional
        Source of randomness; the global generator if None.

    Raises
    ------
    TypeError
        If ``replacement`` is not a bool.
    ValueError
        If ``num_samples`` is not a positive integer.

    Notes
    -----
    Without replacement and with ``num_samples`` left at N, an epoch is exactly
    ``generator.numpy_rng.permutation(N)``: the order ``DataLoader(shuffle=True)`` has always used.
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: autograd.Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"RandomSampler: replacement should be a boolean value, got {replacement!r}")
        if not _is_int(self.num_samples) or self.num_samples <= 0:
            raise ValueError("RandomSampler: num_samples should be a positive integer value, "
                             f"got {self.num_samples!r}")

    @property
    def num_samples(self) -> int:
        """Indices per epoch: the ``num_samples`` given, else ``len(data_source)``."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _index_array(self) -> np.ndarray:
        n, count = len(self.data_source), int(self.num_samples)
        rng = numpy_rng(self.generator)
        if self.replacement:
            return rng.integers(0, n, size=count, dtype=np.int64)
        rounds = [rng.permutation(n) for _ in range(-(-count // n))]
        return np.concatenate(rounds)[:count] if len(rounds) > 1 else rounds[0][:count]

    def __iter__(self) -> Iterator[int]:
        return iter(self._index_array().tolist())

    def __len__(self) -> int:
        return int(self.num_samples)


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a fresh random order each epoch (no replacement).

    Parameters
    ----------
    indices : sequence of int
    generator : autograd.Generator, optional
        Source of the permutations; the global generator if None.
    """

    def __init__(self, indices: Sequence[int], generator: autograd.Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for position in numpy_rng(self.generator).permutation(len(self.indices)).tolist():
            yield self.indices[position]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices into ``range(len(weights))``, index ``i`` drawn with probability ∝ ``weights[i]``.

    Parameters
    ----------
    weights : sequence of float, length K
        Non-negative, not necessarily summing to one; stored as float64.
    num_samples : int
        Indices per epoch.
    replacement : bool, default True
        True: independent draws. False: no index is drawn twice in one epoch (each draw picks among the
        indices not yet drawn, with probability ∝ their weights); needs ``num_samples`` at most the number
        of non-zero weights.
    generator : autograd.Generator, optional
        Source of randomness; the global generator if None.

    Raises
    ------
    ValueError
        If ``num_samples`` is not a positive integer, ``replacement`` not a bool, or ``weights`` not 1-D.
    RuntimeError
        When an epoch starts, if a weight is negative or not finite, the weights sum to zero, or (without
        replacement) ``num_samples`` exceeds the number of non-zero weights.
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: autograd.Generator | None = None) -> None:
        if not _is_int(num_samples) or num_samples <= 0:
            raise ValueError("WeightedRandomSampler: num_samples should be a positive integer value, "
                             f"got {num_samples!r}")
        if not isinstance(replacement, bool):
            raise ValueError(f"WeightedRandomSampler: replacement should be a boolean value, got {replacement!r}")
        weights_array = np.asarray(to_numpy(weights), dtype=np.float64)
        if weights_array.ndim != 1:
            raise ValueError("WeightedRandomSampler: weights should be a 1-D sequence, got weights of shape "
                             f"{weights_array.shape}")
        self.weights = weights_array
        self.num_samples = int(num_samples)
        self.replacement = replacement
        self.generator = generator

    def _index_array(self) -> np.ndarray:
        w = self.weights
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise RuntimeError("WeightedRandomSampler: weights must be finite and non-negative")
        if w.sum() <= 0:
            raise RuntimeError("WeightedRandomSampler: weights must not all be zero")
        if not self.replacement and self.num_samples > np.count_nonzero(w):
            raise RuntimeError(f"WeightedRandomSampler: cannot draw {self.num_samples} samples without "
                               f"replacement from {np.count_nonzero(w)} non-zero weights")
        rng = numpy_rng(self.generator)
        return rng.choice(len(w), size=self.num_samples, replace=self.replacement, p=w / w.sum())

    def __iter__(self) -> Iterator[int]:
        return iter(self._index_array().tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size``, in order.

    Parameters
    ----------
    sampler : Sampler or iterable of int
    batch_size : int
        Positive.
    drop_last : bool
        Drop the last list when it is shorter than ``batch_size``.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive integer or ``drop_last`` not a bool.
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not _is_int(batch_size) or batch_size <= 0:
            raise ValueError(f"BatchSampler: batch_size should be a positive integer value, got {batch_size!r}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"BatchSampler: drop_last should be a boolean value, got {drop_last!r}")
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = drop_last

    def _array_batches(self) -> Iterator[np.ndarray] | None:
        """Batches as int64 ndarrays sliced from one epoch's index array, or None if the sampler has none."""
        if type(self.sampler) not in (SequentialSampler, RandomSampler, WeightedRandomSampler):
            return None  # a subclass may override __iter__, so only the built-in classes are trusted
        order = np.asarray(self.sampler._index_array(), dtype=np.int64)
        stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
        return (order[start:start + self.batch_size] for start in range(0, stop, self.batch_size))

    def __iter__(self) -> Iterator[list[int]]:
        arrays = self._array_batches()
        if arrays is not None:
            yield from (batch.tolist() for batch in arrays)
            return
        indices = iter(self.sampler)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
