"""The optimizers' docstrings: shared parameter entries filled in, and every constructor argument documented."""

import inspect
import re

import pytest

import optim
from optim._docs import shared_parameter_docs

OPTIMIZERS = [getattr(optim, name) for name in optim.__all__ if name not in ("Optimizer", "lr_scheduler")]


def documented_parameters(doc: str) -> list[str]:
    """The names of the ``name : type`` entries of a NumPy-style Parameters section (``a, b : type`` gives two)."""
    section = doc.split("Parameters\n    ----------\n", 1)[1].split("\n\n", 1)[0]
    entries = re.findall(r"^    (\w[\w, ]*) : ", section, flags=re.MULTILINE)
    return [name.strip() for entry in entries for name in entry.split(",")]


def arguments(cls: type) -> list[str]:
    return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]


@pytest.mark.parametrize("cls", [cls for cls in OPTIMIZERS if cls is not optim.AdamW], ids=lambda cls: cls.__name__)
def test_every_constructor_argument_is_documented_in_order(cls):
    assert "{" not in cls.__doc__
    assert documented_parameters(cls.__doc__) == arguments(cls)


def test_adamw_refers_to_adams_parameters():
    assert "Same parameters as :class:`Adam`" in optim.AdamW.__doc__
    assert set(arguments(optim.AdamW)) <= set(documented_parameters(optim.Adam.__doc__))


def test_shared_parameter_docs_fills_placeholder_lines_with_their_indentation():
    @shared_parameter_docs
    class Documented:
        """Title with {braces} left alone.

        Parameters
        ----------
        {params, lr}
        rate : float
            Own entry.
        """

    assert Documented.__doc__ == (
        "Title with {braces} left alone.\n\n        Parameters\n        ----------\n"
        "        params : iterable of Tensor or of dict\n            Tensors to optimize, or parameter groups.\n"
        "        lr : float\n            Learning rate γ.\n"
        "        rate : float\n            Own entry.\n        "
    )
