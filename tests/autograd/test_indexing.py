"""Indexing: getitem/setitem against numpy, accumulation of repeated indices, gather/scatter, masks, errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(0)


def leaf(*shape: int) -> autograd.Tensor:
    return autograd.tensor(RNG.uniform(-1, 1, shape), requires_grad=True)


def idx(values: list) -> autograd.Tensor:
    return autograd.tensor(values)


A = np.arange(60.0).reshape(3, 4, 5)
INDICES = [
    1, -1, (0, 2), (slice(None), -1), (slice(1, None, 2),), (Ellipsis, 3), (None, 1, Ellipsis, None),
    (np.array([0, 2, 0]),), ([1, 1], [2, 3]), (np.array([0, 2]), slice(None), np.array([1, 4])),
    (slice(None), np.array([[0], [3]]), np.array([1, 2])), (A[..., 0] > 20,),
    (slice(None), np.array([True, False, True, True])), (1, np.array([3, 0])), ([],),
]


@pytest.mark.parametrize("index", INDICES, ids=[str(i) for i in range(len(INDICES))])
def test_getitem_matches_numpy(index) -> None:
    x = autograd.tensor(A)
    np.testing.assert_array_equal(x[index].numpy(), A[index])


def test_getitem_with_tensor_indices_matches_numpy() -> None:
    x = autograd.tensor(A)
    np.testing.assert_array_equal(x[idx([2, 0])].numpy(), A[[2, 0]])
    np.testing.assert_array_equal(x[idx([True, False, True])].numpy(), A[[True, False, True]])
    np.testing.assert_array_equal(x[:, idx(3)].numpy(), A[:, 3])
    np.testing.assert_array_equal(x[x > 30].numpy(), A[A > 30])


def test_ints_are_applied_before_advanced_indices_as_in_pytorch() -> None:
    """PyTorch differs from numpy here: an int never counts as an advanced index (shapes checked with torch 2.x)."""
    x = autograd.tensor(A)
    assert x[1, :, [4, 0]].shape == (4, 2)  # numpy: (2, 4)
    np.testing.assert_array_equal(x[1, :, [4, 0]].numpy(), A[1][:, [4, 0]])
    assert x[None, 1, :, [4, 0]].shape == (1, 4, 2)
    assert x[[0, 2], 1, [1, 4]].shape == (2,)
    y = autograd.zeros(3, 4, 5)
    y[1, :, [4, 0]] = autograd.arange(8.0).reshape(4, 2)
    np.testing.assert_array_equal(y.numpy()[1][:, [4, 0]], np.arange(8.0).reshape(4, 2))
    z = leaf(3, 4, 5)
    z[1, :, [4, 4]].sum().backward()
    expected = np.zeros((3, 4, 5))
    expected[1, :, 4] = 2.0
    np.testing.assert_array_equal(z.grad.numpy(), expected)


def test_repeated_indices_accumulate_gradients() -> None:
    x = leaf(4)
    x[[0, 0, 3, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 0.0, 1.0])


def test_advanced_indexing_gradient_is_weighted_count() -> None:
    x = leaf(3, 4)
    y = x[idx([0, 2, 0]), idx([1, 1, 1])]
    (y * autograd.tensor([1.0, 2.0, 3.0], dtype=autograd.float64)).sum().backward()
    expected = np.zeros((3, 4))
    expected[0, 1], expected[2, 1] = 4.0, 2.0
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_bool_mask_gradient() -> None:
    x = leaf(3, 4)
    mask = x.detach().numpy() > 0
    (x[x > 0] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2.0 * mask)


def test_negative_index_and_step_gradient() -> None:
    x = leaf(5, 3)
    x[-1, ::2].sum().backward()
    expected = np.zeros((5, 3))
    expected[4, [0, 2]] = 1.0
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_second_derivative_through_repeated_getitem() -> None:
    x = leaf(4)
    assert autograd.gradgradcheck(lambda t: (t[[0, 0, 2]] ** 3).sum(), [x])


def test_iteration_and_len() -> None:
    x = leaf(3, 2)
    rows = list(x)
    assert len(x) == 3 and all(r.shape == (2,) for r in rows)
    sum(r * (i + 1) for i, r in enumerate(rows)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])


def test_indexing_errors() -> None:
    x = autograd.zeros(3, 4)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 1 with size 4"):
        x[:, 7]
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[idx([0, 5])]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="valid indices"):
        x[1.0]
    with pytest.raises(IndexError, match="long, int, byte or bool"):
        x[autograd.tensor([1.0])]
    with pytest.raises(IndexError, match="boolean index did not match"):
        x[idx([True, False])]


# -- setitem -------------------------------------------------------------------------------------------------
def test_setitem_in_place_and_version() -> None:
    x = autograd.zeros(3, 4)
    before = x._version
    x[1] = 2.0
    x[:, 0] = autograd.tensor([7.0, 8.0, 9.0])
    x[x > 7.5] = -1.0
    assert x._version == before + 3
    np.testing.assert_array_equal(x.numpy(), [[7, 0, 0, 0], [-1, 2, 2, 2], [-1, 0, 0, 0]])
    x[0][3] = 5.0  # x[0] is a view, so this writes into x as in PyTorch
    assert x[0, 3].item() == 5.0


def test_setitem_casts_values_and_rejects_arrays() -> None:
    x = autograd.zeros(3, dtype=autograd.int64)
    x[0] = 1.7
    x[1] = autograd.tensor(2.9)
    assert x.tolist() == [1, 2, 0]
    with pytest.raises(TypeError, match="ndarray"):
        x[0] = np.ones(1)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        autograd.zeros(3, 4)[0] = autograd.ones(3)


def test_setitem_gradients_for_both_sides() -> None:
    x, v = leaf(3, 4), leaf(4)
    y = x * 1
    y[0:2] = v * 2  # v broadcast over two rows
    g = np.random.default_rng(1).uniform(-1, 1, (3, 4))
    y.backward(autograd.tensor(g))
    expected_x = g.copy()
    expected_x[0:2] = 0.0
    np.testing.assert_allclose(x.grad.numpy(), expected_x)
    np.testing.assert_allclose(v.grad.numpy(), 2 * g[0:2].sum(axis=0))


def test_setitem_on_a_constant_tensor_links_it_into_the_graph() -> None:
    v = leaf(2)
    y = autograd.zeros(4, dtype=autograd.float64)
    y[idx([3, 1])] = v
    assert y.requires_grad and not y.is_leaf
    (y * autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64)).sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [4.0, 2.0])


def test_setitem_on_leaf_requiring_grad() -> None:
    x = leaf(3)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 1.0
    with autograd.no_grad():
        x[0] = 1.0
    assert x[0].item() == 1.0


def test_setitem_on_saved_tensor_is_detected() -> None:
    x = leaf(3)
    y = x * 1
    z = y * y
    y[0] = 0.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_views_share_the_version_counter() -> None:
    x = leaf(2, 3)
    y = x * 1
    z = y * y  # saves y
    with autograd.no_grad():
        y.view(-1)[0] = 5.0  # writes into y's memory through a view
    assert y[0, 0].item() == 5.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_recorded_write_through_a_view_of_a_non_leaf_is_refused_not_silently_lost() -> None:
    x = leaf(2, 3)
    y = x * 1
    v = autograd.tensor(5.0, dtype=autograd.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place change of a view .* Write through the base tensor"):
        y[0][1] = v
    y[0, 1] = v  # through the base: recorded, both gradients exact
    (y * y).sum().backward()
    assert v.grad.item() == 10.0 and x.grad.numpy()[0, 1] == 0.0


def test_setitem_into_view_of_leaf() -> None:
    w = leaf(2, 3)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        w[0][1] = 5.0
    with autograd.no_grad():
        w[0][1] = 5.0
    assert w[0, 1].item() == 5.0
    with pytest.raises(RuntimeError, match="clone"):
        autograd.zeros(3).expand(2, 3)[0] = 1.0


# -- gather / scatter ----------------------------------------------------------------------------------------
def test_gather_matches_take_along_axis() -> None:
    x = leaf(3, 4)
    index = np.array([[0, 3], [1, 1], [2, 0]])
    np.testing.assert_array_equal(
        x.gather(1, idx(index.tolist())).detach().numpy(), np.take_along_axis(x.detach().numpy(), index, 1)
    )
    small = np.array([[2, 0]])  # smaller than the input outside dim, as PyTorch allows
    expected = x.detach().numpy()[[2, 0], [0, 1]]
    np.testing.assert_array_equal(autograd.gather(x, 0, idx(small.tolist())).detach().numpy(), [expected])


def test_gather_scatter_add_adjoint() -> None:
    """<gather(x, i), y> == <x, scatter_add(0, i, y)>: scatter_add is gather's transpose."""
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((4, 5)), rng.standard_normal((4, 3))
    index = idx(rng.integers(0, 5, (4, 3)).tolist())
    lhs = (autograd.tensor(x).gather(1, index) * autograd.tensor(y)).sum().item()
    rhs = (autograd.tensor(x) * autograd.zeros(4, 5, dtype=autograd.float64).scatter_add(1, index, autograd.tensor(y))
           ).sum().item()
    assert lhs == pytest.approx(rhs)


