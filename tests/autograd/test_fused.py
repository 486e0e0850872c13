"""Fused linear algebra (addmm, addmv, baddbmm, addbmm, mv, addcmul, addcdiv, tensordot, kron) and diagonals
(diagonal, trace): small products worked out by hand, identities with plain matmul and einsum, PyTorch's
beta = 0 rule, promotion, and the error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(11)


def _t(*shape, requires_grad=False):
    return autograd.tensor(RNG.standard_normal(shape), requires_grad=requires_grad)


def test_addmm_by_hand() -> None:
    m1 = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
    m2 = autograd.tensor([[1.0, 0.0], [1.0, 1.0]])
    bias = autograd.tensor([10.0, 20.0])
    # m1 @ m2 = [[3, 2], [7, 4]]
    assert autograd.addmm(bias, m1, m2).tolist() == [[13.0, 22.0], [17.0, 24.0]]
    assert autograd.addmm(bias, m1, m2, beta=0.5, alpha=2).tolist() == [[11.0, 14.0], [19.0, 18.0]]
    assert bias.addmm(m1, m2, alpha=-1).tolist() == [[7.0, 18.0], [3.0, 16.0]]


def test_addmm_gradients_are_scaled_matmul_gradients() -> None:
    x, a, b = _t(2, 4, requires_grad=True), _t(2, 3, requires_grad=True), _t(3, 4, requires_grad=True)
    g = _t(2, 4)
    autograd.addmm(x, a, b, beta=0.5, alpha=3.0).backward(g)
    np.testing.assert_allclose(x.grad.numpy(), 0.5 * g.numpy())
    np.testing.assert_allclose(a.grad.numpy(), 3.0 * g.numpy() @ b.detach().numpy().T, rtol=1e-14)
    np.testing.assert_allclose(b.grad.numpy(), 3.0 * a.detach().numpy().T @ g.numpy(), rtol=1e-14)


def test_beta_zero_ignores_input_but_still_gives_it_a_zero_gradient() -> None:
    x = autograd.tensor([[math.nan, math.inf]], dtype=autograd.float64, requires_grad=True)
    a, b = _t(3, 2), _t(2, 2)
    out = autograd.addmm(x, a, b, beta=0)
    np.testing.assert_allclose(out.detach().numpy(), a.numpy() @ b.numpy())  # no NaN from input
    out.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]]


def test_integer_products_truncate_alpha_and_beta_as_pytorch() -> None:
    ones = autograd.ones(2, 2, dtype=autograd.int64)
    assert autograd.addmm(ones, ones, ones, beta=2, alpha=3).tolist() == [[8, 8], [8, 8]]
    assert autograd.addmm(ones, ones, ones, beta=0.5).tolist() == [[2, 2], [2, 2]]  # 0.5 -> 0 for int64


def test_addmv_mv_baddbmm_addbmm_against_plain_products() -> None:
    mat, vec, v2 = _t(3, 4), _t(4), _t(3)
    np.testing.assert_allclose(autograd.mv(mat, vec).numpy(), mat.numpy() @ vec.numpy(), rtol=1e-14)
    np.testing.assert_allclose(mat.mv(vec).numpy(), mat.numpy() @ vec.numpy(), rtol=1e-14)
    np.testing.assert_allclose(autograd.addmv(v2, mat, vec, beta=2, alpha=-1).numpy(),
                               2 * v2.numpy() - mat.numpy() @ vec.numpy(), rtol=1e-14)
    b1, b2, x = _t(5, 2, 3), _t(5, 3, 4), _t(2, 4)
    np.testing.assert_allclose(autograd.baddbmm(x, b1, b2).numpy(), x.numpy() + b1.numpy() @ b2.numpy(), rtol=1e-14)
    np.testing.assert_allclose(autograd.addbmm(x, b1, b2, alpha=0.5).numpy(),
                               x.numpy() + 0.5 * np.einsum("bij,bjk->ik", b1.numpy(), b2.numpy()), rtol=1e-13)


def test_addmv_gradient_of_the_matrix_is_an_outer_product() -> None:
    mat, vec = _t(3, 4, requires_grad=True), _t(4)
    g = autograd.tensor([1.0, 2.0, 3.0], dtype=autograd.float64)
    autograd.addmv(autograd.zeros(3, dtype=autograd.float64), mat, vec, alpha=2).backward(g)
    np.testing.assert_allclose(mat.grad.numpy(), 2 * np.outer(g.numpy(), vec.numpy()), rtol=1e-15)


def test_addbmm_gradients_are_per_batch() -> None:
    b1, b2 = _t(3, 2, 4, requires_grad=True), _t(3, 4, 5, requires_grad=True)
    g = _t(2, 5)
    autograd.addbmm(autograd.zeros(2, 5, dtype=autograd.float64), b1, b2).backward(g)
    for i in range(3):
        np.testing.assert_allclose(b1.grad.numpy()[i], g.numpy() @ b2.detach().numpy()[i].T, rtol=1e-14)
        np.testing.assert_allclose(b2.grad.numpy()[i], b1.detach().numpy()[i].T @ g.numpy(), rtol=1e-14)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: autograd.addmm(_t(2, 4), _t(2, 5), _t(3, 4)), r"addmm: mat1 and mat2 shapes cannot be multiplied "
                                                           r"\(2x5 and 3x4\)"),
    (lambda: autograd.addmm(_t(2, 4), _t(3), _t(3, 4)), "addmm: mat1 must be a matrix, got 1-D tensor"),
    (lambda: autograd.addmm(_t(3, 4), _t(2, 3), _t(3, 4)), r"addmm: input of shape \[3, 4\] cannot be broadcast to "
                                                           r"the product's shape \[2, 4\]"),
    (lambda: autograd.addmm(_t(2, 4), _t(2, 3), _t(3, 4).float()), "addmm: mat1 and mat2 must have the same dtype, "
                                                                   "but got float64 and float32"),
    (lambda: autograd.mv(_t(2, 3), _t(4)), r"mv: size mismatch, got mat \(2x3\) and vec \(4\)"),
    (lambda: autograd.addmv(_t(2), _t(2, 3, 1), _t(3)), "addmv: vector \\+ matrix @ vector expected"),
    (lambda: autograd.baddbmm(_t(2, 4), _t(5, 2, 3), _t(6, 3, 4)), "baddbmm: batch1 and batch2 must have the same "
                                                                   "number of batches, got 5 and 6"),
    (lambda: autograd.addbmm(_t(2, 4), _t(2, 3), _t(3, 4)), "addbmm: batch1 must be a 3-D tensor"),
    (lambda: autograd.addmm(_t(2, 4), _t(2, 3), _t(3, 4), beta="1"), "addmm: beta must be a number, got str"),
])
def test_fused_product_errors(call, message: str) -> None:
    with pytest.raises((RuntimeError, TypeError), match=message):
        call()


def test_addcmul_and_addcdiv_by_hand_with_value() -> None:
    x = autograd.tensor([1.0, 2.0, 3.0])
    t1, t2 = autograd.tensor([2.0, 4.0, 6.0]), autograd.tensor([1.0, 2.0, 4.0])
    assert autograd.addcmul(x, t1, t2, value=0.5).tolist() == [2.0, 6.0, 15.0]
    assert autograd.addcdiv(x, t1, t2, value=2).tolist() == [5.0, 6.0, 6.0]
    assert x.addcmul(t1, t2).tolist() == [3.0, 10.0, 27.0]
    # broadcast over all three, promoted to one dtype
    out = autograd.addcmul(autograd.tensor(1.0), autograd.tensor([1, 2]), autograd.tensor([[1.0], [2.0]],
                                                                                            dtype=autograd.float64))
    assert out.shape == (2, 2) and out.dtype == np.float64 and out.tolist() == [[2.0, 3.0], [3.0, 5.0]]


def test_addcmul_and_addcdiv_gradients() -> None:
    x, a, b = _t(3, requires_grad=True), _t(3, requires_grad=True), _t(3, requires_grad=True)
    autograd.addcdiv(x, a, b, value=-2.0).sum().backward()
    an, bn = a.detach().numpy(), b.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), 1.0)
    np.testing.assert_allclose(a.grad.numpy(), -2 / bn, rtol=1e-14)
    np.testing.assert_allclose(b.grad.numpy(), 2 * an / bn**2, rtol=1e-14)


def test_addcmul_in_place_as_optimizers_use_it() -> None:
    state = autograd.zeros(3)
    g = autograd.tensor([1.0, 2.0, 3.0])
    returned = state.mul_(0.9).addcmul_(g, g, value=0.1)
    assert returned is state and state._version == 2
    np.testing.assert_allclose(state.numpy(), [0.1, 0.4, 0.9], rtol=1e-6)
    state.addcdiv_(g, g, value=-0.1)
    np.testing.assert_allclose(state.numpy(), [0.0, 0.3, 0.8], atol=1e-7)


def test_pointwise_integer_rules_are_pytorchs() -> None:
    ints = autograd.tensor([1, 2])
    assert autograd.addcmul(ints, ints, ints, value=0.5).tolist() == [1, 2]  # value converted to int64: 0
    assert autograd.addcdiv(autograd.tensor([1.0, 1.0]), ints, autograd.tensor([2.0, 4.0])).tolist() == [1.5, 1.5]
    with pytest.raises(RuntimeError, match=r"addcdiv: integer division of tensor1 \(int64\) by tensor2 \(int64\)"):
        autograd.addcdiv(autograd.tensor([1.0]), ints, ints)
    with pytest.raises(RuntimeError, match="addcmul: The size of tensor a"):
        autograd.addcmul(autograd.ones(2), autograd.ones(3), autograd.ones(2))
    with pytest.raises(TypeError, match=r"addcmul\(\): argument 'tensor2' \(position 3\) must be Tensor"):
        autograd.addcmul(autograd.ones(2), autograd.ones(2), 2.0)


def test_tensordot_with_a_count_or_lists_of_dims() -> None:
    a, b = _t(3, 4, 5), _t(4, 5, 6)
    np.testing.assert_allclose(autograd.tensordot(a, b).numpy(), np.einsum("ijk,jkl->il", a.numpy(), b.numpy()),
                               rtol=1e-13)
    c = _t(5, 4)
    np.testing.assert_allclose(autograd.tensordot(a, c, dims=([1, 2], [1, 0])).numpy(),
                               np.einsum("ijk,kj->i", a.numpy(), c.numpy()), rtol=1e-13)
    assert autograd.tensordot(a, b, dims=0).shape == (3, 4, 5, 4, 5, 6)
    assert autograd.tensordot(a, b, dims=([-2], [0])).shape == (3, 5, 5, 6)
    small = autograd.tensordot(autograd.tensor([[1, 2], [3, 4]]), autograd.tensor([[1, 0], [0, 1]]), dims=2)
    assert small.item() == 5 and small.dtype == np.int64  # 1 + 4: the sum of the diagonal's products


def test_tensordot_gradient_matches_einsum() -> None:
    a, b = _t(3, 4, requires_grad=True), _t(4, 2, requires_grad=True)
    g = _t(3, 2)
    autograd.tensordot(a, b, dims=1).backward(g)
    np.testing.assert_allclose(a.grad.numpy(), g.numpy() @ b.detach().numpy().T, rtol=1e-14)


@pytest.mark.parametrize(("dims", "message"), [
    (-1, "tensordot expects dims >= 0, but got dims=-1"),
    (([1], [1]), "tensordot: contracted dimensions need to match, but a has size 4 in dim 1 and b has size 5"),
    (([1, 2], [0]), "tensordot: both dimension lists should have same length"),
    ((1, 0), "tensordot: dims must be an int or a pair of lists"),
    (([1, 1], [0, 0]), "tensordot: dim 1 appears multiple times"),
])
def test_tensordot_errors(dims, message: str) -> None:
    with pytest.raises((RuntimeError, TypeError), match=message):
        autograd.tensordot(_t(3, 4, 5), _t(4, 5, 6), dims=dims)


def test_kron_by_hand() -> None:
    a = autograd.tensor([[1, 2], [3, 4]])
    b = autograd.tensor([[0, 1], [1, 0]])
    assert autograd.kron(a, b).tolist() == [[0, 1, 0, 2], [1, 0, 2, 0], [0, 3, 0, 4], [3, 0, 4, 0]]
    assert autograd.kron(autograd.ones(2, 3), autograd.ones(4)).shape == (2, 12)
    assert a.kron(autograd.tensor([1.0])).dtype == np.float32
    x, y = _t(2, requires_grad=True), _t(3)
    autograd.kron(x, y).sum().backward()  # d/dx_i sum_j x_i y_j = sum(y)
    np.testing.assert_allclose(x.grad.numpy(), [y.numpy().sum()] * 2, rtol=1e-14)


def test_diagonal_offsets_and_dims() -> None:
    x = autograd.arange(24.0).reshape(2, 3, 4)
    assert autograd.diagonal(x).tolist() == [[0.0, 16.0], [1.0, 17.0], [2.0, 18.0], [3.0, 19.0]]
    assert x.diagonal(1, 1, 2).tolist() == [[1.0, 6.0, 11.0], [13.0, 18.0, 23.0]]
    assert x.diagonal(-1, 2, 1).tolist() == [[1.0, 6.0, 11.0], [13.0, 18.0, 23.0]]
    assert autograd.diagonal(x, 5).shape == (4, 0)
    with pytest.raises(RuntimeError, match="diagonal: diagonal dimensions cannot be identical 1, 1"):
        x.diagonal(dim1=1, dim2=1)
    with pytest.raises(IndexError, match="diagonal: dimension out of range"):
        autograd.diagonal(autograd.ones(3))


def test_diagonal_is_a_view_and_its_gradient_fills_the_diagonal() -> None:
    m = autograd.zeros(3, 4)
    m.diagonal(1).add_(1.0)  # written through the view, as in PyTorch
    assert m.tolist() == [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    x = autograd.ones(3, 3, requires_grad=True)
    (x.diagonal(-1) * autograd.tensor([2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 3.0, 0.0]]


def test_trace_is_a_method_with_pytorchs_dtypes() -> None:
    assert autograd.arange(9).reshape(3, 3).trace().item() == 12
    assert autograd.ones(2, 2, dtype=autograd.int32).trace().dtype == np.int64
    assert autograd.arange(6.0).reshape(2, 3).trace().item() == 4.0
    x = _t(3, 3, requires_grad=True)
    x.trace().backward()
    assert x.grad.tolist() == np.eye(3).tolist()
    with pytest.raises(RuntimeError, match="trace: expected a matrix, but got tensor with dim 3"):
        autograd.ones(2, 2, 2).trace()
