"""EmbeddingBag / embedding_bag: bags from offsets and 2-D input, the three modes (formulas in numpy), empty
bags, padding_idx, per_sample_weights, include_last_offset, ties in 'max', scale_grad_by_freq, max_norm,
the module's init, repr and state_dict, errors, gradchecks; and nn.utils.rnn.pad_sequence."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from nn.utils.rnn import pad_sequence


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def ints(values):
    return autograd.tensor(np.asarray(values, dtype=np.int64))


WEIGHT = np.arange(12, dtype=np.float64).reshape(6, 2) * np.array([1.0, -1.0])
INPUT = [1, 2, 4, 5, 4, 3, 2, 0]
OFFSETS = [0, 2, 2, 5]  # bags [1, 2], [], [4, 5, 4], [3, 2, 0]
BAGS = [[1, 2], [], [4, 5, 4], [3, 2, 0]]


def reference(mode, bags, weights=None, padding_idx=None):
    out = np.zeros((len(bags), 2))
    for b, bag in enumerate(bags):
        keep = [k for k, i in enumerate(bag) if i != padding_idx]
        if not keep:
            continue
        rows = WEIGHT[[bag[k] for k in keep]]
        if weights is not None:
            rows = rows * np.asarray(weights[b])[keep, None]
        out[b] = {"sum": rows.sum(0), "mean": rows.mean(0), "max": rows.max(0)}[mode]
    return out


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_modes_with_offsets_and_padding(mode):
    got = F.embedding_bag(ints(INPUT), t64(WEIGHT), ints(OFFSETS), mode=mode)
    np.testing.assert_allclose(got.numpy(), reference(mode, BAGS))
    padded = F.embedding_bag(ints(INPUT), t64(WEIGHT), ints(OFFSETS), mode=mode, padding_idx=4)
    np.testing.assert_allclose(padded.numpy(), reference(mode, BAGS, padding_idx=4))  # bag 2 is then [5]
    negative = F.embedding_bag(ints(INPUT), t64(WEIGHT), ints(OFFSETS), mode=mode, padding_idx=-2)
    np.testing.assert_array_equal(negative.numpy(), padded.numpy())
    two_d = F.embedding_bag(ints([[1, 2, 4], [5, 0, 0]]), t64(WEIGHT), mode=mode)
    np.testing.assert_allclose(two_d.numpy(), reference(mode, [[1, 2, 4], [5, 0, 0]]))


def test_gradients_per_mode():
    w = t64(WEIGHT, True)
    grad_out = t64(np.arange(8.0).reshape(4, 2))
    expected = {
        # sum: each index gets the gradients of its bags (index 4 twice in bag 2)
        "sum": [[6, 7], [0, 1], [6, 8], [6, 7], [8, 10], [4, 5]],
        # mean: divided by the bag sizes (2, 3, 3)
        "mean": [[2, 7 / 3], [0, 0.5], [2, 0.5 + 7 / 3], [2, 7 / 3], [8 / 3, 10 / 3], [4 / 3, 5 / 3]],
        # max: the largest row per feature (column 0 rises with the index, column 1 falls)
        "max": [[0, 7], [0, 1], [0, 0], [6, 0], [0, 5], [4, 0]],
    }
    for mode, grad in expected.items():
        out = F.embedding_bag(ints(INPUT), w, ints(OFFSETS), mode=mode)
        (g,) = autograd.grad(out, w, grad_out)
        np.testing.assert_allclose(g.numpy(), grad, err_msg=mode)


def test_max_ties_give_the_gradient_to_the_first_row_of_the_bag():
    w = t64([[1.0, 5.0], [1.0, 2.0], [3.0, 5.0]], True)
    out = F.embedding_bag(ints([0, 1, 2, 1, 0]), w, ints([0, 3]), mode="max")
    np.testing.assert_array_equal(out.detach().numpy(), [[3, 5], [1, 5]])
    (g,) = autograd.grad(out, w, t64([[1.0, 10.0], [100.0, 1000.0]]))
    np.testing.assert_array_equal(g.numpy(), [[0, 1010], [100, 0], [1, 0]])  # PyTorch 2.13's values


def test_per_sample_weights_and_their_gradient():
    weights = np.linspace(-1, 2, 8)
    w, s = t64(WEIGHT, True), t64(weights, True)
    out = F.embedding_bag(ints(INPUT), w, ints(OFFSETS), mode="sum", per_sample_weights=s, padding_idx=2)
    per_bag = [weights[0:2], weights[2:2], weights[2:5], weights[5:8]]
    np.testing.assert_allclose(out.detach().numpy(), reference("sum", BAGS, per_bag, padding_idx=2))
    grad_out = np.arange(8.0).reshape(4, 2)
    (gs,) = autograd.grad(out, s, t64(grad_out))
    bag_of = np.array([0, 0, 2, 2, 2, 3, 3, 3])
    expected = (WEIGHT[INPUT] * grad_out[bag_of]).sum(1) * (np.array(INPUT) != 2)
    np.testing.assert_allclose(gs.numpy(), expected)


def test_include_last_offset_and_empty_bags():
    w = t64(WEIGHT)
    # offsets (B + 1,): the last entry ends the bags; PyTorch's CPU kernel still runs the last bag to the end
    got = F.embedding_bag(ints(INPUT), w, ints([0, 2, 2, 5, 8]), mode="sum", include_last_offset=True)
    np.testing.assert_allclose(got.numpy(), reference("sum", BAGS))
    short = F.embedding_bag(ints(INPUT), w, ints([0, 2, 5]), mode="sum", include_last_offset=True)
    np.testing.assert_allclose(short.numpy(), reference("sum", [[1, 2], [4, 5, 4, 3, 2, 0]]))
    empty = F.embedding_bag(ints([]), w, ints([0, 0]), mode="mean")
    assert empty.numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    only_padding = F.embedding_bag(ints([3, 3]), w, ints([0]), mode="max", padding_idx=3)
    assert only_padding.numpy().tolist() == [[0.0, 0.0]]


def test_scale_grad_by_freq_and_max_norm():
    w = t64(WEIGHT, True)
    out = F.embedding_bag(ints([1, 1, 2, 1]), w, ints([0, 2]), mode="mean", scale_grad_by_freq=True)
    np.testing.assert_allclose(out.detach().numpy(), reference("mean", [[1, 1], [2, 1]]))
    (g,) = autograd.grad(out.sum(), w)
    # index 1: 0.5 + 0.5 + 0.5 over 3 occurrences; index 2: 0.5 over 1
    np.testing.assert_allclose(g.numpy()[1:3], [[0.5, 0.5], [0.5, 0.5]])
    renormed = t64(WEIGHT)
    F.embedding_bag(ints([1, 5]), renormed, ints([0]), max_norm=1.0, mode="sum")
    norms = np.linalg.norm(renormed.numpy(), axis=1)
    np.testing.assert_allclose(norms[[1, 5]], 1.0, rtol=1e-6)
    np.testing.assert_array_equal(renormed.numpy()[[0, 2, 3, 4]], WEIGHT[[0, 2, 3, 4]])


def test_module_init_repr_and_state_dict():
    bag = nn.EmbeddingBag(10, 3, padding_idx=2)
    assert bag.weight.shape == (10, 3) and list(bag.state_dict()) == ["weight"]
    assert bag.weight.detach().numpy()[2].tolist() == [0.0, 0.0, 0.0]
    assert repr(bag) == "EmbeddingBag(10, 3, mode='mean', padding_idx=2)"
    full = nn.EmbeddingBag(10, 3, max_norm=1.0, norm_type=1, scale_grad_by_freq=True, mode="max",
                           include_last_offset=True)
    assert repr(full) == "EmbeddingBag(10, 3, max_norm=1.0, norm_type=1, scale_grad_by_freq=True, mode='max')"
    assert nn.EmbeddingBag(4, 2, padding_idx=-1).padding_idx == 3
    pretrained = nn.EmbeddingBag.from_pretrained(t64(WEIGHT), mode="sum")
    assert not pretrained.weight.requires_grad
    np.testing.assert_allclose(pretrained(ints([[1, 2], [3, 0]])).detach().numpy(), reference("sum", [[1, 2], [3, 0]]))
    np.testing.assert_allclose(pretrained(ints(INPUT), ints(OFFSETS)).detach().numpy(), reference("sum", BAGS))
    assert nn.EmbeddingBag.from_pretrained(t64(WEIGHT), freeze=False).weight.requires_grad
    with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
        nn.EmbeddingBag(5, 2, padding_idx=5)
    with pytest.raises(AssertionError, match="Shape of weight does not match"):
        nn.EmbeddingBag(5, 2, _weight=t64(np.zeros((3, 2))))


def test_errors():
    w, x, off = t64(WEIGHT), ints(INPUT), ints(OFFSETS)
    with pytest.raises(ValueError, match="embedding_bag: offsets has to be a 1-D tensor .* got None"):
        F.embedding_bag(x, w)
    with pytest.raises(ValueError, match=r"if input is 2-D \(B, N\), offsets has to be None"):
        F.embedding_bag(ints([[1, 2]]), w, off)
    with pytest.raises(RuntimeError, match=r"offsets\[0\] has to be 0.*got 1"):
        F.embedding_bag(x, w, ints([1, 3]))
    with pytest.raises(RuntimeError, match=r"offsets\[-1\] can not be greater than the input's length 8"):
        F.embedding_bag(x, w, ints([0, 9]))
    with pytest.raises(RuntimeError, match="offsets must be non-decreasing"):
        F.embedding_bag(x, w, ints([0, 3, 2]))
    with pytest.raises(RuntimeError, match=r"indices in \[0, 6\) for a weight of shape \[6, 2\], but found index 6"):
        F.embedding_bag(ints([0, 6]), w, ints([0]))
    with pytest.raises(NotImplementedError, match="only supported for mode='sum' \\(got mode='mean'\\)"):
        F.embedding_bag(x, w, off, per_sample_weights=t64(np.ones(8)))
    with pytest.raises(ValueError, match=r"per_sample_weights of shape \[7\] must have the same shape as the input"):
        F.embedding_bag(x, w, off, mode="sum", per_sample_weights=t64(np.ones(7)))
    with pytest.raises(ValueError, match="max mode does not support scaling the gradient"):
        F.embedding_bag(x, w, off, mode="max", scale_grad_by_freq=True)
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max, got 'min'"):
        F.embedding_bag(x, w, off, mode="min")
    with pytest.raises(ValueError, match=r"input has to be a 1-D or 2-D tensor, got shape \[2, 2, 2\]"):
        F.embedding_bag(ints(np.zeros((2, 2, 2))), w)
    with pytest.raises(RuntimeError, match="expected indices of dtype int64 or int32, got float64"):
        F.embedding_bag(t64(INPUT), w.float(), off)
    with pytest.raises(RuntimeError, match="padding_idx must be within the number of embeddings, -6 through 5"):
        F.embedding_bag(x, w, off, padding_idx=6)


def test_gradchecks():
    rng = np.random.default_rng(0)
    w = t64(rng.standard_normal((6, 3)), True)
    s = t64(rng.standard_normal(8), True)
    for mode in ("sum", "mean", "max"):
        fn = lambda u, mode=mode: F.embedding_bag(ints(INPUT), u, ints(OFFSETS), mode=mode, padding_idx=0)  # noqa: E731
        assert autograd.gradcheck(fn, [w])
        assert autograd.gradgradcheck(fn, [w])
    fn = lambda u, v: F.embedding_bag(ints(INPUT), u, ints(OFFSETS), mode="sum", per_sample_weights=v)  # noqa: E731
    assert autograd.gradcheck(fn, [w, s])
    assert autograd.gradgradcheck(fn, [w, s])


def test_pad_sequence():
    a, b, c = t64([[1.0], [2.0], [3.0]], True), t64([[4.0]], True), t64([[5.0], [6.0]], True)
    out = pad_sequence([a, b, c], padding_value=-1.0)
    assert out.shape == (3, 3, 1)
    np.testing.assert_array_equal(out.detach().numpy()[..., 0], [[1, 4, 5], [2, -1, 6], [3, -1, -1]])
    left = pad_sequence([a, b, c], batch_first=True, padding_side="left")
    np.testing.assert_array_equal(left.detach().numpy()[..., 0], [[1, 2, 3], [0, 0, 4], [0, 5, 6]])
    (ga, gb) = autograd.grad((left * t64(np.arange(9.0).reshape(3, 3, 1))).sum(), [a, b])
    np.testing.assert_array_equal(ga.numpy()[:, 0], [0, 1, 2])
    np.testing.assert_array_equal(gb.numpy()[:, 0], [5])
    ints_first = pad_sequence([ints([1, 2]), t64([3.0])], padding_value=0.5)
    assert ints_first.dtype == np.int64 and ints_first.numpy().tolist() == [[1, 3], [2, 0]]
    assert pad_sequence(t64(np.zeros((2, 3)))).shape == (3, 2)
    assert pad_sequence([t64(np.zeros((0, 2))), t64(np.zeros((0, 2)))]).shape == (0, 2, 2)
    with pytest.raises(RuntimeError, match="pad_sequence: received an empty list of sequences"):
        pad_sequence([])
    with pytest.raises(RuntimeError, match=r"like the first, but sequence 1 has shape \[2, 3\]"):
        pad_sequence([t64(np.zeros((3, 2))), t64(np.zeros((2, 3)))])
    with pytest.raises(RuntimeError, match="padding_side to be one of 'left' or 'right', got 'middle'"):
        pad_sequence([a], padding_side="middle")
    assert autograd.gradcheck(lambda u, v: pad_sequence([u, v], batch_first=True), [a, c])