def test_gather_gradient_accumulates() -> None:
    x = leaf(2, 3)
    x.gather(1, idx([[0, 0, 0], [2, 1, 2]])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[3.0, 0.0, 0.0], [0.0, 1.0, 2.0]])


def test_scatter_values_and_gradients() -> None:
    x, src = leaf(3, 4), leaf(3, 1)
    y = x.scatter(1, idx([[1], [0], [3]]), src * 2)
    expected = x.detach().numpy().copy()
    expected[[0, 1, 2], [1, 0, 3]] = 2 * src.detach().numpy()[:, 0]
    np.testing.assert_array_equal(y.detach().numpy(), expected)
    y.sum().backward()
    written = np.zeros((3, 4))
    written[[0, 1, 2], [1, 0, 3]] = 1
    np.testing.assert_array_equal(x.grad.numpy(), 1 - written)
    np.testing.assert_array_equal(src.grad.numpy(), [[2.0], [2.0], [2.0]])


def test_scatter_in_place_one_hot() -> None:
    labels = idx([1, 0, 3])
    one_hot = autograd.zeros(3, 4).scatter_(1, labels.unsqueeze(1), 1.0)
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(4)[[1, 0, 3]])
    acc = autograd.zeros(2).scatter_add_(0, idx([0, 0, 1]), autograd.tensor([1.0, 2.0, 3.0]))
    assert acc.tolist() == [3.0, 3.0]


