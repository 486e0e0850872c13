"""state_dict / load_state_dict semantics and messages, and checkpoints through autograd.save / autograd.load."""

from __future__ import annotations

import os
from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 3))


def test_state_dict_values_are_detached_and_share_memory():
    model = mlp()
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    w = sd["0.weight"]
    assert type(w) is autograd.Tensor and not w.requires_grad
    w.numpy()[0, 0] = 123.0
    assert model[0].weight[0, 0].item() == 123.0
    assert model.state_dict(keep_vars=True)["0.weight"] is model[0].weight
    assert sd["1.num_batches_tracked"].dtype == autograd.int64


def test_load_state_dict_copies_in_place_and_keeps_identity():
    source, target = mlp(), mlp()
    weight = target[0].weight
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert target[0].weight is weight and weight.requires_grad
    np.testing.assert_array_equal(weight.detach().numpy(), source[0].weight.detach().numpy())
    source[0].weight.detach().numpy()[:] = 0  # no memory shared with the source
    assert np.any(weight.detach().numpy() != 0)


def test_strict_loading_lists_missing_and_unexpected_keys():
    model = mlp()
    sd = model.state_dict()
    del sd["0.bias"]
    sd["extra.x"] = autograd.zeros(1)
    sd["4.unknown"] = autograd.zeros(1)
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(sd)
    # PyTorch 2.13's text for the same situation.
    assert str(info.value) == (
        "Error(s) in loading state_dict for Sequential:\n"
        '\tMissing key(s) in state_dict: "0.bias". \n'
        '\tUnexpected key(s) in state_dict: "extra.x", "4.unknown". '
    )
    result = model.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["0.bias"]
    assert result.unexpected_keys == ["extra.x", "4.unknown"]
    missing, unexpected = result  # a named tuple, as in PyTorch
    assert missing == ["0.bias"]


def test_shape_mismatch_is_an_error_even_when_not_strict():
    model = mlp()
    sd = model.state_dict()
    sd["0.weight"] = autograd.zeros(5, 4)
    sd["1.running_mean"] = autograd.zeros(3)
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(sd, strict=False)
    assert str(info.value) == (
        "Error(s) in loading state_dict for Sequential:\n"
        "\tsize mismatch for 0.weight: copying a param with shape [5, 4] from checkpoint, the shape in current "
        "model is [8, 4].\n"
        "\tsize mismatch for 1.running_mean: copying a param with shape [3] from checkpoint, the shape in current "
        "model is [8]."
    )


def test_non_persistent_buffers_are_not_saved_or_expected():
    m = nn.Module()
    m.register_buffer("kept", autograd.ones(2))
    m.register_buffer("scratch", autograd.ones(2), persistent=False)
    assert list(m.state_dict()) == ["kept"]
    assert m.load_state_dict({"kept": autograd.zeros(2)}).missing_keys == []


def test_assign_replaces_tensors():
    model = nn.Linear(2, 2)
    new = autograd.ones(2, 2)
    model.load_state_dict({"weight": new, "bias": autograd.zeros(2)}, assign=True)
    assert isinstance(model.weight, nn.Parameter) and model.weight.requires_grad
    new.numpy()[0, 0] = 5.0
    assert model.weight[0, 0].item() == 5.0


def test_checkpoint_round_trip_gives_identical_outputs(tmp_path):
    autograd.manual_seed(0)
    model = mlp()
    model.train()
    model(autograd.randn(16, 4))  # move the running statistics away from their initial values
    model.eval()
    path = tmp_path / "model.safetensors"
    autograd.save(model.state_dict(), path)
    fresh = mlp().eval()
    fresh.load_state_dict(autograd.load(path))
    x = autograd.randn(5, 4)
    np.testing.assert_array_equal(fresh(x).detach().numpy(), model(x).detach().numpy())
    loaded = autograd.load(str(path))
    assert list(loaded) == list(model.state_dict())  # order kept
    assert loaded["1.num_batches_tracked"].dtype == autograd.int64
    assert loaded["1.num_batches_tracked"].item() == 1


def test_flat_dict_is_a_plain_safetensors_file(tmp_path):
    from safetensors.numpy import load_file

    path = tmp_path / "w.safetensors"
    autograd.save({"a.weight": autograd.arange(6.0).reshape(2, 3), "b": autograd.tensor(3)}, path)
    arrays = load_file(str(path))
    np.testing.assert_array_equal(arrays["a.weight"], np.arange(6.0).reshape(2, 3))
    assert arrays["b"].shape == () and arrays["b"].dtype == np.int64


def test_nested_optimizer_like_state_round_trips_exactly(tmp_path):
    state = {
        "state": {0: {"step": autograd.tensor(3.0), "exp_avg": autograd.ones(2, 2)}, 1: {"step": 7}},
        "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1], "amsgrad": False, "foreach": None,
                          "name": "body", "eps": float("inf")}],
    }
    path = tmp_path / "opt.safetensors"
    autograd.save(state, path)
    loaded = autograd.load(path)
    assert set(loaded["state"]) == {0, 1}  # int keys stay ints
    assert loaded["state"][1] == {"step": 7}
    np.testing.assert_array_equal(loaded["state"][0]["exp_avg"].numpy(), np.ones((2, 2)))
    assert loaded["state"][0]["step"].item() == 3.0
    assert loaded["param_groups"] == [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1], "amsgrad": False,
                                       "foreach": None, "name": "body", "eps": float("inf")}]
    assert isinstance(loaded["param_groups"][0]["betas"], tuple)
    from safetensors.numpy import load_file

    assert set(load_file(str(path))) == {"state.0.step", "state.0.exp_avg"}


def test_save_rejects_unsupported_objects(tmp_path):
    with pytest.raises(TypeError, match="cannot store an object of type object"):
        autograd.save({"x": object()}, tmp_path / "bad.safetensors")
    assert not os.path.exists(tmp_path / "bad.safetensors")


def test_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.safetensors"
    autograd.save({"w": autograd.ones(3)}, path)
    before = path.read_bytes()

    real_fsync = os.fsync

    def crash(fd):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="simulated"):
        autograd.save({"w": autograd.zeros(1000)}, path)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]  # the temporary file was removed
    np.testing.assert_array_equal(autograd.load(path)["w"].numpy(), np.ones(3))


def test_corrupt_or_truncated_file_names_the_file(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    autograd.save({"w": autograd.ones(100)}, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(RuntimeError, match="ckpt.safetensors.*truncated or corrupt"):
        autograd.load(path)
    path.write_bytes(b"not a checkpoint at all")
    with pytest.raises(RuntimeError, match="ckpt.safetensors"):
        autograd.load(path)
    with pytest.raises(FileNotFoundError, match="missing.safetensors"):
        autograd.load(tmp_path / "missing.safetensors")
