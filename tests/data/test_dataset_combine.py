"""ChainDataset, StackDataset and IterableDataset + IterableDataset, alone and through the DataLoader."""

import numpy as np
import pytest

import autograd
from data import (
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    StackDataset,
    TensorDataset,
)


class Range(IterableDataset):
    """The ints start, ..., end - 1; sized unless ``sized=False``."""

    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))

    def __len__(self):
        return self.end - self.start


class Unsized(IterableDataset):
    def __iter__(self):
        return iter("xy")


class Squares(Dataset):
    """Sample i is i * i, indexed like a list (negative indices count from the end; IndexError outside)."""

    def __init__(self, n):
        self.squares = [i * i for i in range(n)]

    def __len__(self):
        return len(self.squares)

    def __getitem__(self, index):
        return self.squares[index]


class Batched(Squares):
    """Squares with a __getitems__ that records its calls (and returns ``extra`` more samples than asked)."""

    def __init__(self, n, extra=0):
        super().__init__(n)
        self.extra = extra
        self.calls = []

    def __getitems__(self, indices):
        self.calls.append(list(indices))
        return [self[i] for i in indices] + [0] * self.extra


def lists(batch):
    """Tensors to nested Python lists, recursively through lists and dicts."""
    if isinstance(batch, dict):
        return {key: lists(value) for key, value in batch.items()}
    if isinstance(batch, list):
        return [lists(value) for value in batch]
    return batch.numpy().tolist()


def test_chain_yields_members_in_order_and_len_is_the_sum():
    chain = ChainDataset([Range(0, 3), Range(10, 12)])
    assert isinstance(chain, IterableDataset)
    assert list(chain) == list(chain) == [0, 1, 2, 10, 11]
    assert len(chain) == 5
    assert list(ChainDataset([])) == [] and len(ChainDataset([])) == 0
    assert list(ChainDataset([chain, Range(20, 21)])) == [0, 1, 2, 10, 11, 20]


def test_chain_keeps_datasets_as_given():
    members = (Range(0, 1), Range(5, 6))
    assert ChainDataset(members).datasets is members
    one_shot = ChainDataset(d for d in members)  # a generator is used up by the first pass, as in torch
    assert [sample for sample in one_shot] == [0, 5]
    assert [sample for sample in one_shot] == []
    counted = ChainDataset(d for d in members)
    assert len(counted) == 2 and list(counted) == []  # len consumed it (list() asks len first)


def test_chain_len_names_the_member_without_a_length():
    chain = ChainDataset([Range(0, 3), Unsized()])
    assert list(chain) == [0, 1, 2, "x", "y"]
    with pytest.raises(TypeError, match=r"ChainDataset: datasets\[1\] \(Unsized\) has no len\(\)"):
        len(chain)
    with pytest.raises(TypeError):
        len(DataLoader(chain, batch_size=2))


def test_chain_rejects_map_style_members_when_reached():
    chain = ChainDataset([Range(0, 2), Squares(3)])  # accepted at construction, as in torch
    message = r"ChainDataset: only supports IterableDataset, but datasets\[1\] has type Squares"
    iterator = iter(chain)
    assert [next(iterator), next(iterator)] == [0, 1]
    with pytest.raises(TypeError, match=message):
        next(iterator)
    with pytest.raises(TypeError, match=message):
        len(chain)
    with pytest.raises(TypeError, match=r"datasets\[0\] has type list"):
        list(ChainDataset([[1, 2]]))
    with pytest.raises(TypeError, match="IterableDataset: iterate over it instead of indexing"):
        chain[0]


def test_plus_on_iterable_datasets_chains_them_and_nests_to_the_left():
    a, b, c = Range(0, 2), Range(5, 7), Range(9, 10)
    joined = a + b
    assert type(joined) is ChainDataset and joined.datasets == [a, b]
    assert list(joined) == [0, 1, 5, 6] and len(joined) == 4
    three = a + b + c
    assert type(three.datasets[0]) is ChainDataset and three.datasets[1] is c
    assert list(three) == [0, 1, 5, 6, 9]
    with pytest.raises(TypeError, match=r"datasets\[1\] has type Squares"):
        list(a + Squares(2))
    with pytest.raises(TypeError, match="ConcatDataset: cannot concatenate an IterableDataset"):
        Squares(2) + a
    assert type(Squares(2) + Squares(3)) is ConcatDataset


def test_loader_over_a_chain_batches_across_member_boundaries():
    chain = Range(0, 5) + Range(10, 13)
    loader = DataLoader(chain, batch_size=2)
    assert len(loader) == 4
    assert [lists(b) for b in loader] == [[0, 1], [2, 3], [4, 10], [11, 12]]
    dropping = DataLoader(chain, batch_size=3, drop_last=True)
    assert len(dropping) == 2
    assert [lists(b) for b in dropping] == [[0, 1, 2], [3, 4, 10]]
    assert list(DataLoader(chain, batch_size=None)) == [0, 1, 2, 3, 4, 10, 11, 12]


