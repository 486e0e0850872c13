"""DataLoader batching, shuffling, drop_last and len; default_collate; the fast path."""

from collections import namedtuple

import numpy as np
import pytest

import autograd
from data import DataLoader, Dataset, Subset, TensorDataset, default_collate


class Squares(Dataset):
    """Sample i is (i, i * i) as plain Python ints: exercises the per-sample path."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index, index * index


def labels_of(loader):
    return [batch[0].numpy().tolist() for batch in loader]


def test_batches_in_order_with_a_short_last_batch():
    loader = DataLoader(Squares(10), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    assert [b[0].numpy().tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[2][1].numpy().tolist() == [64, 81]
    assert batches[0][0].dtype == np.int64


def test_drop_last_drops_the_short_batch_and_len_agrees():
    loader = DataLoader(Squares(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert labels_of(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(DataLoader(Squares(8), batch_size=4, drop_last=True)) == 2
    assert len(DataLoader(Squares(9), batch_size=4)) == 3
    assert len(DataLoader(Squares(3), batch_size=4, drop_last=True)) == 0


def test_default_batch_size_is_one():
    assert labels_of(DataLoader(Squares(3))) == [[0], [1], [2]]


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_invalid_batch_size_is_rejected(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(Squares(3), batch_size=batch_size)


def test_same_seed_gives_the_same_batches_and_another_seed_different_ones():
    def epoch(seed):
        return labels_of(DataLoader(Squares(50), batch_size=8, shuffle=True,
                                    generator=autograd.Generator().manual_seed(seed)))

    first = epoch(1)
    assert first == epoch(1)
    assert first != epoch(2)
    assert sorted(sum(first, [])) == list(range(50))


def test_each_epoch_reshuffles_and_is_reproducible():
    def two_epochs(seed):
        loader = DataLoader(Squares(30), batch_size=30, shuffle=True,
                            generator=autograd.Generator().manual_seed(seed))
        return labels_of(loader), labels_of(loader)

    first, second = two_epochs(7)
    assert first != second
    assert (first, second) == two_epochs(7)


def test_without_generator_the_global_seed_decides():
    loader = DataLoader(Squares(40), batch_size=40, shuffle=True)
    autograd.manual_seed(3)
    first = labels_of(loader)
    autograd.manual_seed(3)
    assert labels_of(loader) == first
    autograd.manual_seed(4)
    assert labels_of(loader) != first


def test_collate_of_tuples_gives_a_list_of_stacked_fields():
    batch = default_collate([(np.array([1.0, 2.0], dtype=np.float32), 3, 0.5),
                             (np.array([4.0, 5.0], dtype=np.float32), 6, 1.5)])
    assert isinstance(batch, list) and len(batch) == 3
    assert batch[0].shape == (2, 2) and batch[0].dtype == np.float32
    np.testing.assert_array_equal(batch[0].numpy(), [[1, 2], [4, 5]])
    assert batch[1].dtype == np.int64 and batch[1].numpy().tolist() == [3, 6]
    assert batch[2].dtype == np.float32 and batch[2].numpy().tolist() == [0.5, 1.5]


def test_collate_of_dicts_namedtuples_strings_and_nesting():
    Pair = namedtuple("Pair", "x label")
    batch = default_collate([{"p": Pair(np.zeros(3, dtype=np.uint8), 1), "name": "a", "v": [1, 2.0]},
                             {"p": Pair(np.ones(3, dtype=np.uint8), 0), "name": "b", "v": [3, 4.0]}])
    assert isinstance(batch["p"], Pair)
    assert batch["p"].x.shape == (2, 3) and batch["p"].x.dtype == np.uint8
    assert batch["p"].label.numpy().tolist() == [1, 0]
    assert batch["name"] == ["a", "b"]
    assert isinstance(batch["v"], list)
    assert batch["v"][0].numpy().tolist() == [1, 3] and batch["v"][1].numpy().tolist() == [2.0, 4.0]


def test_collate_keeps_numpy_scalar_dtypes_and_stacks_tensors():
    assert default_collate([np.float64(1), np.float64(2)]).dtype == np.float64
    stacked = default_collate([autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])])
    assert stacked.shape == (2, 2)
    np.testing.assert_array_equal(stacked.numpy(), [[1, 2], [3, 4]])


def test_collate_errors_are_clear():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([(1, 2), (3,)])
    with pytest.raises(RuntimeError, match="different shapes"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(TypeError, match="found object"):
        default_collate([object(), object()])


def test_tensor_dataset_fast_path_equals_the_per_sample_path():
    x = np.arange(60, dtype=np.float32).reshape(20, 3)
    y = np.arange(20, dtype=np.int64) % 4
    dataset = TensorDataset(x, y)
    assert len(dataset) == 20
    sample_x, sample_y = dataset[5]
    np.testing.assert_array_equal(sample_x.numpy(), x[5])
    assert sample_y.item() == 1

    def run(collate_fn):
        loader = DataLoader(dataset, batch_size=6, shuffle=True, collate_fn=collate_fn,
                            generator=autograd.Generator().manual_seed(0))
        return [(bx.numpy().copy(), by.numpy().copy()) for bx, by in loader]

    fast, slow = run(None), run(default_collate)
    assert len(fast) == len(slow) == 4
    for (fx, fy), (sx, sy) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(fx, sx)
        np.testing.assert_array_equal(fy, sy)
        assert fx.dtype == np.float32 and fy.dtype == np.int64
        np.testing.assert_array_equal(fx[:, 0] // 3 % 4, fy)  # rows stay paired with their labels


def test_fast_path_batches_are_copies():
    x = np.zeros((4, 2), dtype=np.float32)
    batch_x, = next(iter(DataLoader(TensorDataset(x), batch_size=4)))
    batch_x.numpy()[:] = 1
    assert not x.any()


def test_fast_path_through_a_subset():
    x = np.arange(10, dtype=np.int64)
    loader = DataLoader(Subset(TensorDataset(x), [9, 3, 5]), batch_size=2)
    assert labels_of(loader) == [[9, 3], [5]]


def test_tensor_dataset_rejects_mismatched_sizes():
    with pytest.raises(ValueError, match=r"\(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))
