"""atleast_1d/2d/3d, vstack/hstack/dstack/column_stack/row_stack, rot90, take and moveaxis: shapes and values
by hand, PyTorch's calling conventions, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd


def test_atleast_shapes_and_calling_conventions() -> None:
    shapes = {(): ((1,), (1, 1), (1, 1, 1)), (3,): ((3,), (1, 3), (1, 3, 1)), (2, 3): ((2, 3), (2, 3), (2, 3, 1))}
    for shape, expected in shapes.items():
        x = autograd.ones(*shape)
        got = (autograd.atleast_1d(x).shape, autograd.atleast_2d(x).shape, autograd.atleast_3d(x).shape)
        assert got == expected, shape
    big = autograd.ones(2, 3, 4)
    assert autograd.atleast_3d(big) is big  # returned as it is, as in PyTorch
    pair = autograd.atleast_2d(autograd.tensor(1.0), autograd.ones(3))
    assert isinstance(pair, tuple) and [t.shape for t in pair] == [(1, 1), (1, 3)]
    assert [t.shape for t in autograd.atleast_1d([autograd.tensor(1.0)])] == [(1,)]
    assert autograd.atleast_1d() == ()


def test_stacks_by_hand() -> None:
    a, b = autograd.tensor([1, 2, 3]), autograd.tensor([4, 5, 6])
    assert autograd.vstack([a, b]).tolist() == [[1, 2, 3], [4, 5, 6]]
    assert autograd.row_stack((a, b)).tolist() == [[1, 2, 3], [4, 5, 6]]
    assert autograd.hstack([a, b]).tolist() == [1, 2, 3, 4, 5, 6]
    assert autograd.column_stack([a, b]).tolist() == [[1, 4], [2, 5], [3, 6]]
    assert autograd.dstack([a, b]).tolist() == [[[1, 4], [2, 5], [3, 6]]]
    m = autograd.ones(2, 3)
    assert autograd.hstack([m, m]).shape == (2, 6) and autograd.dstack([m, m]).shape == (2, 3, 2)
    assert autograd.column_stack([autograd.ones(2), autograd.ones(2, 3)]).shape == (2, 4)
    assert autograd.hstack([autograd.tensor([1]), autograd.tensor([2.5])]).dtype == np.float32


def test_stack_gradients_split_back() -> None:
    a = autograd.tensor([1.0, 2.0], requires_grad=True)
    b = autograd.tensor([[3.0], [4.0]], requires_grad=True)
    out = autograd.column_stack([a, b])
    out.backward(autograd.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert a.grad.tolist() == [1.0, 3.0] and b.grad.tolist() == [[2.0], [4.0]]


def test_stack_errors_name_the_helper() -> None:
    with pytest.raises(RuntimeError, match="vstack expects a non-empty TensorList"):
        autograd.vstack([])
    with pytest.raises(TypeError, match=r"hstack\(\): argument 'tensors' must be a list or tuple of Tensors"):
        autograd.hstack(autograd.ones(3))
    with pytest.raises(RuntimeError, match=r"vstack \(joining along dim 0\): cat: sizes of tensors must match"):
        autograd.vstack([autograd.ones(3), autograd.ones(4)])


def test_rot90_by_hand_and_back() -> None:
    x = autograd.arange(6).reshape(2, 3)
    assert autograd.rot90(x).tolist() == [[2, 5], [1, 4], [0, 3]]
    assert x.rot90(2).tolist() == [[5, 4, 3], [2, 1, 0]]
    assert autograd.rot90(x, -1).tolist() == [[3, 0], [4, 1], [5, 2]]
    assert autograd.rot90(x, 3).tolist() == autograd.rot90(x, -1).tolist()
    assert autograd.rot90(x, 1, [1, 0]).tolist() == autograd.rot90(x, -1).tolist()
    assert autograd.rot90(autograd.rot90(x, 1), -1).tolist() == x.tolist()
    assert autograd.rot90(autograd.ones(2, 3, 4), 1, [2, 0]).shape == (4, 3, 2)
    y = autograd.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    autograd.rot90(y).backward(autograd.tensor([[1.0, 0.0], [0.0, 0.0]]))
    assert y.grad.tolist() == [[0.0, 1.0], [0.0, 0.0]]  # out[0, 0] is y[0, 1]


@pytest.mark.parametrize(("args", "message"), [
    ((autograd.ones(3), 1), "rot90: expected total dims >= 2, but got total dims = 1"),
    ((autograd.ones(2, 2), 1, [0, 0]), "rot90: expected rotation dims to be different, but got dim0 = 0 and dim1 = 0"),
    ((autograd.ones(2, 2), 1, [0]), "rot90: expected total rotation dims == 2, but got dims = 1"),
])
def test_rot90_errors(args, message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        autograd.rot90(*args)


def test_take_reads_the_flattened_tensor() -> None:
    x = autograd.tensor([[4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], requires_grad=True)
    index = autograd.tensor([[0, -1], [5, 1]])
    out = autograd.take(x, index)
    assert out.tolist() == [[4.0, 9.0], [9.0, 5.0]]
    out.sum().backward()
    assert x.grad.tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]]  # index 5 and -1 are the same element
    assert x.take(autograd.tensor(4)).item() == 8.0
    with pytest.raises(IndexError, match="take\\(\\): out of range: tried to access index 6 on a tensor of 6 elements"):
        autograd.take(x, autograd.tensor([6]))
    with pytest.raises(RuntimeError, match="take\\(\\): Expected a long tensor for index, but got int32"):
        autograd.take(x, autograd.tensor([1], dtype=autograd.int32))
    with pytest.raises(TypeError, match="take\\(\\): argument 'index'"):
        autograd.take(x, [1])


def test_moveaxis_is_movedim() -> None:
    x = autograd.ones(2, 3, 4)
    assert autograd.moveaxis(x, 0, -1).shape == (3, 4, 2)
    assert x.moveaxis((0, 1), (2, 0)).shape == (3, 4, 2)
    assert autograd.moveaxis is autograd.movedim
