"""Attention in ``nn.functional``: ``scaled_dot_product_attention`` and ``multi_head_attention_forward`` (the
maths of ``nn.MultiheadAttention``), composed of autograd's ops (matmul, softmax, dropout), so their gradients of
every order are the ops' own.

Both share one kernel, ``_attend``: weights = softmax(q k^T * scale + bias) over the keys, then dropout, and
output = weights v. Masks follow PyTorch: for ``scaled_dot_product_attention`` a boolean ``attn_mask`` is True
where a query may attend and a float mask is added to the scores; for ``MultiheadAttention`` a boolean
``attn_mask`` or ``key_padding_mask`` is True where attention is *not* allowed.

A query whose every key is masked (a row of -inf scores) gets zero weights and a zero output (PyTorch's "safe"
softmax) in ``scaled_dot_product_attention`` and so in ``MultiheadAttention(need_weights=False)``; with
``need_weights=True`` PyTorch computes a plain softmax there and returns NaN, and so does stepgrad.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import autograd
from autograd import Tensor
from nn._checks import broadcast_shape

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]

_NEG_INF = float("-inf")
_MHA = "MultiheadAttention"  # the name in multi_head_attention_forward's messages: it is that module's forward


def _attend(q: Tensor, k: Tensor, v: Tensor, bias: Tensor | None, dropout_p: float, scale: float,
            safe: bool) -> tuple[Tensor, Tensor]:
    """(weights @ v, weights) with weights = softmax(q @ k^T * scale + bias) (dropout p afterwards).

    Shapes: q (*, L, E), k (*, S, E), v (*, S, Ev), bias broadcastable to (*, L, S) → (*, L, Ev), (*, L, S).
    ``safe`` gives all-masked rows zero weights (and zero gradients) instead of NaN.
    """
    scores = (q @ k.transpose(-2, -1)) * scale
    if bias is not None:
        scores = scores + bias
    dead = (scores == _NEG_INF).all(-1, keepdim=True) if safe and bias is not None else None
    if dead is not None and dead.any().item():
        # softmax of a finite stand-in row, then zeros: no NaN forwards and zero gradient backwards
        weights = autograd.where(dead, 0.0, autograd.softmax(autograd.where(dead, 0.0, scores), -1))
    else:
        weights = autograd.softmax(scores, -1)
    if dropout_p > 0:
        weights = autograd.dropout(weights, dropout_p, True)
    return weights @ v, weights


def _mask_bias(name: str, mask: Tensor, dtype: Any, masked_value: bool) -> Tensor:
    """A float mask as it is, or a boolean mask as 0 / -inf, -inf where the mask equals ``masked_value``."""
    if mask.dtype == autograd.bool:
        where_masked = mask if masked_value else mask.logical_not()
        return autograd.zeros(*mask.shape, dtype=dtype).masked_fill(where_masked, _NEG_INF)
    if not mask.is_floating_point():
        raise RuntimeError(f"{name}: expected a bool or floating mask, got a mask of dtype {mask.dtype}")
    return mask


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q K^T * scale + bias) V over the keys, with dropout ``dropout_p`` on the weights (always: pass 0
    when not training).

    Shapes: query (*, L, E), key (*, S, E), value (*, S, Ev) → (*, L, Ev); batch dims broadcast. ``scale``
    defaults to 1 / sqrt(E). ``attn_mask`` broadcasts to (*, L, S): boolean True where a query may attend, or
    float, added to the scores. ``is_causal`` instead masks key j > query i (the lower-left triangle is kept).
    ``enable_gqa``: key and value may have fewer heads (dim -3) than query, a divisor of its count; each is
    shared by consecutive query heads. A query with no key to attend to gets zeros.
    """
    name = "scaled_dot_product_attention"
    for label, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor) or t.ndim < 2:
            got = f"{t.ndim}-D {label} of shape {list(t.shape)}" if isinstance(t, Tensor) else type(t).__name__
            raise RuntimeError(f"{name}: expected query, key and value to be Tensors of at least 2 dims, got {got}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(f"{name}: expected query (*, L, E), key (*, S, E) and value (*, S, Ev), got shapes "
                           f"{list(query.shape)}, {list(key.shape)} and {list(value.shape)}")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(f"{name}: expected query, key and value of one dtype, got {query.dtype}, {key.dtype} and "
                           f"{value.dtype}")
    if not 0.0 <= dropout_p <= 1.0:
        raise RuntimeError(f"{name}: dropout_p must be a probability in [0, 1], got {dropout_p}")
    if enable_gqa and query.ndim >= 3:
        heads, kv_heads = query.shape[-3], key.shape[-3]
        if kv_heads != value.shape[-3] or heads % kv_heads:
            raise RuntimeError(f"{name}: with enable_gqa, the heads of key ({kv_heads}) and value "
                               f"({value.shape[-3]}) must be equal and divide the heads of query ({heads})")
        key = key.repeat_interleave(heads // kv_heads, -3)
        value = value.repeat_interleave(heads // kv_heads, -3)
    if is_causal and attn_mask is not None:
        raise RuntimeError(f"{name}: give attn_mask or is_causal=True, not both (fold the causal mask into "
                           "attn_mask instead)")
    L, S = query.shape[-2], key.shape[-2]
    bias = None
    if attn_mask is not None:
        if attn_mask.is_floating_point() and attn_mask.dtype not in (query.dtype, autograd.float32):
            raise RuntimeError(f"{name}: expected attn_mask of dtype bool, float32 or the query's {query.dtype}, "
                               f"got {attn_mask.dtype}")
        broadcast_shape(name, attn_mask=attn_mask.shape, attention_weights=tuple(query.shape[:-2]) + (L, S))
        bias = _mask_bias(name, attn_mask, query.dtype, masked_value=False).to(query.dtype)
    if is_causal:
        bias = _mask_bias(name, autograd.ones(L, S, dtype=autograd.bool).tril(), query.dtype, masked_value=False)
    factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    return _attend(query, key, value, bias, dropout_p, factor, safe=True)[0]


def _mha_inputs(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                attn_mask: Tensor | None, num_heads: int) -> bool:
    """Whether the inputs of ``multi_head_attention_forward`` are batched, after checking their dims."""
    for label, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{_MHA}: expected {label} to be a Tensor, got {type(t).__name__}")
    if query.ndim not in (2, 3):
        raise AssertionError(f"{_MHA}: expected query to be 3-D (L, N, E) (or (N, L, E) with batch_first) or 2-D "
                             f"(L, E) (unbatched), got {query.ndim}-D query of shape {list(query.shape)}")
    batched = query.ndim == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(f"{_MHA}: for {kind} query, expected key and value to be {query.ndim}-D too, got shapes "
                             f"{list(key.shape)} and {list(value.shape)}")
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(f"{_MHA}: for {kind} query, expected key_padding_mask to be None or "
                             f"{query.ndim - 1}-D ({'N, S' if batched else 'S'}), got shape "
                             f"{list(key_padding_mask.shape)}")
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise AssertionError(f"{_MHA}: expected attn_mask to be None, 2-D (L, S) or 3-D "
                                 f"(N * num_heads, L, S), got shape {list(attn_mask.shape)}")
        if not batched and attn_mask.ndim == 3 and tuple(attn_mask.shape) != (num_heads, query.shape[0],
                                                                              key.shape[0]):
            raise AssertionError(f"{_MHA}: for unbatched query, expected a 3-D attn_mask of shape "
                                 f"{(num_heads, query.shape[0], key.shape[0])} (num_heads, L, S), got "
                                 f"{tuple(attn_mask.shape)}")
    return batched


def _canonical_mask(name: str, mask: Tensor | None, dtype: Any) -> Tensor | None:
    """A MultiheadAttention mask as additive floats: a boolean mask becomes -inf where True, 0 elsewhere."""
    if mask is None:
        return None
    if mask.dtype != autograd.bool and not mask.is_floating_point():
        raise AssertionError(f"{_MHA}: expected {name} of dtype bool or floating, got {mask.dtype}")
    return _mask_bias(f"{_MHA} {name}", mask, dtype, masked_value=True)


def multi_head_attention_forward(
    query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
    in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
    add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
    training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
    attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
    static_v: Tensor | None = None, average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention, sequence first: project query, key and value (packed ``in_proj_weight`` (3E, E) or
    the separate ``q/k/v_proj_weight``), split E into ``num_heads`` heads of E / num_heads, attend in each head,
    join the heads and apply the output projection.

    Shapes: query (L, N, E), key (S, N, kdim), value (S, N, vdim), or unbatched without N; key_padding_mask
    (N, S) or (S,); attn_mask (L, S) or (N * num_heads, L, S); boolean masks are True where attention is not
    allowed, float masks are added to the scores. ``bias_k``/``bias_v`` (1, 1, E) append one key and value,
    ``add_zero_attn`` one of zeros; ``static_k``/``static_v`` (N * num_heads, S, E / num_heads) replace the
    projected keys and values. ``is_causal`` is a hint that ``attn_mask`` is the causal mask (it must be given).

    Returns the output (L, N, E) (unbatched (L, E)) and, with ``need_weights``, the attention weights
    (N, num_heads, L, S), averaged over the heads to (N, L, S) by ``average_attn_weights``; otherwise None.
    """
    batched = _mha_inputs(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"{_MHA}: expected query with embed_dim={embed_dim_to_check} features, got query of "
                             f"shape {list(query.shape)}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"{_MHA}: embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
    if key.shape[:2] != value.shape[:2] or key.shape[1] != bsz:
        raise AssertionError(f"{_MHA}: expected key (S, N, kdim) and value (S, N, vdim) with the query's batch N="
                             f"{bsz}, got key of shape {list(key.shape)} and value of shape {list(value.shape)}")
    if key_padding_mask is not None and attn_mask is not None and key_padding_mask.dtype != attn_mask.dtype:
        warnings.warn(f"{_MHA}: key_padding_mask ({key_padding_mask.dtype}) and attn_mask ({attn_mask.dtype}) of "
                      "different dtypes are deprecated in PyTorch; use one dtype for both", UserWarning, stacklevel=3)
    key_padding_mask = _canonical_mask("key_padding_mask", key_padding_mask, query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(f"{_MHA}: is_causal=True is a hint that attn_mask is the causal mask; give attn_mask "
                           "too (e.g. nn.Transformer.generate_square_subsequent_mask)")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the causal mask is built by scaled_dot_product_attention, as in PyTorch
    else:
        attn_mask = _canonical_mask("attn_mask", attn_mask, query.dtype)
        is_causal = is_causal and key_padding_mask is None

    if use_separate_proj_weight:
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        if in_proj_weight is None:
            raise AssertionError(f"{_MHA}: in_proj_weight is None but use_separate_proj_weight is False")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        weights = in_proj_weight.chunk(3)
    for label, x, w in zip(("query", "key", "value"), (query, key, value), weights):
        if w is None or x.shape[-1] != w.shape[1]:
            got = "no weight" if w is None else f"a weight of shape {list(w.shape)}"
            raise AssertionError(f"{_MHA}: cannot project {label} of shape {list(x.shape)} with {got}")
    q = autograd.linear(query, weights[0], b_q)
    k = autograd.linear(key, weights[1], b_k)
    v = autograd.linear(value, weights[2], b_v)

    src_len = key.shape[0]
    if attn_mask is not None:
        expected = (tgt_len, src_len) if attn_mask.ndim == 2 else (bsz * num_heads, tgt_len, src_len)
        if tuple(attn_mask.shape) != expected:
            raise RuntimeError(f"{_MHA}: expected a {attn_mask.ndim}-D attn_mask of shape {expected}, got "
                               f"{tuple(attn_mask.shape)}")
        if attn_mask.ndim == 2:
            attn_mask = attn_mask.unsqueeze(0)
    if (bias_k is None) != (bias_v is None):
        raise AssertionError(f"{_MHA}: give both bias_k and bias_v or neither")
    if bias_k is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError(f"{_MHA}: bias_k and bias_v cannot be added to static_k and static_v")
        k = autograd.cat([k, bias_k.repeat(1, bsz, 1)])
        v = autograd.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else autograd.pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else autograd.pad(key_padding_mask, (0, 1))

    # heads: (len, N, E) -> (N * num_heads, len, head_dim), head h of sample n at row n * num_heads + h
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _heads(v, static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        zeros = autograd.zeros(bsz * num_heads, 1, head_dim, dtype=q.dtype)
        k, v = autograd.cat([k, zeros], 1), autograd.cat([v, zeros], 1)
        attn_mask = None if attn_mask is None else autograd.pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else autograd.pad(key_padding_mask, (0, 1))
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            raise AssertionError(f"{_MHA}: expected key_padding_mask of shape {(bsz, src_len)} (N, S), got "
                                 f"{tuple(key_padding_mask.shape)}")
        per_head = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(bsz, num_heads, 1, src_len)
        per_head = per_head.reshape(bsz * num_heads, 1, src_len)
        attn_mask = per_head if attn_mask is None else attn_mask + per_head
    if not training:
        dropout_p = 0.0

    if need_weights:
        output, weights_out = _attend(q, k, v, attn_mask, dropout_p, 1.0 / math.sqrt(head_dim), safe=False)
        weights_out = weights_out.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights_out = weights_out.mean(1)
    else:  # masks of (N * num_heads or 1, L, S) broadcast against the heads
        output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
        weights_out = None
    output = output.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    output = autograd.linear(output, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, -1)
    if not batched:
        output = output.squeeze(1)
        weights_out = None if weights_out is None else weights_out.squeeze(0)
    return output, weights_out


def _heads(x: Tensor, static: Tensor | None, name: str, rows: int, head_dim: int) -> Tensor:
    """Keys or values (S, N, E) as (N * num_heads, S, head_dim), or ``static`` in their place after checking it."""
    if static is None:
        return x.reshape(x.shape[0], rows, head_dim).transpose(0, 1)
    if static.ndim != 3 or static.shape[0] != rows or static.shape[2] != head_dim:
        raise AssertionError(f"{_MHA}: expected {name} of shape ({rows}, S, {head_dim}) (N * num_heads, S, "
                             f"head_dim), got {tuple(static.shape)}")
    return static
