"""The data model over maps (docs/data-model.md): multi-maps, key history and JSON.

A ``MultiMap`` keeps many values per key in a map field: each (key, value) pair is one map
key, the tuple (bytes key, bytes value) in the order-preserving encoding, so a key's values
are one subspace kept in bytewise order. ``key_history`` lists the commits that changed one
key of a map, newest first, with the value each left.
"""

from __future__ import annotations

import ctypes
from ctypes import byref
from typing import Any, Iterator, List, NamedTuple, Optional

from . import _constants as C
from . import _lib
from ._status import check
from .fields import Map, to_bytes
from .keys import decode_typed
from .tree import Commit, Tree

_f = _lib.fn
_buf_free = _f["it_buf_free"]


def _take(buf: _lib.Buf) -> bytes:
    try:
        return bytes(buf.data[: buf.size]) if buf.size else b""
    finally:
        _buf_free(byref(buf))


class MultiMap:
    """Many values (bytes) per key (bytes) in the map field ``m`` (open it with any key mode:
    the multi-map stores its own encoded pairs). Works on a checkout's map too (read-only)."""

    def __init__(self, m: Map) -> None:
        self.map = m

    def put(self, key: Any, value: Any) -> bool:
        """Adds the pair; False if it was already there."""
        k, v = to_bytes(key, "key"), to_bytes(value)
        flag = ctypes.c_int()
        check(_f["it_map_insert_pair"](self.map._h(), k, len(k), v, len(v), byref(flag)))
        return bool(flag.value)

    def remove_one(self, key: Any, value: Any) -> bool:
        """Removes one pair; False if it was not there."""
        k, v = to_bytes(key, "key"), to_bytes(value)
        flag = ctypes.c_int()
        check(_f["it_map_remove_pair"](self.map._h(), k, len(k), v, len(v), byref(flag)))
        return bool(flag.value)

    def remove_all(self, key: Any) -> int:
        """Removes every value of ``key``; returns how many."""
        k = to_bytes(key, "key")
        n = ctypes.c_uint64()
        check(_f["it_map_remove_values"](self.map._h(), k, len(k), byref(n)))
        return n.value

    def count(self, key: Any) -> int:
        """How many values ``key`` has, without reading them."""
        k = to_bytes(key, "key")
        n = ctypes.c_uint64()
        check(_f["it_map_count_values"](self.map._h(), k, len(k), byref(n)))
        return n.value

    def values(self, key: Any) -> Iterator[bytes]:
        """The values of ``key`` in bytewise order, read as the iteration goes."""
        k = to_bytes(key, "key")
        cur = ctypes.c_void_p()
        check(_f["it_map_cursor_values"](self.map._h(), k, len(k), byref(cur)))
        try:
            rc = C.IT_OK
            buf = _lib.Buf()
            while rc == C.IT_OK:
                valid = ctypes.c_int()
                check(_f["it_cursor_is_valid"](cur, byref(valid)))
                if not valid.value:
                    break
                check(_f["it_cursor_key"](cur, byref(buf)))
                _, value = decode_typed(_take(buf))
                yield value
                rc = check(_f["it_cursor_next"](cur))
        finally:
            _f["it_cursor_free"](cur)

    def get_all(self, key: Any) -> List[bytes]:
        return list(self.values(key))


class KeyChange(NamedTuple):
    """A commit that changed the key, and the value it left (None: it removed the key)."""

    commit: Commit
    value: Optional[bytes]


