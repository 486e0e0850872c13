"""``autograd.special`` (torch.special's names) and ``autograd.linalg.multi_dot``: the aliases are the original
function objects; the composed functions have PyTorch 2.13's edge values (checked by hand against it) and are
gradchecked and gradgradchecked here, across their branches."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd.ops.bessel import i1

S = autograd.special
RNG = np.random.default_rng(5)
INF, NAN = math.inf, math.nan


def _f64(values, requires_grad: bool = False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), dtype=autograd.float64, requires_grad=requires_grad)


def _values(fn, *args) -> np.ndarray:
    return fn(*(_f64(a) for a in args)).numpy()


def test_aliases_are_the_original_functions() -> None:
    same = {"expit": autograd.sigmoid, "gammaln": autograd.lgamma, "psi": autograd.digamma,
            "multigammaln": autograd.mvlgamma, "i1": i1}
    for name in ["logit", "erf", "erfc", "erfinv", "exp2", "expm1", "log1p", "logsumexp", "sinc", "round", "xlogy",
                 "digamma", "polygamma", "i0"]:
        same[name] = getattr(autograd, name)
    for name, fn in same.items():
        assert getattr(S, name) is fn, name
    assert set(S.__all__) >= set(same)


def test_softmax_signature_and_dtype() -> None:
    x = _f64(RNG.standard_normal((3, 4)))
    np.testing.assert_array_equal(S.softmax(x, 1).numpy(), autograd.softmax(x, 1).numpy())
    np.testing.assert_array_equal(S.log_softmax(x, 0).numpy(), autograd.log_softmax(x, 0).numpy())
    assert S.softmax(x.float(), -1, dtype=autograd.float64).dtype == np.float64
    with pytest.raises(TypeError):
        S.softmax(x)  # dim is required, as in torch.special


def test_entr_edges() -> None:
    out = _values(S.entr, [-1.0, 0.0, 0.5, 1.0, INF, -INF, NAN])
    np.testing.assert_array_equal(out, [-INF, 0.0, -0.5 * math.log(0.5), 0.0, -INF, -INF, NAN])
    assert not np.signbit(out[1])
    assert S.entr(autograd.tensor([0, 1])).dtype == np.float32


def test_xlog1py_edges() -> None:
    a = [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, NAN, 1.0]
    b = [-1.0, -2.0, NAN, INF, -1.0, 3.0, 1.0, -2.0]
    np.testing.assert_array_equal(_values(S.xlog1py, a, b), [0.0, 0.0, NAN, 0.0, -INF, 2 * math.log(4), NAN, NAN])
    np.testing.assert_allclose(S.xlog1py(2, _f64([1e-20])).numpy(), [2e-20], rtol=1e-15)  # log1p's precision
    with pytest.raises(TypeError, match="xlog1py"):
        S.xlog1py(1.0, 2.0)


def test_normal_distribution_edges_and_tails() -> None:
    np.testing.assert_array_equal(_values(S.ndtr, [0.0, INF, -INF, NAN]), [0.5, 1.0, 0.0, NAN])
    # Phi(-10) and Phi(-30) to full relative precision (mpmath)
    np.testing.assert_allclose(_values(S.ndtr, [-10.0, -30.0]), [7.619853024160525e-24, 4.906713927148187e-198],
                               rtol=1e-13)
    np.testing.assert_array_equal(_values(S.log_ndtr, [INF, -INF, NAN]), [0.0, -INF, NAN])
    x = np.array([-1e6, -40.0, -20.0 - 1e-12, -20.0, -5.0, -1.0 - 1e-12, -1.0, 0.0, 5.0])
    expected = [-500000000014.73444, -804.6084420137538, -203.91715537111727, -203.91715537109727, -15.064998393988725,
                -1.8410216450107888, -1.8410216450092636, -math.log(2), -2.866516129637636e-07]
    np.testing.assert_allclose(_values(S.log_ndtr, x), expected, rtol=1e-14)
    np.testing.assert_array_equal(_values(S.ndtri, [0.0, 0.5, 1.0, -0.1, 1.1, NAN, -1e-300]),
                                  [-INF, 0.0, INF, NAN, NAN, NAN, NAN])
    p = np.array([0.25, 0.3, 0.9, 1 - 1e-16])
    np.testing.assert_allclose(_values(S.ndtr, _values(S.ndtri, p)), p, rtol=1e-15)
    for fn in (S.ndtr, S.log_ndtr, S.ndtri):
        assert fn(autograd.tensor([0.5], dtype=autograd.float32)).dtype == np.float32
        assert fn(autograd.tensor([0, 1])).dtype == np.float32


@pytest.mark.parametrize("name, values", [
    ("entr", RNG.uniform(0.1, 3.0, (3, 4))),
    ("ndtr", RNG.uniform(-4.0, 4.0, (3, 4))),
    ("log_ndtr", np.array([-45.0, -25.0, -19.0, -6.0, -1.5, -0.5, 0.0, 2.0, 6.0])),
    ("ndtri", RNG.uniform(0.02, 0.98, (3, 4))),
])
def test_composed_unary_gradchecks(name: str, values: np.ndarray) -> None:
    x = _f64(values, requires_grad=True)
    assert autograd.gradcheck(getattr(S, name), [x])
    assert autograd.gradgradcheck(getattr(S, name), [x])


def test_xlog1py_gradchecks_and_zero_edges() -> None:
    a = _f64(RNG.uniform(-2.0, 2.0, (3, 4)), requires_grad=True)
    b = _f64(RNG.uniform(-0.5, 2.0, (4,)), requires_grad=True)
    assert autograd.gradcheck(S.xlog1py, [a, b])
    assert autograd.gradgradcheck(S.xlog1py, [a, b])
    a = _f64([0.0, 0.0, 0.0], requires_grad=True)
    b = _f64([-1.0, -2.0, 1.0], requires_grad=True)
    S.xlog1py(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0, math.log(2)])  # PyTorch's
    np.testing.assert_array_equal(b.grad.numpy(), [0.0, 0.0, 0.0])


def test_multi_dot_vectors_order_and_gradients() -> None:
    shapes = [(5,), (5, 2), (2, 7), (7, 3), (3,)]
    arrays = [RNG.standard_normal(s) for s in shapes]
    out = autograd.linalg.multi_dot([_f64(a) for a in arrays])
    assert out.shape == ()
    np.testing.assert_allclose(out.numpy(), np.linalg.multi_dot(arrays), rtol=1e-13)
    assert autograd.linalg.multi_dot([_f64(arrays[0]), _f64(arrays[1])]).shape == (2,)
    assert autograd.linalg.multi_dot((_f64(arrays[3]), _f64(arrays[4]))).shape == (7,)
    tensors = [_f64(a, requires_grad=True) for a in arrays[:4]]
    assert autograd.gradgradcheck(lambda *ts: autograd.linalg.multi_dot(list(ts)), tensors)


@pytest.mark.parametrize("shapes, message", [
    ([(3, 4)], "expected at least 2 tensors but got 1"),
    ([(3, 4), (3, 3)], r"tensors 0 and 1 with shapes \[3, 4\] and \[3, 3\] cannot be multiplied"),
    ([(), (3, 4)], "the first tensor must be 1D or 2D but got 0D"),
    ([(3, 4), (4, 3, 1), (3,)], "tensor 1 must be 2D but got 3D"),
])
def test_multi_dot_errors(shapes: list, message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        autograd.linalg.multi_dot([_f64(np.ones(s)) for s in shapes])
    with pytest.raises(TypeError, match="multi_dot"):
        autograd.linalg.multi_dot(_f64(np.ones((2, 2))))
