"""One time step of each recurrent cell, composed of autograd's ops, and the argument checks the recurrent layers
share.

The step functions are the only place where the recurrences are written down: the cell modules
(``nn.RNNCell``, ``nn.LSTMCell``, ``nn.GRUCell``) call them once, the sequence modules (``nn.RNN``, ``nn.LSTM``,
``nn.GRU``) once per time step, layer and direction. Their gradients through time are the ops' own backward
passes.

The gates are stacked along the rows of ``w_ih`` and ``w_hh`` in PyTorch's (and cuDNN's) order, so the weights of
a PyTorch checkpoint compute the same function here:

* LSTM: input gate i, forget gate f, cell candidate g, output gate o;
* GRU: reset gate r, update gate z, candidate n, with the hidden-side bias of n inside the reset product:
  n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)).

Shapes: input (N, H_in), hidden state h (N, H_out), cell state c (N, H); w_ih (G * H, H_in), w_hh (G * H, H_out),
b_ih and b_hh (G * H,), G the number of gates (1, 4, 3); for an LSTM with projections w_hr (H_out, H), otherwise
H_out = H.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import autograd
from autograd import Tensor
from nn import init
from nn.module import Module

__all__ = ["rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell", "CELLS", "reset_uniform", "check_input",
           "check_state"]


def rnn_tanh_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh): (N, H_in), (N, H) → (N, H)."""
    return autograd.tanh(autograd.linear(input, w_ih, b_ih) + autograd.linear(hx, w_hh, b_hh))


def rnn_relu_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh): (N, H_in), (N, H) → (N, H)."""
    return autograd.relu(autograd.linear(input, w_ih, b_ih) + autograd.linear(hx, w_hh, b_hh))


def lstm_cell(input: Tensor, hx: tuple[Tensor, Tensor], w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
              b_hh: Tensor | None = None, w_hr: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """One LSTM step: (x, (h, c)) → (h', c').

    i, f, g, o = the four quarters of x W_ih^T + b_ih + h W_hh^T + b_hh;
    c' = sigmoid(f) * c + sigmoid(i) * tanh(g);  h' = sigmoid(o) * tanh(c'), then h' W_hr^T when ``w_hr`` is
    given (the projection of ``proj_size``). Shapes: input (N, H_in), h (N, H_out), c (N, H) → (N, H_out), (N, H).
    """
    h, c = hx
    gates = autograd.linear(input, w_ih, b_ih) + autograd.linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, 1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_next = o.sigmoid() * c_next.tanh()
    if w_hr is not None:
        h_next = autograd.linear(h_next, w_hr)
    return h_next, c_next


def gru_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
             b_hh: Tensor | None = None) -> Tensor:
    """One GRU step: (x, h) → h'.

    r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr), z likewise with the z rows,
    n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),  h' = (1 - z) * n + z * h.
    Shapes: input (N, H_in), hx (N, H) → (N, H).
    """
    x_r, x_z, x_n = autograd.linear(input, w_ih, b_ih).chunk(3, 1)
    h_r, h_z, h_n = autograd.linear(hx, w_hh, b_hh).chunk(3, 1)  # h_n includes b_hn, so r scales it too
    r = (x_r + h_r).sigmoid()
    z = (x_z + h_z).sigmoid()
    n = (x_n + r * h_n).tanh()
    return n + z * (hx - n)  # (1 - z) * n + z * h with one product fewer


# For each mode: the number of gates stacked in the weights' rows, and the step function.
CELLS: dict[str, tuple[int, Callable]] = {
    "RNN_TANH": (1, rnn_tanh_cell),
    "RNN_RELU": (1, rnn_relu_cell),
    "LSTM": (4, lstm_cell),
    "GRU": (3, gru_cell),
}


def reset_uniform(module: Module) -> None:
    """Draw every parameter of a recurrent ``module`` from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), its
    ``hidden_size`` also bounding the projection weights of an LSTM (as in PyTorch)."""
    bound = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0.0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


def check_input(layer: str, input: Tensor, input_size: int, weight_dtype: object,
                dtype_error: type[Exception]) -> None:
    """Errors naming ``layer`` unless ``input`` has ``input_size`` features in its last dim and the weights'
    dtype. ``dtype_error`` is the exception class PyTorch raises for a dtype mismatch at this layer."""
    if input.dtype != weight_dtype:
        raise dtype_error(f"{layer}: input dtype {input.dtype} does not match the weights' dtype {weight_dtype}; "
                          f"convert the input with input.to({weight_dtype}) or the model with "
                          f"model.to({input.dtype})")
    if input.shape[-1] != input_size:
        raise RuntimeError(f"{layer}: expected input with input_size={input_size} features in its last dim, got "
                           f"input of shape {list(input.shape)} ({input.shape[-1]} features)")


def check_state(layer: str, what: str, state: object, expected: Sequence[int], layout: str,
                input: Tensor, batched: bool) -> None:
    """Errors naming ``layer`` unless the hidden or cell state ``state`` (called ``what``) is a Tensor of shape
    ``expected`` (described by ``layout``) with the dtype of ``input`` (``batched`` or not)."""
    if not isinstance(state, Tensor):
        raise TypeError(f"{layer}: expected {what} to be a Tensor of shape {tuple(expected)}, got "
                        f"{type(state).__name__}")
    if tuple(state.shape) != tuple(expected):
        raise RuntimeError(f"{layer}: expected {what} of shape {tuple(expected)} {layout} for "
                           f"{'' if batched else 'unbatched '}input of shape {list(input.shape)}, got {what} of "
                           f"shape {list(state.shape)}")
    if state.dtype != input.dtype:
        raise ValueError(f"{layer}: {what} has dtype {state.dtype}, but the input has dtype {input.dtype}; "
                         "expected the same dtype")
