"""nn.init distributions and default layer initialisation, nn.utils clipping and vectors, nn.summary."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
from nn import init


def test_calculate_gain_table():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(1.4141428569978354)  # PyTorch 2.13
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")


def test_fans_of_linear_and_conv_weights():
    assert init._calculate_fan_in_and_fan_out(autograd.empty(800, 784)) == (784, 800)
    assert init._calculate_fan_in_and_fan_out(autograd.empty(6, 1, 5, 5)) == (25, 150)
    assert init._calculate_fan_in_and_fan_out(autograd.empty(4, 3, 7)) == (21, 28)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(autograd.empty(5))


def test_uniform_normal_constant_eye():
    autograd.manual_seed(0)
    t = autograd.empty(200, 300)
    assert init.uniform_(t, -2.0, 3.0) is t
    values = t.numpy()
    assert values.min() >= -2.0 and values.max() < 3.0 and abs(values.mean() - 0.5) < 0.05
    init.normal_(t, 1.0, 0.5)
    assert abs(t.numpy().mean() - 1.0) < 0.01 and abs(t.numpy().std() - 0.5) < 0.01
    init.constant_(t, 0.25)
    assert np.all(t.numpy() == 0.25)
    init.zeros_(t)
    assert np.all(t.numpy() == 0)
    init.ones_(t)
    assert np.all(t.numpy() == 1)
    np.testing.assert_array_equal(init.eye_(autograd.empty(2, 3)).numpy(), np.eye(2, 3))
    init.trunc_normal_(t, std=1.0, a=-0.5, b=0.5)
    assert t.numpy().min() >= -0.5 and t.numpy().max() <= 0.5
    init.trunc_normal_(t)  # N(0, 1) truncated to [-2, 2] has std 0.8796
    assert t.numpy().std() == pytest.approx(0.8796, abs=0.01)
    tail = init.trunc_normal_(autograd.empty(200), a=5.0, b=5.5)  # far in the tail: the inverse-CDF path
    assert tail.numpy().min() >= 5.0 and tail.numpy().max() <= 5.5


def test_init_keeps_parameter_identity_and_records_nothing():
    p = nn.Parameter(autograd.empty(30, 20))
    init.kaiming_normal_(p)
    assert p.is_leaf and p.requires_grad and p.grad_fn is None


def test_xavier_and_kaiming_bounds_and_stds():
    autograd.manual_seed(1)
    w = autograd.empty(400, 600)
    bound = math.sqrt(6 / 1000)
    init.xavier_uniform_(w)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.99 * bound
    init.xavier_normal_(w, gain=2.0)
    assert w.numpy().std() == pytest.approx(2 * math.sqrt(2 / 1000), rel=0.02)
    init.kaiming_uniform_(w, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 600)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.99 * bound
    init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert w.numpy().std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    init.kaiming_normal_(w, a=0.1, mode="fan_in")  # leaky_relu gain
    assert w.numpy().std() == pytest.approx(math.sqrt(2 / 1.01) / math.sqrt(600), rel=0.02)
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(w, mode="fan_avg")


def test_init_uses_the_global_generator():
    autograd.manual_seed(5)
    a = nn.Linear(10, 10).weight.detach().numpy().copy()
    autograd.manual_seed(5)
    b = nn.Linear(10, 10).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)


def test_default_layer_initialisation_as_pytorch():
    autograd.manual_seed(0)
    lin = nn.Linear(400, 120)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) gives the same bound as the bias
    for p in (lin.weight, lin.bias):
        values = p.detach().numpy()
        assert np.abs(values).max() <= bound and np.abs(values).max() > 0.95 * bound
    emb = nn.Embedding(1000, 50)
    assert abs(emb.weight.detach().numpy().std() - 1) < 0.02
    bn, ln = nn.BatchNorm1d(7), nn.LayerNorm((2, 3))
    assert np.all(bn.weight.detach().numpy() == 1) and np.all(bn.bias.detach().numpy() == 0)
    assert np.all(bn.running_var.numpy() == 1) and bn.num_batches_tracked.item() == 0
    assert ln.weight.shape == (2, 3) and np.all(ln.weight.detach().numpy() == 1)


def test_clip_grad_norm_returns_total_norm_and_scales():
    a, b = nn.Parameter(autograd.zeros(2)), nn.Parameter(autograd.zeros(1))
    a.grad, b.grad = autograd.tensor([3.0, 0.0]), autograd.tensor([4.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(a.grad.numpy(), [3 * scale, 0], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [4 * scale], rtol=1e-6)
    # Below the threshold nothing changes.
    assert nn.utils.clip_grad_norm_([a, b], max_norm=10.0).item() == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(b.grad.numpy(), [4 * scale], rtol=1e-6)
    a.grad = autograd.tensor([-3.0, 2.0])
    assert nn.utils.clip_grad_norm_(a, 100.0, norm_type=float("inf")).item() == 3.0
    assert nn.utils.clip_grad_norm_(a, 100.0, norm_type=1).item() == 5.0
    a.grad = autograd.tensor([float("nan"), 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    assert nn.utils.clip_grad_norm_([nn.Parameter(autograd.zeros(1))], 1.0).item() == 0.0


def test_clip_grad_value():
    p = nn.Parameter(autograd.zeros(3))
    p.grad = autograd.tensor([-2.0, 0.5, 3.0])
    nn.utils.clip_grad_value_([p], 1.0)
    np.testing.assert_array_equal(p.grad.numpy(), [-1.0, 0.5, 1.0])


def test_parameters_to_vector_and_back():
    lin = nn.Linear(3, 2)
    vec = nn.utils.parameters_to_vector(lin.parameters())
    assert vec.shape == (8,)
    np.testing.assert_array_equal(vec.detach().numpy()[:6], lin.weight.detach().numpy().reshape(-1))
    nn.utils.vector_to_parameters(autograd.arange(8.0), lin.parameters())
    np.testing.assert_array_equal(lin.weight.detach().numpy(), np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(lin.bias.detach().numpy(), [6.0, 7.0])
    with pytest.raises(RuntimeError, match="8 elements"):
        nn.utils.vector_to_parameters(autograd.arange(5.0), lin.parameters())


def test_summary_table_for_the_mnist_mlp(capsys):
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 800), nn.ReLU(), nn.Linear(800, 10))
    text = nn.summary(mlp, (1, 28, 28))
    assert capsys.readouterr().out == ""  # a library returns the table; printing is the caller's choice
    assert "Total params: 636,010" in text and "Trainable params: 636,010" in text
    rows = [line.split() for line in text.splitlines() if "(Linear)" in line]
    assert rows == [["1", "(Linear)", "[-1,", "800]", "628,000"], ["3", "(Linear)", "[-1,", "10]", "8,010"]]
    assert "[-1, 784]" in text


def test_summary_restores_modes_and_handles_batch_norm():
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Dropout())
    model[2].eval()
    text = nn.summary(model, (4,))
    assert "Total params: 21" in text  # 4*3 + 3 (Linear) + 3 + 3 (BatchNorm1d)
    assert model.training and model[1].training and not model[2].training
    assert model[1].num_batches_tracked.item() == 0  # summary runs in eval mode
    assert all(not m._forward_hooks for m in model.modules())
