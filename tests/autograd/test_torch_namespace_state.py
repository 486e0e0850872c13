"""torch.* names on autograd that sample or keep process-wide state: normal, multinomial, the RNG state, print
options and thread counts. Expected values are worked out by hand or with plain numpy."""

import numpy as np
import pytest

import autograd


@pytest.fixture
def default_printoptions():
    yield
    autograd.set_printoptions(profile="default")


# -- normal ------------------------------------------------------------------------------------------------------
def test_normal_overloads_shapes_and_dtypes():
    both = autograd.normal(autograd.zeros(3), autograd.ones(2, 1))
    assert both.shape == (2, 3) and both.dtype == np.float32
    assert autograd.normal(autograd.zeros(3, dtype=autograd.float64), autograd.ones(3)).dtype == np.float64
    assert autograd.normal(autograd.zeros(2, 3)).shape == (2, 3)
    std_tensor = autograd.normal(1.0, autograd.ones(2, 2, dtype=autograd.float64))
    assert std_tensor.shape == (2, 2) and std_tensor.dtype == np.float64
    sized = autograd.normal(0.0, 1.0, (2, 3))
    assert sized.shape == (2, 3) and sized.dtype == np.float32
    assert autograd.normal(0, 1, size=(4,), dtype=autograd.float64).dtype == np.float64
    assert autograd.normal(0.0, 1.0, (2,), requires_grad=True).requires_grad
    assert autograd.normal(autograd.zeros(0), autograd.ones(0)).shape == (0,)
    np.testing.assert_array_equal(autograd.normal(autograd.tensor([1.0, -2.0]), 0.0).numpy(), [1.0, -2.0])


def test_normal_moments_and_generator():
    autograd.manual_seed(0)
    draws = autograd.normal(autograd.full((200_000,), 2.0), autograd.full((200_000,), 3.0)).numpy()
    assert abs(draws.mean() - 2.0) < 0.03 and abs(draws.std() - 3.0) < 0.03
    g = autograd.Generator().manual_seed(7)
    first = autograd.normal(0.0, 1.0, (5,), generator=g)
    g.manual_seed(7)
    assert autograd.equal(first, autograd.normal(0.0, 1.0, (5,), generator=g))


def test_normal_errors():
    with pytest.raises(RuntimeError, match="std >= 0"):
        autograd.normal(autograd.zeros(3), -autograd.ones(3))
    with pytest.raises(RuntimeError, match="std >= 0"):
        autograd.normal(autograd.zeros(2), float("nan"))
    with pytest.raises(RuntimeError, match="std >= 0"):
        autograd.normal(0.0, -1.0, (2,))
    with pytest.raises(RuntimeError):
        autograd.normal(autograd.zeros(3), autograd.ones(4))
    with pytest.raises(NotImplementedError):
        autograd.normal(autograd.zeros(3, dtype=autograd.int64), 1.0)
    with pytest.raises(TypeError):
        autograd.normal(0.0, 1.0)
    with pytest.raises(TypeError):
        autograd.normal(std=autograd.ones(2))


# -- multinomial -------------------------------------------------------------------------------------------------
def test_multinomial_without_replacement():
    probs = autograd.tensor([0.0, 1.0, 2.0, 0.0])
    for _ in range(20):
        draw = autograd.multinomial(probs, 2)
        assert draw.dtype == np.int64 and sorted(draw.tolist()) == [1, 2]
    every = autograd.multinomial(probs, 4).tolist()
    assert sorted(every) == [0, 1, 2, 3] and sorted(every[:2]) == [1, 2]  # zero weights come last
    rows = autograd.ones(3, 5).multinomial(5)
    assert rows.shape == (3, 5) and all(sorted(r) == list(range(5)) for r in rows.tolist())


def test_multinomial_frequencies():
    autograd.manual_seed(1)
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.0])
    counts = np.bincount(autograd.multinomial(autograd.tensor(p), 100_000, replacement=True).numpy(), minlength=5)
    np.testing.assert_allclose(counts / 100_000, p, atol=0.01)
    firsts = np.array([autograd.multinomial(autograd.tensor(p), 1).item() for _ in range(4000)])
    np.testing.assert_allclose(np.bincount(firsts, minlength=5) / 4000, p, atol=0.03)
    assert autograd.multinomial(autograd.ones(0, 3), 1).shape == (0, 1)


@pytest.mark.parametrize(("probs", "n", "kwargs", "error"), [
    ([1.0, 2.0], 3, {}, RuntimeError),              # more draws than categories without replacement
    ([1.0, 2.0], 0, {}, RuntimeError),
    ([-1.0, 2.0], 1, {}, RuntimeError),
    ([float("nan"), 1.0], 1, {}, RuntimeError),
    ([float("inf"), 1.0], 1, {}, RuntimeError),
    ([0.0, 0.0], 1, {"replacement": True}, RuntimeError),
    ([[[1.0]]], 1, {}, RuntimeError),
    ([1.0, 1.0], 2.0, {}, TypeError),
])
def test_multinomial_errors(probs, n, kwargs, error):
    with pytest.raises(error):
        autograd.multinomial(autograd.tensor(probs), n, **kwargs)
    with pytest.raises(RuntimeError, match="floating"):
        autograd.multinomial(autograd.tensor([1, 2]), 1)


