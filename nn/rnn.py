"""``RNN``, ``LSTM`` and ``GRU``: multi-layer, optionally bidirectional recurrent layers over whole sequences,
with PyTorch's constructor arguments, parameter names, initialisation, forward signature, outputs and reprs.

Layer k, direction d runs the cell's step function (``nn._recurrence``) over the sequence, forwards for d = 0
and backwards for d = 1 (``bidirectional=True``), starting from its slice ``k * num_directions + d`` of the
initial states. Its inputs are the input sequence (k = 0) or the previous layer's outputs, both directions
concatenated along the features, with dropout in training mode when ``dropout > 0``.

Parameters, for each layer k and direction (suffix ``_reverse`` for d = 1), registered in PyTorch's order:
``weight_ih_l{k}`` (G * hidden_size, layer input size), ``weight_hh_l{k}`` (G * hidden_size, H_out), with
``bias=True`` ``bias_ih_l{k}`` and ``bias_hh_l{k}`` (G * hidden_size,), and for an LSTM with ``proj_size > 0``
``weight_hr_l{k}`` (proj_size, hidden_size); G = 1, 4 or 3 gates, H_out = proj_size or hidden_size, the layer
input size input_size for k = 0 and num_directions * H_out after. All from U(-1/sqrt(hidden_size),
1/sqrt(hidden_size)). A PyTorch ``state_dict`` has the same keys and shapes and loads as it is.

Shapes (L the sequence length, N the batch, D = num_directions):

* input (L, N, input_size), (N, L, input_size) with ``batch_first``, or unbatched (L, input_size);
* h_0, h_n (D * num_layers, N, H_out), unbatched (D * num_layers, H_out), whatever ``batch_first``;
  c_0, c_n (LSTM) the same with hidden_size; missing initial states are zeros;
* output (L, N, D * H_out), (N, L, D * H_out) with ``batch_first``, unbatched (L, D * H_out): the last layer's
  hidden state at every step, the reverse direction's in the second half of the features.

A ``PackedSequence`` input (``nn.utils.rnn``; data (sum of the lengths, input_size)) runs each direction over
each sequence's own steps: the forward direction stops at the sequence's length, the reverse one starts there.
The output is a ``PackedSequence`` with the input's batch sizes and indices (data (sum of the lengths,
D * H_out)), and h_n, c_n hold each sequence's final states in the original batch order.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from typing import Any

import autograd
from autograd import Tensor
from nn import functional as F
from nn._recurrence import CELLS, check_input, check_state, reset_uniform
from nn.module import Module
from nn.parameter import Parameter
from nn.utils.rnn import PackedSequence

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]


class RNNBase(Module):
    """The parameters and the sequence loop of ``RNN`` (modes 'RNN_TANH', 'RNN_RELU'), ``LSTM`` and ``GRU``."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self._check_arguments(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gates = CELLS[mode][0] * hidden_size
        directions = 2 if bidirectional else 1
        out_size = proj_size if proj_size > 0 else hidden_size
        kinds = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
        kinds += ["weight_hr"] if proj_size > 0 else []
        # the parameter names of each (layer, direction), in the order PyTorch registers them
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            shapes = {"weight_ih": (gates, input_size if layer == 0 else directions * out_size),
                      "weight_hh": (gates, out_size), "bias_ih": (gates,), "bias_hh": (gates,),
                      "weight_hr": (proj_size, hidden_size)}
            for direction in range(directions):
                names = [f"{kind}_l{layer}{'_reverse' if direction else ''}" for kind in kinds]
                for kind, name in zip(kinds, names):
                    setattr(self, name, Parameter(autograd.empty(*shapes[kind], dtype=dtype)))
                self._all_weights.append(names)
        self.reset_parameters()

    def _check_arguments(self, mode: str, input_size: Any, hidden_size: Any, num_layers: Any, bias: Any,
                         batch_first: Any, dropout: Any, proj_size: Any) -> None:
        layer = self._get_name()
        if mode not in CELLS:
            raise ValueError(f"{layer}: unrecognised mode {mode!r}; expected one of {', '.join(map(repr, CELLS))}")
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError(f"{layer}: dropout must be a number in [0, 1], the probability that an element of a "
                             f"layer's output is zeroed, got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(f"{layer}: dropout={dropout} has no effect with num_layers=1: it is applied to the "
                          "outputs of every layer but the last", UserWarning, stacklevel=4)
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{layer}: {name} must be a bool, got {type(value).__name__}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("num_layers", num_layers),
                            ("proj_size", proj_size)):
            if not isinstance(value, int):
                raise TypeError(f"{layer}: {name} must be an int, got {type(value).__name__}")
            if value <= 0 and name != "proj_size":
                raise ValueError(f"{layer}: {name} must be greater than zero, got {value}")
        if proj_size < 0:
            raise ValueError(f"{layer}: proj_size must be positive, or zero for no projection, got {proj_size}")
        if proj_size > 0 and mode != "LSTM":
            raise ValueError(f"{layer}: proj_size is only supported by LSTM, got proj_size={proj_size} with mode "
                             f"{mode!r}")
        if proj_size >= hidden_size:
            raise ValueError(f"{layer}: proj_size ({proj_size}) must be smaller than hidden_size ({hidden_size})")

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        reset_uniform(self)

    def flatten_parameters(self) -> None:
        """Nothing to do: PyTorch packs the weights into one buffer for cuDNN; stepgrad keeps them apart."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each (layer, direction), in registration order."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _step_weights(self, index: int) -> tuple[Tensor | None, ...]:
        """The step function's weight arguments (w_ih, w_hh, b_ih, b_hh[, w_hr]) of (layer, direction) ``index``."""
        weights: list[Tensor | None] = [getattr(self, name) for name in self._all_weights[index]]
        if not self.bias:
            weights[2:2] = [None, None]
        return tuple(weights)

    def _sequence(self, input: Tensor | PackedSequence) -> tuple[list[Tensor], Tensor, bool, int]:
        """Check ``input`` and return its time steps (step t (N_t, input_size), N_t = N for a padded batch and
        batch_sizes[t] for a packed one), the Tensor named in messages, whether it is batched and its time dim."""
        layer_name = self._get_name()
        layout = "(N, L, input_size)" if self.batch_first else "(L, N, input_size)"
        if isinstance(input, PackedSequence):
            data = input.data
            if not isinstance(data, Tensor) or data.ndim != 2:
                raise ValueError(f"{layer_name}: expected a PackedSequence whose data is 2-D (sum of the lengths, "
                                 f"input_size), got {type(data).__name__} of shape {list(getattr(data, 'shape', []))}")
            check_input(layer_name, data, self.input_size, self.weight_ih_l0.dtype, ValueError)
            return list(data.split([int(size) for size in input.batch_sizes.numpy()], 0)), data, True, 0
        if not isinstance(input, Tensor):
            hint = (" (a list is not a PackedSequence: pack a list of sequences with nn.utils.rnn.pack_sequence)"
                    if isinstance(input, (list, tuple)) else "")
            raise TypeError(f"{layer_name}: expected input to be a Tensor of shape {layout} or (L, input_size), or "
                            f"a PackedSequence, got {type(input).__name__}{hint}")
        if input.ndim not in (2, 3):
            raise ValueError(f"{layer_name}: expected input to be 3-D {layout} or 2-D (L, input_size) "
                             f"(unbatched), got {input.ndim}-D input of shape {list(input.shape)}")
        check_input(layer_name, input, self.input_size, self.weight_ih_l0.dtype, ValueError)
        batched = input.ndim == 3
        x = input if batched else input.unsqueeze(1)
        time_dim = 1 if batched and self.batch_first else 0
        if x.shape[time_dim] == 0:
            raise RuntimeError(f"{layer_name}: expected a sequence length larger than 0, got input of shape "
                               f"{list(input.shape)}")
        return list(x.unbind(time_dim)), input, batched, time_dim

    def _initial_states(self, states: Any, names: tuple[str, ...], batch: int, input: Tensor, batched: bool,
                        sorted_indices: Tensor | None) -> list[tuple[Tensor, ...]]:
        """Check the initial states ``states`` (None for zeros, named ``names`` in messages) and return those of
        each (layer, direction) as a tuple ((h,) or (h, c), each (N, size)), in the sorted order of a packed
        batch when ``sorted_indices`` is given."""
        stacked = self.num_layers * (2 if self.bidirectional else 1)
        # the feature sizes of h (and c): an LSTM's h has proj_size features when it projects
        sizes = (self.proj_size or self.hidden_size, self.hidden_size)[:len(names)]
        if states is None:
            return [tuple(autograd.zeros(batch, size, dtype=input.dtype) for size in sizes)] * stacked
        for name, state, size in zip(names, states, sizes):
            size_name = "proj_size" if size != self.hidden_size else "hidden_size"
            expected = (stacked, batch, size) if batched else (stacked, size)
            state_layout = f"(num_layers * num_directions, {'N, ' if batched else ''}{size_name})"
            check_state(self._get_name(), name, state, expected, state_layout, input, batched)
        if sorted_indices is not None:
            states = [s.index_select(1, sorted_indices) for s in states]
        return list(zip(*((s if batched else s.unsqueeze(1)).unbind(0) for s in states)))

    def _run(self, input: Tensor | PackedSequence, states: Any,
             names: tuple[str, ...]) -> tuple[Tensor | PackedSequence, list[Tensor]]:
        """The output sequence (packed like a packed ``input``) and the final states (h_n, and c_n for an
        LSTM) for ``input`` and the initial states ``states`` (None for zeros), named ``names`` in messages."""
        packed = isinstance(input, PackedSequence)
        steps, reference, batched, time_dim = self._sequence(input)
        sorted_indices = input.sorted_indices if packed else None
        initial = self._initial_states(states, names, steps[0].shape[0], reference, batched, sorted_indices)
        step = CELLS[self.mode][1]
        directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            if layer > 0 and self.training and self.dropout > 0:
                steps = [F.dropout(s, self.dropout) for s in steps]
            outputs_by_direction = []
            for direction in range(directions):
                index = layer * directions + direction
                outputs, final = _run_direction(step, steps, initial[index], self._step_weights(index),
                                                reverse=bool(direction))
                outputs_by_direction.append(outputs)
                finals.append(final)
            steps = outputs_by_direction[0] if directions == 1 else [
                autograd.cat(pair, 1) for pair in zip(*outputs_by_direction)]
        final_states = [autograd.stack(parts) for parts in zip(*finals)]
        if packed:
            if input.unsorted_indices is not None:
                final_states = [s.index_select(1, input.unsorted_indices) for s in final_states]
            return PackedSequence(autograd.cat(steps, 0), input.batch_sizes, input.sorted_indices,
                                  input.unsorted_indices), final_states
        output = autograd.stack(steps, time_dim)
        if not batched:
            return output.squeeze(1), [s.squeeze(1) for s in final_states]
        return output, final_states


