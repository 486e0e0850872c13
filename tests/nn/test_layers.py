"""Layers: values against numpy formulas, train/eval behaviour, running statistics, containers."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64


def test_linear_computes_x_wt_plus_b_and_accepts_extra_leading_dims():
    lin = nn.Linear(3, 2)
    x = autograd.randn(4, 5, 3)
    expected = x.numpy() @ lin.weight.detach().numpy().T + lin.bias.detach().numpy()
    np.testing.assert_allclose(lin(x).detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    assert nn.Linear(3, 2, bias=False).bias is None


def test_identity_flatten_unflatten():
    x = autograd.randn(2, 3, 4, 5)
    assert nn.Identity(7, key="ignored")(x) is x
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 2)(x).shape == (24, 5)
    assert nn.Flatten(-2)(x).shape == (2, 3, 20)
    assert nn.Unflatten(1, (3, 20))(nn.Flatten()(x)).shape == (2, 3, 20)
    assert nn.Unflatten(-1, (2, -1))(autograd.zeros(2, 6)).shape == (2, 2, 3)
    with pytest.raises(RuntimeError, match="multiply up"):
        nn.Unflatten(1, (4, 4))(autograd.zeros(2, 6))


def test_bilinear_matches_einsum():
    bil = nn.Bilinear(2, 3, 4)
    x1, x2 = autograd.randn(5, 2), autograd.randn(5, 3)
    expected = np.einsum("ni,kij,nj->nk", x1.numpy(), bil.weight.detach().numpy(), x2.numpy())
    expected += bil.bias.detach().numpy()
    np.testing.assert_allclose(bil(x1, x2).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_embedding_lookup_and_padding_row():
    emb = nn.Embedding(5, 3, padding_idx=1)
    assert np.all(emb.weight.detach().numpy()[1] == 0)
    idx = autograd.tensor([[0, 1], [1, 4]])
    out = emb(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.detach().numpy(), emb.weight.detach().numpy()[idx.numpy()])
    out.sum().backward()
    grad = emb.weight.grad.numpy()
    np.testing.assert_array_equal(grad[:, 0], [1, 0, 0, 0, 1])  # counts of each index; padding row gets none
    assert nn.Embedding(5, 3, padding_idx=-1).padding_idx == 4
    with pytest.raises(IndexError, match="out of range"):
        emb(autograd.tensor([5]))


def test_embedding_max_norm_renormalises_looked_up_rows():
    emb = nn.Embedding.from_pretrained(autograd.tensor([[3.0, 4.0], [0.3, 0.4]]), max_norm=1.0)
    out = emb(autograd.tensor([0, 1]))
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-5)
    assert not emb.weight.requires_grad


def test_dropout_train_and_eval():
    autograd.manual_seed(0)
    drop = nn.Dropout(0.25)
    x = autograd.ones(1000, 10)
    y = drop(x).numpy()
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.02
    drop.eval()
    np.testing.assert_array_equal(drop(x).numpy(), x.numpy())
    assert np.all(nn.Dropout(1.0)(x).numpy() == 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


def test_dropout_gradient_uses_the_same_mask():
    x = autograd.ones(50, requires_grad=True)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())


def test_dropout_and_batch_norm_calls_show_their_training_flag_to_listeners():
    from autograd.function import add_forward_listener

    seen = []
    handle = add_forward_listener(lambda e: seen.append((e.op.op_name, e.kwargs.get("training"))))
    try:
        model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2), nn.Dropout())
        model(autograd.randn(4, 2))
        model.eval()
        model(autograd.randn(4, 2))
    finally:
        handle.remove()
    flags = [item for item in seen if item[0] in ("dropout", "batch_norm")]
    assert flags == [("batch_norm", True), ("dropout", True), ("batch_norm", False), ("dropout", False)]


def test_batch_norm_training_normalises_and_updates_running_stats_by_hand():
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    bn = nn.BatchNorm1d(2, momentum=0.1).double()
    y = bn(autograd.tensor(x)).detach().numpy()
    mean, var = x.mean(0), x.var(0)  # [3, 6], biased [8/3, 32/3]
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5))
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * mean)
    unbiased = x.var(0, ddof=1)  # [4, 16]
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 * 1 + 0.1 * unbiased)
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    z = bn(autograd.tensor(x)).detach().numpy()
    np.testing.assert_allclose(z, (x - 0.1 * mean) / np.sqrt(0.9 + 0.1 * unbiased + 1e-5))


def test_batch_norm_cumulative_average_with_momentum_none_and_3d_input():
    bn = nn.BatchNorm1d(2, momentum=None).double()
    a = np.arange(12.0).reshape(2, 2, 3)
    b = np.arange(12.0).reshape(2, 2, 3) ** 2
    bn(autograd.tensor(a))
    bn(autograd.tensor(b))
    mean_a, mean_b = a.mean((0, 2)), b.mean((0, 2))
    np.testing.assert_allclose(bn.running_mean.numpy(), (mean_a + mean_b) / 2)
    var_a = a.transpose(1, 0, 2).reshape(2, -1).var(1, ddof=1)
    var_b = b.transpose(1, 0, 2).reshape(2, -1).var(1, ddof=1)
    np.testing.assert_allclose(bn.running_var.numpy(), (var_a + var_b) / 2)
    assert bn.num_batches_tracked.item() == 2


def test_batch_norm_without_running_stats_and_errors():
    bn = nn.BatchNorm1d(3, affine=False, track_running_stats=False)
    assert list(bn.state_dict()) == []
    x = autograd.randn(8, 3)
    bn.eval()  # still uses the batch statistics
    np.testing.assert_allclose(bn(x).numpy().mean(0), 0, atol=1e-5)
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        nn.BatchNorm1d(3)(autograd.zeros(3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(autograd.zeros(1, 3))


def test_batch_norm_works_on_4d_input_and_gradchecks():
    x = autograd.randn(3, 2, 2, 2, dtype=f64, requires_grad=True)
    w = autograd.randn(2, dtype=f64, requires_grad=True)
    b = autograd.randn(2, dtype=f64, requires_grad=True)
    rm, rv = autograd.zeros(2, dtype=f64), autograd.ones(2, dtype=f64)
    out = F.batch_norm(x, rm, rv, w, b, training=True)
    assert out.shape == (3, 2, 2, 2)
    assert rm._version == 1  # updated in place
    assert autograd.gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), [x, w, b])
    assert autograd.gradgradcheck(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False), [x, w, b])


def test_layer_norm_values_and_gradcheck():
    x = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]])
    ln = nn.LayerNorm(4).double()
    expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(ln(autograd.tensor(x)).detach().numpy(), expected)
    xt = autograd.tensor(x, requires_grad=True)
    w = autograd.tensor(np.array([1.0, 2.0, 0.5, -1.0]), requires_grad=True)
    assert autograd.gradgradcheck(lambda x, w: F.layer_norm(x, (4,), w, None), [xt, w])
    with pytest.raises(RuntimeError, match="normalized_shape"):
        ln(autograd.zeros(2, 3))


def test_activation_modules_match_numpy():
    x = np.linspace(-3, 3, 13)
    t = autograd.tensor(x)
    cases = {
        nn.ReLU(): np.maximum(x, 0),
        nn.LeakyReLU(0.2): np.where(x > 0, x, 0.2 * x),
        nn.ELU(0.5): np.where(x > 0, x, 0.5 * (np.exp(x) - 1)),
        nn.Sigmoid(): 1 / (1 + np.exp(-x)),
        nn.Tanh(): np.tanh(x),
        nn.Softplus(2.0): np.log1p(np.exp(2 * x)) / 2,
        nn.Hardtanh(-2.0, 2.0): np.clip(x, -2, 2),
        nn.Softmax(dim=0): np.exp(x) / np.exp(x).sum(),
        nn.LogSoftmax(dim=0): x - np.log(np.exp(x).sum()),
        nn.GELU("tanh"): 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
        nn.SiLU(): x / (1 + np.exp(-x)),
    }
    for module, expected in cases.items():
        np.testing.assert_allclose(module(t).numpy(), expected, rtol=1e-6, atol=1e-12, err_msg=repr(module))
    scale, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    np.testing.assert_allclose(nn.SELU()(t).numpy(), scale * np.where(x > 0, x, alpha * (np.exp(x) - 1)))


def test_silu_gradient_and_inplace_flag():
    x = np.linspace(-3, 3, 7)
    t = autograd.tensor(x, requires_grad=True)
    F.silu(t).sum().backward()
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(t.grad.numpy(), s * (1 + x * (1 - s)), rtol=1e-12)
    data = autograd.tensor(x)
    out = nn.SiLU(inplace=True)(data)  # accepted and computed out of place, as every stepgrad layer
    np.testing.assert_allclose(out.numpy(), x * s, rtol=1e-12)
    np.testing.assert_array_equal(data.numpy(), x)
    assert repr(nn.SiLU(inplace=True)) == "SiLU(inplace=True)" and repr(nn.SiLU()) == "SiLU()"


def test_sequential_indexing_slicing_and_mutation():
    a, b, c = nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 2)
    seq = nn.Sequential(a, b, c)
    assert seq[0] is a and seq[-1] is c and len(seq) == 3
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert list(sub._modules) == ["1", "2"]  # slices keep the original names, as in PyTorch
    with pytest.raises(IndexError, match="out of range"):
        seq[3]
    seq.append(nn.Tanh())
    assert len(seq) == 4 and isinstance(seq[3], nn.Tanh)
    del seq[0]
    assert list(seq._modules) == ["0", "1", "2"] and seq[0] is b
    seq[0] = nn.Sigmoid()
    assert isinstance(seq[0], nn.Sigmoid)
    named = nn.Sequential(OrderedDict(first=nn.Linear(2, 3), act=nn.ReLU()))
    assert list(named.state_dict()) == ["first.weight", "first.bias"]
    assert named(autograd.ones(1, 2)).shape == (1, 3)


def test_module_list_and_module_dict():
    layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh()])
    layers.insert(0, nn.Identity())
    assert [type(m).__name__ for m in layers] == ["Identity", "Linear", "Linear", "Linear", "ReLU", "Tanh"]
    assert isinstance(layers[-1], nn.Tanh) and isinstance(layers[1:3], nn.ModuleList)
    del layers[0]
    assert list(layers._modules) == [str(i) for i in range(5)]
    assert len(list(layers.parameters())) == 6
    d = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
    d["c"] = nn.Linear(1, 1)
    assert list(d.keys()) == ["b", "a", "c"] and "a" in d and len(d) == 3
    assert list(d.state_dict()) == ["c.weight", "c.bias"]
    assert isinstance(d.pop("b"), nn.ReLU) and list(d) == ["a", "c"]
