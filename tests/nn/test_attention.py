"""scaled_dot_product_attention and MultiheadAttention: hand-computed values, mask semantics, fully masked rows,
PyTorch 2.13 reference values for loaded weights, shapes, gradchecks, parameters and init, dropout, errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

f64 = autograd.float64


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def fill_sin(module: nn.Module) -> None:
    """Parameter k (in registration order) gets 0.5 * sin(arange(numel) + k), the values the references used."""
    with autograd.no_grad():
        for k, (_, p) in enumerate(module.named_parameters()):
            p.copy_(autograd.tensor(0.5 * np.sin(np.arange(p.numel()) + k)).reshape(p.shape))


# -- scaled_dot_product_attention -----------------------------------------------------------------------------------
def test_sdpa_by_hand():
    q, k, v = t64([[1.0, 0.0]]), t64([[1.0, 0.0], [0.0, 1.0]]), t64([[1.0, 2.0], [3.0, 4.0]])
    w0 = math.exp(1 / math.sqrt(2)) / (math.exp(1 / math.sqrt(2)) + 1)  # scores (1/sqrt(2), 0)
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v).numpy(),
                               [[w0 * 1 + (1 - w0) * 3, w0 * 2 + (1 - w0) * 4]], rtol=1e-12)
    w0 = math.exp(2.0) / (math.exp(2.0) + 1)  # scale=2: scores (2, 0)
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, scale=2.0).numpy(),
                               [[w0 + (1 - w0) * 3, 2 * w0 + (1 - w0) * 4]], rtol=1e-12)
    only_second = autograd.tensor([[False, True]])  # True: may attend
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, only_second).numpy(), [[3.0, 4.0]])
    shifted = F.scaled_dot_product_attention(q, k, v, t64([[0.0, 1 / math.sqrt(2)]]))  # equal scores: the mean
    np.testing.assert_allclose(shifted.numpy(), [[2.0, 3.0]], rtol=1e-12)


def test_sdpa_causal_equals_the_lower_triangle_mask_and_gqa_equals_repeated_heads():
    q, k, v = autograd.randn(2, 4, 3, 5, dtype=f64), autograd.randn(2, 2, 6, 5, dtype=f64), autograd.randn(2, 2, 6, 3,
                                                                                                           dtype=f64)
    k4, v4 = k.repeat_interleave(2, 1), v.repeat_interleave(2, 1)
    causal = F.scaled_dot_product_attention(q, k4, v4, is_causal=True)
    tril = autograd.ones(3, 6, dtype=autograd.bool).tril()
    np.testing.assert_allclose(causal.numpy(), F.scaled_dot_product_attention(q, k4, v4, tril).numpy(), rtol=1e-12)
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, enable_gqa=True).numpy(),
                               F.scaled_dot_product_attention(q, k4, v4).numpy(), rtol=1e-12)
    assert F.scaled_dot_product_attention(q, k4, v4).shape == (2, 4, 3, 3)


def test_sdpa_fully_masked_query_gets_zeros_and_zero_gradient():
    q = autograd.randn(3, 4, dtype=f64, requires_grad=True)
    k = autograd.randn(5, 4, dtype=f64, requires_grad=True)
    v = autograd.randn(5, 2, dtype=f64, requires_grad=True)
    mask = autograd.tensor(np.array([[True] * 5, [False] * 5, [True, False, True, False, True]]))
    out = F.scaled_dot_product_attention(q, k, v, mask)
    np.testing.assert_array_equal(out.detach().numpy()[1], [0.0, 0.0])
    out.sum().backward()
    assert np.all(np.isfinite(q.grad.numpy())) and np.all(q.grad.numpy()[1] == 0)
    float_mask = autograd.zeros(3, 5, dtype=f64).masked_fill(mask.logical_not(), float("-inf"))
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, float_mask).detach().numpy(),
                               out.detach().numpy())


def test_sdpa_gradcheck_with_masks_and_dropout():
    q = autograd.randn(2, 3, 4, dtype=f64, requires_grad=True)
    k = autograd.randn(2, 5, 4, dtype=f64, requires_grad=True)
    v = autograd.randn(2, 5, 3, dtype=f64, requires_grad=True)
    bias = autograd.randn(3, 5, dtype=f64, requires_grad=True)
    assert autograd.gradcheck(lambda q, k, v, b: F.scaled_dot_product_attention(q, k, v, b), [q, k, v, bias])
    assert autograd.gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True), [q, k, v])
    assert autograd.gradgradcheck(lambda q, k: F.scaled_dot_product_attention(q, k, v), [q, k])
    np.testing.assert_array_equal(F.scaled_dot_product_attention(q, k, v, dropout_p=1.0).detach().numpy(), 0.0)


def test_sdpa_errors():
    z = autograd.zeros
    with pytest.raises(RuntimeError, match="scaled_dot_product_attention: expected query, key and value .* 2 dims"):
        F.scaled_dot_product_attention(z(4), z(3, 4), z(3, 4))
    with pytest.raises(RuntimeError, match=r"expected query \(\*, L, E\), key \(\*, S, E\).*\[2, 4\], \[3, 5\]"):
        F.scaled_dot_product_attention(z(2, 4), z(3, 5), z(3, 4))
    with pytest.raises(RuntimeError, match="attn_mask of shape \\[3, 3\\].* cannot be broadcast"):
        F.scaled_dot_product_attention(z(2, 4), z(3, 4), z(3, 4), autograd.zeros(3, 3, dtype=autograd.bool))
    with pytest.raises(RuntimeError, match="expected a bool or floating mask, got a mask of dtype int64"):
        F.scaled_dot_product_attention(z(2, 4), z(3, 4), z(3, 4), autograd.zeros(2, 3, dtype=autograd.int64))
    with pytest.raises(RuntimeError, match="give attn_mask or is_causal=True, not both"):
        F.scaled_dot_product_attention(z(2, 4), z(3, 4), z(3, 4), z(2, 3), is_causal=True)
    with pytest.raises(RuntimeError, match=r"enable_gqa, the heads of key \(3\) .* heads of query \(4\)"):
        F.scaled_dot_product_attention(z(1, 4, 2, 4), z(1, 3, 3, 4), z(1, 3, 3, 4), enable_gqa=True)


# -- MultiheadAttention -----------------------------------------------------------------------------------------------
def reference_mha(module: nn.MultiheadAttention, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                  bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multi-head attention written out with numpy for sequence-first (L, N, E) input: per head h, the columns
    h * head_dim ... of each projection."""
    E, H = module.embed_dim, module.num_heads
    d = E // H
    w = module.in_proj_weight.detach().numpy()
    b = module.in_proj_bias.detach().numpy()
    Q, K, V = (x @ w[i * E:(i + 1) * E].T + b[i * E:(i + 1) * E] for i, x in enumerate((q, k, v)))
    L, N, _ = q.shape
    out = np.zeros((L, N, E))
    weights = np.zeros((N, H, L, k.shape[0]))
    for n, h in itertools.product(range(N), range(H)):
        cols = slice(h * d, (h + 1) * d)
        scores = Q[:, n, cols] @ K[:, n, cols].T / math.sqrt(d) + bias
        p = np.exp(scores - scores.max(-1, keepdims=True))
        p /= p.sum(-1, keepdims=True)
        weights[n, h] = p
        out[:, n, cols] = p @ V[:, n, cols]
    out = out @ module.out_proj.weight.detach().numpy().T + module.out_proj.bias.detach().numpy()
    return out, weights


