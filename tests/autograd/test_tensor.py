"""The Tensor: creation, dtypes, attributes, conversions, repr and random streams."""

from __future__ import annotations

import numpy as np
import pytest

import autograd


def test_dtype_inference_follows_torch_tensor() -> None:
    assert autograd.tensor(1.5).dtype == autograd.float32
    assert autograd.tensor([1, 2]).dtype == autograd.int64
    assert autograd.tensor([True]).dtype == autograd.bool
    assert autograd.tensor(np.zeros(2)).dtype == autograd.float64  # numpy arrays keep their dtype
    assert autograd.tensor([1.0], dtype=autograd.float64).dtype == np.float64
    assert autograd.Tensor([1, 2]).dtype == autograd.float32  # torch.Tensor(...) is a float tensor
    # with a dtype, Python floats are not rounded to float32 on the way (torch.tensor([1e-5], dtype=float64))
    assert autograd.tensor([1e-5, 0.1], dtype=autograd.float64).tolist() == [1e-5, 0.1]


def test_mixed_precision_promotes_like_pytorch() -> None:
    f32 = autograd.ones(2)
    f64 = autograd.ones(2, dtype=autograd.float64)
    assert (f32 + f64).dtype == np.float64
    assert (f32 + autograd.tensor(2.0, dtype=autograd.float64)).dtype == np.float32  # 0-d does not widen
    assert (autograd.tensor([1, 2]) * 2.5).dtype == np.float32
    assert (autograd.tensor([1, 2]) + 1).dtype == np.int64
    assert (autograd.tensor([1, 2]) / autograd.tensor([2, 2])).dtype == np.float32


def test_gradient_flows_back_through_a_promotion() -> None:
    a = autograd.ones(2, requires_grad=True)
    b = autograd.ones(2, dtype=autograd.float64, requires_grad=True)
    (a * b * 3).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad.numpy(), [3.0, 3.0])


def test_creation_functions() -> None:
    assert autograd.zeros(2, 3).shape == (2, 3) and autograd.zeros((2, 3)).shape == (2, 3)
    np.testing.assert_array_equal(autograd.full((2,), 7).numpy(), [7, 7])
    assert autograd.full((2,), 7).dtype == np.int64 and autograd.full((2,), 0.5).dtype == np.float32
    np.testing.assert_array_equal(autograd.arange(4).numpy(), [0, 1, 2, 3])
    assert autograd.arange(4).dtype == np.int64 and autograd.arange(0, 1, 0.25).dtype == np.float32
    np.testing.assert_allclose(autograd.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(autograd.eye(2).numpy(), [[1, 0], [0, 1]])
    like = autograd.ones(3, dtype=autograd.float64)
    assert autograd.zeros_like(like).dtype == np.float64 and autograd.full_like(like, 2).numpy()[0] == 2.0
    assert autograd.empty(4).shape == (4,) and autograd.ones_like(like).numpy().sum() == 3


def test_from_numpy_shares_memory() -> None:
    array = np.arange(3.0)
    t = autograd.from_numpy(array)
    array[0] = 42.0
    assert t[0].item() == 42.0
    assert t.dtype == np.float64
    with pytest.raises(TypeError, match="from_numpy: expected np.ndarray"):
        autograd.from_numpy([1, 2])


def test_manual_seed_repeats_and_generators_are_independent() -> None:
    autograd.manual_seed(0)
    a = autograd.randn(4)
    autograd.manual_seed(0)
    b = autograd.randn(4)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    g = autograd.Generator().manual_seed(1)
    c = autograd.rand(3, generator=g)
    g.manual_seed(1)
    np.testing.assert_array_equal(c.numpy(), autograd.rand(3, generator=g).numpy())
    assert autograd.randint(0, 10, (100,)).numpy().max() < 10
    assert sorted(autograd.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    assert autograd.rand(2, 2).dtype == np.float32


def test_attributes_and_conversions() -> None:
    t = autograd.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and t.dim() == 2 and t.numel() == 6
    assert t.size() == (2, 3) and t.size(1) == 3 and t.size(-1) == 3
    assert t.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert len(t) == 2 and t.is_leaf and not t.requires_grad
    assert np.asarray(t).shape == (2, 3)
    assert float(autograd.tensor([2.5])) == 2.5 and int(autograd.tensor(3)) == 3
    assert bool(autograd.tensor(1.0))
    assert t.double().dtype == np.float64 and t.long().dtype == np.int64 and t.int().dtype == np.int32
    assert t.to(autograd.float64).dtype == np.float64 and t.to("cpu") is t
    assert t.type_as(autograd.tensor([1])).dtype == np.int64
    with pytest.raises(IndexError, match="dimension out of range"):
        t.size(2)


def test_scalar_conversion_errors() -> None:
    t = autograd.ones(3)
    with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted to Scalar"):
        t.item()
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(t)
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(autograd.tensor(1.0))


def test_numpy_refuses_tensors_that_require_grad() -> None:
    x = autograd.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Use tensor.detach\\(\\).numpy\\(\\) instead"):
        x.numpy()
    assert x.detach().numpy().sum() == 2


def test_detach_shares_data_and_version_counter() -> None:
    x = autograd.ones(2, requires_grad=True)
    d = x.detach()
    d.add_(1.0)
    assert x._version == 1
    np.testing.assert_array_equal(x.detach().numpy(), [2.0, 2.0])
    assert not d.requires_grad and d.grad_fn is None


def test_data_property_is_detached_and_assignable() -> None:
    w = autograd.ones(2, requires_grad=True)
    w.data.mul_(3)  # classic manual update through .data
    np.testing.assert_array_equal(w.detach().numpy(), [3.0, 3.0])
    w.data = autograd.zeros(2)
    assert w.requires_grad and w.detach().numpy().sum() == 0


def test_requires_grad_only_changes_on_leaves() -> None:
    x = autograd.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    z = autograd.ones(2)
    z.requires_grad = True
    assert z.requires_grad


def test_repr_reads_like_pytorch() -> None:
    assert repr(autograd.tensor([[1.0, 2.0]], requires_grad=True)) == "tensor([[1., 2.]], requires_grad=True)"
    assert repr(autograd.tensor([1.5, 2.25])) == "tensor([1.5000, 2.2500])"
    assert repr(autograd.tensor(3.0)) == "tensor(3.)"
    assert repr(autograd.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(autograd.tensor([1.0, 2.0], dtype=autograd.float64)) == "tensor([1., 2.], dtype=autograd.float64)"
    assert repr(autograd.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(autograd.zeros(2, 0)) == "tensor([], size=(2, 0))"
    assert repr(autograd.tensor([True, False])) == "tensor([ True, False])"
    x = autograd.tensor([1.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2.], grad_fn=<MulBackward>)"


def test_inplace_ops_bump_the_version_and_check_shapes() -> None:
    t = autograd.zeros(2, 3)
    t.add_(autograd.ones(3))
    assert t._version == 1
    with pytest.raises(RuntimeError, match=r"output with shape \[2, 3\] doesn't match the broadcast shape"):
        t.add_(autograd.ones(4, 2, 3))
    i = autograd.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type int64"):
        i.add_(0.5)
