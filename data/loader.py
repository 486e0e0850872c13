"""DataLoader: iterate over a dataset in (optionally shuffled) batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import autograd

from ._convert import numpy_rng, to_tensor
from .collate import default_collate
from .dataset import Dataset


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples, as ``torch.utils.data.DataLoader``.

    Parameters
    ----------
    dataset : Dataset
        Any object with ``__len__`` and ``__getitem__``.
    batch_size : int, default 1
    shuffle : bool, default False
        Visit the samples in a fresh random order each epoch (a new permutation at every ``iter(loader)``).
    drop_last : bool, default False, keyword-only
        Drop the last batch when it has fewer than ``batch_size`` samples.
    generator : autograd.Generator, optional, keyword-only
        Source of the shuffling permutations; the global ``autograd.default_generator`` if None. Seeding it
        (or the global generator with ``autograd.manual_seed``) makes the sequence of epochs reproducible.
    collate_fn : callable, optional, keyword-only
        Merges a list of samples into a batch; ``default_collate`` if None.

    Notes
    -----
    The arguments after ``shuffle`` are keyword-only: PyTorch has further parameters between them (sampler,
    num_workers, ...) which this loader does not have, so a positional call could not mean the same thing.

    Fast path: with the default ``collate_fn`` and a dataset that implements ``batch_arrays`` (TensorDataset,
    Subset or ConcatDataset of one, MNIST without transforms), each batch is built by one fancy-indexing per
    field and wrapped as Tensors, with no Python loop over samples. The result equals what
    ``default_collate([dataset[i] for i in batch_indices])`` would give (a list of Tensors, one per field).
    Passing ``collate_fn=default_collate`` explicitly forces the per-sample path.

    Yields
    ------
    The collated batch: for samples that are tuples, a list of Tensors of shape (B, ...).
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False, *,
                 drop_last: bool = False, generator: autograd.Generator | None = None,
                 collate_fn: Callable[[list[Any]], Any] | None = None) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = generator
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        self._gather = getattr(dataset, "batch_arrays", None) if collate_fn is None else None

    def __len__(self) -> int:
        """Batches per epoch: ``N // batch_size`` with drop_last, ``ceil(N / batch_size)`` without."""
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = numpy_rng(self.generator).permutation(n) if self.shuffle else np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            yield self._fetch(order[start:start + self.batch_size])

    def _fetch(self, indices: np.ndarray) -> Any:
        if self._gather is not None:
            fields = self._gather(indices)
            if fields is not None:
                return [to_tensor(field) for field in fields]
        return self.collate_fn([self.dataset[i] for i in indices.tolist()])
