"""Calls whose result comes back through a trailing out-parameter, as every C call that
returns something does (rules 2, 3, 6 and 7 of include/infinitree.h): each helper makes the
out-parameter, checks the status and returns the Python value."""

from __future__ import annotations

import ctypes
from ctypes import byref
from typing import Any

from . import _lib
from ._status import check

_buf_free = _lib.fn["it_buf_free"]


def yes(fn: Any, *args: Any) -> bool:
    """A predicate, or a change that reports whether it happened (`int* out`)."""
    out = ctypes.c_int()
    check(fn(*args, byref(out)))
    return out.value == 1


def u64(fn: Any, *args: Any) -> int:
    """A count or number (`uint64_t* out`)."""
    out = ctypes.c_uint64()
    check(fn(*args, byref(out)))
    return out.value


def i64(fn: Any, *args: Any) -> int:
    out = ctypes.c_int64()
    check(fn(*args, byref(out)))
    return out.value


def kind(fn: Any, *args: Any) -> int:
    """An enum value (it_field_type*, it_key_type*)."""
    out = ctypes.c_int()
    check(fn(*args, byref(out)))
    return out.value


def buf(fn: Any, *args: Any) -> bytes:
    """Bytes returned in an it_buf, copied and released."""
    b = _lib.Buf()
    check(fn(*args, byref(b)))
    try:
        data: bytes = b.data[: b.size]
        return data
    finally:
        _buf_free(byref(b))


def text(fn: Any, *args: Any) -> str:
    return buf(fn, *args).decode("utf-8", "replace")
