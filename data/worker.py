"""get_worker_info: what a dataset sees of the DataLoader "worker" that is loading it.

stepgrad has no worker processes: a DataLoader with ``num_workers > 0`` loads every batch in the calling
process and behaves as **one** worker (id 0 of 1). While such a loader is producing a batch (sampler, dataset,
collate_fn) and inside its ``worker_init_fn``, :func:`get_worker_info` returns that worker's
:class:`WorkerInfo`; everywhere else, including the body of the loop over the loader, it returns None, as in
PyTorch's main process. Reporting ``num_workers=1`` keeps PyTorch's sharding idiom exact: a dataset that splits
its samples by ``info.id`` and ``info.num_workers`` yields each sample exactly once.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from ._convert import numpy_rng

_Batch = TypeVar("_Batch")

_current: contextvars.ContextVar[WorkerInfo | None] = contextvars.ContextVar("stepgrad_worker_info", default=None)


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """The loading worker, as ``torch.utils.data.get_worker_info()`` describes it (immutable).

    Attributes
    ----------
    id : int
        Always 0 (the loader is its only worker).
    num_workers : int
        Always 1, whatever the loader's ``num_workers``: there is one stream of samples, not one per worker.
    seed : int
        A 63-bit seed for the epoch, for seeding other libraries in ``worker_init_fn``. Reproducible: it is
        derived from the loader's generator (the global one if None) without drawing from it, so shuffling is
        the same as with ``num_workers=0``; it changes each epoch (unless ``persistent_workers=True``, which
        keeps the first epoch's worker) and restarts with ``manual_seed``.
    dataset : Dataset
        The loader's dataset itself (PyTorch gives each worker process a copy): changes made to it persist.
    rng : None
        PyTorch's optional RNG-state container; unused.
    worker_method : None
        PyTorch says "multiprocessing" or "thread"; None here, as no worker process or thread exists.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = None


def get_worker_info() -> WorkerInfo | None:
    """The :class:`WorkerInfo` of the DataLoader that is loading right now, or None (see the module docstring).

    Returns
    -------
    WorkerInfo or None
        None outside a DataLoader with ``num_workers > 0``, so ``if info is None: read everything`` takes
        the whole range there, and splitting by ``info.id`` of ``info.num_workers`` (0 of 1) does too.
    """
    return _current.get()


def new_worker_info(dataset: Any, generator: Any) -> WorkerInfo:
    """The WorkerInfo for one epoch of a loader over ``dataset`` (its seed spawned from ``generator``'s stream)."""
    child = numpy_rng(generator).bit_generator.seed_seq.spawn(1)[0]
    seed = int(child.generate_state(1, np.uint64)[0]) >> 1
    return WorkerInfo(id=0, num_workers=1, seed=seed, dataset=dataset)


@contextlib.contextmanager
def acting_as(info: WorkerInfo) -> Iterator[None]:
    """Within the block, :func:`get_worker_info` returns ``info`` (used around ``worker_init_fn``)."""
    token = _current.set(info)
    try:
        yield
    finally:
        _current.reset(token)


def as_worker(info: WorkerInfo, batches: Iterator[_Batch]) -> Iterator[_Batch]:
    """Yield the batches of ``batches``, with :func:`get_worker_info` returning ``info`` while each is made.

    The context is set only for the duration of each ``next``, so code in the consumer's loop body sees None.
    """
    while True:
        with acting_as(info):
            try:
                batch = next(batches)
            except StopIteration:
                return
        yield batch
