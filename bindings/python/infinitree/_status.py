"""Turning a C status into a Python result or exception (errors.py holds the classes)."""

from __future__ import annotations

from typing import NoReturn, Type

from . import _constants as C
from . import _lib
from .errors import BY_CODE, Closed, Error

_error_message = _lib.fn["it_error_message"]


def error_for(code: int, cls: "Type[Error] | None" = None) -> Error:
    """The exception for a negative status, with this thread's last error message.
    ``cls`` overrides the class chosen for IT_ENOTFOUND (KeyNotFound, IndexOutOfRange)."""
    raw = _error_message()
    message = raw.decode("utf-8", "replace") if raw else ""
    if cls is None or code != C.IT_ENOTFOUND:
        cls = BY_CODE.get(code, Error)
    return cls(code, message)


def check(rc: int) -> int:
    """Returns ``rc`` if it is not negative (IT_OK, or IT_DONE from a cursor move), else
    raises the matching exception."""
    if rc < 0:
        raise error_for(rc)
    return rc


def raise_closed(what: str) -> NoReturn:
    raise Closed(C.IT_ECLOSED, f"the {what} is closed")


__all__ = ["error_for", "check", "raise_closed"]
