"""Fixtures shared by the kernel tests."""

import pytest

from autograd.kernels import _jit, algorithm


@pytest.fixture(params=[0, 2**62], ids=["parallel", "serial"])
def both_builds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test once with each build of every parallel kernel (normally the call size picks one)."""
    monkeypatch.setattr(_jit, "PARALLEL_MIN_ELEMENTS", request.param)


@pytest.fixture(params=["gemm", "direct", "batch", "channels_last"])
def every_algorithm(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test with unfold + GEMM, direct convolution on phase planes, the batch-last layout and channels-last
    unfold + GEMM (the latter three wherever they apply)."""
    monkeypatch.setattr(algorithm, "ALGORITHM", request.param)
