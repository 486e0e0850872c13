"""``MultiheadAttention``: PyTorch's attention layer, with its constructor arguments, parameter names,
initialisation, forward signature and outputs; the maths is ``nn.functional.multi_head_attention_forward``.

Parameters: ``in_proj_weight`` (3E, E), the query, key and value projections stacked, when kdim = vdim = E,
else ``q_proj_weight`` (E, E), ``k_proj_weight`` (E, kdim) and ``v_proj_weight`` (E, vdim); ``in_proj_bias``
(3E,) and ``out_proj`` (a Linear E → E), with ``bias=True``; ``bias_k`` and ``bias_v`` (1, 1, E) with
``add_bias_kv=True``. Initialisation: the projections Xavier-uniform, ``out_proj.weight`` as any Linear, the
biases zero, ``bias_k``/``bias_v`` Xavier-normal.
"""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn import init
from nn.linear import NonDynamicallyQuantizableLinear
from nn.module import Module
from nn.parameter import Parameter

__all__ = ["MultiheadAttention"]


class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads of E / num_heads features each, E = ``embed_dim``.

    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` returns ``(output, weights)``.

    Shapes: query (L, N, E), key (S, N, kdim), value (S, N, vdim) (N first with ``batch_first``), or unbatched
    (L, E), (S, kdim), (S, vdim); output like query. key_padding_mask (N, S) or (S,), True (or -inf) where a
    key is padding; attn_mask (L, S) or (N * num_heads, L, S), True (or -inf) where query i may not attend to
    key j, other float values added to the scores. weights (N, L, S) averaged over the heads, (N, num_heads,
    L, S) with ``average_attn_weights=False`` (unbatched without N), or None when ``need_weights=False``.
    ``dropout`` is applied to the attention weights in training mode.
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"MultiheadAttention: embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads}")
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError(f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by num_heads "
                                 f"({num_heads})")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(autograd.empty(3 * embed_dim, embed_dim, dtype=dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(autograd.empty(embed_dim, embed_dim, dtype=dtype))
            self.k_proj_weight = Parameter(autograd.empty(embed_dim, self.kdim, dtype=dtype))
            self.v_proj_weight = Parameter(autograd.empty(embed_dim, self.vdim, dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(autograd.empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k = Parameter(autograd.empty(1, 1, embed_dim, dtype=dtype))
            self.bias_v = Parameter(autograd.empty(1, 1, embed_dim, dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        for extra in (self.bias_k, self.bias_v):
            if extra is not None:
                init.xavier_normal_(extra)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        batched = isinstance(query, Tensor) and query.ndim == 3
        if self.batch_first and batched:  # the maths runs sequence first
            query, key, value = (x.transpose(0, 1) if isinstance(x, Tensor) and x.ndim == 3 else x
                                 for x in (query, key, value))
        output, weights = F.multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal)
        if self.batch_first and batched:
            output = output.transpose(0, 1)
        return output, weights
