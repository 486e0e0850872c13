"""Subset, ConcatDataset and random_split."""

import numpy as np
import pytest

import autograd
from data import ConcatDataset, DataLoader, Dataset, Subset, TensorDataset, random_split


class Letters(Dataset):
    def __init__(self, text):
        self.text = text

    def __len__(self):
        return len(self.text)

    def __getitem__(self, index):
        return self.text[index]


def test_base_dataset_requires_getitem():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


def test_subset_maps_indices_in_order():
    subset = Subset(Letters("abcdef"), [5, 0, 2])
    assert len(subset) == 3
    assert [subset[i] for i in range(3)] == ["f", "a", "c"]


def test_concat_dataset_indexing_and_negative_indices():
    joined = ConcatDataset([Letters("abc"), Letters("de"), Letters("fghi")])
    assert len(joined) == 9
    assert joined.cumulative_sizes == [3, 5, 9]
    assert "".join(joined[i] for i in range(9)) == "abcdefghi"
    assert joined[-1] == "i" and joined[-9] == "a"
    with pytest.raises(ValueError, match="should not exceed"):
        joined[-10]
    assert "".join((Letters("ab") + Letters("c"))[i] for i in range(3)) == "abc"


def test_concat_dataset_rejects_empty_list():
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])


def test_concat_of_tensor_datasets_uses_fast_path_with_the_right_rows():
    first = TensorDataset(np.arange(0, 5, dtype=np.int64), np.full(5, 0, dtype=np.int64))
    second = TensorDataset(np.arange(100, 103, dtype=np.int64), np.full(3, 1, dtype=np.int64))
    joined = ConcatDataset([first, second])
    fields = joined.batch_arrays(np.array([6, 0, 7, 4]))
    assert fields[0].tolist() == [101, 0, 102, 4]
    assert fields[1].tolist() == [1, 0, 1, 0]
    loader = DataLoader(joined, batch_size=8, shuffle=True, generator=autograd.Generator().manual_seed(0))
    values, parts = next(iter(loader))
    assert sorted(values.numpy().tolist()) == [0, 1, 2, 3, 4, 100, 101, 102]
    np.testing.assert_array_equal(parts.numpy(), values.numpy() >= 100)


def test_concat_fast_path_declines_parts_with_different_dtypes():
    joined = ConcatDataset([TensorDataset(np.zeros(2, dtype=np.int64)), TensorDataset(np.zeros(2))])
    assert joined.batch_arrays(np.array([0, 3])) is None


def test_random_split_with_lengths_is_a_partition():
    parts = random_split(Letters("abcdefghij"), [3, 7], generator=autograd.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))


def test_random_split_fractions_hand_out_the_remainder_round_robin():
    # floor(10 * 0.25) = 2, 2 and floor(10 * 0.5) = 5 leave 1 over, which goes to the first subset.
    assert [len(p) for p in random_split(Letters("abcdefghij"), [0.25, 0.25, 0.5])] == [3, 2, 5]
    # floor(11 * 0.25) = 2 four times leaves 3 over: one each to the first three subsets.
    parts = random_split(Letters("abcdefghijk"), [0.25, 0.25, 0.25, 0.25])
    assert [len(p) for p in parts] == [3, 3, 3, 2]
    assert sorted(sum((p.indices for p in parts), [])) == list(range(11))


def test_random_split_is_seeded():
    def split(seed):
        return [p.indices for p in random_split(Letters("abcdefghij"), [5, 5],
                                                generator=autograd.Generator().manual_seed(seed))]

    assert split(0) == split(0)
    assert split(0) != split(1)
    autograd.manual_seed(5)
    global_first = [p.indices for p in random_split(Letters("abcdefghij"), [5, 5])]
    autograd.manual_seed(5)
    assert [p.indices for p in random_split(Letters("abcdefghij"), [5, 5])] == global_first


def test_random_split_errors():
    with pytest.raises(ValueError, match="does not equal the length"):
        random_split(Letters("abc"), [1, 1])
    with pytest.raises(ValueError, match="non-negative integers or fractions"):
        random_split(Letters("abc"), [1.5, 1.5])
    with pytest.raises(ValueError, match="not between 0 and 1"):
        random_split(Letters("abc"), [1.5, -0.5])
    with pytest.warns(UserWarning) as caught:
        parts = random_split(Letters("ab"), [0.9, 0.05, 0.05])
    assert [len(p) for p in parts] == [2, 0, 0]
    assert [str(w.message).split(";")[0] for w in caught] == [
        "random_split: length of split at index 1 is 0", "random_split: length of split at index 2 is 0"]
