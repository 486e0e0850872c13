"""``TransformerEncoderLayer`` and ``TransformerDecoderLayer``: PyTorch's Transformer blocks, built of
``MultiheadAttention``, ``Linear``, ``LayerNorm`` and ``Dropout`` under PyTorch's names, so a PyTorch state_dict
loads by name (``self_attn.in_proj_weight``, ``multihead_attn.out_proj.weight``, ``linear1.weight``,
``norm1.weight``, ...).

With E = d_model, each block is a residual sum ``x + sublayer(x)``: post-norm (``norm_first=False``, the default,
as in "Attention Is All You Need") normalises after each sum, ``norm(x + sublayer(x))``; pre-norm
(``norm_first=True``) normalises each sublayer's input, ``x + sublayer(norm(x))``. The sublayers are self-attention,
(decoder only) attention from the target to the encoder's output ``memory``, and the feed-forward network
``linear2(dropout(activation(linear1(x))))``, E → dim_feedforward → E; each sublayer's output passes a dropout.

Masks follow ``MultiheadAttention``: a boolean mask is True where attention is *not* allowed, a float mask is added
to the attention scores. The initialisation is the submodules' own (``nn.Transformer`` re-initialises its weights).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn._attention import _mask_bias
from nn.attention import MultiheadAttention
from nn.dropout import Dropout
from nn.linear import Linear
from nn.module import Module
from nn.normalization import LayerNorm

__all__ = ["TransformerEncoderLayer", "TransformerDecoderLayer"]

Activation = Callable[[Tensor], Tensor]


def _activation_fn(layer: str, activation: str | Activation) -> Activation:
    """``F.relu`` for "relu", ``F.gelu`` for "gelu", a callable as it is; otherwise an error naming ``layer``."""
    if isinstance(activation, str):
        if activation == "relu":
            return F.relu
        if activation == "gelu":
            return F.gelu
        raise RuntimeError(f"{layer}: activation should be relu/gelu, not {activation}")
    if not callable(activation):
        raise TypeError(f"{layer}: activation should be 'relu', 'gelu' or a callable, got "
                        f"{type(activation).__name__}")
    return activation


def _canonical_mask(layer: str, name: str, mask: Tensor | None, dtype: Any, other: Tensor | None = None,
                   other_name: str = "") -> Tensor | None:
    """A mask as additive floats of ``dtype`` (a boolean mask becomes -inf where True, 0 elsewhere), as PyTorch's
    Transformer layers canonicalise ``src_mask`` and ``src_key_padding_mask`` before attention.

    Warns (as PyTorch) when ``other``, the mask it is combined with, has another dtype; raises an AssertionError
    naming ``layer`` for a mask that is neither boolean nor floating.
    """
    if mask is None:
        return None
    if mask.dtype != autograd.bool and not mask.is_floating_point():
        raise AssertionError(f"{layer}: only bool and floating types of {name} are supported, got {mask.dtype}")
    if other is not None and other.dtype != mask.dtype:
        warnings.warn(f"{layer}: support for mismatched {name} ({mask.dtype}) and {other_name} ({other.dtype}) is "
                      "deprecated in PyTorch; use one dtype for both", UserWarning, stacklevel=4)
    return _mask_bias(f"{layer} {name}", mask, dtype, masked_value=True)


def _check_sequence(layer: str, label: str, x: Tensor, d_model: int) -> None:
    """An AssertionError naming ``layer`` unless ``x`` is a 3-D (batched) or 2-D (unbatched) Tensor of d_model
    features."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{layer}: expected {label} to be a Tensor, got {type(x).__name__}")
    if x.ndim not in (2, 3):
        raise AssertionError(f"{layer}: expected {label} to be 3-D (S, N, E) (or (N, S, E) with batch_first) or 2-D "
                             f"(S, E) (unbatched), got {x.ndim}-D {label} of shape {list(x.shape)}")
    if x.shape[-1] != d_model:
        raise AssertionError(f"{layer}: expected {label} with d_model={d_model} features in its last dim, got "
                             f"{label} of shape {list(x.shape)}")


