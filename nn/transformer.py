"""``Transformer``, ``TransformerEncoder`` and ``TransformerDecoder``: PyTorch's stacks of Transformer layers and
the encoder-decoder model of "Attention Is All You Need", with PyTorch's constructor arguments, forward signatures,
state_dict names (``layers.0.self_attn.in_proj_weight``; ``encoder.layers.0.linear1.weight``, ``encoder.norm.weight``
in a ``Transformer``) and initialisation.

A stack deep-copies its layer ``num_layers`` times (so every copy starts with the same parameters), applies them in
turn and then its optional ``norm``. ``Transformer`` stacks ``num_encoder_layers`` encoder layers and
``num_decoder_layers`` decoder layers, each stack followed by a LayerNorm, and initialises every parameter of more
than one dim Xavier-uniform. The layers themselves are in ``nn.transformer_layers``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn import init
from nn.container import ModuleList
from nn.module import Module
from nn.normalization import LayerNorm
from nn.transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer, _canonical_mask

__all__ = ["Transformer", "TransformerEncoder", "TransformerDecoder"]


def _generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The (sz, sz) causal mask: -inf above the diagonal (key j > query i may not be attended), 0 elsewhere."""
    return autograd.full((sz, sz), float("-inf"), dtype=dtype).triu(1)


def _seq_len(x: Tensor, batch_first: bool) -> int:
    """The sequence length of (S, E), (S, N, E) or, with batch_first, (N, S, E) input."""
    return x.shape[0] if x.ndim == 2 else x.shape[1 if batch_first else 0]


def _is_causal_mask(mask: Tensor, size: int) -> bool:
    """Whether ``mask`` equals the causal mask of ``size`` in its own dtype (for a boolean mask: True above the
    diagonal), as PyTorch decides its causal hint when none is given."""
    causal = _generate_square_subsequent_mask(size, dtype=mask.dtype)
    return tuple(mask.shape) == tuple(causal.shape) and bool((mask == causal).all().item())


def _clones(layer: Module, num_layers: int) -> ModuleList:
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer`` applied in turn, then ``norm`` (when given).

    Parameters
    ----------
    encoder_layer : TransformerEncoderLayer
        The layer to copy (any module with its forward signature will do).
    num_layers : int
        The number of copies, ``layers.0`` ... ``layers.{num_layers - 1}``.
    norm : Module, optional
        Applied to the output of the last layer.
    enable_nested_tensor, mask_check : bool
        Accepted and kept as attributes; they steer PyTorch's nested-tensor fast path, which stepgrad has not.

    Shapes: src (S, N, E) ((N, S, E) with the layer's ``batch_first``) or unbatched (S, E), output like src; mask
    (S, S) or (N * nhead, S, S); src_key_padding_mask (N, S) or (S,). ``is_causal=None`` detects whether ``mask``
    is the causal mask of ``generate_square_subsequent_mask``.
    """

    def __init__(self, encoder_layer: Module, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

    def forward(self, src: Tensor, mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool | None = None) -> Tensor:
        layer = type(self).__name__
        src_key_padding_mask = _canonical_mask(layer, "src_key_padding_mask", src_key_padding_mask, src.dtype, mask,
                                              "mask")
        mask = _canonical_mask(layer, "mask", mask, src.dtype)
        if is_causal is None and mask is not None:
            is_causal = _is_causal_mask(mask, _seq_len(src, self.layers[0].self_attn.batch_first))
        output = src
        for module in self.layers:
            output = module(output, src_mask=mask, is_causal=bool(is_causal),
                            src_key_padding_mask=src_key_padding_mask)
        return output if self.norm is None else self.norm(output)


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` applied in turn to the target (each attending to the same
    ``memory``), then ``norm`` (when given).

    Shapes: tgt (T, N, E) ((N, T, E) with the layer's ``batch_first``) or unbatched (T, E), output like tgt;
    memory (S, N, E) (or (N, S, E), or (S, E)); the masks as in ``TransformerDecoderLayer``. ``tgt_is_causal=None``
    detects whether ``tgt_mask`` is the causal mask of ``generate_square_subsequent_mask``.
    """

    def __init__(self, decoder_layer: Module, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None, memory_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                tgt_is_causal: bool | None = None, memory_is_causal: bool = False) -> Tensor:
        if tgt_is_causal is None and tgt_mask is not None:
            tgt_is_causal = _is_causal_mask(tgt_mask, _seq_len(tgt, self.layers[0].self_attn.batch_first))
        output = tgt
        for module in self.layers:
            output = module(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=bool(tgt_is_causal),
                            memory_is_causal=memory_is_causal)
        return output if self.norm is None else self.norm(output)


class Transformer(Module):
    """The encoder-decoder Transformer: ``encoder`` (a ``TransformerEncoder`` of ``num_encoder_layers`` layers and
    a final LayerNorm) reads ``src``, and ``decoder`` (likewise) maps ``tgt`` to the output, attending to the
    encoder's output. Every parameter of more than one dim (the encoder's and decoder's, custom ones too) is
    initialised Xavier-uniform; the other parameters keep their layers' initialisation.

    Parameters
    ----------
    d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, bias
        Those of ``TransformerEncoderLayer``, for every layer; ``layer_norm_eps`` and ``bias`` for the final norms.
    num_encoder_layers, num_decoder_layers : int
        The depths of the two stacks.
    custom_encoder, custom_decoder : Module, optional
        Used instead of the stacks built here.
    device, dtype
        Where (accepted, stepgrad runs on the CPU) and in which floating dtype the parameters are made.

    Shapes: src (S, N, E), tgt (T, N, E) ((N, S, E), (N, T, E) with ``batch_first``; unbatched (S, E), (T, E));
    output like tgt. src_mask (S, S) or (N * nhead, S, S); tgt_mask (T, T) or (N * nhead, T, T); memory_mask
    (T, S); src/tgt/memory_key_padding_mask (N, S), (N, T), (N, S) (unbatched without N). A boolean mask is True
    where attention is not allowed, a float mask is added to the attention scores.
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6, num_decoder_layers: int = 6,
                 dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable[[Tensor], Tensor] = F.relu, custom_encoder: Module | None = None,
                 custom_decoder: Module | None = None, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        layer_args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first,
                      bias)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(TransformerEncoderLayer(*layer_args, **factory), num_encoder_layers,
                                              LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(TransformerDecoderLayer(*layer_args, **factory), num_decoder_layers,
                                              LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory))
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Tensor | None = None, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        batch_dim = 0 if self.batch_first else 1
        if src.ndim == 3 and (tgt.ndim != 3 or src.shape[batch_dim] != tgt.shape[batch_dim]):
            raise RuntimeError(f"Transformer: the batch number of src and tgt must be equal (dim {batch_dim} with "
                               f"batch_first={self.batch_first}), got src of shape {list(src.shape)} and tgt of "
                               f"shape {list(tgt.shape)}")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"Transformer: the feature number of src and tgt must be equal to d_model="
                               f"{self.d_model}, got src of shape {list(src.shape)} and tgt of shape "
                               f"{list(tgt.shape)}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """The (sz, sz) causal mask of floats: -inf above the diagonal (where key j > query i), 0 elsewhere;
        ``dtype`` defaults to the default floating dtype."""
        return _generate_square_subsequent_mask(sz, device=device, dtype=dtype)

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
