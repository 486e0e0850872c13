"""get_worker_info: None in the main process; one worker (id 0 of 1) while a loader with workers is loading."""

import dataclasses
import math

import pytest

import autograd
from data import DataLoader, Dataset, IterableDataset, WorkerInfo, get_worker_info


class Sharded(IterableDataset):
    """PyTorch's documented sharding idiom: each worker reads its own slice of [start, end)."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.seen = []

    def __iter__(self):
        info = get_worker_info()
        self.seen.append(info)
        if info is None:
            return iter(range(self.start, self.end))
        per_worker = math.ceil((self.end - self.start) / info.num_workers)
        low = self.start + info.id * per_worker
        return iter(range(low, min(low + per_worker, self.end)))


class Recording(Dataset):
    """Sample i is i; records what get_worker_info returns inside __getitem__."""

    def __init__(self, n):
        self.n = n
        self.seen = []

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        self.seen.append(get_worker_info())
        return index


def flat(loader):
    return [value for batch in loader for value in batch.numpy().tolist()]


def test_main_process_sees_none():
    assert get_worker_info() is None
    dataset = Sharded(0, 5)
    assert flat(DataLoader(dataset, batch_size=2)) == [0, 1, 2, 3, 4]
    assert dataset.seen == [None]


@pytest.mark.parametrize("num_workers", [1, 2, 4])
def test_sharding_idiom_gives_each_sample_exactly_once(num_workers):
    dataset = Sharded(3, 10)
    loader = DataLoader(dataset, batch_size=3, num_workers=num_workers)
    assert flat(loader) == [3, 4, 5, 6, 7, 8, 9]
    (info,) = dataset.seen
    assert (info.id, info.num_workers, info.dataset) == (0, 1, dataset)
    chained = Sharded(0, 3) + Sharded(10, 12)
    assert flat(DataLoader(chained, batch_size=2, num_workers=num_workers)) == [0, 1, 2, 10, 11]


def test_info_is_visible_while_loading_and_none_in_the_loop_body():
    dataset = Recording(4)
    for batch in DataLoader(dataset, batch_size=2, num_workers=3):
        assert get_worker_info() is None
        assert len(batch) == 2
    assert len(dataset.seen) == 4 and all(info is dataset.seen[0] for info in dataset.seen)
    assert dataset.seen[0].num_workers == 1
    assert get_worker_info() is None


def test_worker_init_fn_sees_the_info_of_its_epoch():
    seen = []

    def worker_init_fn(worker_id):
        info = get_worker_info()
        seen.append((worker_id, info.id, info.num_workers, info.seed))

    def seeds(**kwargs):
        seen.clear()
        loader = DataLoader(Recording(2), num_workers=2, worker_init_fn=worker_init_fn,
                            generator=autograd.Generator().manual_seed(7), **kwargs)
        flat(loader), flat(loader)
        return [entry[3] for entry in seen]

    first, second = seeds()
    assert [entry[:3] for entry in seen] == [(0, 0, 1), (0, 0, 1)]
    assert first != second and 0 <= first < 2 ** 63
    assert seeds() == [first, second]  # reproducible from the generator's seed
    assert seeds(persistent_workers=True) == [first]  # persistent: one worker, initialised once


def test_seed_does_not_change_the_shuffled_order():
    def epochs(num_workers):
        loader = DataLoader(Recording(10), batch_size=4, shuffle=True, num_workers=num_workers,
                            generator=autograd.Generator().manual_seed(3))
        return flat(loader), flat(loader)

    assert epochs(2) == epochs(0)


def test_worker_info_is_immutable_and_has_torchs_fields():
    info = WorkerInfo(id=0, num_workers=1, seed=5, dataset=None)
    assert [field.name for field in dataclasses.fields(WorkerInfo)] == [
        "id", "num_workers", "seed", "dataset", "rng", "worker_method"]
    assert (info.rng, info.worker_method) == (None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.id = 1