def _run_direction(step: Callable, steps: list[Tensor], initial: tuple[Tensor, ...],
                   weights: tuple[Tensor | None, ...], reverse: bool) -> tuple[list[Tensor], tuple[Tensor, ...]]:
    """Run the cell ``step`` over ``steps`` (step t (N_t, features), N_t non-increasing) from the states
    ``initial`` (each (N, size)), forwards or in ``reverse``; return the hidden state at every step and the final
    states (each (N, size)).

    Row i of step t belongs to sequence i, which lasts while N_t > i. Forwards, the rows of the sequences that have
    ended are set aside with their last states; in reverse, a sequence joins, with its initial state, at its own
    last step, so each direction runs over each sequence's own steps only.
    """
    lstm = len(initial) == 2
    outputs: list[Tensor] = []
    ended: list[tuple[Tensor, ...]] = []
    state = initial
    order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
    if reverse and steps[-1].shape[0] < initial[0].shape[0]:
        state = tuple(s[:steps[-1].shape[0]] for s in initial)
    for t in order:
        rows, active = steps[t].shape[0], state[0].shape[0]
        if rows < active:
            ended.append(tuple(s[rows:] for s in state))
            state = tuple(s[:rows] for s in state)
        elif rows > active:
            state = tuple(autograd.cat([s, s0[active:rows]], 0) for s, s0 in zip(state, initial))
        result = step(steps[t], state if lstm else state[0], *weights)
        state = result if lstm else (result,)
        outputs.append(state[0])
    if reverse:
        outputs.reverse()
    if ended:
        state = tuple(autograd.cat([s, *parts[::-1]], 0) for s, *parts in zip(state, *ended))
    return outputs, state


