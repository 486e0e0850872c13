"""``RemovableHandle``: what registering a module hook returns."""

from __future__ import annotations

import itertools

_hook_ids = itertools.count()


class RemovableHandle:
    """Returned by ``register_forward_hook``/``register_forward_pre_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: dict) -> None:
        self.hooks = hooks
        self.id = next(_hook_ids)

    def remove(self) -> None:
        self.hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()