# -- RNG state ---------------------------------------------------------------------------------------------------
def test_rng_state_round_trip():
    autograd.manual_seed(3)
    state = autograd.get_rng_state()
    assert state.dtype == np.uint8 and state.shape == (40,)
    first = autograd.rand(4)
    autograd.set_rng_state(state)
    assert autograd.equal(first, autograd.rand(4))
    seeded = np.random.default_rng(3).bit_generator.state["state"]
    assert int.from_bytes(state.numpy()[:16].tobytes(), "little") == seeded["state"]
    assert int.from_bytes(state.numpy()[16:32].tobytes(), "little") == seeded["inc"]


def test_set_rng_state_errors():
    with pytest.raises(TypeError):
        autograd.set_rng_state(autograd.zeros(40))
    with pytest.raises(TypeError):
        autograd.set_rng_state([1, 2])
    with pytest.raises(RuntimeError, match="40 bytes"):
        autograd.set_rng_state(autograd.zeros(7, dtype=autograd.uint8))


# -- print options -----------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("default_printoptions")
def test_default_layout():
    assert repr(autograd.tensor([1.0, 10.0, 100.0])) == "tensor([  1.,  10., 100.])"
    assert repr(autograd.tensor([1.0, 10000.0])) == "tensor([1.0000e+00, 1.0000e+04])"
    assert repr(autograd.tensor([0.1, float("nan")])) == "tensor([0.1000,    nan])"
    assert repr(autograd.tensor([], dtype=autograd.int64)) == "tensor([], dtype=autograd.int64)"
    assert repr(autograd.arange(1200).reshape(40, 30)).splitlines()[3] == "        ...,"


@pytest.mark.usefixtures("default_printoptions")
def test_precision_threshold_edgeitems():
    autograd.set_printoptions(precision=2)
    assert repr(autograd.tensor([1.12345, 2.0])) == "tensor([1.12, 2.00])"
    autograd.set_printoptions(threshold=5)
    assert repr(autograd.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    autograd.set_printoptions(threshold=5, edgeitems=1)
    expected = "tensor([[ 0.,  ...,  3.],\n        ...,\n        [ 8.,  ..., 11.]])"
    assert repr(autograd.arange(12.0).reshape(3, 4)) == expected
    autograd.set_printoptions(edgeitems=0)
    assert repr(autograd.arange(10)) == "tensor([...], size=(10,))"
    autograd.set_printoptions(profile="default")
    assert repr(autograd.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


@pytest.mark.usefixtures("default_printoptions")
def test_linewidth_profiles_and_sci_mode():
    autograd.set_printoptions(linewidth=30)
    assert repr(autograd.arange(4.0) * 1.5) == "tensor([0.0000, 1.5000,\n        3.0000, 4.5000])"
    autograd.set_printoptions(profile="short")
    assert repr(autograd.arange(2000.0) * 1.5) == "tensor([0.00e+00, 1.50e+00,  ..., 3.00e+03, 3.00e+03])"
    autograd.set_printoptions(profile="full")
    assert "..." not in repr(autograd.arange(2000))
    autograd.set_printoptions(profile="default", sci_mode=True)
    assert repr(autograd.tensor([1.5, -2.0])) == "tensor([ 1.5000e+00, -2.0000e+00])"
    autograd.set_printoptions(sci_mode=False)
    assert repr(autograd.tensor([1e-5, 2.0])) == "tensor([0.0000, 2.0000])"
    autograd.set_printoptions(precision=1)
    assert repr(autograd.tensor([0.25])) == "tensor([0.2])"
    autograd.set_printoptions(profile="bogus")  # an unknown profile is ignored, as in PyTorch
    assert repr(autograd.tensor([0.25])) == "tensor([0.2])"


@pytest.mark.usefixtures("default_printoptions")
def test_suffix_wraps_at_the_line_width():
    text = repr(autograd.tensor([-42219.0412, 21364.2997, 21732.1931, 211783.8755], dtype=autograd.float64))
    assert text == ("tensor([-42219.0412,  21364.2997,  21732.1931, 211783.8755],\n"
                    "       dtype=autograd.float64)")


# -- threads -----------------------------------------------------------------------------------------------------
def test_num_threads():
    from autograd.kernels import _jit

    before = autograd.get_num_threads()
    assert before >= 1
    try:
        autograd.set_num_threads(3)
        assert autograd.get_num_threads() == 3
        autograd.set_num_threads(1)  # numba's parallel loops then run on one thread
        assert _jit.thread_count() == 1
        for bad in (0, -1, 2.0, True):
            with pytest.raises(RuntimeError):
                autograd.set_num_threads(bad)
    finally:
        autograd.set_num_threads(before)
