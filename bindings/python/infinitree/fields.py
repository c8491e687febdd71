"""Field handles: Map (MutableMapping), Set (MutableSet), List (sequence with append) and
Value, for the working tree and for read-only checkouts.

Values are bytes. A str value is accepted on writes and stored as its UTF-8 encoding;
reads always return bytes (``.decode()`` them yourself), so what you read is exactly what
any other language reads. Keys follow the map's key mode (see ``infinitree.keys``).
"""

from __future__ import annotations

import ctypes
from collections.abc import ItemsView, KeysView, MutableMapping, MutableSet, Sequence, ValuesView
from ctypes import byref
from typing import (
    Any,
    Callable,
    Iterable,
    Iterator,
    Optional,
    Tuple,
    Union,
    overload,
)

from . import _constants as C
from . import _lib
from . import keys as _keys
from ._handle import Handle, new_handle
from ._out import yes as _yes
from ._status import check, error_for
from .errors import IndexOutOfRange, KeyNotFound

Bytes = Union[bytes, bytearray, memoryview, str]

_f = _lib.fn
_buf_free = _f["it_buf_free"]
_map_get = _f["it_map_get"]
_map_put = _f["it_map_put"]
_map_put_if_absent = _f["it_map_put_if_absent"]
_map_cas = _f["it_map_compare_and_swap"]
_map_remove = _f["it_map_remove"]
_map_contains = _f["it_map_contains"]
_map_count = _f["it_map_count"]
_map_count_range = _f["it_map_count_range"]
_map_remove_range = _f["it_map_remove_range"]
_map_clear = _f["it_map_clear"]
_map_remove_prefix = _f["it_map_remove_prefix"]
_map_count_prefix = _f["it_map_count_prefix"]
_map_cursor = _f["it_map_cursor"]
_map_prefix_cursor = _f["it_map_prefix_cursor"]
_map_free = _f["it_map_free"]
_cursor_entry = _f["it_cursor_entry"]
_cursor_key = _f["it_cursor_key"]
_cursor_first = _f["it_cursor_first"]
_cursor_last = _f["it_cursor_last"]
_cursor_next = _f["it_cursor_next"]
_cursor_prev = _f["it_cursor_prev"]
_cursor_free = _f["it_cursor_free"]
_set_insert = _f["it_set_insert"]
_set_contains = _f["it_set_contains"]
_set_remove = _f["it_set_remove"]
_set_count = _f["it_set_count"]
_set_cursor = _f["it_set_cursor"]
_set_free = _f["it_set_free"]
_list_push = _f["it_list_push"]
_list_get = _f["it_list_get"]
_list_set = _f["it_list_set"]
_list_remove_last = _f["it_list_remove_last"]
_list_count = _f["it_list_count"]
_list_free = _f["it_list_free"]
_value_get = _f["it_value_get"]
_value_set = _f["it_value_set"]
_value_clear = _f["it_value_clear"]
_value_free = _f["it_value_free"]

Buf = _lib.Buf

_MISSING: Any = object()


