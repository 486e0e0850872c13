"""Loss modules: hold the options (and the class weights as buffers) and call ``nn.functional``.

``weight`` and ``pos_weight`` are registered as buffers, as in PyTorch, so they appear in ``state_dict`` when
given. The deprecated ``size_average``/``reduce`` arguments are accepted and folded into ``reduction``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd import Tensor
from nn import _losses, _losses_ctc, _losses_likelihood, _losses_margin
from nn.distance import PairwiseDistance
from nn.module import Module


class _Loss(Module):
    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = _losses._reduction(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error: (x - y)**2, reduced."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: |x - y|, reduced."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """0.5 * d**2 / beta for d = |x - y| < beta, else d - 0.5 * beta."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """0.5 * d**2 for d = |x - y| < delta, else delta * (d - 0.5 * delta)."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Binary cross entropy of probabilities: -w * (y * log(x) + (1 - y) * log(1 - x)), logs clamped at -100."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(Module):
    """Sigmoid followed by binary cross entropy, in one numerically stable expression; ``pos_weight`` (C,)
    weights the positive term of each class."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", pos_weight: Tensor | None = None) -> None:
        super().__init__()
        self.reduction = _losses._reduction(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence y * (log(y) - x) of log-probabilities x from y (y = log q with
    ``log_target``); ``reduction='batchmean'`` gives the divergence per sample."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class NLLLoss(_WeightedLoss):
    """Negative log likelihood of log-probabilities (N, C, *) at class targets (N, *)."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """log_softmax over the class dim followed by ``NLLLoss`` (class indices) or the cross entropy with class
    probabilities; see ``nn.functional.cross_entropy``."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                                     reduction=self.reduction, label_smoothing=self.label_smoothing)


class MarginRankingLoss(_Loss):
    """max(0, -y * (x1 - x2) + margin) for targets y = 1 (x1 should rank higher) or -1."""

    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.margin_ranking_loss(input1, input2, target, margin=self.margin,
                                                  reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1 (x typically a distance between embeddings)."""

    def __init__(self, margin: float = 1.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y * x)) for targets y = 1 or -1, averaged over every element."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Per sample, the mean over classes of the binary cross entropy of logits (N, C) against 0/1 targets;
    ``weight`` (C,) weights the classes."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss of scores (N, C) at class targets (N,): the mean over classes i != y of
    w[y] * max(0, margin - x[y] + x[i])**p, with p = 1 or 2."""

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 are supported, got p={p}")
        if weight is not None and weight.ndim != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or a 1-D tensor, got shape "
                             f"{list(weight.shape)}")
        self.p = p
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                                reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1; inputs (N, D), target (N,)."""

    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.cosine_embedding_loss(input1, input2, target, margin=self.margin,
                                                    reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) with the p-norm distance d; inputs (N, D) or (D,)."""

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return _losses_margin.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                                  eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) with any distance d; without ``distance_function`` d is a
    ``PairwiseDistance()`` child module, as in PyTorch. Keyword-only options."""

    def __init__(self, *, distance_function: Callable[[Tensor, Tensor], Tensor] | None = None, margin: float = 1.0,
                 swap: bool = False, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             "instead")
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin = margin
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return _losses_margin.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function, margin=self.margin, swap=self.swap,
            reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """Multi-label hinge loss of scores (N, C) at int64 targets (N, C) listing each sample's classes, ended by
    -1: the sum over listed j and unlisted i of max(0, 1 - (x[y[j]] - x[i])), divided by C."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return _losses_margin.multilabel_margin_loss(input, target, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    """Poisson negative log likelihood r - y * log(r) of counts y at rate r (``log_input``: the input is
    log r); ``full`` adds Stirling's approximation of log(y!)."""

    def __init__(self, log_input: bool = True, full: bool = False, size_average: bool | None = None,
                 eps: float = 1e-8, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return _losses_likelihood.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                                   eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log likelihood (log(var) + (input - target)**2 / var) / 2 of a predicted mean and
    variance; keyword-only options, as in PyTorch."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full = full
        self.eps = eps

    def forward(self, input: Tensor, target: Tensor, var: Tensor | float) -> Tensor:
        return _losses_likelihood.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                                    reduction=self.reduction)


class CTCLoss(_Loss):
    """Connectionist temporal classification loss: per sample, -log of the summed probability of all the
    alignments of the target with the input (see ``nn.functional.ctc_loss``); 'mean' divides each loss by its
    target length before averaging over the batch."""

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths: Tensor | Sequence[int],
                target_lengths: Tensor | Sequence[int]) -> Tensor:
        return _losses_ctc.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=self.blank,
                                    reduction=self.reduction, zero_infinity=self.zero_infinity)
