"""BatchNorm3d, Dropout3d / F.dropout3d and the 3-D lazy norms."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def test_batch_norm_3d_normalises_each_channel_over_batch_and_volume():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(2, 3, 2, 3, 4))
    bn = nn.BatchNorm3d(3).double()
    out = bn(autograd.tensor(x)).detach().numpy()
    mean = x.mean(axis=(0, 2, 3, 4), keepdims=True)
    var = x.var(axis=(0, 2, 3, 4), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-12, atol=1e-12)
    unbiased = x.var(axis=(0, 2, 3, 4), ddof=1)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * unbiased, rtol=1e-12)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * x.mean(axis=(0, 2, 3, 4)), rtol=1e-12)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


def test_batch_norm_3d_rejects_4d_input():
    with pytest.raises(ValueError, match=r"BatchNorm3d: expected 5D input \(got 4D input\)"):
        nn.BatchNorm3d(3)(autograd.zeros(2, 3, 4, 4))


def test_dropout3d_drops_whole_volumes_and_scales_the_rest():
    autograd.manual_seed(0)
    out = F.dropout3d(autograd.ones(8, 6, 2, 3, 2), 0.5, True).numpy()
    per_channel = out.reshape(8, 6, -1)
    assert np.all((per_channel == 0).all(axis=2) | (per_channel == 2).all(axis=2))
    assert 0 < (per_channel[:, :, 0] == 0).sum() < 48  # some channels dropped, some kept


def test_dropout3d_unbatched_input_drops_along_the_channel_dim():
    autograd.manual_seed(1)
    out = F.dropout3d(autograd.ones(16, 2, 2, 2), 0.5, True).numpy().reshape(16, -1)
    assert np.all((out == 0).all(axis=1) | (out == 2).all(axis=1))


def test_dropout3d_of_another_rank_warns_and_reads_it_as_unbatched():
    autograd.manual_seed(2)
    with pytest.warns(UserWarning, match="dropout3d: received a 3-D input"):
        out = F.dropout3d(autograd.ones(12, 3, 4), 0.5, True).numpy().reshape(12, -1)
    assert np.all((out == 0).all(axis=1) | (out == 2).all(axis=1))


def test_dropout3d_module_is_the_identity_in_eval_and_checks_p():
    layer = nn.Dropout3d(0.3)
    assert repr(layer) == "Dropout3d(p=0.3, inplace=False)"
    x = autograd.ones(2, 3, 2, 2, 2)
    layer.eval()
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout3d(x, 1.5)


@pytest.mark.parametrize(("lazy", "eager", "shape"), [(nn.LazyBatchNorm3d, nn.BatchNorm3d, (2, 4, 2, 2, 2)),
                                                      (nn.LazyInstanceNorm3d, nn.InstanceNorm3d, (2, 4, 2, 2, 2))])
def test_lazy_3d_norms_infer_their_channels(lazy, eager, shape):
    layer = lazy()
    layer(autograd.ones(*shape))
    assert type(layer) is eager and layer.num_features == 4 and layer.weight.shape == (4,)