def key_history(tree: Tree, field: str, key: Any, ref: Optional[str] = None, limit: int = 0) -> List[KeyChange]:
    """The commits that changed ``key`` (stored bytes: encode typed keys with
    ``infinitree.encode_key``) of map ``field``, newest first, from ``ref`` (default the head)
    back to the first commit, at most ``limit`` (0: all). Only the B-tree nodes that differ
    between consecutive commits are read."""
    k = to_bytes(key, "key")
    out = ctypes.c_void_p()
    check(_f["it_tree_log_key"](tree._h(), field.encode(), k, len(k),
                                ref.encode() if ref is not None else None, limit, byref(out)))
    try:
        n = ctypes.c_uint64()
        check(_f["it_key_history_count"](out, byref(n)))
        changes = []
        for i in range(n.value):
            c = ctypes.c_void_p()
            has = ctypes.c_int()
            buf = _lib.Buf()
            check(_f["it_key_history_get"](out, i, byref(c), byref(has), byref(buf)))
            value = _take(buf)
            changes.append(KeyChange(Commit._take(c.value or 0), value if has.value else None))
        return changes
    finally:
        _f["it_key_history_free"](out)


def export_json(m: Map, prefix: Any = b"") -> str:
    """The JSON document stored under ``prefix`` (stored bytes; b"": the whole map) as
    compact text, object members sorted. NotFound if nothing is there, InvalidArgument if the
    entries are not a document."""
    p = to_bytes(prefix, "prefix")
    buf = _lib.Buf()
    check(_f["it_map_get_json"](m._h(), p, len(p), byref(buf)))
    return _take(buf).decode("utf-8")


def import_json(m: Map, text: Any, prefix: Any = b"") -> int:
    """Replaces the document under ``prefix`` with the JSON ``text`` (str or bytes); returns
    how many entries it stored. InvalidArgument for text that is not JSON."""
    p, t = to_bytes(prefix, "prefix"), to_bytes(text)
    n = ctypes.c_uint64()
    check(_f["it_map_put_json"](m._h(), p, len(p), t, len(t), byref(n)))
    return n.value


class Transaction:
    """Reads and buffered writes to map fields of ``tree``'s working state, applied all
    together or not at all by ``apply()`` (docs/data-model.md, "Transactions"). Keys and
    values are stored bytes. ``apply()`` raises ``Conflict`` if a key the transaction read
    changed meanwhile: nothing is written and the transaction is empty, to run again.
    One thread at a time; any number of transactions may run on one tree."""

    def __init__(self, tree: Tree) -> None:
        out = ctypes.c_void_p()
        check(_f["it_transaction_new"](tree._h(), byref(out)))
        self._p: Optional[int] = out.value
        self._tree = tree  # keeps the tree (and its handle) alive

    def _h(self) -> int:
        if not self._p:
            raise ValueError("the transaction is closed")
        return self._p

    def get(self, field: str, key: Any) -> Optional[bytes]:
        """The value as the transaction sees it (its own writes first), or None."""
        k = to_bytes(key, "key")
        buf = _lib.Buf()
        rc = _f["it_transaction_read"](self._h(), field.encode(), k, len(k), byref(buf))
        if rc == C.IT_ENOTFOUND:
            return None
        check(rc)
        return _take(buf)

    def put(self, field: str, key: Any, value: Any) -> None:
        k, v = to_bytes(key, "key"), to_bytes(value)
        check(_f["it_transaction_put"](self._h(), field.encode(), k, len(k), v, len(v)))

    def delete(self, field: str, key: Any) -> None:
        k = to_bytes(key, "key")
        check(_f["it_transaction_remove"](self._h(), field.encode(), k, len(k)))

    def apply(self) -> int:
        """Validates and applies; returns the transaction's place in the apply order."""
        n = ctypes.c_uint64()
        check(_f["it_transaction_commit"](self._h(), byref(n)))
        return n.value

    def rollback(self) -> None:
        """Forgets this transaction's reads and writes; nothing else is touched."""
        check(_f["it_transaction_rollback"](self._h()))

    def close(self) -> None:
        if self._p:
            _f["it_transaction_free"](self._p)
            self._p = None

    def __enter__(self) -> "Transaction":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


__all__ = ["MultiMap", "KeyChange", "key_history", "export_json", "import_json", "Transaction"]
