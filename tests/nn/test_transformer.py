"""Transformer layers and stacks: parameter counts and state_dict names worked out by hand, the residual structure
written out with the layers' own submodules, shapes for every layout, deep copies, initialisation, activations and
errors. Masks, dropout and gradients are in test_transformer_masks.py."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64
E, H, FF = 4, 2, 6  # d_model, nhead, dim_feedforward of the small configuration


def numpy(t: autograd.Tensor) -> np.ndarray:
    return t.detach().numpy()


def encoder_layer(**kwargs) -> nn.TransformerEncoderLayer:
    return nn.TransformerEncoderLayer(E, H, FF, **{"dropout": 0.0, "dtype": f64, **kwargs})


def decoder_layer(**kwargs) -> nn.TransformerDecoderLayer:
    return nn.TransformerDecoderLayer(E, H, FF, **{"dropout": 0.0, "dtype": f64, **kwargs})


def count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


ATTENTION_KEYS = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
FEED_FORWARD_KEYS = ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]


def norm_keys(n: int) -> list[str]:
    return [f"norm{i}.{p}" for i in range(1, n + 1) for p in ("weight", "bias")]


# -- parameters and names ----------------------------------------------------------------------------------------
def test_parameter_counts_by_hand():
    # attention: in_proj 3E x E + 3E, out_proj E x E + E = 48 + 12 + 16 + 4 = 80
    # feed-forward: E x FF + FF + FF x E + E = 24 + 6 + 24 + 4 = 58; a LayerNorm: 2E = 8
    assert count(encoder_layer()) == 80 + 58 + 2 * 8 == 154
    assert count(decoder_layer()) == 2 * 80 + 58 + 3 * 8 == 242
    # without biases: 48 + 16 attention, 24 + 24 feed-forward, E per LayerNorm
    assert count(encoder_layer(bias=False)) == 64 + 48 + 2 * 4 == 120
    model = nn.Transformer(E, H, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=FF, dtype=f64)
    assert count(model) == 2 * 154 + 8 + 242 + 8 == 566
    assert count(nn.TransformerEncoder(encoder_layer(), 3)) == 3 * 154


def test_state_dict_names_are_pytorchs():
    assert list(encoder_layer().state_dict()) == (
        [f"self_attn.{k}" for k in ATTENTION_KEYS] + FEED_FORWARD_KEYS + norm_keys(2))
    assert list(decoder_layer().state_dict()) == (
        [f"self_attn.{k}" for k in ATTENTION_KEYS] + [f"multihead_attn.{k}" for k in ATTENTION_KEYS]
        + FEED_FORWARD_KEYS + norm_keys(3))
    keys = list(nn.Transformer(E, H, 2, 1, FF, dtype=f64).state_dict())
    assert keys[0] == "encoder.layers.0.self_attn.in_proj_weight"
    assert {"encoder.layers.1.linear1.weight", "encoder.layers.1.norm2.bias", "encoder.norm.weight",
            "encoder.norm.bias", "decoder.layers.0.multihead_attn.out_proj.bias", "decoder.layers.0.norm3.weight",
            "decoder.norm.weight", "decoder.norm.bias"} <= set(keys)
    assert not any(k.startswith(("encoder.layers.2", "decoder.layers.1")) for k in keys)
    assert len(keys) == 2 * 12 + 2 + 18 + 2  # encoder layer: 4 + 4 + 4 keys, decoder layer: 8 + 4 + 6


def test_a_state_dict_loads_by_name_and_reproduces_the_output():
    source, target = nn.Transformer(E, H, 1, 1, FF, dtype=f64).eval(), nn.Transformer(E, H, 1, 1, FF, dtype=f64).eval()
    src, tgt = autograd.randn(5, 2, E, dtype=f64), autograd.randn(3, 2, E, dtype=f64)
    assert not np.allclose(numpy(source(src, tgt)), numpy(target(src, tgt)))
    target.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(numpy(source(src, tgt)), numpy(target(src, tgt)))


# -- the computation ------------------------------------------------------------------------------------------------
def residual_blocks(x, blocks, norm_first):
    """Each (norm, sublayer) block as post-norm ``norm(x + sublayer(x))`` or pre-norm ``x + sublayer(norm(x))``."""
    for norm, sublayer in blocks:
        x = x + sublayer(norm(x)) if norm_first else norm(x + sublayer(x))
    return x


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_is_the_residual_formula(norm_first):
    layer = encoder_layer(norm_first=norm_first).eval()
    x = autograd.randn(5, 2, E, dtype=f64)
    expected = residual_blocks(x, [
        (layer.norm1, lambda h: layer.self_attn(h, h, h, need_weights=False)[0]),
        (layer.norm2, lambda h: layer.linear2(F.relu(layer.linear1(h)))),
    ], norm_first)
    np.testing.assert_allclose(numpy(layer(x)), numpy(expected), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_is_the_residual_formula(norm_first):
    layer = decoder_layer(norm_first=norm_first, activation="gelu").eval()
    y, memory = autograd.randn(3, 2, E, dtype=f64), autograd.randn(5, 2, E, dtype=f64)
    expected = residual_blocks(y, [
        (layer.norm1, lambda h: layer.self_attn(h, h, h, need_weights=False)[0]),
        (layer.norm2, lambda h: layer.multihead_attn(h, memory, memory, need_weights=False)[0]),
        (layer.norm3, lambda h: layer.linear2(F.gelu(layer.linear1(h)))),
    ], norm_first)
    np.testing.assert_allclose(numpy(layer(y, memory)), numpy(expected), rtol=1e-12, atol=1e-12)


def test_norm_first_changes_the_computation():
    post, pre = encoder_layer(), encoder_layer(norm_first=True)
    pre.load_state_dict(post.state_dict())
    x = autograd.randn(5, 2, E, dtype=f64)
    difference = np.abs(numpy(post(x)) - numpy(pre(x))).max()
    assert difference > 1e-3
    # post-norm output is normalised over the features (LayerNorm weight 1, bias 0); pre-norm output is not
    np.testing.assert_allclose(numpy(post(x)).mean(-1), 0.0, atol=1e-12)
    assert np.abs(numpy(pre(x)).mean(-1)).max() > 1e-3


def test_stacks_apply_their_layers_in_turn_then_the_norm():
    encoder = nn.TransformerEncoder(encoder_layer(), 2, nn.LayerNorm(E, dtype=f64))
    x = autograd.randn(5, 2, E, dtype=f64)
    expected = encoder.norm(encoder.layers[1](encoder.layers[0](x)))
    np.testing.assert_allclose(numpy(encoder(x)), numpy(expected), rtol=1e-12)
    decoder = nn.TransformerDecoder(decoder_layer(), 2)
    y, memory = autograd.randn(3, 2, E, dtype=f64), autograd.randn(5, 2, E, dtype=f64)
    expected = decoder.layers[1](decoder.layers[0](y, memory), memory)
    np.testing.assert_allclose(numpy(decoder(y, memory)), numpy(expected), rtol=1e-12)
    model = nn.Transformer(E, H, 1, 1, FF, dropout=0.0, dtype=f64)
    np.testing.assert_allclose(numpy(model(x, y)), numpy(model.decoder(y, model.encoder(x))), rtol=1e-12)


# -- shapes -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("batch_first", [False, True])
def test_shapes(batch_first):
    S, T, N = 5, 3, 2

    def seq(L):
        return autograd.randn(*((N, L, E) if batch_first else (L, N, E)), dtype=f64)

    model = nn.Transformer(E, H, 1, 2, FF, batch_first=batch_first, dtype=f64)
    src, tgt = seq(S), seq(T)
    assert model.encoder(src).shape == src.shape
    assert model.decoder(tgt, src).shape == tgt.shape
    assert model(src, tgt).shape == tgt.shape
    assert model(src[0] if batch_first else src[:, 0], tgt[0] if batch_first else tgt[:, 0]).shape == (T, E)
    assert encoder_layer(batch_first=batch_first)(src).shape == src.shape


def test_batch_first_is_a_transpose():
    seq_first, batch_first = encoder_layer(), encoder_layer(batch_first=True)
    batch_first.load_state_dict(seq_first.state_dict())
    x = autograd.randn(5, 2, E, dtype=f64)
    np.testing.assert_allclose(numpy(batch_first(x.transpose(0, 1))), numpy(seq_first(x).transpose(0, 1)),
                               rtol=1e-12)
    unbatched = numpy(seq_first(x[:, 1]))
    np.testing.assert_allclose(unbatched, numpy(seq_first(x))[:, 1], rtol=1e-12, atol=1e-14)


# -- construction -----------------------------------------------------------------------------------------------------
def test_defaults_and_attributes():
    layer = nn.TransformerEncoderLayer(8, 2)
    assert layer.linear1.out_features == 2048 and layer.dropout.p == 0.1 and layer.self_attn.dropout == 0.1
    assert layer.activation is F.relu and layer.norm1.eps == 1e-5 and not layer.norm_first
    assert not layer.self_attn.batch_first
    assert nn.TransformerDecoderLayer(8, 2, activation="gelu").activation is F.gelu
    encoder = nn.TransformerEncoder(layer, 2)
    assert encoder.num_layers == 2 and encoder.norm is None and encoder.enable_nested_tensor and encoder.mask_check
    model = nn.Transformer(16, 4, 1, 1, 32, batch_first=True)
    assert (model.d_model, model.nhead, model.batch_first) == (16, 4, True)
    assert model.encoder.norm.eps == 1e-5 and model.decoder.norm.normalized_shape == (16,)


def test_stacks_hold_deep_copies():
    layer = encoder_layer()
    encoder = nn.TransformerEncoder(layer, 2)
    first, second = encoder.layers[0].linear1.weight, encoder.layers[1].linear1.weight
    assert first is not second and first is not layer.linear1.weight
    np.testing.assert_array_equal(numpy(first), numpy(second))  # the same start, as in PyTorch
    with autograd.no_grad():
        first.fill_(0.0)
    assert np.abs(numpy(second)).min() > 0 and np.abs(numpy(layer.linear1.weight)).min() > 0


def test_a_module_activation_is_a_child_and_survives_the_copies():
    layer = decoder_layer(activation=nn.GELU("tanh"))
    assert "activation" in dict(layer.named_children())
    decoder = nn.TransformerDecoder(layer, 2)
    assert all(isinstance(m.activation, nn.GELU) for m in decoder.layers)
    doubled = encoder_layer(activation=lambda h: 2 * h)  # any callable
    x = autograd.randn(3, 1, E, dtype=f64)
    h = doubled.norm1(x + doubled.self_attn(x, x, x, need_weights=False)[0])
    expected = doubled.norm2(h + doubled.linear2(2 * doubled.linear1(h)))
    np.testing.assert_allclose(numpy(doubled(x)), numpy(expected), rtol=1e-12)


def test_transformer_initialises_matrices_xavier_uniform():
    autograd.manual_seed(0)
    model = nn.Transformer(16, 4, 2, 1, 48, dtype=f64)
    for name, p in model.named_parameters():
        values = numpy(p)
        if p.ndim > 1:
            fan_out, fan_in = p.shape
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            assert np.abs(values).max() <= bound, name
            assert np.abs(values).max() > 0.8 * bound, name
        elif "norm" in name:
            np.testing.assert_array_equal(values, 1.0 if name.endswith("weight") else 0.0)
    first, second = (numpy(model.encoder.layers[i].linear1.weight) for i in (0, 1))
    assert not np.allclose(first, second)  # each matrix is drawn afresh, unlike a stack's copies
    bias = numpy(model.encoder.layers[0].linear1.bias)
    assert np.abs(bias).max() <= 1 / np.sqrt(16) and np.abs(bias).max() > 0  # Linear's own init is kept
    np.testing.assert_array_equal(numpy(model.encoder.layers[0].self_attn.in_proj_bias), 0.0)


def test_custom_encoder_and_decoder_are_used_and_initialised():
    encoder = nn.TransformerEncoder(encoder_layer(), 1)
    decoder = nn.TransformerDecoder(decoder_layer(), 1)
    model = nn.Transformer(E, H, custom_encoder=encoder, custom_decoder=decoder, dtype=f64)
    assert model.encoder is encoder and model.decoder is decoder
    assert count(model) == 154 + 242


def test_generate_square_subsequent_mask():
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    inf = float("-inf")
    expected = [[0, inf, inf, inf], [0, 0, inf, inf], [0, 0, 0, inf], [0, 0, 0, 0]]
    np.testing.assert_array_equal(mask.numpy(), expected)
    assert mask.dtype == autograd.get_default_dtype() and not mask.requires_grad
    assert nn.Transformer.generate_square_subsequent_mask(3, dtype=f64).dtype == f64
    assert nn.Transformer.generate_square_subsequent_mask(1).numpy().tolist() == [[0.0]]


# -- errors -----------------------------------------------------------------------------------------------------------
def test_errors_name_the_layer_and_the_shapes():
    with pytest.raises(AssertionError, match=r"TransformerEncoderLayer: d_model \(6\) must be divisible by nhead "
                                             r"\(4\)"):
        nn.TransformerEncoderLayer(6, 4)
    with pytest.raises(AssertionError, match=r"TransformerDecoderLayer: d_model \(10\) must be divisible by nhead"):
        nn.TransformerDecoderLayer(10, 4)
    with pytest.raises(AssertionError, match=r"d_model \(6\) must be divisible by nhead \(4\)"):
        nn.Transformer(6, 4)
    with pytest.raises(RuntimeError, match="TransformerEncoderLayer: activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(E, H, activation="tanh")
    with pytest.raises(TypeError, match="activation should be 'relu', 'gelu' or a callable, got int"):
        nn.TransformerDecoderLayer(E, H, activation=3)
    layer = encoder_layer()
    with pytest.raises(AssertionError, match=r"TransformerEncoderLayer: expected src to be 3-D .* got 4-D src of "
                                             r"shape \[2, 3, 1, 4\]"):
        layer(autograd.zeros(2, 3, 1, E, dtype=f64))
    with pytest.raises(AssertionError, match=r"TransformerEncoderLayer: expected src with d_model=4 features in its "
                                             r"last dim, got src of shape \[5, 2, 6\]"):
        layer(autograd.zeros(5, 2, 6, dtype=f64))
    with pytest.raises(AssertionError, match=r"expected memory with d_model=4 .* shape \[5, 2, 3\]"):
        decoder_layer()(autograd.zeros(3, 2, E, dtype=f64), autograd.zeros(5, 2, 3, dtype=f64))
    with pytest.raises(AssertionError, match=r"TransformerDecoderLayer: expected memory batched like tgt .* tgt of "
                                             r"shape \[3, 2, 4\] and memory of shape \[5, 3, 4\]"):
        decoder_layer()(autograd.zeros(3, 2, E, dtype=f64), autograd.zeros(5, 3, E, dtype=f64))
    with pytest.raises(AssertionError, match=r"got tgt of shape \[3, 4\] and memory of shape \[5, 2, 4\]"):
        decoder_layer()(autograd.zeros(3, E, dtype=f64), autograd.zeros(5, 2, E, dtype=f64))
    with pytest.raises(AssertionError, match=r"TransformerEncoderLayer: only bool and floating types of src_mask"):
        layer(autograd.zeros(5, 2, E, dtype=f64), src_mask=autograd.zeros(5, 5, dtype=autograd.int64))


def test_transformer_errors():
    model = nn.Transformer(E, H, 1, 1, FF, dtype=f64)
    with pytest.raises(RuntimeError, match=r"Transformer: the batch number of src and tgt must be equal \(dim 1 with "
                                           r"batch_first=False\), got src of shape \[5, 2, 4\] and tgt of shape "
                                           r"\[3, 3, 4\]"):
        model(autograd.zeros(5, 2, E, dtype=f64), autograd.zeros(3, 3, E, dtype=f64))
    with pytest.raises(RuntimeError, match=r"the feature number of src and tgt must be equal to d_model=4, got src "
                                           r"of shape \[5, 2, 4\] and tgt of shape \[3, 2, 8\]"):
        model(autograd.zeros(5, 2, E, dtype=f64), autograd.zeros(3, 2, 8, dtype=f64))
    with pytest.raises(RuntimeError, match=r"dim 0 with batch_first=True"):
        nn.Transformer(E, H, 1, 1, FF, batch_first=True)(autograd.zeros(2, 5, E), autograd.zeros(3, 5, E))