class RNN(RNNBase):
    """An Elman network: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) per layer, or relu with
    ``nonlinearity='relu'``.

    ``forward(input, hx=None)`` returns ``(output, h_n)``; shapes as in the module docstring. As in PyTorch,
    the repr does not show the nonlinearity.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r}; select from 'tanh' or 'relu'")
        super().__init__(f"RNN_{nonlinearity.upper()}", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor | PackedSequence,
                hx: Tensor | None = None) -> tuple[Tensor | PackedSequence, Tensor]:
        output, (h_n,) = self._run(input, None if hx is None else (hx,), ("hx",))
        return output, h_n


class LSTM(RNNBase):
    """A long short-term memory network (gates i, f, g, o per layer; with ``proj_size > 0`` the hidden state is
    projected to proj_size features by ``weight_hr_l{k}``).

    ``forward(input, hx=None)`` takes ``hx = (h_0, c_0)`` and returns ``(output, (h_n, c_n))``; shapes as in the
    module docstring.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)

    def forward(self, input: Tensor | PackedSequence,
                hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor | PackedSequence, tuple[Tensor, Tensor]]:
        if hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise TypeError(f"LSTM: expected hx to be a tuple (h_0, c_0) of two Tensors, got {type(hx).__name__}")
        output, (h_n, c_n) = self._run(input, hx, ("hx[0] (h_0)", "hx[1] (c_0)"))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """A gated recurrent unit network (gates r, z, n per layer, b_hn inside the reset product).

    ``forward(input, hx=None)`` returns ``(output, h_n)``; shapes as in the module docstring.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0,
                         device, dtype)

    def forward(self, input: Tensor | PackedSequence,
                hx: Tensor | None = None) -> tuple[Tensor | PackedSequence, Tensor]:
        output, (h_n,) = self._run(input, None if hx is None else (hx,), ("hx",))
        return output, h_n
