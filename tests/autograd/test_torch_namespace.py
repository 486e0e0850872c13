"""torch.* names on autograd: aliases, broadcasting, predicates, aminmax, scalar_tensor and logspace.

Expected values are worked out by hand or with plain numpy.
"""

import numpy as np
import pytest

import autograd


def t(values, dtype=None, requires_grad=False):
    return autograd.tensor(values, dtype=dtype, requires_grad=requires_grad)


# -- aliases ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("alias", "name"), [
    ("absolute", "abs"), ("divide", "div"), ("multiply", "mul"), ("subtract", "sub"), ("negative", "neg"),
    ("greater", "gt"), ("greater_equal", "ge"), ("less", "lt"), ("less_equal", "le"), ("not_equal", "ne"),
])
def test_aliases_are_the_same_function(alias, name):
    assert getattr(autograd, alias) is getattr(autograd, name)


def test_alias_values_and_methods():
    a, b = t([[-3.0, 4.0], [5.0, -6.0]]), t([2.0, -4.0])
    np.testing.assert_array_equal(autograd.divide(a, b, rounding_mode="floor").numpy(), [[-2.0, -1.0], [2.0, 1.0]])
    np.testing.assert_array_equal(a.divide(b, rounding_mode="trunc").numpy(), [[-1.0, -1.0], [2.0, 1.0]])
    np.testing.assert_array_equal(a.subtract(b, alpha=2).numpy(), [[-7.0, 12.0], [1.0, 2.0]])
    np.testing.assert_array_equal(a.multiply(b).numpy(), [[-6.0, -16.0], [10.0, 24.0]])
    np.testing.assert_array_equal(a.absolute().numpy(), [[3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(a.negative().numpy(), [[3.0, -4.0], [-5.0, 6.0]])
    np.testing.assert_array_equal(a.greater(b).numpy(), [[False, True], [True, False]])
    np.testing.assert_array_equal(a.less_equal(b).numpy(), [[True, False], [False, True]])
    np.testing.assert_array_equal(a.not_equal(t([-3.0, 0.0])).numpy(), [[False, True], [True, True]])


def test_in_place_aliases():
    x = t([-1.5, 2.0])
    assert x.absolute_() is x
    np.testing.assert_array_equal(x.numpy(), [1.5, 2.0])
    x.negative_()
    np.testing.assert_array_equal(x.numpy(), [-1.5, -2.0])
    x.multiply_(2).subtract_(1, alpha=3).divide_(t([2.0, 4.0]), rounding_mode="floor")
    np.testing.assert_array_equal(x.numpy(), [-3.0, -2.0])  # (-3 - 3) / 2 = -3, (-4 - 3) / 4 = -1.75 -> -2
    i = t([7, -7])
    i.divide_(2, rounding_mode="trunc")
    assert i.dtype == np.int64
    np.testing.assert_array_equal(i.numpy(), [3, -3])


def test_positive():
    x = t([1.0, -2.0])
    assert autograd.positive(x) is x and x.positive() is x
    with pytest.raises(RuntimeError, match="bool"):
        autograd.positive(t([True]))


def test_sub_of_bool_tensors_raises():
    with pytest.raises(RuntimeError, match="two bool tensors"):
        autograd.sub(t([True]), t([False]))
    with pytest.raises(RuntimeError, match="a bool tensor"):
        autograd.subtract(t([1.0]), t([True]))
    with pytest.raises(RuntimeError, match="a bool tensor"):
        autograd.rsub(t([True]), 1.0)


def test_rsub_values_gradients_and_types():
    x, y = t([1.0, 2.0], requires_grad=True), t([10.0, 20.0], requires_grad=True)
    out = autograd.rsub(x, y, alpha=2)  # y - 2x
    np.testing.assert_array_equal(out.detach().numpy(), [8.0, 16.0])
    gx, gy = autograd.grad(out.sum(), (x, y))
    np.testing.assert_array_equal(gx.numpy(), [-2.0, -2.0])
    np.testing.assert_array_equal(gy.numpy(), [1.0, 1.0])
    ints = autograd.rsub(t([1, 2]), 3)
    assert ints.dtype == np.int64
    np.testing.assert_array_equal(ints.numpy(), [2, 1])
    with pytest.raises(TypeError):
        autograd.rsub(3, t([1.0]))


def test_flips_and_ravel():
    x = autograd.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(autograd.fliplr(x).numpy(), [[2, 1, 0], [5, 4, 3]])
    np.testing.assert_array_equal(x.flipud().numpy(), [[3, 4, 5], [0, 1, 2]])
    np.testing.assert_array_equal(x.t().ravel().numpy(), [0, 3, 1, 4, 2, 5])
    np.testing.assert_array_equal(autograd.flipud(t([1, 2, 3])).numpy(), [3, 2, 1])
    with pytest.raises(RuntimeError, match="2-d"):
        autograd.fliplr(t([1, 2]))
    with pytest.raises(RuntimeError, match="1-d"):
        autograd.flipud(t(1))
    assert autograd.ravel(t(5.0)).shape == (1,)


def test_detach_function():
    x = t([1.0, 2.0], requires_grad=True)
    d = autograd.detach(x * 2)
    assert not d.requires_grad and d.grad_fn is None
    np.testing.assert_array_equal(d.numpy(), [2.0, 4.0])


# -- broadcasting ------------------------------------------------------------------------------------------------
def test_broadcast_shapes():
    assert autograd.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert autograd.broadcast_shapes(2, (3, 1)) == (3, 2)
    assert autograd.broadcast_shapes() == ()
    assert autograd.broadcast_shapes((0,), (1,)) == (0,)
    assert autograd.broadcast_shapes([5, 1, 4], (1, 3, 1), ()) == (5, 3, 4)
    with pytest.raises(RuntimeError, match="length 3"):
        autograd.broadcast_shapes((2,), (3,))
    with pytest.raises(ValueError, match="negative"):
        autograd.broadcast_shapes((-1,), (1,))


def test_broadcast_tensors_values_views_and_gradients():
    a = t([[1.0], [2.0]], requires_grad=True)
    b = t([10.0, 20.0, 30.0], requires_grad=True)
    ea, eb = autograd.broadcast_tensors(a, b)
    assert ea.shape == eb.shape == (2, 3)
    np.testing.assert_array_equal(ea.detach().numpy(), [[1.0] * 3, [2.0] * 3])
    np.testing.assert_array_equal(eb.detach().numpy(), [[10.0, 20.0, 30.0]] * 2)
    assert np.shares_memory(eb.detach().numpy(), b.detach().numpy())
    weights = t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    ga, gb = autograd.grad((ea * weights).sum() + (eb * weights).sum(), (a, b))
    np.testing.assert_array_equal(ga.numpy(), [[6.0], [15.0]])  # row sums of weights
    np.testing.assert_array_equal(gb.numpy(), [5.0, 7.0, 9.0])  # column sums
    assert autograd.broadcast_tensors() == ()


def test_broadcast_tensors_errors():
    with pytest.raises(RuntimeError, match=r"size of tensor a \(2\) must match the size of tensor b \(3\)"):
        autograd.broadcast_tensors(autograd.ones(2), autograd.ones(3))
    with pytest.raises(TypeError):
        autograd.broadcast_tensors([autograd.ones(2)])


# -- predicates --------------------------------------------------------------------------------------------------
def test_is_nonzero():
    assert autograd.is_nonzero(t([2.5])) and not autograd.is_nonzero(t([[0]]))
    assert autograd.is_nonzero(t(float("nan"))) and not t(False).is_nonzero()
    with pytest.raises(RuntimeError, match="no values"):
        autograd.is_nonzero(t([]))
    with pytest.raises(RuntimeError, match="more than one value"):
        autograd.is_nonzero(t([1, 2]))
    with pytest.raises(TypeError):
        autograd.is_nonzero(1)


def test_size_sign_and_complex_predicates():
    assert autograd.is_same_size(autograd.ones(2, 3), autograd.zeros(2, 3, dtype=autograd.int64))
    assert not autograd.ones(2).is_same_size(autograd.ones(1, 2))
    signed = {d: autograd.ones(1, dtype=d).is_signed() for d in
              (autograd.uint8, autograd.bool, autograd.int8, autograd.int64, autograd.float16, autograd.float64)}
    assert signed == {autograd.uint8: False, autograd.bool: False, autograd.int8: True, autograd.int64: True,
                      autograd.float16: True, autograd.float64: True}
    assert not autograd.is_complex(autograd.ones(2)) and not autograd.ones(1).is_complex()


def test_isposinf_isneginf_isreal():
    x = t([1.0, float("inf"), -float("inf"), float("nan"), 0.0])
    np.testing.assert_array_equal(autograd.isposinf(x).numpy(), [False, True, False, False, False])
    np.testing.assert_array_equal(x.isneginf().numpy(), [False, False, True, False, False])
    np.testing.assert_array_equal(autograd.isreal(x).numpy(), [True] * 5)
    np.testing.assert_array_equal(autograd.isposinf(t([1, 2])).numpy(), [False, False])
    assert autograd.isneginf(t([True])).dtype == np.bool_


def test_inference_mode_and_anomaly_queries():
    assert not autograd.is_inference_mode_enabled()
    with autograd.inference_mode():
        assert autograd.is_inference_mode_enabled()
        with autograd.inference_mode(False):
            assert not autograd.is_inference_mode_enabled()
        assert autograd.is_inference_mode_enabled()
    with autograd.no_grad():
        assert not autograd.is_inference_mode_enabled()

    @autograd.inference_mode
    def inside():
        return autograd.is_inference_mode_enabled()

    assert inside() and not autograd.is_inference_mode_enabled()
    assert not autograd.is_anomaly_enabled()
    with autograd.detect_anomaly():
        assert autograd.is_anomaly_enabled() and autograd.is_anomaly_check_nan_enabled()
    assert not autograd.is_anomaly_enabled()


# -- aminmax -----------------------------------------------------------------------------------------------------
def test_aminmax_values():
    x = t([[1.0, 5.0, 2.0], [3.0, 0.0, 4.0]])
    result = autograd.aminmax(x)
    assert type(result).__name__ == "aminmax" and result._fields == ("min", "max")
    assert result.min.item() == 0.0 and result.max.item() == 5.0
    low, high = x.aminmax(dim=1, keepdim=True)
    np.testing.assert_array_equal(low.numpy(), [[1.0], [0.0]])
    np.testing.assert_array_equal(high.numpy(), [[5.0], [4.0]])
    low, high = autograd.aminmax(x, dim=-2)
    np.testing.assert_array_equal(low.numpy(), [1.0, 0.0, 2.0])
    np.testing.assert_array_equal(high.numpy(), [3.0, 5.0, 4.0])
    ints = autograd.aminmax(t([3, -1, 2]))
    assert ints.min.dtype == np.int64 and (ints.min.item(), ints.max.item()) == (-1, 3)
    nan = autograd.aminmax(t([1.0, float("nan")]))
    assert np.isnan(nan.min.item()) and np.isnan(nan.max.item())
    scalar = autograd.aminmax(t(3.0), dim=0)
    assert scalar.min.shape == () and scalar.max.item() == 3.0


def test_aminmax_gradient_shares_ties():
    x = t([[2.0, 2.0, 1.0], [0.0, 3.0, 3.0]], requires_grad=True)
    low, high = autograd.aminmax(x)
    (g,) = autograd.grad(low + 10 * high, x)
    np.testing.assert_array_equal(g.numpy(), [[0.0, 0.0, 0.0], [1.0, 5.0, 5.0]])
    low, high = autograd.aminmax(x, dim=1)
    (g,) = autograd.grad(low.sum() + high.sum(), x)
    np.testing.assert_array_equal(g.numpy(), [[0.5, 0.5, 1.0], [1.0, 0.5, 0.5]])


def test_aminmax_errors():
    with pytest.raises(RuntimeError, match="empty"):
        autograd.aminmax(t([]))
    with pytest.raises(IndexError):
        autograd.aminmax(autograd.ones(0, 3), dim=0)
    assert autograd.aminmax(autograd.ones(0, 3), dim=1).min.shape == (0,)
    with pytest.raises(IndexError):
        autograd.aminmax(autograd.ones(2, 3), dim=2)
    with pytest.raises(TypeError):
        autograd.aminmax(autograd.ones(2, 3), dim=(0, 1))


# -- creation ----------------------------------------------------------------------------------------------------
def test_scalar_tensor():
    for value, expected in ((3, 3.0), (True, 1.0), (-2.5, -2.5)):
        s = autograd.scalar_tensor(value)
        assert s.shape == () and s.dtype == np.float32 and s.item() == expected
    assert autograd.scalar_tensor(3, dtype=autograd.int64).dtype == np.int64
    assert autograd.scalar_tensor(t(2)).item() == 2.0
    assert autograd.scalar_tensor(1.5, requires_grad=True).requires_grad


def test_logspace():
    np.testing.assert_array_equal(autograd.logspace(0, 2, 3).numpy(), [1.0, 10.0, 100.0])
    np.testing.assert_array_equal(autograd.logspace(0, 2, 3, base=2).numpy(), [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(autograd.logspace(0, 1, 3, dtype=autograd.int64).numpy(), [1, 3, 10])
    np.testing.assert_array_equal(autograd.logspace(3, 5, 1).numpy(), [1000.0])
    x = autograd.logspace(-1, 1, 5, 3.0, dtype=autograd.float64)
    np.testing.assert_allclose(x.numpy(), 3.0 ** np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), rtol=1e-15)
    assert autograd.logspace(0, 1, 0).shape == (0,)
    assert autograd.logspace(0, 1, 4, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="non-negative"):
        autograd.logspace(0, 1, -1)