def test_gather_scatter_errors() -> None:
    x = autograd.zeros(3, 4)
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 1 with size 4"):
        x.gather(1, idx([[5]]))
    with pytest.raises(RuntimeError, match="expected dtype int64 or int32 for index, got int16"):
        x.gather(1, autograd.tensor([[1]], dtype=autograd.int16))
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        x.gather(1, idx([1]))
    with pytest.raises(RuntimeError, match="no larger than"):
        x.scatter(1, idx([[1, 1]]), autograd.zeros(1, 1))


def test_index_select_and_take_along_dim() -> None:
    x = leaf(4, 3)
    a = x.detach().numpy()
    np.testing.assert_array_equal(x.index_select(0, idx([3, 0, 3])).detach().numpy(), a[[3, 0, 3]])
    np.testing.assert_array_equal(autograd.index_select(x, 1, idx([2])).detach().numpy(), a[:, [2]])
    np.testing.assert_array_equal(autograd.take_along_dim(x, idx([5, 1])).detach().numpy(), a.ravel()[[5, 1]])
    np.testing.assert_array_equal(
        autograd.take_along_dim(x, idx([[0, 2]]), dim=1).detach().numpy(), a[:, [0, 2]]
    )
    with pytest.raises(IndexError, match="vector"):
        x.index_select(0, idx([[1]]))


# -- masks and triangles -------------------------------------------------------------------------------------
def test_masked_fill_values_and_gradients() -> None:
    x, value = leaf(3, 4), autograd.tensor(0.5, dtype=autograd.float64, requires_grad=True)
    mask = x.detach().numpy() > 0
    y = x.masked_fill(x > 0, value)
    np.testing.assert_array_equal(y.detach().numpy(), np.where(mask, 0.5, x.detach().numpy()))
    g = np.random.default_rng(2).uniform(-1, 1, (3, 4))
    y.backward(autograd.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), np.where(mask, 0.0, g))
    assert value.grad.item() == pytest.approx(g[mask].sum())


def test_masked_fill_broadcasts_and_in_place() -> None:
    x = autograd.zeros(2, 3)
    y = x.masked_fill(autograd.tensor([True, False, True]), 1.0)
    assert y.tolist() == [[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]]
    x.masked_fill_(autograd.tensor([[False], [True]]), -2.0)
    assert x.tolist() == [[0.0, 0.0, 0.0], [-2.0, -2.0, -2.0]]
    with pytest.raises(RuntimeError, match="boolean masks"):
        x.masked_fill(autograd.ones(3), 1.0)
    with pytest.raises(RuntimeError, match="0-dimensional value"):
        x.masked_fill(autograd.tensor([True, False, True]), autograd.ones(2))


def test_masked_select() -> None:
    x = autograd.arange(4.0)
    mask = autograd.tensor([[True, False, True, True], [False, True, False, False]])
    assert autograd.masked_select(x, mask).tolist() == [0.0, 2.0, 3.0, 1.0]


def test_tril_triu_match_numpy() -> None:
    x = leaf(2, 3, 4)
    a = x.detach().numpy()
    np.testing.assert_array_equal(x.tril().detach().numpy(), np.tril(a))
    np.testing.assert_array_equal(x.triu(1).detach().numpy(), np.triu(a, 1))
    x.tril(-1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.broadcast_to(np.tril(np.ones((3, 4)), -1), (2, 3, 4)))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        autograd.tril(autograd.zeros(3))


def test_gather_and_scatter_take_int32_indices_as_pytorch() -> None:
    x = autograd.tensor(np.arange(12.0).reshape(3, 4))
    index = autograd.tensor(np.array([[0, 3], [2, 1], [1, 1]], dtype=np.int32))
    np.testing.assert_array_equal(autograd.gather(x, 1, index).numpy(), [[0, 3], [6, 5], [9, 9]])
    added = autograd.zeros(3, 4, dtype=autograd.float64).scatter_add(1, index, autograd.ones(3, 2, dtype=x.dtype))
    np.testing.assert_array_equal(added.numpy(), [[1, 0, 0, 1], [0, 1, 1, 0], [0, 2, 0, 0]])
