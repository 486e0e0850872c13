"""Transformer layers with masks, dropout and gradients: a causal mask keeps earlier outputs independent of later
inputs, key padding makes padded positions irrelevant, boolean and float masks agree, dropout acts only in
training mode, and finite differences confirm the gradients (float64)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn

f64 = autograd.float64
E, H, FF = 4, 2, 6
S, T, N = 5, 3, 2


def numpy(t: autograd.Tensor) -> np.ndarray:
    return t.detach().numpy()


def perturbed(x: autograd.Tensor, index: tuple) -> autograd.Tensor:
    """A copy of ``x`` with the entries at ``index`` replaced by new random values."""
    values = x.numpy().copy()
    values[index] = np.random.default_rng(1).normal(size=values[index].shape) * 3
    return autograd.tensor(values)


def causal(L: int) -> autograd.Tensor:
    return nn.Transformer.generate_square_subsequent_mask(L, dtype=f64)


def padding() -> autograd.Tensor:
    """(N, S) key padding: the last two positions of sample 0 are padding."""
    mask = np.zeros((N, S), dtype=bool)
    mask[0, -2:] = True
    return autograd.tensor(mask)


# -- causal masks -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("norm_first", [False, True])
def test_a_causal_mask_keeps_earlier_positions_independent_of_later_inputs(norm_first):
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, norm_first=norm_first,
                                                               dtype=f64), 2)
    x = autograd.randn(S, N, E, dtype=f64)
    before = numpy(encoder(x, mask=causal(S)))
    after = numpy(encoder(perturbed(x, np.s_[3]), mask=causal(S)))
    np.testing.assert_allclose(after[:3], before[:3], rtol=0, atol=1e-13)
    assert np.abs(after[3:] - before[3:]).min() > 1e-6
    unmasked = numpy(encoder(perturbed(x, np.s_[3])))
    assert np.abs(unmasked[:3] - numpy(encoder(x))[:3]).min() > 1e-6  # without the mask, everything depends on it


def test_the_causal_mask_in_a_transformer_acts_on_the_target_only():
    model = nn.Transformer(E, H, 1, 2, FF, dropout=0.0, batch_first=True, dtype=f64)
    src, tgt = autograd.randn(N, S, E, dtype=f64), autograd.randn(N, T, E, dtype=f64)
    before = numpy(model(src, tgt, tgt_mask=causal(T)))
    after = numpy(model(src, perturbed(tgt, np.s_[:, 2]), tgt_mask=causal(T)))
    np.testing.assert_allclose(after[:, :2], before[:, :2], rtol=0, atol=1e-13)
    assert np.abs(after[:, 2] - before[:, 2]).min() > 1e-6
    changed_memory = numpy(model(perturbed(src, np.s_[:, -1]), tgt, tgt_mask=causal(T)))
    assert np.abs(changed_memory - before).min() > 1e-9  # every target position reads the whole source


def test_causal_masks_bool_float_and_hinted_agree():
    layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, dtype=f64)
    encoder = nn.TransformerEncoder(layer, 2)
    x = autograd.randn(S, N, E, dtype=f64)
    float_mask, bool_mask = causal(S), autograd.ones(S, S, dtype=autograd.bool).triu(1)
    expected = numpy(encoder(x, mask=float_mask, is_causal=False))
    for mask, hint in ((float_mask, None), (float_mask, True), (bool_mask, None), (bool_mask, True)):
        np.testing.assert_allclose(numpy(encoder(x, mask=mask, is_causal=hint)), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(numpy(layer(x, bool_mask, is_causal=True)), numpy(layer(x, float_mask)), rtol=1e-12)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, FF, dropout=0.0, dtype=f64), 2)
    y, memory = autograd.randn(T, N, E, dtype=f64), autograd.randn(S, N, E, dtype=f64)
    expected = numpy(decoder(y, memory, tgt_mask=causal(T), tgt_is_causal=False))
    for mask in (causal(T), autograd.ones(T, T, dtype=autograd.bool).triu(1)):
        np.testing.assert_allclose(numpy(decoder(y, memory, tgt_mask=mask)), expected, rtol=1e-12, atol=1e-14)


def test_is_causal_needs_the_mask():
    layer = nn.TransformerEncoderLayer(E, H, FF, dtype=f64)
    with pytest.raises(RuntimeError, match="is_causal=True is a hint that attn_mask is the causal mask"):
        layer(autograd.randn(S, N, E, dtype=f64), is_causal=True)


# -- key padding ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("batch_first, norm_first", [(False, False), (True, False), (False, True)])
def test_key_padding_makes_padded_positions_irrelevant(batch_first, norm_first):
    layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, batch_first=batch_first, norm_first=norm_first,
                                       dtype=f64)
    x = autograd.randn(*((N, S, E) if batch_first else (S, N, E)), dtype=f64)
    padded = np.s_[0, 3:] if batch_first else np.s_[3:, 0]
    kept = np.s_[0, :3] if batch_first else np.s_[:3, 0]
    before = numpy(layer(x, src_key_padding_mask=padding()))
    after = numpy(layer(perturbed(x, padded), src_key_padding_mask=padding()))
    np.testing.assert_allclose(after[kept], before[kept], rtol=0, atol=1e-13)
    unpadded = numpy(layer(perturbed(x, padded))), numpy(layer(x))
    assert np.abs(unpadded[0][kept] - unpadded[1][kept]).min() > 1e-9
    float_padding = autograd.zeros(N, S, dtype=f64).masked_fill(padding(), float("-inf"))
    np.testing.assert_allclose(numpy(layer(x, src_key_padding_mask=float_padding)), before, rtol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
def test_memory_and_target_key_padding_in_the_decoder(norm_first):
    layer = nn.TransformerDecoderLayer(E, H, FF, dropout=0.0, norm_first=norm_first, dtype=f64)
    y, memory = autograd.randn(T, N, E, dtype=f64), autograd.randn(S, N, E, dtype=f64)
    before = numpy(layer(y, memory, memory_key_padding_mask=padding()))
    after = numpy(layer(y, perturbed(memory, np.s_[3:, 0]), memory_key_padding_mask=padding()))
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-13)
    target_padding = autograd.tensor(np.array([[False, False, True], [False, False, False]]))
    before = numpy(layer(y, memory, tgt_key_padding_mask=target_padding))
    after = numpy(layer(perturbed(y, np.s_[2, 0]), memory, tgt_key_padding_mask=target_padding))
    np.testing.assert_allclose(after[:2, 0], before[:2, 0], rtol=0, atol=1e-13)
    np.testing.assert_allclose(after[:, 1], before[:, 1], rtol=0, atol=1e-13)


def test_unbatched_key_padding_and_a_fully_padded_sample():
    layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, dtype=f64)
    x = autograd.randn(S, N, E, dtype=f64)
    batched = numpy(layer(x, src_key_padding_mask=padding()))
    np.testing.assert_allclose(numpy(layer(x[:, 0], src_key_padding_mask=padding()[0])), batched[:, 0], rtol=1e-12)
    everything = autograd.tensor(np.array([[True] * S, [False] * S]))
    out = numpy(layer(x, src_key_padding_mask=everything))  # attention gives zeros for a sample with no keys
    assert np.isfinite(out).all()


def test_float_masks_are_added_and_3d_masks_are_per_head():
    layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, dtype=f64)
    x = autograd.randn(S, N, E, dtype=f64)
    mask = autograd.randn(S, S, dtype=f64)
    per_head = mask.unsqueeze(0).expand(N * H, S, S).contiguous()
    np.testing.assert_allclose(numpy(layer(x, per_head)), numpy(layer(x, mask)), rtol=1e-12)
    assert np.abs(numpy(layer(x, mask)) - numpy(layer(x))).max() > 1e-6
    shifted = mask + 5.0  # softmax ignores a constant added to every score
    np.testing.assert_allclose(numpy(layer(x, shifted)), numpy(layer(x, mask)), rtol=1e-10)


def test_mismatched_mask_dtypes_warn_naming_the_layer():
    layer = nn.TransformerEncoderLayer(E, H, FF, dtype=f64)
    with pytest.warns(UserWarning, match=r"TransformerEncoderLayer: support for mismatched src_key_padding_mask "
                                         r"\(bool\) and src_mask \(float64\)"):
        layer(autograd.randn(S, N, E, dtype=f64), causal(S), padding())


# -- dropout ----------------------------------------------------------------------------------------------------------
def test_dropout_is_inactive_in_eval_and_active_in_train():
    model = nn.Transformer(E, H, 1, 1, FF, dropout=0.5, dtype=f64)
    src, tgt = autograd.randn(S, N, E, dtype=f64), autograd.randn(T, N, E, dtype=f64)
    model.eval()
    assert not any(m.training for m in model.modules())
    np.testing.assert_array_equal(numpy(model(src, tgt)), numpy(model(src, tgt)))
    model.train()
    assert all(m.training for m in model.modules())
    assert np.abs(numpy(model(src, tgt)) - numpy(model(src, tgt))).max() > 1e-3
    without = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, dtype=f64).train()
    x = autograd.randn(S, N, E, dtype=f64)
    np.testing.assert_array_equal(numpy(without(x)), numpy(without.eval()(x)))


# -- gradients --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_gradcheck(norm_first):
    autograd.manual_seed(0)
    layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, norm_first=norm_first, dtype=f64)
    x = autograd.randn(3, N, E, dtype=f64, requires_grad=True)
    mask = causal(3)
    key_padding = autograd.tensor(np.array([[0.0, 0.0, -np.inf], [0.0, 0.0, 0.0]]))
    params = [layer.self_attn.in_proj_weight, layer.linear1.weight, layer.norm1.weight, layer.linear2.bias]

    def fn(x, *_):
        return layer(x, mask, key_padding)

    assert autograd.gradcheck(fn, [x, *params])


def test_decoder_layer_gradcheck_and_gradgradcheck():
    autograd.manual_seed(0)
    layer = nn.TransformerDecoderLayer(E, H, FF, dropout=0.0, activation="gelu", dtype=f64)
    y = autograd.randn(3, 1, E, dtype=f64, requires_grad=True)
    memory = autograd.randn(2, 1, E, dtype=f64, requires_grad=True)
    params = [layer.multihead_attn.in_proj_weight, layer.norm3.bias]

    def fn(y, memory, *_):
        return layer(y, memory, tgt_mask=causal(3))

    assert autograd.gradcheck(fn, [y, memory, *params])
    assert autograd.gradgradcheck(fn, [y, memory])


def test_gradients_reach_every_parameter_of_a_transformer():
    model = nn.Transformer(E, H, 2, 2, FF, dropout=0.0, dtype=f64)
    src, tgt = autograd.randn(S, N, E, dtype=f64), autograd.randn(T, N, E, dtype=f64)
    model(src, tgt, tgt_mask=causal(T)).pow(2).sum().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.shape == p.shape, name
        assert np.abs(p.grad.numpy()).max() > 0, name
