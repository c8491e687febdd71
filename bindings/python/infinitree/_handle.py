"""The base of every object that owns a C handle.

Ownership rules (mirroring the C ABI):
- ``close()`` releases the C object at once; later use raises ``Closed`` (checked on the
  Python side, so a released pointer never reaches C).
- ``__del__`` calls ``close()`` as a safety net, and every handle is a context manager.
- Do not ``close()`` a handle while another thread is inside a call on that same handle (the
  C ABI forbids freeing a handle in use). Closing the *tree* while other threads use its maps
  is fine: the tree is closed with ``it_tree_close`` and its handle is only freed when the
  Python object dies, and the maps then answer ``Closed``.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Optional, TypeVar

from ._constants import IT_EINTERNAL
from ._status import check, raise_closed
from .errors import InternalError

T = TypeVar("T", bound="Handle")


def new_handle(factory: Callable[..., int], *args: Any) -> int:
    """Calls ``factory(*args, &out)`` and returns the handle it produced."""
    out = ctypes.c_void_p()
    check(factory(*args, ctypes.byref(out)))
    if not out.value:
        raise InternalError(IT_EINTERNAL, "the library returned a NULL handle")
    return out.value


class Handle:
    """Owns one C handle, released with ``_free``."""

    _kind = "handle"

    def __init__(self, ptr: int, free: Callable[[int], None]) -> None:
        self._ptr: Optional[int] = ptr
        self._free: Optional[Callable[[int], None]] = free

    def _h(self) -> int:
        """The live pointer, or Closed."""
        p = self._ptr
        if p is None:
            raise_closed(self._kind)
        return p

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        p, self._ptr = self._ptr, None
        free, self._free = self._free, None
        if p is not None and free is not None:
            free(p)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer (interpreter shutdown)
            pass

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