def to_bytes(value: Any, what: str = "value") -> bytes:
    """Bytes for a value written to the store: bytes-like as is, str as UTF-8."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"a {what} must be bytes or str, not {type(value).__name__}")


def _take(buf: Buf) -> bytes:
    """The bytes of a filled it_buf, which is released. (A Buf instance passed where the
    prototype says POINTER(Buf) is passed by reference, cheaper than byref().)"""
    data: bytes = buf.data[: buf.size]
    _buf_free(buf)
    return data


def _successor(prefix: bytes) -> bytes:
    """The smallest byte string greater than every string starting with ``prefix`` (b'' if
    there is none, which the C ABI reads as 'no upper bound')."""
    p = prefix.rstrip(b"\xff")
    if not p:
        return b""
    return p[:-1] + bytes([p[-1] + 1])


def _count(fn: Callable[[int, Any], int], h: int) -> int:
    n = ctypes.c_uint64()
    check(fn(h, byref(n)))
    return n.value


class _Bounds:
    """A key interval [lo, hi) (hi b'' = unbounded) or a prefix, in stored bytes."""

    __slots__ = ("lo", "hi", "prefix", "empty")

    def __init__(self, lo: bytes = b"", hi: Optional[bytes] = None, prefix: Optional[bytes] = None):
        self.prefix = prefix
        if prefix is not None:
            lo, hi = prefix, _successor(prefix)
            self.empty = False
        else:
            # An explicit empty upper bound is an empty interval, not "no bound".
            self.empty = hi == b"" or (hi is not None and hi <= lo)
            hi = hi or b""
        self.lo = lo
        self.hi = hi

    def holds(self, k: bytes) -> bool:
        if self.empty:
            return False
        return k >= self.lo and (not self.hi or k < self.hi)


class _Keyed(Handle):
    """Shared by maps and sets: key encoding and cursor scans."""

    _cursor_fn: Callable[..., int]

    def __init__(self, ptr: int, free: Callable[[int], None], name: str, keys: str, tree: Any):
        super().__init__(ptr, free)
        self.name = name
        self.key_mode = _keys.check_mode(keys)
        self._raw_ok = keys != "typed"  # bytes keys go through unchanged
        self._tree = tree  # keeps the Python tree (and its backend objects) alive

    def _k(self, key: Any) -> bytes:
        if type(key) is bytes and self._raw_ok:
            return key
        return _keys.encode(key, self.key_mode)

    def _dk(self, raw: bytes) -> Any:
        return raw if self.key_mode == "bytes" else _keys.decode(raw, self.key_mode)

    def _bounds(self, start: Any = None, stop: Any = None, prefix: Any = _MISSING) -> _Bounds:
        if prefix is not _MISSING:
            return _Bounds(prefix=self._k(prefix))
        lo = b"" if start is None else self._k(start)
        hi = None if stop is None else self._k(stop)
        return _Bounds(lo, hi)

    def _open_cursor(self, b: _Bounds) -> int:
        raise NotImplementedError

    def _scan(self, b: _Bounds, reverse: bool, want_value: bool) -> Iterator[Tuple[bytes, bytes]]:
        """Yields (key, value) stored bytes in [lo, hi) or under the prefix."""
        if b.empty:
            return
        cur = self._open_cursor(b)
        try:
            # Every move answers IT_OK (on an entry) or IT_DONE (past the end).
            rc = check(_cursor_last(cur) if reverse else _cursor_first(cur))
            step = _cursor_prev if reverse else _cursor_next
            k, v = Buf(), Buf()
            while rc == C.IT_OK:
                if want_value:
                    check(_cursor_entry(cur, k, v))
                    yield _take(k), _take(v)
                else:
                    check(_cursor_key(cur, k))
                    yield _take(k), b""
                rc = check(step(cur))
        finally:
            _cursor_free(cur)


class _RangeView:
    """A live view of a key range of a map: iterable (ascending), reversible, sized."""

    def __init__(self, m: "Map", bounds: _Bounds) -> None:
        self._mapping = m
        self._b = bounds

    def __len__(self) -> int:
        return self._mapping._count_bounds(self._b)

    def _raw(self, reverse: bool = False, want_value: bool = True) -> Iterator[Tuple[bytes, bytes]]:
        return self._mapping._scan(self._b, reverse, want_value)

    def _in_range(self, key: Any) -> bool:
        try:
            k = self._mapping._k(key)
        except TypeError:
            return False
        return self._b.holds(k)


class KeysRange(_RangeView, KeysView):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[Any]:
        dk = self._mapping._dk
        for k, _ in self._raw(want_value=False):
            yield dk(k)

    def __reversed__(self) -> Iterator[Any]:
        dk = self._mapping._dk
        for k, _ in self._raw(True, want_value=False):
            yield dk(k)

    def __contains__(self, key: object) -> bool:
        return self._in_range(key) and key in self._mapping


class ValuesRange(_RangeView, ValuesView):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[bytes]:
        for _, v in self._raw():
            yield v

    def __reversed__(self) -> Iterator[bytes]:
        for _, v in self._raw(True):
            yield v


class ItemsRange(_RangeView, ItemsView):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[Tuple[Any, bytes]]:
        dk = self._mapping._dk
        for k, v in self._raw():
            yield dk(k), v

    def __reversed__(self) -> Iterator[Tuple[Any, bytes]]:
        dk = self._mapping._dk
        for k, v in self._raw(True):
            yield dk(k), v

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        key, value = item
        if not self._in_range(key):
            return False
        got = self._mapping.get(key)
        return got is not None and got == value


class Map(_Keyed, MutableMapping):  # type: ignore[type-arg]
    """A map field: keys (see the key mode) -> bytes, ordered by the encoded key bytes.

    Everything reads the live state (uncommitted writes included); checkouts are
    read-only (writes raise ReadOnly). Thread-safe, as the tree is.
    """

    _kind = "map"

    def __init__(self, ptr: int, name: str, keys: str = "auto", tree: Any = None) -> None:
        super().__init__(ptr, _map_free, name, keys, tree)

    def __repr__(self) -> str:
        state = "closed" if self._ptr is None else f"keys={self.key_mode!r}"
        return f"<infinitree.Map {self.name!r} {state}>"

    # -- single keys -----------------------------------------------------------------------
    def __getitem__(self, key: Any) -> bytes:
        p = self._ptr
        if p is None:
            self._h()
        k = key if type(key) is bytes and self._raw_ok else self._k(key)
        buf = Buf()
        rc = _map_get(p, k, len(k), buf)
        if rc < 0:
            raise error_for(rc, KeyNotFound)
        data: bytes = buf.data[: buf.size]
        _buf_free(buf)
        return data

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyNotFound:
            return default

    def __setitem__(self, key: Any, value: Bytes) -> None:
        p = self._ptr
        if p is None:
            self._h()
        k = key if type(key) is bytes and self._raw_ok else self._k(key)
        v = value if type(value) is bytes else to_bytes(value)
        rc = _map_put(p, k, len(k), v, len(v))
        if rc < 0:
            raise error_for(rc)

    def put(self, key: Any, value: Bytes) -> None:
        """The same as ``map[key] = value``."""
        self[key] = value

    def __delitem__(self, key: Any) -> None:
        k = self._k(key)
        if not _yes(_map_remove, self._h(), k, len(k)):
            raise KeyNotFound(C.IT_ENOTFOUND, f"key not found: {key!r}")

    def delete(self, key: Any) -> bool:
        """Removes ``key``; True if it was there."""
        k = self._k(key)
        return _yes(_map_remove, self._h(), k, len(k))

    def __contains__(self, key: object) -> bool:
        try:
            k = self._k(key)
        except TypeError:
            return False
        return _yes(_map_contains, self._h(), k, len(k))

    def __len__(self) -> int:
        return _count(_map_count, self._h())

    def put_if_absent(self, key: Any, value: Bytes) -> bool:
        """Stores ``value`` only if ``key`` is absent; True if it stored it."""
        k, v = self._k(key), to_bytes(value)
        return _yes(_map_put_if_absent, self._h(), k, len(k), v, len(v))

    def setdefault(self, key: Any, default: Bytes = b"") -> bytes:  # type: ignore[override]
        """``map[key]`` if present, else stores ``default`` and returns it (atomically)."""
        v = to_bytes(default)
        while True:
            if self.put_if_absent(key, v):
                return v
            got = self.get(key)
            if got is not None:
                return got  # type: ignore[no-any-return]
            # removed by another thread between the two calls: try again

    def compare_and_swap(self, key: Any, expected: Optional[Bytes], new: Optional[Bytes]) -> bool:
        """Atomically sets ``key`` to ``new`` if its value is ``expected``.

        ``expected=None``: the key must be absent. ``new=None``: delete the key.
        Returns True if the swap happened."""
        k = self._k(key)
        e = None if expected is None else to_bytes(expected, "expected value")
        n = None if new is None else to_bytes(new, "new value")
        return _yes(
            _map_cas,
            self._h(),
            k,
            len(k),
            0 if e is None else 1,
            e,
            0 if e is None else len(e),
            0 if n is None else 1,
            n,
            0 if n is None else len(n),
        )

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        """Removes ``key`` and returns its value (atomically, by compare-and-swap)."""
        while True:
            got = self.get(key)
            if got is None:
                if default is _MISSING:
                    raise KeyNotFound(C.IT_ENOTFOUND, f"key not found: {key!r}")
                return default
            if self.compare_and_swap(key, got, None):
                return got

    def clear(self) -> None:
        check(_map_clear(self._h()))

    def update_many(self, items: Iterable[Tuple[Any, Bytes]]) -> None:
        """Puts many pairs (as ``update`` does; kept for symmetry with the C API)."""
        for k, v in items:
            self[k] = v

    # -- ranges ----------------------------------------------------------------------------
    def _open_cursor(self, b: _Bounds) -> int:
        if b.prefix is not None:
            return new_handle(_map_prefix_cursor, self._h(), b.prefix, len(b.prefix))
        return new_handle(_map_cursor, self._h(), b.lo, len(b.lo), b.hi, len(b.hi))

    def _count_bounds(self, b: _Bounds) -> int:
        if b.empty:
            return 0
        n = ctypes.c_uint64()
        check(_map_count_range(self._h(), b.lo, len(b.lo), b.hi, len(b.hi), byref(n)))
        return n.value

    def __iter__(self) -> Iterator[Any]:
        return iter(KeysRange(self, _Bounds()))

    def __reversed__(self) -> Iterator[Any]:
        return reversed(KeysRange(self, _Bounds()))

    def keys(self, start: Any = None, stop: Any = None) -> KeysRange:
        """Keys in [start, stop) (None: unbounded), ascending; ``reversed()`` descends."""
        return KeysRange(self, self._bounds(start, stop))

    def values(self, start: Any = None, stop: Any = None) -> ValuesRange:
        return ValuesRange(self, self._bounds(start, stop))

    def items(self, start: Any = None, stop: Any = None) -> ItemsRange:
        """(key, value) pairs with keys in [start, stop) (None: unbounded)."""
        return ItemsRange(self, self._bounds(start, stop))

    def range(self, start: Any = None, stop: Any = None) -> ItemsRange:
        """The same as ``items(start, stop)``."""
        return ItemsRange(self, self._bounds(start, stop))

    def prefix(self, prefix: Any) -> ItemsRange:
        """(key, value) pairs whose stored key starts with the stored form of ``prefix``.

        For raw bytes keys this is a byte prefix. For encoded keys, a tuple prefix selects
        the tuples that begin with these components: ``m.prefix(("user",))`` yields
        ``("user", 1)``, ``("user", 2)``... (and the key ``"user"`` itself)."""
        return ItemsRange(self, self._bounds(prefix=prefix))

    def count(self, start: Any = None, stop: Any = None) -> int:
        """How many keys are in [start, stop), without reading them."""
        return self._count_bounds(self._bounds(start, stop))

    def delete_range(self, start: Any = None, stop: Any = None) -> int:
        """Removes the keys in [start, stop) (None: unbounded); returns how many."""
        b = self._bounds(start, stop)
        if b.empty:
            return 0
        n = ctypes.c_uint64()
        check(_map_remove_range(self._h(), b.lo, len(b.lo), b.hi, len(b.hi), byref(n)))
        return n.value

    def delete_prefix(self, prefix: Any) -> int:
        """Removes the subspace under ``prefix`` (every key whose stored form starts with the
        stored form of ``prefix``; a tuple prefix selects the tuples beginning with it) in one
        range erase that drops whole B-tree subtrees. Returns how many keys went."""
        p = self._k(prefix)
        n = ctypes.c_uint64()
        check(_map_remove_prefix(self._h(), p, len(p), byref(n)))
        return n.value

    def count_prefix(self, prefix: Any) -> int:
        """How many keys are in the subspace under ``prefix``, without reading them."""
        p = self._k(prefix)
        n = ctypes.c_uint64()
        check(_map_count_prefix(self._h(), p, len(p), byref(n)))
        return n.value

    def first(self) -> Optional[Tuple[Any, bytes]]:
        """The smallest (key, value), or None if empty."""
        return next(iter(self.items()), None)

    def last(self) -> Optional[Tuple[Any, bytes]]:
        """The largest (key, value), or None if empty."""
        return next(reversed(self.items()), None)


class Set(_Keyed, MutableSet):  # type: ignore[type-arg]
    """A set field of keys (see the key mode), ordered like a map's keys."""

    _kind = "set"

    def __init__(self, ptr: int, name: str, keys: str = "auto", tree: Any = None) -> None:
        super().__init__(ptr, _set_free, name, keys, tree)

    def __repr__(self) -> str:
        return f"<infinitree.Set {self.name!r}{' closed' if self._ptr is None else ''}>"

    def __contains__(self, key: object) -> bool:
        try:
            k = self._k(key)
        except TypeError:
            return False
        return _yes(_set_contains, self._h(), k, len(k))

    def __len__(self) -> int:
        return _count(_set_count, self._h())

    def add(self, key: Any) -> None:
        k = self._k(key)
        check(_set_insert(self._h(), k, len(k), None))

    def insert(self, key: Any) -> bool:
        """Adds ``key``; True if it was not there."""
        k = self._k(key)
        return _yes(_set_insert, self._h(), k, len(k))

    def discard(self, key: Any) -> None:
        k = self._k(key)
        check(_set_remove(self._h(), k, len(k), None))

    def remove(self, key: Any) -> None:
        k = self._k(key)
        if not _yes(_set_remove, self._h(), k, len(k)):
            raise KeyNotFound(C.IT_ENOTFOUND, f"key not in set: {key!r}")

    def _open_cursor(self, b: _Bounds) -> int:
        return new_handle(_set_cursor, self._h(), b.lo, len(b.lo), b.hi, len(b.hi))

    def __iter__(self) -> Iterator[Any]:
        for k, _ in self._scan(_Bounds(), False, False):
            yield self._dk(k)

    def __reversed__(self) -> Iterator[Any]:
        for k, _ in self._scan(_Bounds(), True, False):
            yield self._dk(k)

    def range(self, start: Any = None, stop: Any = None, reverse: bool = False) -> Iterator[Any]:
        """Members in [start, stop) (None: unbounded), ascending unless ``reverse``."""
        for k, _ in self._scan(self._bounds(start, stop), reverse, False):
            yield self._dk(k)

    def prefix(self, prefix: Any, reverse: bool = False) -> Iterator[Any]:
        """Members whose stored key starts with the stored form of ``prefix``."""
        for k, _ in self._scan(self._bounds(prefix=prefix), reverse, False):
            yield self._dk(k)


