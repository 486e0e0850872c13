"""``ChannelShuffle``: interleave the channels of ``groups`` groups (ShuffleNet)."""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class ChannelShuffle(Module):
    """(N, C, *) → (N, C, *): output channel j * groups + g is input channel g * (C / groups) + j."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
