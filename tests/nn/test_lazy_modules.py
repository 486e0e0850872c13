"""Lazy modules: placeholders until the first forward, inference of the input size, materialisation with the
non-lazy layer's initialisation and class, state_dict round trips, and the errors for using a placeholder
(expected values checked by hand against torch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import optim


def test_uninitialized_parameter_is_a_placeholder():
    p = nn.UninitializedParameter()
    assert isinstance(p, nn.Parameter) and nn.parameter.is_lazy(p)
    assert repr(p) == "<UninitializedParameter>"
    assert p.dtype == autograd.get_default_dtype() and p.requires_grad and p.grad is None
    assert p.detach() is p
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        _ = p.shape
    for use in (lambda: p + 1, lambda: p.sum(), lambda: p * 2, lambda: p.numel()):
        with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter"):
            use()


def test_materialize_turns_placeholders_into_parameter_and_buffer():
    p = nn.UninitializedParameter(requires_grad=False, dtype=autograd.float64)
    p.materialize((2, 3))
    assert type(p) is nn.Parameter and p.shape == (2, 3) and p.dtype == autograd.float64
    assert not p.requires_grad
    b = nn.UninitializedBuffer(persistent=False)
    assert repr(b) == "<UninitializedBuffer>" and not b.requires_grad
    b.materialize(4)
    assert type(b) is nn.Buffer and b.shape == (4,) and not b.persistent


def test_lazy_linear_infers_in_features_and_becomes_linear():
    m = nn.LazyLinear(3)
    assert repr(m) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert m.has_uninitialized_params() and m.in_features == 0
    assert [type(v).__name__ for v in m.state_dict().values()] == ["UninitializedParameter"] * 2
    y = m(autograd.randn(2, 5))
    assert type(m) is nn.Linear and repr(m) == "Linear(in_features=5, out_features=3, bias=True)"
    assert y.shape == (2, 3) and m.weight.shape == (3, 5) and m.bias.shape == (3,)
    assert type(m.weight) is nn.Parameter
    assert not m._forward_pre_hooks
    assert list(nn.LazyLinear(3, bias=False).state_dict()) == ["weight"]


def test_lazy_linear_is_initialised_as_linear():
    autograd.manual_seed(7)
    linear = nn.Linear(5, 3, dtype=autograd.float64)
    lazy = nn.LazyLinear(3, dtype=autograd.float64)
    autograd.manual_seed(7)
    lazy(autograd.zeros(1, 5, dtype=autograd.float64))
    np.testing.assert_array_equal(lazy.weight.detach().numpy(), linear.weight.detach().numpy())
    np.testing.assert_array_equal(lazy.bias.detach().numpy(), linear.bias.detach().numpy())
    assert lazy.weight.dtype == autograd.float64


def test_unbatched_input_and_training_after_materialisation():
    m = nn.LazyLinear(3)
    assert m(autograd.randn(5)).shape == (3,) and m.in_features == 5
    opt = optim.SGD(m.parameters(), lr=0.1)
    before = m.weight.detach().numpy().copy()
    m(autograd.randn(4, 5)).sum().backward()
    opt.step()
    assert not np.array_equal(before, m.weight.detach().numpy())


@pytest.mark.parametrize(
    "lazy, x, cls, weight, text",
    [
        (nn.LazyConv1d(4, 3), (2, 5, 7), nn.Conv1d, (4, 5, 3), "Conv1d(5, 4, kernel_size=(3,), stride=(1,))"),
        (nn.LazyConv2d(4, 3, groups=2, bias=False), (2, 6, 7, 7), nn.Conv2d, (4, 3, 3, 3),
         "Conv2d(6, 4, kernel_size=(3, 3), stride=(1, 1), groups=2, bias=False)"),
        (nn.LazyConvTranspose1d(4, 3), (2, 5, 7), nn.ConvTranspose1d, (5, 4, 3),
         "ConvTranspose1d(5, 4, kernel_size=(3,), stride=(1,))"),
        (nn.LazyConvTranspose2d(4, 3, groups=2), (6, 7, 7), nn.ConvTranspose2d, (6, 2, 3, 3),
         "ConvTranspose2d(6, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)"),
    ],
)
def test_lazy_convolutions(lazy, x, cls, weight, text):
    assert repr(lazy).startswith(f"Lazy{cls.__name__}(0, 4,")
    lazy(autograd.randn(*x))
    assert type(lazy) is cls and repr(lazy) == text and lazy.weight.shape == weight
    assert lazy.bias is None or lazy.bias.shape == (4,)


def test_lazy_conv_errors():
    with pytest.raises(RuntimeError, match="Expected 3D \\(unbatched\\) or 4D \\(batched\\) input to LazyConv2d"):
        nn.LazyConv2d(4, 3)(autograd.randn(6, 7))
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.LazyConv2d(4, 3, groups=4)(autograd.randn(1, 6, 7, 7))


def test_lazy_batch_norm():
    bn = nn.LazyBatchNorm1d()
    assert repr(bn) == ("LazyBatchNorm1d(0, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                        "track_running_stats=True)")
    kinds = {k: type(v).__name__ for k, v in bn.state_dict().items()}
    assert kinds == {"weight": "UninitializedParameter", "bias": "UninitializedParameter",
                     "running_mean": "UninitializedBuffer", "running_var": "UninitializedBuffer",
                     "num_batches_tracked": "Tensor"}
    bn(autograd.randn(4, 3))
    assert type(bn) is nn.BatchNorm1d and bn.num_features == 3 and bn.num_batches_tracked.item() == 1
    np.testing.assert_array_equal(bn.weight.detach().numpy(), np.ones(3))
    np.testing.assert_array_equal(bn.bias.detach().numpy(), np.zeros(3))
    assert bn.running_mean.shape == (3,) and bn.running_var.shape == (3,)
    plain = nn.LazyBatchNorm2d(affine=False)
    plain(autograd.randn(2, 5, 3, 3))
    assert type(plain) is nn.BatchNorm2d and list(plain.state_dict()) == [
        "running_mean", "running_var", "num_batches_tracked"]


def test_lazy_instance_norm_defaults_to_affine_and_tracking():
    norm = nn.LazyInstanceNorm2d()
    assert norm.affine and norm.track_running_stats
    norm(autograd.randn(5, 3, 3))  # unbatched: channels on dimension 0
    assert type(norm) is nn.InstanceNorm2d and norm.num_features == 5 and norm.weight.shape == (5,)
    one = nn.LazyInstanceNorm1d(affine=False, track_running_stats=False)
    one(autograd.randn(2, 4, 6))
    assert type(one) is nn.InstanceNorm1d and not one.state_dict()
    with pytest.raises(ValueError, match="expected 2D \\(unbatched\\) or 3D input"):
        nn.LazyInstanceNorm1d()(autograd.randn(5))


def test_load_state_dict_materialises_without_changing_class():
    source = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    model = nn.Sequential(nn.LazyLinear(3), nn.ReLU(), nn.LazyLinear(2))
    assert repr(model.load_state_dict(source.state_dict())) == "<All keys matched successfully>"
    assert type(model[0]) is nn.LazyLinear and model[0].in_features == 0
    assert not model[0].has_uninitialized_params()
    np.testing.assert_array_equal(model[2].weight.detach().numpy(), source[2].weight.detach().numpy())
    x = autograd.randn(2, 4)
    np.testing.assert_allclose(model(x).detach().numpy(), source(x).detach().numpy())
    assert type(model[0]) is nn.Linear and model[0].in_features == 4


def test_load_state_dict_into_lazy_batch_norm_and_partial_loads():
    bn = nn.LazyBatchNorm1d()
    bn.load_state_dict(nn.BatchNorm1d(3).state_dict())
    np.testing.assert_array_equal(bn.running_var.numpy(), np.ones(3))
    m = nn.LazyLinear(3)
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "bias"'):
        m.load_state_dict({"weight": autograd.randn(3, 4)})
    m = nn.LazyLinear(3)
    m.load_state_dict({"weight": autograd.randn(3, 4)}, strict=False)
    assert m.has_uninitialized_params() and nn.parameter.is_lazy(m.bias)


def test_loading_an_uninitialised_state_dict_into_a_linear_fails():
    with pytest.raises(RuntimeError, match="Can't access the shape"):
        nn.Linear(4, 3).load_state_dict(nn.LazyLinear(3).state_dict())
