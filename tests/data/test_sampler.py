"""Samplers: orders, lengths, drop_last, argument checks and the statistics of the random ones."""

import numpy as np
import pytest

import autograd
from data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def seeded(seed=0):
    return autograd.Generator().manual_seed(seed)


def test_base_sampler_requires_iter():
    with pytest.raises(NotImplementedError, match="__iter__"):
        iter(Sampler())


def test_sequential_sampler_follows_the_current_length():
    items = [10, 20, 30]
    sampler = SequentialSampler(items)
    assert list(sampler) == [0, 1, 2] and len(sampler) == 3
    items.append(40)
    assert list(sampler) == [0, 1, 2, 3] and len(sampler) == 4


def test_random_sampler_default_is_the_generator_permutation():
    sampler = RandomSampler(range(20), generator=seeded(3))
    expected = seeded(3).numpy_rng
    first, second = list(sampler), list(sampler)
    assert first == expected.permutation(20).tolist()
    assert second == expected.permutation(20).tolist()
    assert first != second and sorted(first) == list(range(20)) and len(sampler) == 20


def test_random_sampler_more_samples_than_items_chains_whole_permutations():
    sampler = RandomSampler(range(5), num_samples=12, generator=seeded(1))
    drawn = list(sampler)
    assert len(drawn) == len(sampler) == 12
    assert sorted(drawn[:5]) == sorted(drawn[5:10]) == list(range(5))
    assert len(set(drawn[10:])) == 2


def test_random_sampler_with_replacement_is_uniform():
    drawn = np.array(list(RandomSampler(range(4), replacement=True, num_samples=40_000, generator=seeded(2))))
    counts = np.bincount(drawn, minlength=4)
    assert drawn.min() >= 0 and drawn.max() <= 3
    np.testing.assert_allclose(counts / 40_000, 0.25, atol=0.01)


def test_random_sampler_uses_the_global_seed_without_generator():
    sampler = RandomSampler(range(30))
    autograd.manual_seed(11)
    first = list(sampler)
    autograd.manual_seed(11)
    assert list(sampler) == first


def test_random_sampler_argument_checks():
    with pytest.raises(TypeError, match="RandomSampler: replacement"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="RandomSampler: num_samples"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(ValueError, match="num_samples"):
        RandomSampler([])


def test_subset_random_sampler_permutes_the_given_indices():
    sampler = SubsetRandomSampler([7, 3, 9, 1], generator=seeded(0))
    epochs = [list(sampler) for _ in range(20)]
    assert len(sampler) == 4
    assert all(sorted(e) == [1, 3, 7, 9] for e in epochs)
    assert len({tuple(e) for e in epochs}) > 1


def test_weighted_sampler_with_replacement_matches_the_weights():
    weights = [1.0, 0.0, 3.0, 6.0]
    drawn = np.array(list(WeightedRandomSampler(weights, 50_000, generator=seeded(4))))
    frequencies = np.bincount(drawn, minlength=4) / 50_000
    assert frequencies[1] == 0
    np.testing.assert_allclose(frequencies, [0.1, 0.0, 0.3, 0.6], atol=0.01)


def test_weighted_sampler_without_replacement_never_repeats_and_favours_heavy_items():
    weights = [10.0, 1.0, 1.0, 1.0, 1.0]
    firsts = []
    sampler = WeightedRandomSampler(weights, 3, replacement=False, generator=seeded(5))
    for _ in range(4000):
        drawn = list(sampler)
        assert len(drawn) == len(set(drawn)) == 3
        firsts.append(drawn[0])
    # the first draw of an epoch picks item 0 with probability 10 / 14
    assert abs(np.mean(np.array(firsts) == 0) - 10 / 14) < 0.03


def test_weighted_sampler_is_reproducible_and_accepts_arrays():
    def run(seed):
        return list(WeightedRandomSampler(np.array([0.2, 0.8]), 30, generator=seeded(seed)))

    assert run(1) == run(1) and run(1) != run(2)
    assert len(WeightedRandomSampler([1, 2], 7)) == 7


def test_weighted_sampler_argument_checks():
    with pytest.raises(ValueError, match="WeightedRandomSampler: num_samples"):
        WeightedRandomSampler([1, 2], 0)
    with pytest.raises(ValueError, match="num_samples"):
        WeightedRandomSampler([1, 2], True)
    with pytest.raises(ValueError, match="replacement"):
        WeightedRandomSampler([1, 2], 2, replacement=0)
    with pytest.raises(ValueError, match=r"1-D.*\(1, 2\)"):
        WeightedRandomSampler([[1, 2]], 2)
    with pytest.raises(RuntimeError, match="non-negative"):
        list(WeightedRandomSampler([1, -1], 2))
    with pytest.raises(RuntimeError, match="all be zero"):
        list(WeightedRandomSampler([0, 0], 2))
    with pytest.raises(RuntimeError, match="without replacement"):
        list(WeightedRandomSampler([1, 0, 2], 3, replacement=False))


def test_batch_sampler_groups_in_order_with_and_without_drop_last():
    assert list(BatchSampler(SequentialSampler(range(10)), 3, False)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(BatchSampler(SequentialSampler(range(10)), 3, True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert len(BatchSampler(range(10), 3, False)) == 4 and len(BatchSampler(range(10), 3, True)) == 3
    assert list(BatchSampler([5, 1, 4, 2], 2, False)) == [[5, 1], [4, 2]]
    assert list(BatchSampler(iter([5, 1, 4]), 2, True)) == [[5, 1]]


def test_batch_sampler_over_a_random_sampler_covers_one_permutation():
    batches = list(BatchSampler(RandomSampler(range(10), generator=seeded(0)), 4, False))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sum(batches, []) == seeded(0).numpy_rng.permutation(10).tolist()
    assert all(isinstance(i, int) for b in batches for i in b)


def test_batch_sampler_respects_a_subclass_that_overrides_iter():
    class Backwards(SequentialSampler):
        def __iter__(self):
            return iter(range(len(self.data_source) - 1, -1, -1))

    assert list(BatchSampler(Backwards(range(5)), 2, False)) == [[4, 3], [2, 1], [0]]


@pytest.mark.parametrize("batch_size", [0, -1, 1.5, True])
def test_batch_sampler_rejects_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="BatchSampler: batch_size"):
        BatchSampler(range(4), batch_size, False)


def test_batch_sampler_rejects_non_bool_drop_last():
    with pytest.raises(ValueError, match="BatchSampler: drop_last"):
        BatchSampler(range(4), 2, 1)
