"""RNN, LSTM and GRU (and their cells): hand-computed steps, gate order and bias placement, PyTorch 2.13 reference
values for loaded weights, shapes of every argument combination, gradients through time, state_dict keys, init,
dropout, reprs and errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import autograd
import nn

f64 = autograd.float64


def sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def fill_sin(module: nn.Module) -> None:
    """Parameter k (in registration order) gets 0.5 * sin(arange(numel) + k), the values the references used."""
    with autograd.no_grad():
        for k, (_, p) in enumerate(module.named_parameters()):
            p.copy_(autograd.tensor(0.5 * np.sin(np.arange(p.numel()) + k)).reshape(p.shape))


def set_params(module: nn.Module, **values: list) -> None:
    with autograd.no_grad():
        for name, value in values.items():
            getattr(module, name).copy_(autograd.tensor(value, dtype=f64))


# -- one step, by hand ---------------------------------------------------------------------------------------
def test_rnn_cell_one_step_by_hand():
    cell = nn.RNNCell(2, 1).double()
    set_params(cell, weight_ih=[[0.5, -1.0]], weight_hh=[[2.0]], bias_ih=[0.1], bias_hh=[-0.3])
    x = autograd.tensor([[1.0, 0.25]], dtype=f64)
    h = autograd.tensor([[0.2]], dtype=f64)
    pre = 0.5 * 1.0 - 1.0 * 0.25 + 2.0 * 0.2 + 0.1 - 0.3  # 0.45
    np.testing.assert_allclose(cell(x, h).detach().numpy(), [[math.tanh(pre)]], rtol=1e-12)
    relu = nn.RNNCell(2, 1, nonlinearity="relu").double()
    relu.load_state_dict(cell.state_dict())
    np.testing.assert_allclose(relu(x, h).detach().numpy(), [[pre]], rtol=1e-12)
    np.testing.assert_allclose(relu(-x, -h).detach().numpy(), [[0.0]])


def test_lstm_cell_gate_order_is_i_f_g_o():
    # Zero weights: each gate is its bias, and the bias rows are laid out (i, f, g, o).
    cell = nn.LSTMCell(1, 1, bias=True).double()
    set_params(cell, weight_ih=[[0.0]] * 4, weight_hh=[[0.0]] * 4, bias_ih=[0.1, 0.2, 0.3, 0.4],
               bias_hh=[0.0, 0.1, 0.2, 0.3])
    h, c = cell(autograd.tensor([[7.0]], dtype=f64), (autograd.zeros(1, 1, dtype=f64),
                                                      autograd.tensor([[2.0]], dtype=f64)))
    i, f, g, o = sigmoid(0.1), sigmoid(0.3), math.tanh(0.5), sigmoid(0.7)
    c_expected = f * 2.0 + i * g
    np.testing.assert_allclose(c.detach().numpy(), [[c_expected]], rtol=1e-12)
    np.testing.assert_allclose(h.detach().numpy(), [[o * math.tanh(c_expected)]], rtol=1e-12)


def test_gru_cell_puts_b_hn_inside_the_reset_product():
    # W = 0, r = z = sigmoid(0) = 1/2: n = tanh(b_in + r * b_hn) = tanh(0.5), not tanh(b_in + b_hn) = tanh(1).
    cell = nn.GRUCell(1, 1).double()
    set_params(cell, weight_ih=[[0.0]] * 3, weight_hh=[[0.0]] * 3, bias_ih=[0.0, 0.0, 0.0], bias_hh=[0.0, 0.0, 1.0])
    h = cell(autograd.tensor([[3.0]], dtype=f64), autograd.tensor([[0.4]], dtype=f64))
    n = math.tanh(0.5)
    np.testing.assert_allclose(h.detach().numpy(), [[0.5 * n + 0.5 * 0.4]], rtol=1e-12)
    # r from the first rows, z from the second: a large z bias keeps the old state
    set_params(cell, bias_ih=[0.0, 50.0, 0.0])
    h = cell(autograd.tensor([[3.0]], dtype=f64), autograd.tensor([[0.4]], dtype=f64))
    np.testing.assert_allclose(h.detach().numpy(), [[0.4]], rtol=1e-12)


def test_cells_default_to_zero_state_and_accept_unbatched_input():
    x = autograd.randn(3, dtype=f64)
    for cell in (nn.RNNCell(3, 4), nn.GRUCell(3, 4)):
        cell.double()
        h = cell(x)
        assert h.shape == (4,)
        np.testing.assert_allclose(h.detach().numpy(), cell(x.unsqueeze(0), autograd.zeros(1, 4, dtype=f64))[0]
                                   .detach().numpy())
    lstm = nn.LSTMCell(3, 4).double()
    h, c = lstm(x, (autograd.ones(4, dtype=f64), autograd.ones(4, dtype=f64)))
    assert h.shape == c.shape == (4,)
    h2, c2 = lstm(autograd.stack([x, x]))
    assert h2.shape == c2.shape == (2, 4)


# -- the sequence modules run the cells ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_one_layer_equals_the_cell_run_forwards_and_backwards(name):
    rnn = getattr(nn, name)(3, 4, bidirectional=True).double()
    cell = getattr(nn, name + "Cell")(3, 4).double()
    x = autograd.randn(5, 2, 3, dtype=f64)
    output, h_n = rnn(x)
    for direction, suffix in ((0, ""), (1, "_reverse")):
        cell.load_state_dict({k: getattr(rnn, f"{k}_l0{suffix}") for k in cell.state_dict()})
        state = None
        steps = range(5) if direction == 0 else reversed(range(5))
        for t in steps:
            state = cell(x[t], state)
            h = state[0] if name == "LSTM" else state
            np.testing.assert_allclose(output[t, :, 4 * direction:4 * direction + 4].detach().numpy(),
                                       h.detach().numpy(), rtol=1e-12)
        final = h_n[0][direction] if name == "LSTM" else h_n[direction]
        np.testing.assert_allclose(final.detach().numpy(), h.detach().numpy(), rtol=1e-12)


def test_values_match_pytorch_for_the_same_weights():
    # Reference numbers: PyTorch 2.13 (CPU, float64), same modules and fill_sin parameters,
    # x = cos(arange(12)).reshape(3, 2, 2).
    x = autograd.tensor(np.cos(np.arange(12)).reshape(3, 2, 2))
    gru = nn.GRU(2, 3, num_layers=2, bidirectional=True).double()
    fill_sin(gru)
    output, h_n = gru(x)
    np.testing.assert_allclose(output[2, 1].detach().numpy(), [-0.51793398, -0.57915278, -0.66834304, 0.51758403,
                                                               0.36473587, 0.09718704], atol=1e-8)
    np.testing.assert_allclose(h_n[:2].detach().numpy(), [[[0.43650047, -0.08368959, -0.29130651],
                                                           [0.57513044, -0.11118393, -0.32602506]],
                                                          [[-0.40203938, 0.46907636, 0.54217906],
                                                           [-0.10172821, 0.52032961, 0.09842066]]], atol=1e-8)
    lstm = nn.LSTM(2, 3, bidirectional=True, proj_size=2).double()
    fill_sin(lstm)
    output, (h_n, c_n) = lstm(x)
    assert output.shape == (3, 2, 4)
    np.testing.assert_allclose(h_n.detach().numpy(), [[[0.01500407, -0.04050269], [-0.03842932, 0.01135319]],
                                                      [[-0.12971787, 0.11288842], [0.02935064, -0.05349166]]],
                               atol=1e-8)
    np.testing.assert_allclose(c_n[1].detach().numpy(), [[0.15534282, 0.86318796, 0.27102867],
                                                         [0.70785836, 0.33201109, 0.08865944]], atol=1e-8)
    rnn = nn.RNN(2, 3, nonlinearity="relu", batch_first=True).double()
    fill_sin(rnn)
    output, h_n = rnn(x)
    np.testing.assert_allclose(output[1].detach().numpy(), [[0.64455547, 0.0, 0.0], [1.11358952, 0.0, 0.0]],
                               atol=1e-8)
    np.testing.assert_allclose(h_n.detach().numpy(), [[[0.50937984, 0.0, 0.11295469], [1.11358952, 0.0, 0.0],
                                                       [0.58675793, 0.0, 0.0]]], atol=1e-8)


# -- shapes ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,proj", [("RNN", 0), ("GRU", 0), ("LSTM", 0), ("LSTM", 2)])
def test_shapes_of_every_argument_combination(name, proj):
    L, N, I, H = 4, 3, 5, 6
    out_size = proj or H
    kwargs = {"proj_size": proj} if name == "LSTM" else {}
    for layers, bidirectional, batch_first, bias, unbatched, given in itertools.product(
            (1, 2), (False, True), (False, True), (False, True), (False, True), (False, True)):
        D = 2 if bidirectional else 1
        rnn = getattr(nn, name)(I, H, num_layers=layers, bias=bias, batch_first=batch_first,
                                bidirectional=bidirectional, **kwargs)
        x = autograd.randn(L, I) if unbatched else autograd.randn(*((N, L, I) if batch_first else (L, N, I)))
        batch = () if unbatched else (N,)
        hx = None
        if given:
            h0 = autograd.randn(D * layers, *batch, out_size)
            hx = (h0, autograd.randn(D * layers, *batch, H)) if name == "LSTM" else h0
        output, state = rnn(x, hx)
        expected = (L, D * out_size) if unbatched else ((N, L, D * out_size) if batch_first else (L, N, D * out_size))
        assert output.shape == expected
        if name == "LSTM":
            h_n, c_n = state
            assert c_n.shape == (D * layers, *batch, H)
        else:
            h_n = state
        assert h_n.shape == (D * layers, *batch, out_size)
        assert output.dtype == h_n.dtype == autograd.float32


def test_unbatched_input_equals_a_batch_of_one():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True).double()
    x = autograd.randn(5, 3, dtype=f64)
    h0, c0 = autograd.randn(4, 4, dtype=f64), autograd.randn(4, 4, dtype=f64)
    output, (h_n, c_n) = lstm(x, (h0, c0))
    batched, (bh, bc) = lstm(x.unsqueeze(0), (h0.unsqueeze(1), c0.unsqueeze(1)))
    np.testing.assert_allclose(output.detach().numpy(), batched[0].detach().numpy())
    np.testing.assert_allclose(h_n.detach().numpy(), bh[:, 0].detach().numpy())
    np.testing.assert_allclose(c_n.detach().numpy(), bc[:, 0].detach().numpy())


def test_batch_first_transposes_input_and_output_only():
    gru = nn.GRU(3, 4, num_layers=2)
    gru_bf = nn.GRU(3, 4, num_layers=2, batch_first=True)
    gru_bf.load_state_dict(gru.state_dict())
    x = autograd.randn(5, 2, 3)
    output, h_n = gru(x)
    output_bf, h_n_bf = gru_bf(x.transpose(0, 1))
    np.testing.assert_allclose(output_bf.transpose(0, 1).detach().numpy(), output.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(h_n_bf.detach().numpy(), h_n.detach().numpy(), rtol=1e-6)


# -- gradients through time ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs", [("RNN", {"nonlinearity": "tanh"}), ("RNN", {"nonlinearity": "relu"}),
                                         ("GRU", {}), ("LSTM", {}), ("LSTM", {"proj_size": 2})])
def test_gradcheck_through_time_layers_and_directions(name, kwargs):
    autograd.manual_seed(0)
    rnn = getattr(nn, name)(2, 3, num_layers=2, bidirectional=True, **kwargs).double()
    out_size = kwargs.get("proj_size") or 3
    x = autograd.randn(3, 2, 2, dtype=f64, requires_grad=True)
    h0 = autograd.randn(4, 2, out_size, dtype=f64, requires_grad=True)
    if name == "LSTM":
        c0 = autograd.randn(4, 2, 3, dtype=f64, requires_grad=True)

        def fn(x, h0, c0, *params):
            output, (h_n, c_n) = rnn(x, (h0, c0))
            return output, h_n, c_n

        inputs = [x, h0, c0]
    else:
        def fn(x, h0, *params):
            return rnn(x, h0)

        inputs = [x, h0]
    # the parameters are perturbed in place by gradcheck, so the module sees them through its attributes
    assert autograd.gradcheck(fn, inputs + list(rnn.parameters()))


def test_gradgradcheck_of_a_cell_step():
    cell = nn.LSTMCell(2, 2).double()
    x = autograd.randn(2, 2, dtype=f64, requires_grad=True)
    h = autograd.randn(2, 2, dtype=f64, requires_grad=True)
    c = autograd.randn(2, 2, dtype=f64, requires_grad=True)
    assert autograd.gradgradcheck(lambda x, h, c: cell(x, (h, c)), [x, h, c])
    gru = nn.GRUCell(2, 2).double()
    assert autograd.gradgradcheck(lambda x, h: gru(x, h), [x, h])


# -- parameters, state_dict, init, repr --------------------------------------------------------------------------
def test_parameter_names_and_shapes_are_pytorchs():
    lstm = nn.LSTM(5, 4, num_layers=2, bidirectional=True, proj_size=3)
    shapes = {name: tuple(t.shape) for name, t in lstm.state_dict().items()}
    # PyTorch 2.13's keys and shapes for the same LSTM
    assert shapes == {
        "weight_ih_l0": (16, 5), "weight_hh_l0": (16, 3), "bias_ih_l0": (16,), "bias_hh_l0": (16,),
        "weight_hr_l0": (3, 4),
        "weight_ih_l0_reverse": (16, 5), "weight_hh_l0_reverse": (16, 3), "bias_ih_l0_reverse": (16,),
        "bias_hh_l0_reverse": (16,), "weight_hr_l0_reverse": (3, 4),
        "weight_ih_l1": (16, 6), "weight_hh_l1": (16, 3), "bias_ih_l1": (16,), "bias_hh_l1": (16,),
        "weight_hr_l1": (3, 4),
        "weight_ih_l1_reverse": (16, 6), "weight_hh_l1_reverse": (16, 3), "bias_ih_l1_reverse": (16,),
        "bias_hh_l1_reverse": (16,), "weight_hr_l1_reverse": (3, 4),
    }
    assert list(shapes) == list(dict(lstm.named_parameters()))
    assert list(nn.GRU(2, 3, bias=False).state_dict()) == ["weight_ih_l0", "weight_hh_l0"]
    assert list(nn.LSTM(2, 3, bias=False, proj_size=1).state_dict()) == ["weight_ih_l0", "weight_hh_l0",
                                                                         "weight_hr_l0"]
    assert [tuple(p.shape) for p in nn.GRU(2, 3, num_layers=2).all_weights[1]] == [(9, 3), (9, 3), (9,), (9,)]
    assert list(nn.LSTMCell(2, 3).state_dict()) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    cell = nn.GRUCell(2, 3, bias=False)
    assert cell.bias_ih is None and list(cell.state_dict()) == ["weight_ih", "weight_hh"]


def test_init_is_uniform_within_one_over_sqrt_hidden_size():
    autograd.manual_seed(0)
    for module in (nn.LSTM(3, 16, num_layers=2, proj_size=4), nn.GRUCell(3, 16), nn.RNN(30, 16)):
        values = np.concatenate([p.detach().numpy().ravel() for p in module.parameters()])
        assert np.abs(values).max() <= 0.25
        assert np.abs(values).max() > 0.24 and abs(values.mean()) < 0.02


def test_reprs():
    assert repr(nn.RNN(3, 4, nonlinearity="relu")) == "RNN(3, 4)"  # PyTorch does not show the nonlinearity
    assert repr(nn.LSTM(3, 4, 2, bias=False, batch_first=True, dropout=0.5, bidirectional=True, proj_size=2)) == (
        "LSTM(3, 4, proj_size=2, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)")
    assert repr(nn.GRU(3, 4)) == "GRU(3, 4)"
    assert repr(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")) == "RNNCell(3, 4, bias=False, nonlinearity=relu)"
    assert repr(nn.LSTMCell(3, 4)) == "LSTMCell(3, 4)"
    assert nn.RNN(3, 4, 1, "relu").mode == "RNN_RELU" and nn.GRU(3, 4).mode == "GRU"


def test_flatten_parameters_is_harmless_and_double_keeps_parameters():
    lstm = nn.LSTM(2, 3)
    lstm.flatten_parameters()
    weight = lstm.weight_ih_l0
    lstm.double()
    assert lstm.weight_ih_l0 is weight and weight.dtype == f64
    assert lstm(autograd.randn(2, 1, 2, dtype=f64))[0].dtype == f64


# -- dropout between layers --------------------------------------------------------------------------------------
def test_dropout_only_between_layers_and_only_in_training():
    rnn = nn.GRU(3, 4, num_layers=2, dropout=1.0)
    x = autograd.randn(5, 2, 3)
    zero_input_to_layer_1 = rnn(x)[0]
    # with every layer-0 output dropped, the last layer sees zeros whatever x
    np.testing.assert_allclose(zero_input_to_layer_1.detach().numpy(), rnn(2 * x)[0].detach().numpy())
    rnn.eval()
    plain = nn.GRU(3, 4, num_layers=2)
    plain.load_state_dict(rnn.state_dict())
    np.testing.assert_allclose(rnn(x)[0].detach().numpy(), plain(x)[0].detach().numpy())
    # the first layer's final state never sees dropout
    rnn.train()
    np.testing.assert_allclose(rnn(x)[1][0].detach().numpy(), plain(x)[1][0].detach().numpy(), rtol=1e-6)
    with pytest.warns(UserWarning, match="no effect with num_layers=1"):
        nn.LSTM(3, 4, dropout=0.2)


# -- errors ----------------------------------------------------------------------------------------------------------
def test_constructor_errors():
    with pytest.raises(ValueError, match=r"LSTM: dropout must be a number in \[0, 1\].*got 2"):
        nn.LSTM(3, 4, dropout=2)
    with pytest.raises(ValueError, match="GRU: hidden_size must be greater than zero, got 0"):
        nn.GRU(3, 0)
    with pytest.raises(TypeError, match="RNN: input_size must be an int, got float"):
        nn.RNN(3.0, 4)
    with pytest.raises(TypeError, match="LSTM: bias must be a bool, got int"):
        nn.LSTM(3, 4, bias=1)
    with pytest.raises(ValueError, match=r"LSTM: proj_size \(4\) must be smaller than hidden_size \(4\)"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="RNN: unknown nonlinearity 'sigmoid'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="RNNCell: unknown nonlinearity 'gelu'"):
        nn.RNNCell(3, 4, nonlinearity="gelu")


def test_forward_errors_name_the_layer_and_the_shapes():
    gru = nn.GRU(3, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"GRU: expected input to be 3-D \(L, N, input_size\).*got 4-D"):
        gru(autograd.zeros(1, 2, 3, 3))
    with pytest.raises(RuntimeError, match=r"GRU: expected input with input_size=3 .* shape \[5, 2, 4\]"):
        gru(autograd.zeros(5, 2, 4))
    with pytest.raises(ValueError, match="GRU: input dtype float64 does not match the weights' dtype float32"):
        gru(autograd.zeros(5, 2, 3, dtype=f64))
    with pytest.raises(RuntimeError, match=r"GRU: expected hx of shape \(2, 2, 4\) .* got hx of shape \[1, 2, 4\]"):
        gru(autograd.zeros(5, 2, 3), autograd.zeros(1, 2, 4))
    with pytest.raises(RuntimeError, match=r"expected hx of shape \(2, 4\) .* unbatched input of shape \[5, 3\]"):
        gru(autograd.zeros(5, 3), autograd.zeros(2, 1, 4))
    with pytest.raises(RuntimeError, match="GRU: expected a sequence length larger than 0"):
        gru(autograd.zeros(0, 2, 3))
    with pytest.raises(TypeError, match="GRU: expected input to be a Tensor.*or a PackedSequence.*pack_sequence"):
        gru([[1.0, 2.0, 3.0]])
    lstm = nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(TypeError, match=r"LSTM: expected hx to be a tuple \(h_0, c_0\)"):
        lstm(autograd.zeros(5, 2, 3), autograd.zeros(1, 2, 2))
    with pytest.raises(RuntimeError, match=r"hx\[0\] \(h_0\) of shape \(1, 2, 2\) .*proj_size"):
        lstm(autograd.zeros(5, 2, 3), (autograd.zeros(1, 2, 4), autograd.zeros(1, 2, 4)))
    with pytest.raises(RuntimeError, match=r"hx\[1\] \(c_0\) of shape \(1, 2, 4\) .*hidden_size"):
        lstm(autograd.zeros(5, 2, 3), (autograd.zeros(1, 2, 2), autograd.zeros(1, 2, 2)))


def test_cell_errors():
    cell = nn.GRUCell(3, 4)
    with pytest.raises(ValueError, match=r"GRUCell: expected input to be 1-D .* got 3-D"):
        cell(autograd.zeros(1, 2, 3))
    with pytest.raises(ValueError, match="GRUCell: expected hx to be 1-D or 2-D, got 3-D"):
        cell(autograd.zeros(2, 3), autograd.zeros(1, 2, 4))
    with pytest.raises(RuntimeError, match=r"GRUCell: expected input with input_size=3"):
        cell(autograd.zeros(2, 5))
    with pytest.raises(RuntimeError, match=r"GRUCell: expected hx of shape \(2, 4\) \(N, hidden_size\)"):
        cell(autograd.zeros(2, 3), autograd.zeros(3, 4))
    with pytest.raises(RuntimeError, match=r"RNNCell: expected hx of shape \(4,\) .* unbatched input"):
        nn.RNNCell(3, 4)(autograd.zeros(3), autograd.zeros(2, 4))
    with pytest.raises(RuntimeError, match="LSTMCell: input dtype float64 does not match"):
        nn.LSTMCell(3, 4)(autograd.zeros(2, 3, dtype=f64))
    with pytest.raises(TypeError, match=r"LSTMCell: expected hx to be a tuple \(h, c\)"):
        nn.LSTMCell(3, 4)(autograd.zeros(2, 3), autograd.zeros(2, 4))
    with pytest.raises(RuntimeError, match=r"LSTMCell: expected hx\[1\] of shape \(2, 4\)"):
        nn.LSTMCell(3, 4)(autograd.zeros(2, 3), (autograd.zeros(2, 4), autograd.zeros(2, 5)))
