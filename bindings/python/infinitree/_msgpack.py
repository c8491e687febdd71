"""Values of typed fields as msgpack, written by the library's msgpack-cxx through the C ABI
(it_msgpack_encode / it_msgpack_decode convert JSON text), so Python stores exactly the
bytes C++ (infinitree/typed.hpp) and Go store, with no msgpack package of its own."""

from __future__ import annotations

import ctypes
import json
from typing import Any

from . import _lib
from ._status import check

_f = _lib.fn
_buf_free = _f["it_buf_free"]


def _take(buf: _lib.Buf) -> bytes:
    try:
        return bytes(buf.data[: buf.size]) if buf.size else b""
    finally:
        _buf_free(ctypes.byref(buf))


def pack(plain: Any) -> bytes:
    """msgpack of a JSON-able value (None, bool, int, float, str, lists, dicts of str keys).
    Raises ValueError for NaN or infinite floats (JSON and so the conversion has none)."""
    text = json.dumps(plain, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    buf = _lib.Buf()
    check(_f["it_msgpack_encode"](text, len(text), ctypes.byref(buf)))
    return _take(buf)


def unpack(raw: bytes) -> Any:
    """The JSON-able value of one msgpack value. InvalidArgument for bytes that are not one
    msgpack value or hold what JSON cannot express (bin, ext, NaN, non-string map keys)."""
    buf = _lib.Buf()
    check(_f["it_msgpack_decode"](raw, len(raw), ctypes.byref(buf)))
    return json.loads(_take(buf).decode("utf-8"))