def test_mha_matches_the_written_out_formula():
    mha = nn.MultiheadAttention(6, 3).double()
    fill_sin(mha)
    q, k, v = autograd.randn(4, 2, 6, dtype=f64), autograd.randn(5, 2, 6, dtype=f64), autograd.randn(5, 2, 6, dtype=f64)
    mask = np.random.default_rng(0).normal(size=(4, 5))
    out, weights = mha(q, k, v, attn_mask=t64(mask), average_attn_weights=False)
    expected_out, expected_weights = reference_mha(mha, q.numpy(), k.numpy(), v.numpy(), mask)
    np.testing.assert_allclose(out.detach().numpy(), expected_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.detach().numpy(), expected_weights, rtol=1e-10, atol=1e-12)
    averaged = mha(q, k, v, attn_mask=t64(mask))[1]
    np.testing.assert_allclose(averaged.detach().numpy(), expected_weights.mean(1), rtol=1e-10)
    no_weights, none = mha(q, k, v, attn_mask=t64(mask), need_weights=False)
    assert none is None
    np.testing.assert_allclose(no_weights.detach().numpy(), expected_out, rtol=1e-10, atol=1e-12)


def test_mha_matches_pytorch_with_separate_projections_and_both_masks():
    # Reference numbers: PyTorch 2.13 (CPU, float64), MultiheadAttention(4, 2, kdim=3, vdim=5) with fill_sin
    # parameters, q = cos(arange(8)) (2, 1, 4), k = cos(arange(9) + 1) (3, 1, 3), v = cos(arange(15) + 2) (3, 1, 5).
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5).double()
    assert [name for name, _ in mha.named_parameters()] == ["q_proj_weight", "k_proj_weight", "v_proj_weight",
                                                            "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    fill_sin(mha)
    q = t64(np.cos(np.arange(8)).reshape(2, 1, 4))
    k = t64(np.cos(np.arange(9) + 1).reshape(3, 1, 3))
    v = t64(np.cos(np.arange(15) + 2).reshape(3, 1, 5))
    attn_mask = t64([[0.0, -1.0, 0.5], [0.2, 0.0, 0.0]])
    padding = autograd.tensor([[False, False, True]])
    with pytest.warns(UserWarning, match="different dtypes"):
        out, weights = mha(q, k, v, key_padding_mask=padding, attn_mask=attn_mask, average_attn_weights=False)
    np.testing.assert_allclose(out.detach().numpy(), [[[0.55098142, -0.87099056, 0.25404644, 1.32328537]],
                                                      [[0.40492866, -0.80645603, 0.31573401, 1.17810745]]], atol=1e-8)
    head_0 = [[0.70257389, 0.29742611, 0.0], [0.55117471, 0.44882529, 0.0]]
    head_1 = [[0.62157195, 0.37842805, 0.0], [0.7035402, 0.2964598, 0.0]]
    np.testing.assert_allclose(weights.detach().numpy(), [[head_0, head_1]], atol=1e-8)


def test_mha_shapes_for_every_layout():
    E, H, L, S, N = 8, 2, 3, 5, 4
    for batch_first, batched, need, average, add_bias_kv, add_zero_attn in itertools.product(*[(False, True)] * 6):
        mha = nn.MultiheadAttention(E, H, batch_first=batch_first, add_bias_kv=add_bias_kv,
                                    add_zero_attn=add_zero_attn, kdim=3, vdim=7)

        def shaped(T, D, batch_first=batch_first, batched=batched):
            return autograd.randn(*(((N, T, D) if batch_first else (T, N, D)) if batched else (T, D)))

        out, weights = mha(shaped(L, E), shaped(S, 3), shaped(S, 7), need_weights=need,
                           average_attn_weights=average)
        assert out.shape == (((N, L, E) if batch_first else (L, N, E)) if batched else (L, E))
        keys = S + add_bias_kv + add_zero_attn
        if need:
            expected = (L, keys) if average else (H, L, keys)
            assert weights.shape == ((N, *expected) if batched else expected)
        else:
            assert weights is None


def test_mha_masks_bool_float_padding_and_causal():
    mha = nn.MultiheadAttention(4, 2, batch_first=True).double()
    x = autograd.randn(2, 3, 4, dtype=f64)
    padding = autograd.tensor([[False, False, True], [False, False, False]])
    float_padding = autograd.zeros(2, 3, dtype=f64).masked_fill(padding, float("-inf"))
    out_bool, w_bool = mha(x, x, x, key_padding_mask=padding)
    out_float, w_float = mha(x, x, x, key_padding_mask=float_padding)
    np.testing.assert_allclose(out_bool.detach().numpy(), out_float.detach().numpy())
    np.testing.assert_array_equal(w_bool.detach().numpy()[0, :, 2], 0.0)  # no query attends to the padding
    causal = autograd.ones(3, 3, dtype=autograd.bool).triu(1)  # True: not allowed
    hinted = mha(x, x, x, attn_mask=causal, is_causal=True, need_weights=False)[0]
    np.testing.assert_allclose(hinted.detach().numpy(), mha(x, x, x, attn_mask=causal)[0].detach().numpy(),
                               rtol=1e-12)
    # a sample whose every key is padding: NaN with need_weights=True, zeros without (as in PyTorch)
    all_padding = autograd.tensor([[True, True, True], [False, False, False]])
    with_weights, _ = mha(x, x, x, key_padding_mask=all_padding)
    assert np.isnan(with_weights.detach().numpy()[0]).all() and np.isfinite(with_weights.detach().numpy()[1]).all()
    without = mha(x, x, x, key_padding_mask=all_padding, need_weights=False)[0]
    np.testing.assert_allclose(without.detach().numpy()[0], np.broadcast_to(mha.out_proj.bias.detach().numpy(), (3, 4)))


def test_mha_gradcheck():
    autograd.manual_seed(0)
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=2, add_bias_kv=True, add_zero_attn=True).double()
    q = autograd.randn(2, 2, 4, dtype=f64, requires_grad=True)
    k = autograd.randn(3, 2, 3, dtype=f64, requires_grad=True)
    v = autograd.randn(3, 2, 2, dtype=f64, requires_grad=True)
    mask = autograd.randn(2, 3, dtype=f64)

    def fn(q, k, v, *params):
        return mha(q, k, v, attn_mask=mask)

    assert autograd.gradcheck(fn, [q, k, v, *mha.parameters()])