class _TransformerLayer(Module):
    """What the encoder and decoder layers share: attention, the feed-forward network and ``blocks`` norms and
    dropouts (2 for the encoder, 3 for the decoder), registered in PyTorch's order so the names and the
    state_dict order agree."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int, dropout: float, activation: str | Activation,
                 layer_norm_eps: float, batch_first: bool, norm_first: bool, bias: bool, device: Any, dtype: Any,
                 blocks: int) -> None:
        layer = type(self).__name__
        if nhead > 0 and d_model % nhead:
            raise AssertionError(f"{layer}: d_model ({d_model}) must be divisible by nhead ({nhead})")
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            **factory)
        if blocks == 3:
            self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=batch_first,
                                                     bias=bias, **factory)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **factory)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **factory)
        self.norm_first = norm_first
        for i in range(1, blocks + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory))
        for i in range(1, blocks + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation_fn(layer, activation)

    def _sa_block(self, x: Tensor, attn_mask: Tensor | None, key_padding_mask: Tensor | None,
                  is_causal: bool) -> Tensor:
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False,
                           is_causal=is_causal)[0]
        return self.dropout1(x)

    def _ff_block(self, x: Tensor, dropout: Dropout) -> Tensor:
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerEncoderLayer(_TransformerLayer):
    """Self-attention and a feed-forward network, each in a residual block (see the module docstring).

    Parameters
    ----------
    d_model : int
        E, the number of features of the input; a multiple of ``nhead``.
    nhead : int
        The number of attention heads.
    dim_feedforward : int
        The hidden width of the feed-forward network.
    dropout : float
        The probability of the dropouts (attention weights, feed-forward hidden layer, each sublayer's output).
    activation : str or callable
        "relu", "gelu" or a unary callable (a function or a Module) used in the feed-forward network.
    layer_norm_eps : float
        The eps of the LayerNorms.
    batch_first : bool
        Input and output (N, S, E) instead of (S, N, E).
    norm_first : bool
        Pre-norm ``x + sublayer(norm(x))`` instead of post-norm ``norm(x + sublayer(x))``.
    bias : bool
        Whether the Linear, LayerNorm and attention layers have biases.
    device, dtype
        Where (accepted, stepgrad runs on the CPU) and in which floating dtype the parameters are made.

    Shapes: src (S, N, E) ((N, S, E) with ``batch_first``) or unbatched (S, E), output like src; src_mask (S, S)
    or (N * nhead, S, S); src_key_padding_mask (N, S) or (S,). ``is_causal`` is a hint that ``src_mask`` is the
    causal mask (which must then be given).
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Activation = F.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
                         norm_first, bias, device, dtype, blocks=2)

    def forward(self, src: Tensor, src_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool = False) -> Tensor:
        layer = type(self).__name__
        _check_sequence(layer, "src", src, self.self_attn.embed_dim)
        key_padding_mask = _canonical_mask(layer, "src_key_padding_mask", src_key_padding_mask, src.dtype,
                                          src_mask, "src_mask")
        attn_mask = _canonical_mask(layer, "src_mask", src_mask, src.dtype)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), attn_mask, key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x), self.dropout2)
        else:
            x = self.norm1(x + self._sa_block(x, attn_mask, key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x, self.dropout2))
        return x


class TransformerDecoderLayer(_TransformerLayer):
    """Self-attention, attention to the encoder's output ``memory`` and a feed-forward network, each in a
    residual block (see the module docstring); the constructor's parameters are ``TransformerEncoderLayer``'s.

    Shapes: tgt (T, N, E) ((N, T, E) with ``batch_first``) or unbatched (T, E), output like tgt; memory (S, N, E)
    (or (N, S, E), or (S, E)); tgt_mask (T, T) or (N * nhead, T, T); memory_mask (T, S) or (N * nhead, T, S);
    tgt_key_padding_mask (N, T) or (T,); memory_key_padding_mask (N, S) or (S,). ``tgt_is_causal`` and
    ``memory_is_causal`` are hints that ``tgt_mask`` and ``memory_mask`` are causal masks (which must be given).
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Activation = F.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
                         norm_first, bias, device, dtype, blocks=3)

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None, memory_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                tgt_is_causal: bool = False, memory_is_causal: bool = False) -> Tensor:
        layer = type(self).__name__
        d_model = self.self_attn.embed_dim
        _check_sequence(layer, "tgt", tgt, d_model)
        _check_sequence(layer, "memory", memory, d_model)
        batch_dim = 0 if self.self_attn.batch_first else 1
        if memory.ndim != tgt.ndim or (tgt.ndim == 3 and memory.shape[batch_dim] != tgt.shape[batch_dim]):
            raise AssertionError(f"{layer}: expected memory batched like tgt (the same rank and batch size in dim "
                                 f"{batch_dim} with batch_first={self.self_attn.batch_first}), got tgt of shape "
                                 f"{list(tgt.shape)} and memory of shape {list(memory.shape)}")
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            x = x + self._ff_block(self.norm3(x), self.dropout3)
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
            x = self.norm3(x + self._ff_block(x, self.dropout3))
        return x

    def _mha_block(self, x: Tensor, memory: Tensor, attn_mask: Tensor | None, key_padding_mask: Tensor | None,
                   is_causal: bool) -> Tensor:
        x = self.multihead_attn(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                need_weights=False, is_causal=is_causal)[0]
        return self.dropout2(x)
