"""Reference models of the classic MNIST tables: the 784-800-10 MLP and LeNet-5."""

from __future__ import annotations

import nn


def mlp(hidden: int = 800, num_classes: int = 10) -> nn.Sequential:
    """The 784-``hidden``-10 perceptron with ReLU (636,010 parameters for ``hidden=800``).

    Input (N, 1, 28, 28) or (N, 784); output logits (N, num_classes).
    """
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, hidden),
        nn.ReLU(),
        nn.Linear(hidden, num_classes),
    )


class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max pooling, as in the classic tables.

    conv 1->6 5x5 (padding 2) -> ReLU -> max-pool 2 -> conv 6->16 5x5 -> ReLU -> max-pool 2 ->
    400 -> 120 -> 84 -> 10. Input (N, 1, 28, 28); output logits (N, 10). 61,706 parameters.
    """

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):  # noqa: ANN001, ANN201  (Tensor in, Tensor out)
        return self.classifier(self.features(x))


MODELS = {"mlp": mlp, "lenet5": LeNet5}
