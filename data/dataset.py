"""Datasets: Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset, StackDataset, random_split.

A dataset maps an integer index to one sample. Datasets whose samples are rows of whole arrays may also
implement ``batch_arrays(indices)``, which returns every field of many samples at once; the DataLoader uses it
to build a batch with one fancy-indexing per field instead of one Python call per sample.
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

import autograd

from ._convert import is_tensor, numpy_rng, to_numpy, to_tensor


class Dataset:
    """Abstract map-style dataset: subclasses implement ``__getitem__`` and usually ``__len__``.

    ``a + b`` concatenates two datasets into a :class:`ConcatDataset`.
    """

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])

    def batch_arrays(self, indices: np.ndarray) -> tuple[np.ndarray, ...] | None:
        """Fields of the samples at ``indices`` as whole arrays, or None when this dataset cannot.

        Parameters
        ----------
        indices : ndarray of int64, shape (B,)

        Returns
        -------
        tuple of ndarray, each of shape (B, ...), or None
            Field ``k`` of the result, row ``b``, must equal field ``k`` of ``self[indices[b]]``, so that the
            DataLoader may use it in place of ``default_collate([self[i] for i in indices])``.
            The base class returns None (no fast path).
        """
        return None


class IterableDataset(Dataset):
    """Abstract iterable-style dataset: subclasses implement ``__iter__``, yielding one sample at a time.

    A DataLoader over it takes samples in the order the iterator yields them and groups them into batches
    of ``batch_size`` (shuffle, sampler and batch_sampler do not apply). ``__len__`` is optional; when
    defined, ``len(loader)`` is derived from it. Not indexable, so it cannot be part of a ConcatDataset;
    ``a + b`` chains two iterable datasets into a :class:`ChainDataset`.
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")

    def __getitem__(self, index: int) -> Any:
        raise TypeError(f"{type(self).__name__} is an IterableDataset: iterate over it instead of indexing")

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        """``a + b`` is ``ChainDataset([a, b])``: the samples of ``a``, then those of ``b``."""
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Dataset whose sample ``i`` is ``tuple(t[i] for t in tensors)``.

    Parameters
    ----------
    *tensors : Tensor or ndarray, each of shape (N, ...)
        All with the same first dimension N. ndarrays are wrapped as Tensors without copying.

    Attributes
    ----------
    tensors : tuple of Tensor
    """

    def __init__(self, *tensors: autograd.Tensor | np.ndarray) -> None:
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor, got none")
        self.tensors = tuple(t if is_tensor(t) else to_tensor(np.asarray(t)) for t in tensors)
        self._arrays = tuple(to_numpy(t) for t in self.tensors)
        sizes = [a.shape[0] if a.ndim else None for a in self._arrays]
        if None in sizes or len(set(sizes)) != 1:
            shapes = ", ".join(str(a.shape) for a in self._arrays)
            raise ValueError(f"TensorDataset: size mismatch between tensors: shapes {shapes} "
                             "must all have the same first dimension")

    def __getitem__(self, index: int) -> tuple[autograd.Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self._arrays[0].shape[0]

    def batch_arrays(self, indices: np.ndarray) -> tuple[np.ndarray, ...]:
        """All fields of the samples at ``indices``: one fancy-indexing (a copy) per tensor."""
        return tuple(a[indices] for a in self._arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Parameters
    ----------
    dataset : Dataset
    indices : sequence of int, length M
        ``subset[j] == dataset[indices[j]]``.
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        self._index_array = np.asarray(indices, dtype=np.int64)

    def __getitem__(self, index: int | list[int]) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)

    def batch_arrays(self, indices: np.ndarray) -> tuple[np.ndarray, ...] | None:
        gather = getattr(self.dataset, "batch_arrays", None)
        return None if gather is None else gather(self._index_array[indices])


class ConcatDataset(Dataset):
    """The concatenation of several datasets: indices run through the first, then the second, and so on.

    Parameters
    ----------
    datasets : iterable of Dataset
        At least one; each must define ``__len__``.

    Attributes
    ----------
    datasets : list of Dataset
    cumulative_sizes : list of int
        ``cumulative_sizes[k]`` is the total length of ``datasets[0..k]``.
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        if any(isinstance(d, IterableDataset) for d in self.datasets):
            raise TypeError("ConcatDataset: cannot concatenate an IterableDataset (it has no indices)")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError(f"ConcatDataset: absolute value of index {index} should not exceed "
                                 f"dataset length {len(self)}")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]

    def batch_arrays(self, indices: np.ndarray) -> tuple[np.ndarray, ...] | None:
        """Gather from each part with its own fast path and scatter into place; None if a part has none.

        Also None when the parts' fields differ in number, dtype or trailing shape (the per-sample path then
        reports the mismatch).
        """
        ends = np.asarray(self.cumulative_sizes)
        which = np.searchsorted(ends, indices, side="right")
        starts = ends - np.asarray([len(d) for d in self.datasets])
        out: list[np.ndarray] | None = None
        for part in np.unique(which):
            rows = np.flatnonzero(which == part)
            gather = getattr(self.datasets[part], "batch_arrays", None)
            fields = None if gather is None else gather(indices[rows] - starts[part])
            if fields is None:
                return None
            if out is None:
                out = [np.empty((len(indices),) + f.shape[1:], dtype=f.dtype) for f in fields]
            if len(fields) != len(out) or any(f.shape[1:] != o.shape[1:] or f.dtype != o.dtype
                                              for f, o in zip(fields, out, strict=True)):
                return None
            for f, o in zip(fields, out, strict=True):
                o[rows] = f
        return None if out is None else tuple(out)


