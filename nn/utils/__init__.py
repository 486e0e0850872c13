"""``nn.utils``: gradient clipping, flattening parameters into one vector, and padding and packing sequences
(``rnn``)."""

from nn.utils import rnn
from nn.utils.clip_grad import clip_grad_norm_, clip_grad_value_
from nn.utils.convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["rnn", "clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]
