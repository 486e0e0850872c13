"""cov, corrcoef, addr, chain_matmul, diag_embed and diagflat: values worked out by hand or with numpy, PyTorch's
edge cases (checked by hand against it), dtypes and errors, and gradchecks of these compositions (the registry
checks their parts)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(5)


def _f64(values) -> autograd.Tensor:
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_cov_of_small_matrices_by_hand() -> None:
    x = autograd.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    np.testing.assert_array_equal(autograd.cov(x).numpy(), [[1.0, -1.0], [-1.0, 1.0]])
    np.testing.assert_allclose(autograd.cov(x, correction=0).numpy(), [[2 / 3, -2 / 3], [-2 / 3, 2 / 3]], rtol=1e-6)
    integers = autograd.cov(autograd.tensor([[1, 2, 3], [2, 4, 7]]))
    assert integers.dtype == autograd.float32
    np.testing.assert_allclose(integers.numpy(), [[1.0, 2.5], [2.5, 19 / 3]], rtol=1e-6)
    one = autograd.cov(autograd.tensor([1.0, 2.0, 4.0]))
    assert one.shape == () and abs(one.item() - 7 / 3) < 1e-6
    # frequency weights repeat observations: fweights [1, 2, 1] is the sample [0, 1, 1, 2]
    np.testing.assert_allclose(autograd.cov(x, fweights=autograd.tensor([1, 2, 1])).numpy(),
                               np.cov([[0, 1, 1, 2], [2, 1, 1, 0]]), rtol=1e-6)


def test_cov_with_weights_matches_numpy() -> None:
    x = RNG.standard_normal((3, 6))
    fw, aw = RNG.integers(1, 4, 6), RNG.uniform(0.1, 2.0, 6)
    for correction in (0, 1, 2):
        out = autograd.cov(autograd.tensor(x), correction=correction, fweights=autograd.tensor(fw),
                           aweights=autograd.tensor(aw))
        expected = np.cov(x, ddof=correction, fweights=fw, aweights=aw)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-13)
    widened = autograd.cov(autograd.tensor(x.astype(np.float32)), aweights=autograd.tensor(aw))
    assert widened.dtype == autograd.float64


def test_cov_edges_follow_pytorch() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(autograd.cov(autograd.tensor(3.0)).item())
        assert np.isnan(autograd.cov(autograd.zeros(2, 0)).numpy()).all()
        np.testing.assert_array_equal(autograd.cov(autograd.tensor([[0.0, 1, 2], [2, 1, 0]]), correction=5).numpy(),
                                      [[np.inf, -np.inf], [-np.inf, np.inf]])
    with pytest.warns(UserWarning, match="degrees of freedom"):
        autograd.cov(autograd.zeros(2, 1))


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"fweights": autograd.ones(3)}, RuntimeError, "integral dtype"),
    ({"fweights": autograd.tensor([1, -1, 1])}, RuntimeError, "fweights cannot be negative"),
    ({"aweights": autograd.tensor([1, 1, 1])}, RuntimeError, "floating point dtype"),
    ({"aweights": autograd.ones(2)}, RuntimeError, "2 != 3"),
    ({"aweights": autograd.ones(1, 3)}, RuntimeError, "one or fewer dimensions"),
    ({"aweights": autograd.zeros(3)}, RuntimeError, "weights sum to zero"),
    ({"correction": 1.5}, TypeError, "correction"),
])
def test_cov_errors(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        autograd.cov(autograd.ones(2, 3), **kwargs)


def test_cov_input_errors() -> None:
    with pytest.raises(RuntimeError, match="two or fewer dimensions"):
        autograd.cov(autograd.zeros(2, 3, 4))
    with pytest.raises(RuntimeError, match="bool"):
        autograd.cov(autograd.ones(2, 3).bool())


def test_cov_and_corrcoef_gradchecks() -> None:
    x = _f64(RNG.standard_normal((3, 5)))
    aw = _f64(RNG.uniform(0.2, 2.0, 5))
    fw = autograd.tensor([1, 2, 1, 3, 1])
    assert autograd.gradcheck(lambda a: autograd.cov(a), [x])
    assert autograd.gradcheck(lambda a, w: autograd.cov(a, fweights=fw, aweights=w), [x, aw])
    assert autograd.gradgradcheck(lambda a, w: autograd.cov(a, aweights=w, correction=0), [x, aw])
    assert autograd.gradcheck(autograd.corrcoef, [x])
    assert autograd.gradgradcheck(autograd.corrcoef, [x])


def test_corrcoef_values() -> None:
    np.testing.assert_allclose(autograd.corrcoef(autograd.tensor([[1.0, 2, 3], [3, 1, 2]])).numpy(),
                               [[1.0, -0.5], [-0.5, 1.0]], rtol=1e-6)
    x = RNG.standard_normal((4, 9))
    np.testing.assert_allclose(autograd.corrcoef(autograd.tensor(x)).numpy(), np.corrcoef(x), rtol=1e-13)
    constant = autograd.corrcoef(autograd.tensor([[1.0, 2, 3], [1, 1, 1]])).numpy()
    assert constant[0, 0] == 1 and np.isnan(constant[1]).all()
    assert autograd.corrcoef(autograd.tensor([1.0, 2, 3])).item() == 1.0
    assert np.abs(autograd.corrcoef(autograd.tensor(x)).numpy()).max() <= 1


def test_addr() -> None:
    m, v1, v2 = autograd.ones(2, 3), autograd.tensor([1.0, 2]), autograd.tensor([1.0, 2, 3])
    np.testing.assert_array_equal(autograd.addr(m, v1, v2).numpy(), [[2, 3, 4], [3, 5, 7]])
    np.testing.assert_array_equal(m.addr(v1, v2, beta=0, alpha=2).numpy(), [[2, 4, 6], [4, 8, 12]])
    nan = autograd.full((2, 3), float("nan"))
    np.testing.assert_array_equal(autograd.addr(nan, v1, v2, beta=0).numpy(), [[1, 2, 3], [2, 4, 6]])
    np.testing.assert_array_equal(autograd.addr(autograd.ones(3), v1, v2).numpy(), [[2, 3, 4], [3, 5, 7]])
    integers = autograd.addr(m.int(), v1.int(), v2.int(), beta=2, alpha=3)
    assert integers.dtype == autograd.int32 and integers.numpy().tolist() == [[5, 8, 11], [8, 14, 20]]
    assert autograd.addr(m.int(), v1, v2.double()).dtype == autograd.float64
    with pytest.raises(RuntimeError, match="beta must not be a floating point"):
        autograd.addr(m.int(), v1.int(), v2.int(), beta=2.5)
    with pytest.raises(RuntimeError, match="Expected 1-D argument vec1"):
        autograd.addr(m, v1.reshape(1, 2), v2)
    with pytest.raises(RuntimeError, match="cannot be broadcast"):
        autograd.addr(autograd.ones(3, 3), v1, v2)
    args = [_f64(RNG.standard_normal((4, 5))), _f64(RNG.standard_normal(4)), _f64(RNG.standard_normal(5))]
    assert autograd.gradgradcheck(lambda a, b, c: autograd.addr(a, b, c, beta=0.5, alpha=-2.0), args)


def test_chain_matmul() -> None:
    mats = [RNG.standard_normal(s) for s in [(3, 10), (10, 2), (2, 8), (8, 4)]]
    with pytest.warns(UserWarning, match="deprecated"):
        out = autograd.chain_matmul(*[autograd.tensor(m) for m in mats])
    np.testing.assert_allclose(out.numpy(), mats[0] @ mats[1] @ mats[2] @ mats[3], rtol=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        single = autograd.tensor(mats[0])
        copy = autograd.chain_matmul(single)
        assert copy is not single and np.array_equal(copy.numpy(), mats[0])
        assert autograd.gradgradcheck(autograd.chain_matmul, [_f64(m) for m in mats[:3]])
        with pytest.raises(RuntimeError, match="one or more matrices"):
            autograd.chain_matmul()
        with pytest.raises(RuntimeError, match="cannot be multiplied"):
            autograd.chain_matmul(autograd.ones(2, 3), autograd.ones(4, 4))
        with pytest.raises(RuntimeError, match="same dtype"):
            autograd.chain_matmul(autograd.ones(2, 3), autograd.ones(3, 4).double())
        with pytest.raises(RuntimeError, match="expected 2"):
            autograd.chain_matmul(autograd.ones(3), autograd.ones(3, 4))


def test_diag_embed_and_diagflat() -> None:
    np.testing.assert_array_equal(autograd.diag_embed(autograd.tensor([1, 2])).numpy(), [[1, 0], [0, 2]])
    np.testing.assert_array_equal(autograd.tensor([1.0, 2]).diag_embed(-1).numpy(), [[0, 0, 0], [1, 0, 0], [0, 2, 0]])
    x = RNG.standard_normal((2, 3, 4))
    out = autograd.diag_embed(autograd.tensor(x), 1, 0, 2)
    assert out.shape == (5, 2, 5, 3)
    np.testing.assert_array_equal(autograd.diagonal(out, 1, 0, 2).numpy(), x)
    np.testing.assert_array_equal(autograd.diagflat(autograd.tensor([[1, 2], [3, 4]])).numpy(), np.diag([1, 2, 3, 4]))
    np.testing.assert_array_equal(autograd.tensor(5.0).diagflat(-1).numpy(), [[0, 0], [5, 0]])
    assert autograd.diagflat(autograd.tensor([])).shape == (0, 0)
    assert autograd.diag_embed(autograd.tensor([1, 2])).dtype == autograd.int64
    with pytest.raises(RuntimeError, match="cannot be identical"):
        autograd.diag_embed(autograd.ones(2), 0, 0, 0)
    with pytest.raises(IndexError):
        autograd.diag_embed(autograd.tensor(1.0))
    assert autograd.gradgradcheck(lambda t: autograd.diag_embed(t, -2, 2, 0), [_f64(RNG.standard_normal((2, 3)))])
    assert autograd.gradcheck(lambda t: autograd.diagflat(t, 1), [_f64(RNG.standard_normal((2, 2)))])
