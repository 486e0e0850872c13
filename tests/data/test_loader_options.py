"""DataLoader with PyTorch's full signature: samplers, batch samplers, iterable datasets, workers, conflicts."""

import inspect
import multiprocessing

import numpy as np
import pytest

import autograd
from data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
)


class Numbers(Dataset):
    """Sample i is the Python int i (per-sample path)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index


class Stream(IterableDataset):
    def __init__(self, n, with_len=True):
        self.n = n
        self.with_len = with_len

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        if not self.with_len:
            raise TypeError("Stream has no length")
        return self.n


def values(loader):
    return [batch.numpy().tolist() if hasattr(batch, "numpy") else batch for batch in loader]


def test_signature_is_torchs_positional_order():
    names = list(inspect.signature(DataLoader).parameters)
    assert names == ["dataset", "batch_size", "shuffle", "sampler", "batch_sampler", "num_workers", "collate_fn",
                     "pin_memory", "drop_last", "timeout", "worker_init_fn", "multiprocessing_context",
                     "generator", "prefetch_factor", "persistent_workers", "pin_memory_device", "in_order"]
    kinds = {n: p.kind for n, p in inspect.signature(DataLoader).parameters.items()}
    assert kinds["generator"] == inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert kinds["prefetch_factor"] == inspect.Parameter.KEYWORD_ONLY
    # positional as in torch: dataset, batch_size, shuffle, sampler, batch_sampler, num_workers, collate_fn,
    # pin_memory, drop_last
    loader = DataLoader(Numbers(7), 3, False, None, None, 0, None, False, True)
    assert values(loader) == [[0, 1, 2], [3, 4, 5]]


def test_shuffle_order_equals_a_random_sampler_with_the_same_seed():
    generator = autograd.Generator().manual_seed(8)
    by_shuffle = values(DataLoader(Numbers(23), batch_size=5, shuffle=True, generator=generator))
    permutation = autograd.Generator().manual_seed(8).numpy_rng.permutation(23).tolist()
    assert sum(by_shuffle, []) == permutation
    sampler = RandomSampler(Numbers(23), generator=autograd.Generator().manual_seed(8))
    assert values(DataLoader(Numbers(23), batch_size=5, sampler=sampler)) == by_shuffle


def test_explicit_sampler_sets_the_order_and_len():
    loader = DataLoader(Numbers(10), batch_size=3, sampler=[9, 0, 4, 4, 2])
    assert values(loader) == [[9, 0, 4], [4, 2]] and len(loader) == 2
    loader = DataLoader(Numbers(10), batch_size=3, sampler=SubsetRandomSampler([1, 5, 8]), drop_last=True)
    assert len(loader) == 1 and sorted(values(loader)[0]) == [1, 5, 8]


def test_weighted_sampler_through_a_fast_path_loader():
    dataset = TensorDataset(np.arange(3, dtype=np.int64))
    sampler = WeightedRandomSampler([0.0, 1.0, 3.0], 4000, generator=autograd.Generator().manual_seed(0))
    loader = DataLoader(dataset, batch_size=500, sampler=sampler)
    drawn = np.concatenate([b[0].numpy() for b in loader])
    assert len(loader) == 8 and len(drawn) == 4000
    np.testing.assert_allclose(np.bincount(drawn, minlength=3) / 4000, [0, 0.25, 0.75], atol=0.03)


def test_batch_sampler_gives_the_batches_and_len():
    batch_sampler = BatchSampler(SequentialSampler(range(7)), 3, drop_last=False)
    loader = DataLoader(Numbers(7), batch_sampler=batch_sampler)
    assert values(loader) == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    assert loader.batch_size is None and loader.drop_last is False
    assert values(DataLoader(Numbers(7), batch_sampler=[[6, 1], [2]])) == [[6, 1], [2]]


def test_fast_path_and_per_sample_path_agree_under_a_batch_sampler():
    dataset = TensorDataset(np.arange(12, dtype=np.int64) * 10)
    batches = [[11, 0], [5, 5, 3], [7]]
    fast = [b[0].numpy().tolist() for b in DataLoader(dataset, batch_sampler=batches)]
    slow = [b[0].numpy().tolist() for b in DataLoader(dataset, batch_sampler=batches, collate_fn=default_collate)]
    assert fast == slow == [[110, 0], [50, 50, 30], [70]]


def test_getitems_is_called_once_per_batch():
    class Batched(Numbers):
        calls = 0

        def __getitems__(self, indices):
            Batched.calls += 1
            return [i * 2 for i in indices]

    assert values(DataLoader(Batched(5), batch_size=2)) == [[0, 2], [4, 6], [8]]
    assert Batched.calls == 3


def test_batch_size_none_yields_single_converted_samples():
    class Rows(Numbers):
        def __getitem__(self, index):
            return np.full(2, index), index

    loader = DataLoader(Rows(3), batch_size=None)
    samples = list(loader)
    assert len(loader) == 3 and len(samples) == 3
    row, label = samples[2]
    assert isinstance(row, autograd.Tensor) and row.numpy().tolist() == [2, 2] and label == 2


def test_iterable_dataset_batches_in_stream_order():
    loader = DataLoader(Stream(10), batch_size=4)
    assert values(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] and len(loader) == 3
    dropping = DataLoader(Stream(10), batch_size=4, drop_last=True)
    assert values(dropping) == [[0, 1, 2, 3], [4, 5, 6, 7]] and len(dropping) == 2
    assert values(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]
    assert values(DataLoader(Stream(8), batch_size=4, drop_last=True)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert values(DataLoader(Stream(0), batch_size=4)) == []


def test_iterable_dataset_restarts_each_epoch_and_len_needs_a_length():
    loader = DataLoader(Stream(5, with_len=False), batch_size=2)
    assert values(loader) == values(loader) == [[0, 1], [2, 3], [4]]
    with pytest.raises(TypeError):
        len(loader)


def test_iterable_dataset_cannot_be_indexed_and_plus_chains():
    with pytest.raises(TypeError, match="IterableDataset"):
        Stream(3)[0]
    assert list(Stream(3) + Stream(2)) == [0, 1, 2, 0, 1]


@pytest.mark.parametrize("kwargs, message", [
    (dict(shuffle=True), "IterableDataset: shuffle"),
    (dict(sampler=[0, 1]), "IterableDataset: sampler"),
    (dict(batch_sampler=[[0, 1]]), "IterableDataset: batch_sampler"),
])
def test_iterable_dataset_rejects_order_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(Stream(4), **kwargs)
    DataLoader(Stream(4), shuffle=False)  # an explicit False is allowed, as in torch


@pytest.mark.parametrize("kwargs, message", [
    (dict(num_workers=-1), "num_workers should be non-negative"),
    (dict(timeout=-0.5), "timeout should be non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor can only be given with num_workers > 0"),
    (dict(num_workers=2, prefetch_factor=-1), "prefetch_factor should be non-negative"),
    (dict(persistent_workers=True), "persistent_workers=True needs num_workers > 0"),
    (dict(multiprocessing_context="spawn"), "multiprocessing_context can only be used with num_workers > 0"),
    (dict(num_workers=1, multiprocessing_context="no-such-method"), "start methods"),
    (dict(sampler=[0, 1], shuffle=True), "sampler and shuffle are mutually exclusive"),
    (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler is mutually exclusive"),
    (dict(batch_sampler=[[0]], shuffle=True), "batch_sampler is mutually exclusive"),
    (dict(batch_sampler=[[0]], sampler=[0]), "batch_sampler is mutually exclusive"),
    (dict(batch_sampler=[[0]], drop_last=True), "batch_sampler is mutually exclusive"),
    (dict(batch_sampler=[[0]], batch_size=None), "batch_sampler is mutually exclusive"),
    (dict(batch_size=None, drop_last=True), "batch_size=None"),
    (dict(batch_size=2, drop_last=1), "drop_last should be a boolean"),
])
def test_conflicting_arguments_raise_value_errors_naming_dataloader(kwargs, message):
    with pytest.raises(ValueError, match=f"DataLoader.*{message}"):
        DataLoader(Numbers(4), **kwargs)


def test_multiprocessing_context_checks():
    with pytest.raises(TypeError, match="DataLoader: multiprocessing_context"):
        DataLoader(Numbers(4), num_workers=1, multiprocessing_context=3)
    loader = DataLoader(Numbers(4), num_workers=1, multiprocessing_context="spawn")
    assert isinstance(loader.multiprocessing_context, multiprocessing.context.BaseContext)
    assert values(loader) == [[0], [1], [2], [3]]


def test_workers_load_in_process_with_identical_batches():
    def epochs(**kwargs):
        loader = DataLoader(Numbers(20), batch_size=6, shuffle=True, generator=autograd.Generator().manual_seed(4),
                            **kwargs)
        return values(loader), values(loader)

    assert epochs(num_workers=3) == epochs() == epochs(num_workers=2, persistent_workers=True, prefetch_factor=4)
    loader = DataLoader(Stream(5), batch_size=2, num_workers=4)
    assert values(loader) == [[0, 1], [2, 3], [4]]  # each sample once, not once per worker
    assert loader.prefetch_factor == 2 and DataLoader(Numbers(2)).prefetch_factor is None


def test_worker_init_fn_is_called_with_id_zero_per_epoch_only_with_workers():
    calls = []
    loader = DataLoader(Numbers(3), num_workers=2, worker_init_fn=calls.append)
    assert calls == []
    values(loader)
    values(loader)
    assert calls == [0, 0]
    persistent = DataLoader(Numbers(3), num_workers=2, persistent_workers=True, worker_init_fn=calls.append)
    values(persistent)
    values(persistent)
    assert calls == [0, 0, 0]
    values(DataLoader(Numbers(3), worker_init_fn=calls.append))
    assert calls == [0, 0, 0]


def test_cpu_only_options_are_accepted_and_kept():
    loader = DataLoader(Numbers(5), batch_size=2, pin_memory=True, timeout=3.0, pin_memory_device="cuda",
                        in_order=False)
    assert values(loader) == [[0, 1], [2, 3], [4]]
    assert (loader.pin_memory, loader.timeout, loader.pin_memory_device, loader.in_order) == (True, 3.0, "cuda", False)


@pytest.mark.parametrize("name", ["batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                  "persistent_workers"])
def test_core_attributes_cannot_be_reassigned(name):
    loader = DataLoader(Numbers(4))
    with pytest.raises(ValueError, match=f"DataLoader: {name} should not be set"):
        setattr(loader, name, None)
    loader.num_workers = 0  # other attributes may change, as in torch
