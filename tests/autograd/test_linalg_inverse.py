"""autograd.linalg's det, slogdet, inv, solve, matrix_power and the torch-level det/logdet/inverse: hand-computed
values and gradients, singular matrices, broadcasting, second derivatives, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import linalg

RNG = np.random.default_rng(4)


def leaf(values) -> autograd.Tensor:
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_det_and_its_gradient_the_cofactor_matrix() -> None:
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    d = linalg.det(a)
    d.backward()
    assert d.item() == pytest.approx(-2.0) and a.grad.numpy() == pytest.approx(np.array([[4.0, -3.0], [-2.0, 1.0]]))
    assert autograd.det(autograd.eye(0)).item() == 1.0  # the empty product


def test_det_gradient_at_a_singular_matrix_is_still_the_cofactor_matrix() -> None:
    # PyTorch 2.13 returns 0 here from its plain backward (and the cofactors only with create_graph=True)
    a = leaf([[1.0, 2.0], [2.0, 4.0]])
    (g,) = autograd.grad(linalg.det(a), a)
    np.testing.assert_allclose(g.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    rank_two = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [5.0, 7.0, 9.0]])
    assert autograd.gradcheck(linalg.det, [rank_two])
    assert autograd.gradgradcheck(linalg.det, [rank_two])


def test_det_matches_the_product_of_eigenvalues_in_a_batch() -> None:
    a = RNG.normal(size=(2, 3, 4, 4))
    np.testing.assert_allclose(linalg.det(autograd.tensor(a)).numpy(), np.prod(np.linalg.eigvals(a), -1).real)


def test_slogdet_and_logdet() -> None:
    a = leaf([[2.0, 1.0], [1.0, -3.0]])  # det = -7
    sign, logabs = linalg.slogdet(a)
    assert sign.item() == -1.0 and not sign.requires_grad and logabs.item() == pytest.approx(math.log(7))
    logabs.backward()
    np.testing.assert_allclose(a.grad.numpy(), np.linalg.inv(a.detach().numpy()).T)
    negative = autograd.logdet(a)
    assert math.isnan(negative.item())
    assert autograd.grad(negative, a)[0].tolist() == [[0.0, 0.0], [0.0, 0.0]]  # as PyTorch: no gradient there
    assert a.detach().slogdet().logabsdet.item() == pytest.approx(math.log(7))
    assert linalg.slogdet(autograd.tensor([[1.0, 2.0], [2.0, 4.0]])).logabsdet.item() == -math.inf


def test_inv_values_gradient_and_singular_error() -> None:
    a = leaf([[2.0, 1.0], [1.0, 1.0]])
    assert linalg.inv(a).tolist() == [[1.0, -1.0], [-1.0, 2.0]] and a.inverse().tolist() == [[1.0, -1.0], [-1.0, 2.0]]
    assert autograd.gradgradcheck(linalg.inv, [a])
    identity = linalg.inv(a) @ a
    np.testing.assert_allclose(identity.detach().numpy(), np.eye(2), atol=1e-15)
    batch = autograd.tensor(np.stack([np.eye(2), np.ones((2, 2))]))
    with pytest.raises(RuntimeError, match=r"linalg.inv: the input matrix \(batch element 1\) is singular"):
        linalg.inv(batch)


def test_solve_vectors_matrices_broadcasting_and_left_false() -> None:
    a = leaf([[2.0, 1.0], [1.0, 3.0]])
    b = leaf([3.0, 5.0])
    x = linalg.solve(a, b)
    np.testing.assert_allclose(x.detach().numpy(), [0.8, 1.4])
    x.sum().backward()
    grad_b = np.linalg.solve(a.detach().numpy().T, np.ones(2))
    np.testing.assert_allclose(b.grad.numpy(), grad_b)
    np.testing.assert_allclose(a.grad.numpy(), -np.outer(grad_b, [0.8, 1.4]))
    assert linalg.solve(autograd.eye(3).expand(2, 3, 3), autograd.ones(2, 3)).shape == (2, 3)  # batch of vectors
    assert linalg.solve(autograd.eye(3).expand(2, 1, 3, 3), autograd.ones(5, 3, 4)).shape == (2, 5, 3, 4)
    m, rhs = autograd.tensor(RNG.normal(size=(3, 3))), autograd.tensor(RNG.normal(size=(4, 3)))
    np.testing.assert_allclose((linalg.solve(m, rhs, left=False) @ m).numpy(), rhs.numpy(), atol=1e-12)
    assert autograd.gradgradcheck(lambda p, q: linalg.solve(p, q), [a, leaf([[1.0, 0.5], [2.0, -1.0]])])


def test_solve_errors() -> None:
    with pytest.raises(RuntimeError, match=r"linalg.solve: incompatible shapes of A and B .* A \[3, 3\], B \[4\]"):
        linalg.solve(autograd.eye(3), autograd.ones(4))
    with pytest.raises(RuntimeError, match="linalg.solve: the input matrix is singular"):
        linalg.solve(autograd.ones(2, 2), autograd.ones(2))
    with pytest.raises(RuntimeError, match="same dtype"):
        linalg.solve(autograd.eye(2), autograd.ones(2, dtype=autograd.float64))


def test_matrix_power() -> None:
    shear = leaf([[1.0, 1.0], [0.0, 1.0]])
    assert linalg.matrix_power(shear, 5).tolist() == [[1.0, 5.0], [0.0, 1.0]]
    assert shear.matrix_power(-2).tolist() == [[1.0, -2.0], [0.0, 1.0]]
    identity = linalg.matrix_power(shear, 0)
    assert identity.tolist() == [[1.0, 0.0], [0.0, 1.0]] and identity.requires_grad
    assert autograd.grad(identity.sum(), shear)[0].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    (g,) = autograd.grad(linalg.matrix_power(shear, 3).sum(), shear)  # d sum(A^3) = sum of the 3 placements
    a = shear.detach().numpy()
    np.testing.assert_allclose(g.numpy(), (np.eye(2) @ np.ones((2, 2)) @ (a @ a).T + a.T @ np.ones((2, 2)) @ a.T
                                           + (a @ a).T @ np.ones((2, 2))))
    with pytest.raises(TypeError, match="argument 'n' must be int, not float"):
        linalg.matrix_power(shear, 2.0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: linalg.det(autograd.ones(2, 3)), "linalg.det: A must be batches of square matrices, but they are 2 by 3"),
    (lambda: linalg.det(autograd.ones(3)), "linalg.det: the input must have at least 2 dimensions"),
    (lambda: linalg.inv(autograd.ones(2, 2, dtype=autograd.int64)), "linalg.inv: expected a floating point tensor"),
    (lambda: linalg.matrix_power(autograd.ones(2, 3), 2), "linalg.matrix_power: expected a batch of square matrices"),
])
def test_errors_name_the_op(call, message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        call()
