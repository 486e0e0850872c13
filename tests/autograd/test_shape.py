"""Shape ops: values against numpy, gradients of the subtle cases, PyTorch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(0)


def leaf(*shape: int) -> autograd.Tensor:
    return autograd.tensor(RNG.uniform(-1, 1, shape), requires_grad=True)


def backward_with(y: autograd.Tensor, seed: int = 1) -> np.ndarray:
    """Backpropagate a random upstream gradient; return it as an array."""
    g = np.random.default_rng(seed).uniform(-1, 1, y.shape)
    y.backward(autograd.tensor(g))
    return g


# -- views and rearrangements --------------------------------------------------------------------------------
def test_reshape_family_values() -> None:
    x = leaf(2, 3, 4)
    a = x.detach().numpy()
    assert x.flatten().shape == (24,)
    assert x.flatten(1).shape == (2, 12)
    assert x.flatten(0, 1).shape == (6, 4)
    assert autograd.tensor(3.0).flatten().shape == (1,)
    np.testing.assert_array_equal(x.unflatten(2, (2, -1)).detach().numpy(), a.reshape(2, 3, 2, 2))
    assert x.unsqueeze(-1).shape == (2, 3, 4, 1)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4)
    y = autograd.zeros(1, 3, 1)
    assert y.squeeze().shape == (3,)
    assert y.squeeze(0).shape == (3, 1)
    assert y.squeeze(1).shape == (1, 3, 1)  # a dim whose size is not 1 is kept
    assert y.squeeze((0, 2)).shape == (3,)
    assert autograd.tensor(2.0).squeeze().shape == ()
    assert x.view(4, -1).shape == (4, 6)
    assert x.reshape_as(autograd.zeros(6, 4)).shape == (6, 4)


def test_permutations_match_numpy() -> None:
    x = leaf(2, 3, 4)
    a = x.detach().numpy()
    np.testing.assert_array_equal(x.permute(2, 0, 1).detach().numpy(), a.transpose(2, 0, 1))
    np.testing.assert_array_equal(x.permute((1, 2, 0)).detach().numpy(), a.transpose(1, 2, 0))
    np.testing.assert_array_equal(x.transpose(0, 2).detach().numpy(), np.swapaxes(a, 0, 2))
    np.testing.assert_array_equal(x.swapaxes(-1, 0).detach().numpy(), np.swapaxes(a, 0, 2))
    np.testing.assert_array_equal(x.T.detach().numpy(), a.transpose(2, 1, 0))
    np.testing.assert_array_equal(x.mT.detach().numpy(), np.swapaxes(a, 1, 2))
    np.testing.assert_array_equal(x.movedim(0, -1).detach().numpy(), np.moveaxis(a, 0, -1))
    np.testing.assert_array_equal(x.movedim((0, 1), (2, 0)).detach().numpy(), np.moveaxis(a, (0, 1), (2, 0)))
    m = leaf(3, 5)
    np.testing.assert_array_equal(m.t().detach().numpy(), m.detach().numpy().T)
    assert leaf(4).t().shape == (4,)


def test_permute_gradient_is_inverse_permutation() -> None:
    x = leaf(2, 3, 4)
    g = backward_with(x.permute(1, 2, 0))
    np.testing.assert_allclose(x.grad.numpy(), g.transpose(2, 0, 1))


def test_views_share_memory_and_contiguous() -> None:
    x = autograd.arange(12.0).reshape(3, 4)
    v = x.view(4, 3)
    v[0, 0] = 100.0
    assert x[0, 0].item() == 100.0  # a view, as in PyTorch
    tr = x.t()
    assert not tr.is_contiguous()
    c = tr.contiguous()
    assert c.is_contiguous() and np.array_equal(c.numpy(), x.numpy().T)
    assert x.contiguous() is x


def test_repeat_tile_flip_roll_match_numpy() -> None:
    x = leaf(2, 3)
    a = x.detach().numpy()
    np.testing.assert_array_equal(x.repeat(2, 1, 3).detach().numpy(), np.tile(a, (2, 1, 3)))
    np.testing.assert_array_equal(x.tile((2,)).detach().numpy(), np.tile(a, (1, 2)))
    np.testing.assert_array_equal(x.flip(0, 1).detach().numpy(), a[::-1, ::-1])
    np.testing.assert_array_equal(autograd.flip(x, [1]).detach().numpy(), a[:, ::-1])
    np.testing.assert_array_equal(x.roll(1).detach().numpy(), np.roll(a, 1))
    np.testing.assert_array_equal(x.roll((1, -4), (0, 1)).detach().numpy(), np.roll(a, (1, -4), (0, 1)))


def test_repeat_gradient_sums_the_copies() -> None:
    x = leaf(2, 3)
    g = backward_with(x.repeat(3, 2))
    np.testing.assert_allclose(x.grad.numpy(), g.reshape(3, 2, 2, 3).sum(axis=(0, 2)))


def test_roll_and_flip_gradients() -> None:
    x = leaf(5)
    g = backward_with(x.roll(2))
    np.testing.assert_allclose(x.grad.numpy(), np.roll(g, -2))
    y = leaf(3, 4)
    g = backward_with(y.flip(1))
    np.testing.assert_allclose(y.grad.numpy(), g[:, ::-1])


def test_flip_returns_a_copy() -> None:
    x = autograd.arange(4.0)
    y = x.flip(0)
    y[0] = 10.0
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0]


# -- joining and splitting -----------------------------------------------------------------------------------
def test_cat_stack_match_numpy() -> None:
    a, b = leaf(2, 3), leaf(1, 3)
    np.testing.assert_array_equal(
        autograd.cat([a, b]).detach().numpy(), np.concatenate([a.detach().numpy(), b.detach().numpy()])
    )
    np.testing.assert_array_equal(
        autograd.concat((a, a), dim=-1).detach().numpy(), np.concatenate([a.detach().numpy()] * 2, axis=1)
    )
    np.testing.assert_array_equal(
        autograd.stack([a, a * 2], 1).detach().numpy(), np.stack([a.detach().numpy(), 2 * a.detach().numpy()], 1)
    )
    assert autograd.cat([a, autograd.zeros(0, dtype=autograd.float64)]).shape == (2, 3)  # legacy empty 1-D skipped
    assert autograd.cat([autograd.zeros(2, 3), autograd.zeros(2, 3, dtype=autograd.float64)]).dtype == np.float64


def test_cat_split_round_trip_gradient() -> None:
    x = leaf(7, 3)
    parts = x.split([2, 4, 1])
    assert [p.shape for p in parts] == [(2, 3), (4, 3), (1, 3)]
    y = autograd.cat(parts)
    np.testing.assert_array_equal(y.detach().numpy(), x.detach().numpy())
    g = backward_with(y)
    np.testing.assert_allclose(x.grad.numpy(), g)


def test_cat_gradient_goes_to_each_piece() -> None:
    a, b = leaf(2, 3), leaf(2, 1)
    g = backward_with(autograd.cat([a, b], dim=1))
    np.testing.assert_allclose(a.grad.numpy(), g[:, :3])
    np.testing.assert_allclose(b.grad.numpy(), g[:, 3:])


def test_split_chunk_unbind_sizes() -> None:
    x = autograd.arange(10.0)
    assert [p.tolist() for p in x.split(4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [len(p) for p in x.chunk(3)] == [4, 4, 2]
    assert [len(p) for p in autograd.arange(6.0).chunk(4)] == [2, 2, 2]  # fewer chunks than asked, as PyTorch
    assert [p.shape for p in autograd.zeros(0).chunk(3)] == [(0,)] * 3
    m = autograd.arange(6.0).reshape(2, 3)
    assert [r.tolist() for r in m.unbind(1)] == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert m.narrow(1, -2, 2).tolist() == [[1.0, 2.0], [4.0, 5.0]]
    assert m.select(1, 0).tolist() == [0.0, 3.0]


def test_stack_gradient_and_unbind_gradient() -> None:
    x = leaf(3, 2)
    rows = x.unbind(0)
    g = backward_with(autograd.stack([rows[2], rows[0]]))
    np.testing.assert_allclose(x.grad.numpy(), np.stack([g[1], np.zeros(2), g[0]]))


# -- padding -------------------------------------------------------------------------------------------------
def test_pad_constant_with_negative_pads() -> None:
    x = leaf(2, 3, 4)
    a = x.detach().numpy()
    y = autograd.pad(x, (1, -2, -1, 2), value=0.5)  # last dim: +1 before, crop 2 after; dim 1: crop 1, +2 after
    expected = np.full((2, 4, 3), 0.5)
    expected[:, :2, 1:] = a[:, 1:, :2]
    np.testing.assert_array_equal(y.detach().numpy(), expected)
    g = backward_with(y)
    expected_grad = np.zeros((2, 3, 4))
    expected_grad[:, 1:, :2] = g[:, :2, 1:]
    np.testing.assert_allclose(x.grad.numpy(), expected_grad)


@pytest.mark.parametrize(("mode", "np_mode"), [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
def test_pad_modes_match_numpy(mode: str, np_mode: str) -> None:
    x = leaf(2, 3, 4)
    y = autograd.pad(x, (2, 1, 1, 2), mode=mode)
    expected = np.pad(x.detach().numpy(), ((0, 0), (1, 2), (2, 1)), mode=np_mode)
    np.testing.assert_allclose(y.detach().numpy(), expected)


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [((-1, 2), [1, 2, 3, 4, 5, 1, 2]), ((2, -1), [3, 4, 0, 1, 2, 3, 4]), ((-3, 3), [3, 4, 5, 3, 4, 5])],
)
def test_pad_circular_crops_before_it_wraps(amounts: tuple, expected: list) -> None:
    """Negative amounts crop first and the positive ones wrap around what is left (PyTorch's order)."""
    y = autograd.pad(autograd.arange(6.0).reshape(1, 6), amounts, mode="circular")
    np.testing.assert_array_equal(y.numpy(), [expected])


def test_pad_circular_that_wraps_twice_is_rejected() -> None:
    with pytest.raises(RuntimeError, match=r"circular padding \(-3, 4\) .* after cropping, 3 elements are left"):
        autograd.pad(autograd.arange(6.0).reshape(1, 6), (-3, 4), mode="circular")


def test_pad_replicate_gradient_accumulates_at_edges() -> None:
    x = leaf(1, 3)
    autograd.pad(x, (2, 1), mode="replicate").sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[3.0, 1.0, 2.0]])


