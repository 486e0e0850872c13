"""DataLoader: iterate over a dataset in batches, with torch.utils.data.DataLoader's signature and checks."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

import autograd

from ._convert import to_tensor
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from .worker import WorkerInfo, acting_as, as_worker, new_worker_info

_FROZEN_AFTER_INIT = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader`` (same signature and checks).

    Parameters
    ----------
    dataset : Dataset or IterableDataset
        Map-style (``__len__`` and ``__getitem__``) or iterable-style (``__iter__``).
    batch_size : int or None, default 1
        Samples per batch. None turns automatic batching off: each sample is yielded on its own, passed
        through ``collate_fn`` (``default_convert`` by default).
    shuffle : bool, optional
        Visit the samples in a fresh random order each epoch (a new permutation at every ``iter(loader)``,
        i.e. ``RandomSampler(dataset, generator=generator)``). Map-style datasets only.
    sampler : Sampler or iterable of int, optional
        The order of indices; excludes ``shuffle``. Map-style datasets only.
    batch_sampler : Sampler or iterable of lists of int, optional
        Yields whole batches of indices; excludes ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
    num_workers : int, default 0
        Accepted for compatibility; loading always happens in the main process (see Notes).
    collate_fn : callable, optional
        Merges a list of samples into a batch; ``default_collate`` if None (``default_convert`` when
        ``batch_size`` is None).
    pin_memory : bool, default False
        No effect (CPU only).
    drop_last : bool, default False
        Drop the last batch when it has fewer than ``batch_size`` samples.
    timeout : float, default 0
        Must be non-negative; no effect (no worker processes to wait for).
    worker_init_fn : callable, optional
        With ``num_workers > 0``, called as ``worker_init_fn(0)`` at the start of each epoch (only the first
        epoch with ``persistent_workers=True``), before any sample is loaded, with ``get_worker_info()``
        describing the worker; never called otherwise.
    multiprocessing_context : str or multiprocessing context, optional
        Validated as PyTorch does (needs ``num_workers > 0``); no effect.
    generator : autograd.Generator, optional
        Source of the shuffling permutations; the global ``autograd.default_generator`` if None. Seeding it
        (or the global generator with ``autograd.manual_seed``) makes the sequence of epochs reproducible.
    prefetch_factor : int, optional, keyword-only
        Only allowed with ``num_workers > 0`` (then 2 if None); no effect.
    persistent_workers : bool, default False, keyword-only
        Needs ``num_workers > 0``; only changes how often ``worker_init_fn`` is called.
    pin_memory_device : str, default '', keyword-only
        No effect.
    in_order : bool, default True, keyword-only
        No effect: batches always come in sampler order.

    Raises
    ------
    ValueError
        For the argument combinations PyTorch rejects: negative ``num_workers`` or ``timeout``,
        ``prefetch_factor`` or ``persistent_workers`` or ``multiprocessing_context`` without workers, a
        negative ``prefetch_factor``, ``sampler`` with ``shuffle``, ``batch_sampler`` with any of
        ``batch_size``/``shuffle``/``sampler``/``drop_last``, ``batch_size=None`` with ``drop_last``,
        ``shuffle``/``sampler``/``batch_sampler`` with an IterableDataset, an invalid ``batch_size``, a
        non-bool ``drop_last``, an unknown start method; also when ``batch_size``, ``batch_sampler``,
        ``sampler``, ``drop_last``, ``dataset`` or ``persistent_workers`` is assigned after construction.
    TypeError
        If ``multiprocessing_context`` is neither a start-method name nor a context.

    Notes
    -----
    Workers: ``num_workers > 0`` is accepted so that PyTorch code runs unchanged, but every batch is
    loaded in the calling process, in sampler order, so the batches are identical to ``num_workers=0``.
    The loader then acts as a single worker: ``worker_init_fn`` receives id 0, and while a batch is being
    made ``data.get_worker_info()`` returns ``WorkerInfo(id=0, num_workers=1, ...)`` (None otherwise), so
    a dataset that shards itself by worker yields each sample once.

    Iterable datasets: samples are taken from one iterator per epoch and grouped ``batch_size`` at a time;
    the last, shorter group is yielded unless ``drop_last``. ``len(loader)`` is then computed from
    ``len(dataset)`` (a TypeError if the dataset has no length).

    Fast path: with the default ``collate_fn``, the default or a built-in sampler, and a dataset that
    implements ``batch_arrays`` (TensorDataset, Subset or ConcatDataset of one, MNIST without transforms),
    each batch is built by one fancy-indexing per field and wrapped as Tensors, with no Python loop over
    samples. The result equals what ``default_collate([dataset[i] for i in batch_indices])`` would give (a
    list of Tensors, one per field). Passing ``collate_fn=default_collate`` explicitly forces the
    per-sample path. A dataset with ``__getitems__(indices)`` gets one call per batch, as in PyTorch.

    Yields
    ------
    The collated batch: for samples that are tuples, a list of Tensors of shape (B, ...).
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable[int] | None = None,
                 batch_sampler: Sampler | Iterable[list[int]] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[Any], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: str | multiprocessing.context.BaseContext | None = None,
                 generator: autograd.Generator | None = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError(f"DataLoader: num_workers should be non-negative, got {num_workers} "
                             "(num_workers=0 loads in the main process)")
        if timeout < 0:
            raise ValueError(f"DataLoader: timeout should be non-negative, got {timeout}")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("DataLoader: prefetch_factor can only be given with num_workers > 0; "
                             "leave it None when num_workers=0")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError(f"DataLoader: prefetch_factor should be non-negative, got {prefetch_factor}")
        if persistent_workers and num_workers == 0:
            raise ValueError("DataLoader: persistent_workers=True needs num_workers > 0")

        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = _check_context(multiprocessing_context, num_workers)
        self.in_order = in_order

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in (False, None):
                raise ValueError(f"DataLoader with IterableDataset: shuffle must be left unspecified, "
                                 f"got shuffle={shuffle!r}")
            for name, value in (("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value is not None:
                    raise ValueError(f"DataLoader with IterableDataset: {name} must be left unspecified, "
                                     f"got {name}={value!r}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle are mutually exclusive (shuffle is a sampler)")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("DataLoader: batch_sampler is mutually exclusive with batch_size, shuffle, "
                                 "sampler and drop_last (it decides the batches itself)")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None turns batching off and is mutually exclusive "
                             "with drop_last")
        if batch_size is not None and (isinstance(batch_size, (bool, np.bool_))
                                       or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0):
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, got {batch_size!r}")

        if batch_size is not None and not isinstance(drop_last, bool):
            raise ValueError(f"DataLoader: drop_last should be a boolean value, got {drop_last!r}")

        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, int(batch_size), drop_last)

        self.dataset = dataset
        self.batch_size = None if batch_size is None else int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.persistent_workers = persistent_workers
        batching = self.batch_size is not None or batch_sampler is not None
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batching else default_convert)
        self._gather = getattr(dataset, "batch_arrays", None) if collate_fn is None and batching else None
        self._worker: WorkerInfo | None = None
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FROZEN_AFTER_INIT and self.__dict__.get("_initialized", False):
            raise ValueError(f"DataLoader: {name} should not be set after the DataLoader is created")
        super().__setattr__(name, value)

    def __len__(self) -> int:
        """Batches per epoch (samples when ``batch_size`` is None).

        Map-style: ``len(batch_sampler)`` (``len(sampler)`` without batching), i.e. ``N // batch_size`` with
        drop_last and ``ceil(N / batch_size)`` without for the default samplers. Iterable: the same rule
        applied to ``len(dataset)``.
        """
        if self._iterable:
            n = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        batches = self._iter_iterable() if self._iterable else self._iter_map()
        if self.num_workers == 0:
            return batches
        if self._worker is None or not self.persistent_workers:
            self._worker = new_worker_info(self.dataset, self.generator)
            if self.worker_init_fn is not None:
                with acting_as(self._worker):
                    self.worker_init_fn(0)
        return as_worker(self._worker, batches)

    def _iter_map(self) -> Iterator[Any]:
        if self.batch_sampler is None:
            for index in self.sampler:  # type: ignore[union-attr]
                yield self.collate_fn(self.dataset[index])
            return
        arrays = self.batch_sampler._array_batches() if type(self.batch_sampler) is BatchSampler else None
        if arrays is not None and self._gather is not None:
            for indices in arrays:
                yield self._fetch(indices)
            return
        batches = (batch.tolist() for batch in arrays) if arrays is not None else iter(self.batch_sampler)
        for batch in batches:
            yield self._fetch(np.asarray(batch, dtype=np.int64) if self._gather is not None else batch)

    def _fetch(self, indices: np.ndarray | list[int]) -> Any:
        if self._gather is not None:
            fields = self._gather(np.asarray(indices, dtype=np.int64))
            if fields is not None:
                return [to_tensor(field) for field in fields]
        positions = indices.tolist() if isinstance(indices, np.ndarray) else list(indices)
        getitems = getattr(self.dataset, "__getitems__", None)
        samples = getitems(positions) if getitems else [self.dataset[i] for i in positions]
        return self.collate_fn(samples)

    def _iter_iterable(self) -> Iterator[Any]:
        samples = iter(self.dataset)  # type: ignore[call-overload]
        if self.batch_size is None:
            for sample in samples:
                yield self.collate_fn(sample)
            return
        while batch := [sample for _, sample in zip(range(self.batch_size), samples, strict=False)]:
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield self.collate_fn(batch)


def _check_context(context: Any, num_workers: int) -> Any:
    """Validate ``multiprocessing_context`` as PyTorch does; a start-method name becomes its context."""
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError("DataLoader: multiprocessing_context can only be used with num_workers > 0, "
                         f"got num_workers={num_workers}")
    if isinstance(context, str):
        methods = multiprocessing.get_all_start_methods()
        if context not in methods:
            raise ValueError(f"DataLoader: multiprocessing_context should be one of the start methods "
                             f"{methods!r}, got {context!r}")
        context = multiprocessing.get_context(context)
    if not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError("DataLoader: multiprocessing_context should be a multiprocessing context or the name "
                        f"of a start method, got {context!r}")
    return context