def test_mha_parameters_init_and_repr():
    autograd.manual_seed(0)
    mha = nn.MultiheadAttention(16, 4)
    assert list(mha.state_dict()) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert mha.in_proj_weight.shape == (48, 16) and mha.q_proj_weight is None and mha.head_dim == 4
    bound = math.sqrt(6 / (16 + 48))  # Xavier uniform over the stacked (3E, E) weight
    w = mha.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert np.all(mha.in_proj_bias.detach().numpy() == 0) and np.all(mha.out_proj.bias.detach().numpy() == 0)
    assert np.abs(mha.out_proj.weight.detach().numpy()).max() <= 1 / 4  # Linear's default, 1/sqrt(16)
    with_kv = nn.MultiheadAttention(8, 2, bias=False, add_bias_kv=True, kdim=3)
    assert list(with_kv.state_dict()) == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "bias_k", "bias_v",
                                          "out_proj.weight"]
    assert with_kv.k_proj_weight.shape == (8, 3) and with_kv.bias_k.shape == (1, 1, 8)
    assert with_kv.in_proj_bias is None and with_kv.out_proj.bias is None and mha.bias_k is None
    assert repr(mha) == ("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=16, "
                         "out_features=16, bias=True)\n)")


def test_mha_dropout_only_in_training():
    mha = nn.MultiheadAttention(4, 2, dropout=1.0)
    x = autograd.randn(3, 2, 4)
    out, weights = mha(x, x, x)
    np.testing.assert_array_equal(weights.detach().numpy(), 0.0)  # every weight dropped
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(mha.out_proj.bias.detach().numpy(), (3, 2, 4)))
    mha.eval()
    np.testing.assert_allclose(mha(x, x, x)[1].detach().numpy().sum(-1), 1.0, rtol=1e-6)