# -- errors --------------------------------------------------------------------------------------------------
def test_cat_errors_name_the_tensor_and_dims() -> None:
    message = r"Expected size 3 but got size 4 for tensor number 1 .*\[2, 3\] and \[2, 4\]"
    with pytest.raises(RuntimeError, match=message):
        autograd.cat([autograd.zeros(2, 3), autograd.zeros(2, 4)])
    with pytest.raises(RuntimeError, match="same number of dimensions: got 2 and 3"):
        autograd.cat([autograd.zeros(2, 3), autograd.zeros(2, 3, 1)])
    with pytest.raises(RuntimeError, match=r"zero-dimensional tensor \(at position 0\)"):
        autograd.cat([autograd.tensor(1.0), autograd.zeros(2)])
    with pytest.raises(ValueError, match="non-empty list"):
        autograd.cat([])
    with pytest.raises(IndexError, match="dimension out of range"):
        autograd.cat([autograd.zeros(2, 3)], dim=2)


def test_shape_errors() -> None:
    x = autograd.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"stack: expects each tensor to be equal size, but got \[2, 3\] at entry 0 "
                                           r"and \[2, 4\] at entry 1"):
        autograd.stack([x, autograd.zeros(2, 4)])
    with pytest.raises(RuntimeError, match="sum exactly to 5"):
        autograd.zeros(5).split([2, 2])
    with pytest.raises(RuntimeError, match="greater than 0"):
        x.chunk(0)
    with pytest.raises(RuntimeError, match="duplicate dims"):
        x.permute(0, 0)
    with pytest.raises(RuntimeError, match="number of dims don't match"):
        x.permute(0)
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 5"):
        x.squeeze(5)
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"):
        autograd.zeros(1, 2, 3).t()
    with pytest.raises(RuntimeError, match="Got 1-D tensor"):
        _ = autograd.zeros(3).mT
    with pytest.raises(RuntimeError, match="don't multiply up"):
        x.unflatten(1, (2, 2))
    with pytest.raises(RuntimeError, match="can not be smaller"):
        x.repeat(2)
    with pytest.raises(RuntimeError, match="start_dim"):
        x.flatten(1, 0)
    with pytest.raises(RuntimeError, match="exceeds dimension size"):
        autograd.zeros(6).narrow(0, 5, 2)
    with pytest.raises(RuntimeError, match="shape \\[7\\] is invalid for input of size 6"):
        x.reshape(7)


def test_pad_errors() -> None:
    x = autograd.zeros(1, 2, 3)
    with pytest.raises(RuntimeError, match="divisible by 2"):
        autograd.pad(x, (1,))
    with pytest.raises(RuntimeError, match="two times the input dimension"):
        autograd.pad(x, (1, 1) * 4)
    with pytest.raises(RuntimeError, match="negative output size"):
        autograd.pad(x, (-2, -2))
    with pytest.raises(RuntimeError, match="padding \\(3, 1\\) at dimension 2"):
        autograd.pad(x, (3, 1), mode="reflect")
    with pytest.raises(NotImplementedError, match="mode"):
        autograd.pad(x, (1, 1), mode="foo")
    with pytest.raises(NotImplementedError, match="padding size 2 is not supported for 1D"):
        autograd.pad(autograd.zeros(3), (1, 1), mode="reflect")