def _length(owner: str, name: str, dataset: Any) -> int:
    """``len(dataset)``, or a TypeError naming ``owner`` and the member ``name`` when it has no length."""
    if not hasattr(type(dataset), "__len__"):
        raise TypeError(f"{owner}: {name} ({type(dataset).__name__}) has no len()")
    return len(dataset)


class ChainDataset(IterableDataset):
    """Several IterableDatasets one after the other: all samples of the first, then of the second, ...

    The chaining happens as the samples are read; nothing is copied or counted in advance.

    Parameters
    ----------
    datasets : iterable of IterableDataset
        Kept as given (as PyTorch does), so a one-shot iterator such as a generator is used up by the first
        pass (``len`` included). Members are checked when they are reached.

    Attributes
    ----------
    datasets : iterable of IterableDataset

    Raises
    ------
    TypeError
        On iteration or ``len``, for a member that is not an IterableDataset (PyTorch: AssertionError),
        and on ``len`` for a member without a length.
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def _members(self) -> Iterator[tuple[int, IterableDataset]]:
        for position, dataset in enumerate(self.datasets):
            if not isinstance(dataset, IterableDataset):
                raise TypeError(f"ChainDataset: only supports IterableDataset, but datasets[{position}] has type "
                                f"{type(dataset).__name__} (join map-style datasets with ConcatDataset)")
            yield position, dataset

    def __iter__(self) -> Iterator[Any]:
        for _, dataset in self._members():
            yield from dataset

    def __len__(self) -> int:
        """The sum of the members' lengths (PyTorch's rule)."""
        return sum(_length("ChainDataset", f"datasets[{position}]", dataset)
                   for position, dataset in self._members())


class StackDataset(Dataset):
    """Several datasets of equal length side by side: sample ``i`` holds sample ``i`` of each.

    Parameters
    ----------
    *args : Dataset (or any sized, indexable object: Tensor, ndarray, list)
        Sample ``i`` is ``tuple(d[i] for d in args)``.
    **kwargs : Dataset (or any sized, indexable object)
        Sample ``i`` is ``{name: d[i] for name, d in kwargs.items()}``. Either ``args`` or ``kwargs``,
        not both.

    Attributes
    ----------
    datasets : tuple or dict
        ``args`` or ``kwargs``, as given.

    Raises
    ------
    ValueError
        With no dataset, with both positional and keyword datasets, or with datasets of different lengths.
    TypeError
        For a dataset without a length.

    Notes
    -----
    The index is passed unchanged to every member, so negative indices, and out-of-range errors, are the
    members' own.
    """

    datasets: tuple[Any, ...] | dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise ValueError(f"StackDataset: pass datasets either positionally (samples are tuples) or by "
                             f"keyword (samples are dicts), not both; got {len(args)} positional and "
                             f"keywords {sorted(kwargs)}")
        if not args and not kwargs:
            raise ValueError("StackDataset: at least one dataset should be passed, got none")
        self.datasets = args if args else kwargs
        lengths = {name: _length("StackDataset", name, d) for name, d in self._named_members()}
        if len(set(lengths.values())) != 1:
            listed = ", ".join(f"{name}: {n}" for name, n in lengths.items())
            raise ValueError(f"StackDataset: size mismatch between datasets ({listed}); "
                             "all must have the same length")
        self._length = next(iter(lengths.values()))

    def _named_members(self) -> list[tuple[str, Any]]:
        """``(name, dataset)`` pairs, named as in error messages: ``datasets[0]`` or ``datasets['image']``."""
        if isinstance(self.datasets, dict):
            return [(f"datasets[{key!r}]", dataset) for key, dataset in self.datasets.items()]
        return [(f"datasets[{position}]", dataset) for position, dataset in enumerate(self.datasets)]

    def __getitem__(self, index: int) -> tuple[Any, ...] | dict[str, Any]:
        if isinstance(self.datasets, dict):
            return {name: dataset[index] for name, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices: list[int]) -> list[tuple[Any, ...]] | list[dict[str, Any]]:
        """The samples at ``indices``, taking each member's ``__getitems__`` where it has one (as PyTorch).

        Raises
        ------
        ValueError
            If a member's ``__getitems__`` returns a number of samples other than ``len(indices)``.
        """
        columns = []
        for name, dataset in self._named_members():
            getitems = getattr(dataset, "__getitems__", None)
            column = getitems(indices) if callable(getitems) else [dataset[i] for i in indices]
            if len(column) != len(indices):
                raise ValueError(f"StackDataset: nested dataset's output size mismatch: {name}.__getitems__ "
                                 f"({type(dataset).__name__}) returned {len(column)} samples for "
                                 f"{len(indices)} indices")
            columns.append(column)
        if isinstance(self.datasets, dict):
            return [dict(zip(self.datasets, row, strict=True)) for row in zip(*columns, strict=True)]
        return list(zip(*columns, strict=True))

    def __len__(self) -> int:
        return self._length


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 generator: autograd.Generator | None = None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random subsets of the given lengths.

    Parameters
    ----------
    dataset : Dataset of length N
    lengths : sequence of int, or sequence of float summing to 1
        Integer lengths must sum to N. Fractions give ``floor(N * f)`` samples each; the ``N - sum``
        samples left over are then handed out one at a time, round-robin, starting with the first subset
        (PyTorch's rule).
    generator : autograd.Generator, optional
        Source of the permutation; the global generator if None.

    Returns
    -------
    list of Subset
        Subset ``k`` holds the next ``lengths[k]`` indices of one random permutation of ``range(N)``.
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(f"random_split: fraction at index {i} is not between 0 and 1: {fraction}")
        counts = [math.floor(n * fraction) for fraction in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"random_split: length of split at index {i} is 0; this split will be empty",
                              stacklevel=2)
    else:
        if any(int(length) != length or length < 0 for length in lengths):
            raise ValueError(f"random_split: lengths should be non-negative integers or fractions summing to 1, "
                             f"got {list(lengths)}")
        counts = [int(length) for length in lengths]
    if sum(counts) != n:
        raise ValueError(f"random_split: sum of input lengths {list(lengths)} is {sum(counts)}, "
                         f"which does not equal the length of the input dataset ({n})")
    permutation = numpy_rng(generator).permutation(n).tolist()
    offsets = itertools.accumulate(counts)
    return [Subset(dataset, permutation[end - count:end]) for end, count in zip(offsets, counts, strict=True)]