def test_mha_errors():
    z = autograd.zeros
    with pytest.raises(AssertionError, match=r"MultiheadAttention: embed_dim \(10\) must be divisible by num_heads"):
        nn.MultiheadAttention(10, 3)
    with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0"):
        nn.MultiheadAttention(8, 0)
    mha = nn.MultiheadAttention(8, 2)
    with pytest.raises(AssertionError, match="expected query with embed_dim=8 features, got query of shape"):
        mha(z(3, 2, 6), z(3, 2, 6), z(3, 2, 6))
    with pytest.raises(AssertionError, match=r"for batched \(3-D\) query, expected key and value to be 3-D"):
        mha(z(3, 2, 8), z(3, 8), z(3, 8))
    with pytest.raises(AssertionError, match=r"expected key_padding_mask of shape \(2, 4\) \(N, S\), got \(2, 3\)"):
        mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), key_padding_mask=z(2, 3, dtype=autograd.bool))
    with pytest.raises(RuntimeError, match=r"expected a 2-D attn_mask of shape \(3, 4\), got \(3, 3\)"):
        mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), attn_mask=z(3, 3))
    with pytest.raises(RuntimeError, match="is_causal=True is a hint .* give attn_mask too"):
        mha(z(3, 2, 8), z(3, 2, 8), z(3, 2, 8), is_causal=True)
    with pytest.raises(AssertionError, match="expected key_padding_mask of dtype bool or floating, got int64"):
        mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), key_padding_mask=z(2, 4, dtype=autograd.int64))
    with pytest.raises(AssertionError, match=r"cannot project key of shape \[4, 2, 5\] with a weight of shape"):
        nn.MultiheadAttention(8, 2, kdim=3)(z(3, 2, 8), z(4, 2, 5), z(4, 2, 8))
