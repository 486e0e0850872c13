"""Packed sequences (``nn.utils.rnn``) and the recurrent layers on them: the packed layout by hand, round trips,
gradients through packing, each packed sequence's outputs and final states equal to running it alone, gradient
checks and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from nn.utils.rnn import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)

f64 = autograd.float64


def values(t: autograd.Tensor) -> np.ndarray:
    return t.detach().numpy()


def sequences(lengths: list[int], features: int = 3, seed: int = 0) -> list[autograd.Tensor]:
    rng = np.random.default_rng(seed)
    return [autograd.tensor(rng.standard_normal((n, features)), dtype=f64) for n in lengths]


# -- packing and padding ------------------------------------------------------------------------------------
def test_pack_padded_sequence_layout_by_hand():
    x = autograd.tensor(np.arange(12.0).reshape(4, 3, 1))  # (T=4, B=3, 1): x[t, b] = 3 t + b
    packed = pack_padded_sequence(x, [4, 2, 1])
    assert isinstance(packed, PackedSequence) and isinstance(packed, tuple)
    assert values(packed.data).ravel().tolist() == [0, 1, 2, 3, 4, 6, 9]
    assert packed.batch_sizes.tolist() == [3, 2, 1, 1] and packed.batch_sizes.dtype == autograd.int64
    assert packed.sorted_indices is None and packed.unsorted_indices is None


def test_unsorted_lengths_are_sorted_stably_with_indices():
    x = autograd.tensor(np.arange(6.0).reshape(6, 1, 1).repeat(2, 1))  # (B=6, T=2, 1) batch first
    packed = pack_padded_sequence(x, [1, 1, 2, 1, 1, 2], batch_first=True, enforce_sorted=False)
    assert packed.sorted_indices.tolist() == [2, 5, 0, 1, 3, 4]
    assert packed.unsorted_indices.tolist() == [2, 3, 0, 4, 5, 1]
    assert packed.batch_sizes.tolist() == [6, 2]
    assert values(packed.data).ravel().tolist() == [2, 5, 0, 1, 3, 4, 2, 5]


def test_packed_sequence_computes_the_inverse_permutation():
    order = autograd.tensor([2, 0, 1], dtype=autograd.int64)
    packed = PackedSequence(autograd.zeros(3, 1), autograd.tensor([3], dtype=autograd.int64), order)
    assert packed.unsorted_indices.tolist() == [1, 2, 0]
    assert PackedSequence._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths,enforce_sorted", [([4, 3, 3, 1], True), ([2, 4, 1, 4], False)])
def test_pad_packed_sequence_inverts_packing(batch_first, lengths, enforce_sorted):
    padded = pad_sequence(sequences(lengths), batch_first=batch_first)
    packed = pack_padded_sequence(padded, autograd.tensor(lengths), batch_first, enforce_sorted)
    again, found = pad_packed_sequence(packed, batch_first=batch_first)
    np.testing.assert_array_equal(values(again), values(padded))
    assert found.tolist() == lengths and found.dtype == autograd.int64
    longer, _ = pad_packed_sequence(packed, batch_first=batch_first, padding_value=-1.0, total_length=6)
    assert longer.shape[1 if batch_first else 0] == 6
    for b, n in enumerate(lengths):
        row = values(longer[b] if batch_first else longer[:, b])
        np.testing.assert_array_equal(row[n:], -1.0)


def test_pack_sequence_unpack_and_unpad_round_trip():
    seqs = sequences([2, 5, 1])
    for got, want in zip(unpack_sequence(pack_sequence(seqs, enforce_sorted=False)), seqs):
        np.testing.assert_array_equal(values(got), values(want))
    for got, want in zip(unpad_sequence(pad_sequence(seqs), [2, 5, 1]), seqs):
        np.testing.assert_array_equal(values(got), values(want))


def test_gradients_flow_through_pack_and_pad():
    x = autograd.randn(3, 3, 2, dtype=f64, requires_grad=True)

    def fn(x):
        return pad_packed_sequence(pack_padded_sequence(x, [1, 3, 2], enforce_sorted=False), padding_value=7.0)[0]

    assert autograd.gradcheck(fn, [x])
    fn(x).sum().backward()
    # steps past a sequence's length are not used, so they get no gradient
    np.testing.assert_array_equal(x.grad.numpy()[:, :, 0], [[1, 1, 1], [0, 1, 1], [0, 1, 0]])


def test_packing_errors_as_pytorch():
    x = autograd.zeros(3, 2, 1)
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order when `enforce_sorted` is True"):
        pack_padded_sequence(x, [1, 3])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        pack_padded_sequence(x, [2, 0])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        pack_padded_sequence(x, [0, 2], enforce_sorted=False)
    with pytest.raises(RuntimeError, match=r"the longest length \(4\) is larger than the input's 3 time steps"):
        pack_padded_sequence(x, [4, 2])
    with pytest.raises(RuntimeError, match=r"Expected `len\(lengths\)` to be equal to batch_size, but got 3"):
        pack_padded_sequence(x, [3, 2, 1])
    with pytest.raises(ValueError, match="total_length=2 and max sequence length being 3"):
        pad_packed_sequence(pack_padded_sequence(x, [3, 1]), total_length=2)


# -- recurrent layers on packed batches ---------------------------------------------------------------------
def make(name: str, **kwargs) -> nn.Module:
    autograd.manual_seed(0)
    return getattr(nn, name)(3, 4, **kwargs).double()


def as_tuple(state) -> tuple:
    return state if isinstance(state, tuple) else (state,)


@pytest.mark.parametrize("name,kwargs", [("RNN", {}), ("GRU", {"num_layers": 2}), ("LSTM", {"bidirectional": True}),
                                         ("LSTM", {"num_layers": 2, "bidirectional": True, "proj_size": 2}),
                                         ("GRU", {"bidirectional": True, "batch_first": True})])
def test_packed_batch_equals_each_sequence_alone(name, kwargs):
    rnn = make(name, **kwargs)
    lengths = [2, 5, 1, 4]
    seqs = sequences(lengths)
    packed = pack_sequence(seqs, enforce_sorted=False)
    output, state = rnn(packed)
    assert isinstance(output, PackedSequence)
    assert output.batch_sizes.tolist() == packed.batch_sizes.tolist()
    assert output.sorted_indices.tolist() == packed.sorted_indices.tolist()
    outputs = unpack_sequence(output)
    for b, seq in enumerate(seqs):
        alone_output, alone_state = rnn(seq)  # unbatched (L, input_size)
        np.testing.assert_allclose(values(outputs[b]), values(alone_output), atol=1e-12)
        for got, want in zip(as_tuple(state), as_tuple(alone_state)):
            np.testing.assert_allclose(values(got[:, b]), values(want), atol=1e-12)


def test_h_n_is_each_sequences_last_step_and_initial_states_follow_the_batch_order():
    rnn = make("GRU")
    lengths = [1, 3, 2]
    h0 = autograd.randn(1, 3, 4, dtype=f64)
    output, h_n = rnn(pack_sequence(sequences(lengths), enforce_sorted=False), h0)
    padded, _ = pad_packed_sequence(output)
    for b, n in enumerate(lengths):
        np.testing.assert_allclose(values(h_n[0, b]), values(padded[n - 1, b]), atol=1e-12)
        _, alone = rnn(sequences(lengths)[b], h0[:, b])
        np.testing.assert_allclose(values(h_n[:, b]), values(alone), atol=1e-12)


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
def test_gradcheck_through_a_packed_bidirectional_stack(name):
    autograd.manual_seed(0)
    rnn = getattr(nn, name)(2, 2, num_layers=2, bidirectional=True).double()
    x = autograd.randn(3, 3, 2, dtype=f64, requires_grad=True)
    h0 = autograd.randn(4, 3, 2, dtype=f64, requires_grad=True)

    def fn(x, h0, *params):
        packed = pack_padded_sequence(x, [2, 3, 1], enforce_sorted=False)
        hx = (h0, h0 * 0.5) if name == "LSTM" else h0
        output, state = rnn(packed, hx)
        return (pad_packed_sequence(output)[0], *as_tuple(state))

    # the parameters are perturbed in place by gradcheck, so the module sees them through its attributes
    assert autograd.gradcheck(fn, [x, h0, *rnn.parameters()])


def test_packed_input_errors():
    rnn = make("LSTM")
    with pytest.raises(RuntimeError, match="expected input with input_size=3"):
        rnn(pack_sequence([autograd.zeros(2, 5, dtype=f64)]))
    with pytest.raises(RuntimeError, match=r"expected hx\[0\] \(h_0\) of shape \(1, 2, 4\)"):
        rnn(pack_sequence(sequences([2, 1])), (autograd.zeros(1, 3, 4, dtype=f64), autograd.zeros(1, 3, 4, dtype=f64)))
    with pytest.raises(TypeError, match="pack a list of sequences with nn.utils.rnn.pack_sequence"):
        rnn(sequences([2, 1]))