def test_stack_of_positional_datasets_gives_tuples():
    stack = StackDataset(Squares(3), "abc")
    assert len(stack) == 3
    assert [stack[i] for i in range(3)] == [(0, "a"), (1, "b"), (4, "c")]
    assert stack.datasets[1] == "abc"
    assert stack[-1] == (4, "c")  # the index goes to every member unchanged
    with pytest.raises(IndexError, match="out of range"):
        stack[3]
    with pytest.raises(IndexError, match="out of range"):
        stack[-4]
    assert StackDataset(Squares(2))[1] == (1,)


def test_stack_of_keyword_datasets_gives_dicts():
    stack = StackDataset(square=Squares(2), letter=["p", "q"])
    assert isinstance(stack.datasets, dict) and list(stack.datasets) == ["square", "letter"]
    assert len(stack) == 2
    assert stack[1] == {"square": 1, "letter": "q"}
    assert stack.__getitems__([1, 0]) == [{"square": 1, "letter": "q"}, {"square": 0, "letter": "p"}]


def test_stack_members_may_be_tensors_and_arrays():
    stack = StackDataset(autograd.tensor([1.0, 2.0, 3.0]), np.array([10, 20, 30]))
    first, second = stack[2]
    assert first.item() == 3.0 and second == 30
    assert len(stack) == 3


def test_stack_rejects_mismatched_lengths_naming_each():
    with pytest.raises(ValueError, match=r"StackDataset: size mismatch between datasets "
                                         r"\(datasets\[0\]: 2, datasets\[1\]: 2, datasets\[2\]: 4\)"):
        StackDataset(Squares(2), Squares(2), Squares(4))
    with pytest.raises(ValueError, match=r"\(datasets\['a'\]: 2, datasets\['b'\]: 3\)"):
        StackDataset(a=Squares(2), b=Squares(3))
    assert len(StackDataset(Squares(0), [])) == 0


def test_stack_rejects_no_datasets_both_kinds_and_unsized():
    with pytest.raises(ValueError, match="StackDataset: at least one dataset should be passed, got none"):
        StackDataset()
    with pytest.raises(ValueError, match=r"not both; got 1 positional and keywords \['b'\]"):
        StackDataset(Squares(2), b=Squares(2))
    with pytest.raises(TypeError, match=r"StackDataset: datasets\[1\] \(Unsized\) has no len\(\)"):
        StackDataset(Squares(2), Unsized())


def test_stack_getitems_uses_members_getitems_and_checks_their_size():
    batched = Batched(4)
    stack = StackDataset(batched, "wxyz")
    assert stack.__getitems__([3, 1]) == [(9, "z"), (1, "x")]
    assert batched.calls == [[3, 1]]
    assert stack.__getitems__([]) == []
    with pytest.raises(ValueError, match=r"StackDataset: nested dataset's output size mismatch: "
                                         r"datasets\['b'\].__getitems__ \(Batched\) returned 3 samples for 2"):
        StackDataset(a=Squares(4), b=Batched(4, extra=1)).__getitems__([0, 1])


def test_loader_over_a_tuple_stack_collates_each_member():
    pairs = TensorDataset(np.arange(6.0).reshape(3, 2), np.array([7, 8, 9]))
    batched = Batched(3)
    stack = StackDataset(pairs, batched)
    batches = [lists(b) for b in DataLoader(stack, batch_size=2)]
    assert batches == [[[[[0.0, 1.0], [2.0, 3.0]], [7, 8]], [0, 1]],
                       [[[[4.0, 5.0]], [9]], [4]]]
    assert batched.calls == [[0, 1], [2]]  # one call per batch


def test_loader_over_a_dict_stack_gives_dicts_of_batches():
    stack = StackDataset(image=TensorDataset(np.arange(6.0).reshape(3, 2)),
                         meta=[{"id": 5, "tag": "a"}, {"id": 6, "tag": "b"}, {"id": 7, "tag": "c"}])
    first, second = DataLoader(stack, batch_size=2)
    assert lists(first["image"]) == [[[0.0, 1.0], [2.0, 3.0]]]
    assert lists(first["meta"]["id"]) == [5, 6] and first["meta"]["tag"] == ["a", "b"]
    assert first["meta"]["id"].dtype == autograd.int64
    assert lists(second["image"]) == [[[4.0, 5.0]]] and second["meta"]["tag"] == ["c"]
    unbatched = next(iter(DataLoader(stack, batch_size=None)))
    assert lists(unbatched["image"]) == [[0.0, 1.0]] and unbatched["meta"] == {"id": 5, "tag": "a"}
