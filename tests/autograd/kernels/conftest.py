"""Fixtures shared by the kernel tests."""

import pytest

from autograd.kernels import _jit, conv


@pytest.fixture(params=[0, 2**62], ids=["parallel", "serial"])
def both_builds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test once with each build of every parallel kernel (normally the call size picks one)."""
    monkeypatch.setattr(_jit, "PARALLEL_MIN_ELEMENTS", request.param)


@pytest.fixture(params=["gemm", "direct"])
def both_algorithms(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test once with unfold + GEMM and once with direct convolution wherever the latter applies."""
    monkeypatch.setattr(conv, "ALGORITHM", request.param)