class List(Handle, Sequence):  # type: ignore[type-arg]
    """A list field: append, read and overwrite by position, pop the last element.

    Positions are 0-based; negative positions count from the end; slices read a copy.
    Inserting or deleting in the middle is not supported by the store."""

    _kind = "list"

    def __init__(self, ptr: int, name: str, tree: Any = None) -> None:
        super().__init__(ptr, _list_free)
        self.name = name
        self._tree = tree

    def __repr__(self) -> str:
        return f"<infinitree.List {self.name!r}{' closed' if self._ptr is None else ''}>"

    def __len__(self) -> int:
        return _count(_list_count, self._h())

    def _index(self, i: int) -> int:
        if i < 0:
            i += len(self)
            if i < 0:
                raise IndexOutOfRange(C.IT_ENOTFOUND, "list index out of range")
        return i

    def _get(self, i: int) -> bytes:
        buf = Buf()
        rc = _list_get(self._h(), i, buf)
        if rc < 0:
            raise error_for(rc, IndexOutOfRange)
        return _take(buf)

    @overload
    def __getitem__(self, i: int) -> bytes: ...

    @overload
    def __getitem__(self, i: slice) -> "list[bytes]": ...

    def __getitem__(self, i: Union[int, slice]) -> Any:
        if isinstance(i, slice):
            return [self._get(j) for j in range(*i.indices(len(self)))]
        return self._get(self._index(i))

    def __setitem__(self, i: int, value: Bytes) -> None:
        v = to_bytes(value)
        rc = _list_set(self._h(), self._index(i), v, len(v))
        if rc < 0:
            raise error_for(rc, IndexOutOfRange)

    def append(self, value: Bytes) -> int:
        """Appends ``value``; returns its position."""
        v = to_bytes(value)
        idx = ctypes.c_uint64()
        check(_list_push(self._h(), v, len(v), byref(idx)))
        return idx.value

    def extend(self, values: Iterable[Bytes]) -> None:
        for v in values:
            self.append(v)

    def pop(self) -> bytes:
        """Removes and returns the last element (IndexOutOfRange if empty). Not atomic with
        respect to other threads appending to the same list."""
        n = len(self)
        if n == 0:
            raise IndexOutOfRange(C.IT_ENOTFOUND, "pop from an empty list")
        last = self._get(n - 1)
        rc = _list_remove_last(self._h())
        if rc < 0:
            raise error_for(rc, IndexOutOfRange)
        return last

    def __iter__(self) -> Iterator[bytes]:
        i = 0
        while True:
            buf = Buf()
            rc = _list_get(self._h(), i, buf)
            if rc == -2:
                return
            if rc < 0:
                raise error_for(rc)
            yield _take(buf)
            i += 1


class Value(Handle):
    """A value field: one optional byte string, a snapshot per commit."""

    _kind = "value"

    def __init__(self, ptr: int, name: str, tree: Any = None) -> None:
        super().__init__(ptr, _value_free)
        self.name = name
        self._tree = tree

    def __repr__(self) -> str:
        return f"<infinitree.Value {self.name!r}{' closed' if self._ptr is None else ''}>"

    def get(self, default: Any = None) -> Any:
        """The bytes, or ``default`` if unset."""
        buf = Buf()
        rc = _value_get(self._h(), buf)
        if rc == -2:
            return default
        if rc < 0:
            raise error_for(rc)
        return _take(buf)

    def set(self, value: Bytes) -> None:
        v = to_bytes(value)
        check(_value_set(self._h(), v, len(v)))

    def reset(self) -> None:
        """Unsets the value."""
        check(_value_clear(self._h()))

    @property
    def is_set(self) -> bool:
        return self.get() is not None


__all__ = ["Map", "Set", "List", "Value", "KeysRange", "ValuesRange", "ItemsRange", "to_bytes"]
