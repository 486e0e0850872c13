"""``RNNCell``, ``LSTMCell`` and ``GRUCell``: one time step of a recurrent layer, with PyTorch's arguments,
parameter names, initialisation and reprs.

Each cell holds ``weight_ih`` (G * hidden_size, input_size), ``weight_hh`` (G * hidden_size, hidden_size) and,
with ``bias=True``, ``bias_ih`` and ``bias_hh`` (G * hidden_size,), G = 1, 4 or 3 gates stacked in PyTorch's
order (see ``nn._recurrence``), all drawn from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). The maths is the
step function that ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` run at every time step.

Shapes: input (N, input_size) or unbatched (input_size,); states (N, hidden_size) or (hidden_size,), zeros
when not given; the returned states have the input's batching.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import autograd
from autograd import Tensor
from nn._recurrence import CELLS, check_input, check_state, reset_uniform
from nn.module import Module
from nn.parameter import Parameter

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class RNNCellBase(Module):
    """The parameters, initialisation and input handling the cells share; ``num_chunks`` is the number of gates."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(autograd.empty(num_chunks * hidden_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(autograd.empty(num_chunks * hidden_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(autograd.empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(autograd.empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        reset_uniform(self)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias is True else f", bias={self.bias}")

    def _batched(self, input: Tensor, states: Sequence[Any] | None,
                 names: Sequence[str]) -> tuple[Tensor, list[Tensor], bool]:
        """The input and states as a batch of N (N = 1 for unbatched input), zeros for missing states, after
        checking them; and whether the input was batched."""
        layer = self._get_name()
        if not isinstance(input, Tensor):
            raise TypeError(f"{layer}: expected input to be a Tensor, got {type(input).__name__}")
        if input.ndim not in (1, 2):
            raise ValueError(f"{layer}: expected input to be 1-D (input_size,) or 2-D (N, input_size), got "
                             f"{input.ndim}-D input of shape {list(input.shape)}")
        check_input(layer, input, self.input_size, self.weight_ih.dtype, RuntimeError)
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        if states is None:
            zeros = autograd.zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
            return x, [zeros] * len(names), batched
        expected = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        layout = "(N, hidden_size)" if batched else "(hidden_size,)"
        for name, state in zip(names, states):
            if isinstance(state, Tensor) and state.ndim not in (1, 2):
                raise ValueError(f"{layer}: expected {name} to be 1-D or 2-D, got {state.ndim}-D {name} of shape "
                                 f"{list(state.shape)}")
            check_state(layer, name, state, expected, layout, input, batched)
        return x, [state if batched else state.unsqueeze(0) for state in states], batched


class RNNCell(RNNCellBase):
    """An Elman cell: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh), or relu with ``nonlinearity='relu'``.

    ``forward(input, hx=None)`` returns h': (N, hidden_size), or (hidden_size,) for unbatched input.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r}; select from 'tanh' or 'relu'")
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), batched = self._batched(input, None if hx is None else (hx,), ("hx",))
        step = CELLS[f"RNN_{self.nonlinearity.upper()}"][1]
        h = step(x, h, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return h if batched else h.squeeze(0)

    def extra_repr(self) -> str:
        return super().extra_repr() + ("" if self.nonlinearity == "tanh" else f", nonlinearity={self.nonlinearity}")


class LSTMCell(RNNCellBase):
    """A long short-term memory cell (gates i, f, g, o; see ``nn._recurrence.lstm_cell``).

    ``forward(input, hx=None)`` takes ``hx = (h, c)`` and returns ``(h', c')``: each (N, hidden_size), or
    (hidden_size,) for unbatched input.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        if hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise TypeError(f"LSTMCell: expected hx to be a tuple (h, c) of two Tensors, got "
                            f"{type(hx).__name__}")
        x, (h, c), batched = self._batched(input, hx, ("hx[0]", "hx[1]"))
        h, c = CELLS["LSTM"][1](x, (h, c), self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """A gated recurrent unit (gates r, z, n; see ``nn._recurrence.gru_cell``).

    ``forward(input, hx=None)`` returns h': (N, hidden_size), or (hidden_size,) for unbatched input.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), batched = self._batched(input, None if hx is None else (hx,), ("hx",))
        h = CELLS["GRU"][1](x, h, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return h if batched else h.squeeze(0)
