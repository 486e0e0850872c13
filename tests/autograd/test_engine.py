"""The engine: PyTorch's backward semantics, higher-order gradients, hooks, memory and its error messages."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import autograd
from autograd import Function


def test_classic_backprop_step_by_hand() -> None:
    # J = (y - (w*x + b))**2 with x = 2, w = 3, b = 4, y = 5: residual -5, dJ/dw = 2*(-5)*(-x) = 20, dJ/db = 10.
    x, y = autograd.tensor(2.0), autograd.tensor(5.0)
    w = autograd.tensor(3.0, requires_grad=True)
    b = autograd.tensor(4.0, requires_grad=True)
    J = (y - (w * x + b)) ** 2
    J.backward()
    assert J.item() == 25.0
    assert w.grad.item() == 20.0 and b.grad.item() == 10.0
    with autograd.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
    assert w.item() == pytest.approx(1.0) and b.item() == pytest.approx(3.0)


def test_gradients_accumulate_until_zeroed() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_fan_out_adds_gradients() -> None:
    x = autograd.tensor(3.0, requires_grad=True)
    y = x * x + x  # x used three times
    y.backward()
    assert x.grad.item() == 7.0


def test_second_derivative_of_cube_is_six_x() -> None:
    x = autograd.tensor([1.0, -2.0, 0.5], dtype=autograd.float64, requires_grad=True)
    (dy,) = autograd.grad((x**3).sum(), x, create_graph=True)
    np.testing.assert_allclose(dy.detach().numpy(), 3 * np.array([1.0, 4.0, 0.25]))
    (d2y,) = autograd.grad(dy.sum(), x)
    np.testing.assert_allclose(d2y.numpy(), 6 * np.array([1.0, -2.0, 0.5]))


def test_hessian_vector_product() -> None:
    # f(x) = sum(x_i^2 * x_{i+1}) has Hessian H; check H @ v against the explicit matrix.
    x0 = np.array([0.5, -1.0, 2.0])
    x = autograd.tensor(x0, requires_grad=True)
    v = np.array([1.0, 2.0, -1.0])
    f = (x[:-1] ** 2 * x[1:]).sum()
    (g,) = autograd.grad(f, x, create_graph=True)
    (hv,) = autograd.grad((g * autograd.tensor(v)).sum(), x)
    a, b, c = x0
    H = np.array([[2 * b, 2 * a, 0], [2 * a, 2 * c, 2 * b], [0, 2 * b, 0]])
    np.testing.assert_allclose(hv.numpy(), H @ v)


def test_backward_on_non_scalar_needs_gradient() -> None:
    x = autograd.ones(3, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()
    y.backward(autograd.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0, 6.0])


def test_gradient_shape_mismatch_is_reported() -> None:
    x = autograd.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of \(2,\)"):
        (x * 2).backward(autograd.ones(2))


def test_second_backward_through_freed_graph_raises_and_mentions_retain_graph() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])


def test_backward_on_tensor_without_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        autograd.ones(2).sum().backward()


def test_only_floating_tensors_can_require_grad() -> None:
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        autograd.tensor([1, 2], requires_grad=True)


def test_only_leaves_keep_grad_unless_retained() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    k = x * 3
    k.retain_grad()
    (h * k).sum().backward()
    assert h.grad is None
    np.testing.assert_array_equal(k.grad.numpy(), h.detach().numpy())
    assert not h.is_leaf and x.is_leaf


def test_autograd_grad_does_not_touch_dot_grad_and_checks_usage() -> None:
    x = autograd.tensor(2.0, requires_grad=True)
    z = autograd.tensor(1.0, requires_grad=True)
    y = x * x
    (g,) = autograd.grad(y, x, retain_graph=True)
    assert g.item() == 4.0 and x.grad is None
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = autograd.grad(y, [x, z], allow_unused=True)
    assert gx.item() == 4.0 and gz is None


def test_grad_with_respect_to_an_intermediate() -> None:
    x = autograd.tensor(3.0, requires_grad=True)
    h = x * 2
    y = h * h
    (gh,) = autograd.grad(y, h)
    assert gh.item() == 12.0


def test_backward_inputs_restricts_accumulation() -> None:
    a = autograd.tensor(2.0, requires_grad=True)
    b = autograd.tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 3.0 and b.grad is None


def test_no_grad_and_friends_as_context_and_decorator() -> None:
    x = autograd.ones(2, requires_grad=True)
    with autograd.no_grad():
        assert not (x * 2).requires_grad
        assert not autograd.is_grad_enabled()
        with autograd.enable_grad():
            assert (x * 2).requires_grad
    assert autograd.is_grad_enabled()

    @autograd.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad
    with autograd.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad


def test_tensor_hook_can_replace_the_gradient() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    handle = x.register_hook(lambda g: g * 10)
    h.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.numpy(), [30.0, 30.0])
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_hundred_thousand_deep_chain() -> None:
    x = autograd.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.backward()
    assert x.grad.item() == 1.0
    assert y.item() == 100_001.0


def test_graph_is_freed_after_backward() -> None:
    x = autograd.tensor(np.ones(5), requires_grad=True)
    h = x * 2
    ref = weakref.ref(h)
    y = (h * h).sum()
    del h
    gc.collect()
    assert ref() is not None  # the graph still holds the intermediate
    y.backward()
    gc.collect()
    assert ref() is None


def test_leaf_gradients_never_alias_each_other() -> None:
    a = autograd.tensor([1.0, 2.0], requires_grad=True)
    b = autograd.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    with autograd.no_grad():
        a.grad.mul_(5)
    np.testing.assert_array_equal(b.grad.numpy(), [1.0, 1.0])


def test_inplace_on_saved_tensor_raises_at_backward() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = (h * h).sum()  # mul saves h
    h.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_inplace_on_unsaved_tensor_is_fine() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    y = (h + 1.0).sum()  # add saves nothing
    h.add_(1.0)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_inplace_continues_history_of_a_non_leaf() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    h *= 3.0
    assert h.grad_fn.name() == "MulBackward"
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])


def test_inplace_that_overwrites_its_own_saved_input_raises_like_pytorch() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    h *= h  # the multiplication saved h, which the in-place write then changes
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        h.sum().backward()


def test_inplace_on_leaf_requiring_grad_raises_outside_no_grad() -> None:
    w = autograd.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place"):
        w.add_(1.0)
    with autograd.no_grad():
        w.add_(1.0)
    assert w._version == 1
    np.testing.assert_array_equal(w.detach().numpy(), [2.0, 2.0])


def test_custom_function_like_torch() -> None:
    class MyReLU(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.relu()

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            assert ctx.needs_input_grad == (True,)
            return grad * (x > 0)

    x = autograd.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    y = MyReLU.apply(x)
    assert y.grad_fn.name() == "MyReLUBackward"
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 4.0, 6.0])


def test_custom_function_gradcheck_passes_and_wrong_backward_fails() -> None:
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    class WrongCube(Cube):
        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x * x

    x = autograd.tensor(np.array([0.3, -1.2, 2.0]), requires_grad=True)
    assert autograd.gradcheck(Cube.apply, (x,))
    with pytest.raises(autograd.GradcheckError, match=r"analytic .* numeric"):
        autograd.gradcheck(WrongCube.apply, (x,))
    assert not autograd.gradcheck(WrongCube.apply, (x,), raise_exception=False)


def test_gradgradcheck_fails_on_wrong_second_derivative() -> None:
    class Square(Function):
        # First derivative right, but backward is written with a detached input: the second derivative is lost.
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x.detach()

    x = autograd.tensor(np.array([0.5, 1.5]), requires_grad=True)
    assert autograd.gradcheck(Square.apply, (x,))
    with pytest.raises(autograd.GradcheckError):
        autograd.gradgradcheck(Square.apply, (x,))


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")  # -inf * 0 in forward
def test_detect_anomaly_names_op_and_user_line() -> None:
    x = autograd.tensor([0.0, 1.0], requires_grad=True)
    with autograd.detect_anomaly():
        y = (x.log() * 0.0).sum()  # log'(0) = inf, times 0 -> nan in LogBackward
        with pytest.raises(RuntimeError, match=r"Function 'LogBackward' returned nan values.*test_engine.py:\d+"):
            y.backward()


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")
def test_anomaly_mode_is_off_by_default_and_nan_passes_silently() -> None:
    x = autograd.tensor([0.0, 1.0], requires_grad=True)
    (x.log() * 0.0).sum().backward()
    assert np.isnan(x.grad.numpy()[0])


def test_engine_order_follows_pytorch_newest_first() -> None:
    x = autograd.tensor(1.0, requires_grad=True)
    a = x * 2
    b = x * 3
    y = a + b
    order = [v.name() if hasattr(v, "name") and callable(v.name) else "leaf" for v in autograd.traverse([y.grad_fn])]
    assert order == ["AddBackward", "MulBackward", "MulBackward", "leaf"]


def test_node_names_read_like_pytorch() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    assert (x**2).grad_fn.name() == "PowBackward"
    assert (x ** autograd.tensor([1.0, 2.0])).grad_fn.name() == "PowBackward"
    assert (x * 2).grad_fn.name() == "MulBackward" and x.sum().grad_fn.name() == "SumBackward"
