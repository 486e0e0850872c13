"""Training smoke tests: the PyTorch-style loop learns, in a few seconds."""

from __future__ import annotations

import numpy as np

import autograd
import data
import nn
import nn.functional as F
import optim


def test_small_mlp_learns_two_moons() -> None:
    autograd.manual_seed(0)
    X, y = data.synthetic.make_moons(600, noise=0.1, seed=0)
    loader = data.DataLoader(data.TensorDataset(X, y.astype(np.int64)), batch_size=32, shuffle=True,
                             generator=autograd.Generator().manual_seed(0))
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    for _ in range(30):
        model.train()
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    with autograd.no_grad():
        predicted = model(autograd.tensor(X)).argmax(dim=1).numpy()
    assert (predicted == y).mean() > 0.97


def test_lenet5_takes_a_few_steps_on_real_mnist_and_the_loss_falls() -> None:
    from stepgrad.models import LeNet5
    from stepgrad.train import mnist_arrays

    autograd.manual_seed(0)
    images, labels = mnist_arrays(train=True)
    model = LeNet5()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for step in range(30):
        xb = autograd.from_numpy(images[step * 32:(step + 1) * 32])
        yb = autograd.from_numpy(labels[step * 32:(step + 1) * 32])
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.7 * np.mean(losses[:5])


def test_training_command_runs_end_to_end(tmp_path, capsys) -> None:  # noqa: ANN001
    from stepgrad.train import main

    path = tmp_path / "mlp.safetensors"
    error = main(["--model", "mlp", "--epochs", "1", "--limit", "2000", "--no-progress", "--save", str(path)])
    out = capsys.readouterr().out
    assert "epoch  1: loss" in out and "test error:" in out
    assert error < 0.25  # 2,000 images, one epoch: far better than chance (0.9)
    restored = autograd.load(str(path))
    assert set(restored) == {"1.weight", "1.bias", "3.weight", "3.bias"}
