"""Order-preserving keys, through the C ABI's it_key_* functions (one implementation for
C, Python and Go, so every language builds byte-identical keys; see docs/format.md,
"Key encoding").

Encoded keys compare bytewise in the order of the values they encode: ``None`` < bytes <
str < int < float < bool < datetime < ``Desc(...)`` across types; ints by value (negative before positive, the full
int64 and uint64 ranges), str and bytes bytewise, tuples component by component (a tuple
sorts right after its prefixes). A timezone-aware ``datetime`` is a time component
(microseconds since the epoch, UTC; naive datetimes are refused). ``Desc(v)`` wraps one
component so that it sorts in reverse: ``("log", Desc(when))`` lists the newest first.

Key modes of maps and sets (the ``keys=`` argument of ``Tree.map``/``Tree.set``):

``"auto"`` (default)
    bytes-like keys are stored as they are and str keys as their UTF-8 bytes: the bytes the
    CLI (``infinitree put fern``), C and Go write for a text key, so ``m["fern"]`` finds
    what they wrote and they find what Python wrote. int, float, bool, None and tuples are
    encoded. When iterating, a stored key that is the exact encoding of such a value comes
    back as that value, anything else comes back as bytes (``keys="str"`` yields str).
    ``map[k]`` works for every ``k`` iteration yields. A raw key that happens to be a valid
    encoding comes back decoded: use ``"bytes"``, ``"str"`` or ``"typed"`` if your raw keys
    could look like encodings.
``"str"``
    text keys: str stored as UTF-8 (bytes-like stored raw); iteration yields str (bytes
    that are not UTF-8 decode with ``surrogateescape`` and encode back to the same bytes).
``"bytes"``
    keys must be bytes-like; stored and returned raw.
``"typed"``
    every key is encoded, bytes included (as a bytes component), and every stored key must
    decode; keys of mixed types round-trip exactly.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import threading
from dataclasses import dataclass
from typing import Any, Generic, Literal, Tuple, TypeVar, Union

from . import _constants as C
from . import _lib
from ._status import check
from .errors import InvalidArgument

KeyMode = Literal["auto", "str", "bytes", "typed"]
KEY_MODES = ("auto", "str", "bytes", "typed")

Scalar = Union[None, bytes, str, int, float, bool]
Key = Union[Scalar, bytearray, memoryview, Tuple[Any, ...]]

_f = _lib.fn
_builder_new = _f["it_key_builder_new"]
_builder_free = _f["it_key_builder_free"]
_builder_clear = _f["it_key_builder_clear"]
_builder_finish = _f["it_key_builder_finish"]
_add_int = _f["it_key_builder_add_int"]
_add_uint = _f["it_key_builder_add_uint"]
_add_double = _f["it_key_builder_add_double"]
_add_str = _f["it_key_builder_add_str"]
_add_bytes = _f["it_key_builder_add_bytes"]
_add_bool = _f["it_key_builder_add_bool"]
_add_null = _f["it_key_builder_add_null"]
_decode = _f["it_key_decode"]
_parts_count = _f["it_key_parts_count"]
_parts_type = _f["it_key_parts_type"]
_parts_int = _f["it_key_parts_int"]
_parts_uint = _f["it_key_parts_uint"]
_parts_double = _f["it_key_parts_double"]
_parts_bool = _f["it_key_parts_bool"]
_parts_bytes = _f["it_key_parts_bytes"]
_parts_free = _f["it_key_parts_free"]
_add_time = _f["it_key_builder_add_time"]
_set_descending = _f["it_key_builder_set_descending"]
_parts_time = _f["it_key_parts_time"]
_parts_is_descending = _f["it_key_parts_is_descending"]
_buf_free = _f["it_buf_free"]

_INT64_MIN = -(1 << 63)
_UINT64_MAX = (1 << 64) - 1
_BYTESLIKE = (bytes, bytearray, memoryview)

# it_key_type
_NULL, _BYTES, _STR, _INT, _UINT, _DOUBLE, _BOOL, _TIME = (
    C.IT_KEY_NULL, C.IT_KEY_BYTES, C.IT_KEY_STR, C.IT_KEY_INT, C.IT_KEY_UINT,
    C.IT_KEY_DOUBLE, C.IT_KEY_BOOL, C.IT_KEY_TIME,
)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


_T = TypeVar("_T")


@dataclass(frozen=True)
class Desc(Generic[_T]):
    """A key component that sorts in descending order (one scalar or datetime, not a
    tuple). Decoding gives ``Desc`` back, so keys round-trip. ``Desc[datetime]`` names the
    type in a schema (``infinitree.schema``)."""

    value: _T


def _micros(t: _dt.datetime) -> int:
    if t.tzinfo is None:
        raise TypeError("a datetime key component must be timezone-aware (naive times are ambiguous)")
    delta = t - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


class _Builder:
    """One it_key_builder per thread (a builder is single-threaded in the C ABI)."""

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        check(_builder_new(ctypes.byref(out)))
        if not out.value:
            raise InvalidArgument(-1, "it_key_builder_new returned NULL")
        self.ptr: int = out.value
        self.buf = _lib.Buf()

    def __del__(self) -> None:
        try:
            _builder_free(self.ptr)
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


_local = threading.local()


def _builder() -> _Builder:
    b = getattr(_local, "b", None)
    if b is None:
        b = _local.b = _Builder()
    return b


def _add(b: int, part: Any) -> None:
    if isinstance(part, Desc):
        if isinstance(part.value, (Desc, tuple)):
            raise TypeError("Desc wraps one scalar key component")
        check(_set_descending(b, 1))
        try:
            _add(b, part.value)
        finally:
            check(_set_descending(b, 0))
        return
    if isinstance(part, _dt.datetime):
        check(_add_time(b, _micros(part)))
        return
    # bool before int: bool is an int subclass but has its own type in the encoding.
    if isinstance(part, bool):
        rc = _add_bool(b, 1 if part else 0)
    elif isinstance(part, int):
        if part < 0:
            if part < _INT64_MIN:
                raise OverflowError(f"key integer {part} is below the int64 range")
            rc = _add_int(b, part)
        else:
            if part > _UINT64_MAX:
                raise OverflowError(f"key integer {part} is above the uint64 range")
            rc = _add_uint(b, part)
    elif isinstance(part, str):
        data = part.encode("utf-8", "surrogateescape")
        rc = _add_str(b, data, len(data))
    elif isinstance(part, _BYTESLIKE):
        data = bytes(part)
        rc = _add_bytes(b, data, len(data))
    elif isinstance(part, float):
        rc = _add_double(b, part)
    elif part is None:
        rc = _add_null(b)
    else:
        raise TypeError(
            "a key component must be None, bytes, str, int, float, bool, datetime or Desc, "
            f"not {type(part).__name__}"
        )
    check(rc)


def encode_typed(key: Any) -> bytes:
    """The order-preserving encoding of a scalar or a flat tuple of scalars."""
    bld = _builder()
    b = bld.ptr
    try:
        if isinstance(key, tuple):
            for part in key:
                if isinstance(part, tuple):
                    raise TypeError("nested tuples are not supported in keys")
                _add(b, part)
        else:
            _add(b, key)
        buf = bld.buf
        check(_builder_finish(b, buf))
    except BaseException:
        _builder_clear(b)
        raise
    data: bytes = buf.data[: buf.size]
    _buf_free(buf)
    return data


def encode(key: Any, mode: str = "auto") -> bytes:
    """The stored bytes of ``key`` in a map or set with key mode ``mode``."""
    if mode in ("auto", "str"):
        if isinstance(key, bytes):
            return key
        if isinstance(key, (bytearray, memoryview)):
            return bytes(key)
        if isinstance(key, str):  # text: the same bytes as the CLI, C and Go (docs/python.md)
            return key.encode("utf-8", "surrogateescape")
        if mode == "str":
            raise TypeError(f"this map takes str keys (keys='str'), not {type(key).__name__}")
        return encode_typed(key)
    if mode == "bytes":
        if isinstance(key, bytes):
            return key
        if isinstance(key, (bytearray, memoryview)):
            return bytes(key)
        raise TypeError(f"this map takes bytes keys (keys='bytes'), not {type(key).__name__}")
    return encode_typed(key)


def _part(parts: int, i: int) -> Any:
    flag = ctypes.c_int()
    check(_parts_is_descending(parts, i, ctypes.byref(flag)))
    value = _plain_part(parts, i)
    return Desc(value) if flag.value else value


def _plain_part(parts: int, i: int) -> Any:
    kind = ctypes.c_int()
    check(_parts_type(parts, i, ctypes.byref(kind)))
    t = kind.value
    if t == _INT:
        v = ctypes.c_int64()
        check(_parts_int(parts, i, ctypes.byref(v)))
        return v.value
    if t == _UINT:
        u = ctypes.c_uint64()
        check(_parts_uint(parts, i, ctypes.byref(u)))
        return u.value
    if t in (_STR, _BYTES):
        buf = _lib.Buf()
        check(_parts_bytes(parts, i, ctypes.byref(buf)))
        try:
            raw = buf.data[: buf.size]
        finally:
            _buf_free(ctypes.byref(buf))
        return raw.decode("utf-8", "surrogateescape") if t == _STR else raw
    if t == _DOUBLE:
        d = ctypes.c_double()
        check(_parts_double(parts, i, ctypes.byref(d)))
        return d.value
    if t == _BOOL:
        flag = ctypes.c_int()
        check(_parts_bool(parts, i, ctypes.byref(flag)))
        return bool(flag.value)
    if t == _NULL:
        return None
    if t == _TIME:
        us = ctypes.c_int64()
        check(_parts_time(parts, i, ctypes.byref(us)))
        try:
            return _EPOCH + _dt.timedelta(microseconds=us.value)
        except OverflowError:
            raise InvalidArgument(C.IT_EINVAL, f"key part {i}: time {us.value} us is outside datetime's range") from None
    raise InvalidArgument(C.IT_EINVAL, f"key part {i} has an unknown type {t}")


def decode_typed(raw: bytes) -> Any:
    """The value of an encoded key: a scalar for one component, a tuple otherwise.
    Raises InvalidArgument for bytes that are not an encoding."""
    out = ctypes.c_void_p()
    check(_decode(raw, len(raw), ctypes.byref(out)))
    parts: int = out.value or 0
    try:
        count = ctypes.c_uint64()
        check(_parts_count(parts, ctypes.byref(count)))
        n = count.value
        values = tuple(_part(parts, i) for i in range(n))
    finally:
        _parts_free(parts)
    return values[0] if n == 1 else values


def decode(raw: bytes, mode: str = "auto") -> Any:
    """The Python key for stored bytes ``raw`` in a map or set with key mode ``mode``."""
    if mode == "bytes":
        return raw
    if mode == "typed":
        return decode_typed(raw)
    if mode == "str":
        return raw.decode("utf-8", "surrogateescape")
    # auto: decode only what round-trips exactly, so that map[decode(raw)] finds raw again.
    if not raw:
        return raw
    out = ctypes.c_void_p()
    if _decode(raw, len(raw), ctypes.byref(out)) < 0:
        return raw
    parts: int = out.value or 0
    try:
        count = ctypes.c_uint64()
        check(_parts_count(parts, ctypes.byref(count)))
        n = count.value
        values = tuple(_part(parts, i) for i in range(n))
    finally:
        _parts_free(parts)
    value: Any = values[0] if n == 1 else values
    if isinstance(value, (bytes, str)):  # a lone bytes or str component: auto writes them raw
        return raw
    # The decoder accepts only canonical forms except for doubles (any NaN payload decodes
    # to the one Python NaN): re-encode those to be sure map[value] finds `raw` again.
    if any(isinstance(v, float) or (isinstance(v, Desc) and isinstance(v.value, float)) for v in values):
        try:
            if encode_typed(value) != raw:
                return raw
        except (TypeError, OverflowError, InvalidArgument):
            return raw
    return value


def check_mode(mode: str) -> str:
    if mode not in KEY_MODES:
        raise ValueError(f"keys must be one of {KEY_MODES}, not {mode!r}")
    return mode


__all__ = ["encode", "decode", "encode_typed", "decode_typed", "Desc", "KeyMode", "Key", "KEY_MODES"]
