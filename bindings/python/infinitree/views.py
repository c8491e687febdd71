"""Item views (docs/data-model.md, "Views"): light, read-only, nestable windows onto maps.

``ItemView(m)`` reads map ``m``: live for a map of the working tree (a cursor sees writes made
after it was created), fixed for a checkout's map. ``v.prefix(p)`` is the keys under ``p``
with ``p`` removed, ``v.range(lo, hi)`` the keys between two bounds, ``union(*views)`` and
``intersection(*views)`` merge views by key as they are walked; nothing is copied. Every view
has the same cursor (``first``, ``last``, ``seek``, ``seek_for_prev``, ``next``, ``prev``, each
returning True on an entry and False past either end) and is a read-only mapping.

Keys are given and returned in the key mode of the first map a view was made from (see
``infinitree.keys``; ``keys=`` overrides it): the stored bytes, encoded and decoded. A view
may be shared by threads; a cursor is for one thread at a time.
"""

from __future__ import annotations

import ctypes
from ctypes import byref
from typing import Any, Iterator, Optional, Sequence, Tuple

from . import _constants as C
from . import keys as _keys
from . import _lib
from ._handle import Handle, new_handle
from ._status import check, error_for
from .errors import KeyNotFound
from .fields import Map

_f = _lib.fn
_buf_free = _f["it_buf_free"]
_view_free = _f["it_item_view_free"]
_cursor_free = _f["it_cursor_free"]


def _take(buf: _lib.Buf) -> bytes:
    data: bytes = buf.data[: buf.size]
    _buf_free(buf)
    return data


class Cursor(Handle):
    """A position in a view: on an entry or past either end. Moves return True when the
    cursor is on an entry afterwards, False past the end (IT_DONE in C)."""

    _kind = "cursor"

    def __init__(self, ptr: int, view: "ItemView") -> None:
        super().__init__(ptr, _cursor_free)
        self._view = view  # keys are decoded in its mode; it keeps the sources alive

    def _move(self, rc: int) -> bool:
        return check(rc) == C.IT_OK

    def first(self) -> bool:
        return self._move(_f["it_cursor_first"](self._h()))

    def last(self) -> bool:
        return self._move(_f["it_cursor_last"](self._h()))

    def seek(self, key: Any) -> bool:
        """To the first key >= ``key``."""
        k = self._view._k(key)
        return self._move(_f["it_cursor_seek"](self._h(), k, len(k)))

    def seek_for_prev(self, key: Any) -> bool:
        """To the last key <= ``key``."""
        k = self._view._k(key)
        return self._move(_f["it_cursor_seek_for_prev"](self._h(), k, len(k)))

    def next(self) -> bool:
        return self._move(_f["it_cursor_next"](self._h()))

    def prev(self) -> bool:
        return self._move(_f["it_cursor_prev"](self._h()))

    @property
    def valid(self) -> bool:
        out = ctypes.c_int()
        check(_f["it_cursor_is_valid"](self._h(), byref(out)))
        return bool(out.value)

    def entry(self) -> Tuple[Any, bytes]:
        """(key, value) under the cursor; KeyNotFound past either end."""
        k, v = _lib.Buf(), _lib.Buf()
        rc = _f["it_cursor_entry"](self._h(), byref(k), byref(v))
        if rc < 0:
            raise error_for(rc, KeyNotFound)
        return self._view._dk(_take(k)), _take(v)

    @property
    def key(self) -> Any:
        return self.entry()[0]

    @property
    def value(self) -> bytes:
        return self.entry()[1]


class ItemView(Handle):
    """A read-only view. ``ItemView(m)`` is map ``m``; the methods and the module functions
    ``union``, ``intersection`` and ``diff_view`` make views of views."""

    _kind = "view"

    def __init__(self, source: Map, keys: Optional[str] = None) -> None:
        if not isinstance(source, Map):
            raise TypeError(f"ItemView takes a Map, not {type(source).__name__}")
        self._init(new_handle(_f["it_item_view_new_map"], source._h()),
                   keys or source.key_mode, (source,))

    @classmethod
    def _wrap(cls, ptr: int, keys: str, keep: Tuple[Any, ...]) -> "ItemView":
        v = cls.__new__(cls)
        v._init(ptr, keys, keep)
        return v

    def _init(self, ptr: int, keys: str, keep: Tuple[Any, ...]) -> None:
        Handle.__init__(self, ptr, _view_free)
        self.key_mode = _keys.check_mode(keys)
        # The C view keeps its maps alive; these keep the Python trees (whose finalizers
        # would close them) alive as long as the view.
        self._keep = keep

    def _k(self, key: Any) -> bytes:
        return _keys.encode(key, self.key_mode)

    def _dk(self, raw: bytes) -> Any:
        return raw if self.key_mode == "bytes" else _keys.decode(raw, self.key_mode)

    # ---- views of this view ----------------------------------------------------------
    def prefix(self, prefix: Any) -> "ItemView":
        """The keys starting with ``prefix`` (in this view's key mode), with it removed."""
        p = self._k(prefix)
        return ItemView._wrap(new_handle(_f["it_item_view_new_prefix"], self._h(), p, len(p)),
                              self.key_mode, (self,))

    def range(self, lo: Any = None, hi: Any = None, *, lo_open: bool = False,
              hi_open: bool = True) -> "ItemView":
        """The keys from ``lo`` to ``hi`` (None: unbounded on that side); by default ``lo`` is
        in the range and ``hi`` is not, as in Python slices."""
        def bound(key: Any, is_open: bool) -> Tuple[int, bytes]:
            if key is None:
                return C.IT_BOUND_NONE, b""
            return (C.IT_BOUND_OPEN if is_open else C.IT_BOUND_CLOSED), self._k(key)

        lk, lb = bound(lo, lo_open)
        hk, hb = bound(hi, hi_open)
        ptr = new_handle(_f["it_item_view_new_range"], self._h(), lk, lb, len(lb), hk, hb, len(hb))
        return ItemView._wrap(ptr, self.key_mode, (self,))

    # ---- reading -------------------------------------------------------------------
    def cursor(self) -> Cursor:
        """A new cursor on the first entry (invalid if the view is empty)."""
        return Cursor(new_handle(_f["it_item_view_cursor"], self._h()), self)

    def _walk(self, reverse: bool) -> Iterator[Tuple[Any, bytes]]:
        with self.cursor() as c:
            ok = c.last() if reverse else c.first()
            while ok:
                yield c.entry()
                ok = c.prev() if reverse else c.next()

    def items(self) -> Iterator[Tuple[Any, bytes]]:
        return self._walk(False)

    def keys(self) -> Iterator[Any]:
        return (k for k, _ in self._walk(False))

    def values(self) -> Iterator[bytes]:
        return (v for _, v in self._walk(False))

    def __iter__(self) -> Iterator[Any]:
        return self.keys()

    def __reversed__(self) -> Iterator[Any]:
        return (k for k, _ in self._walk(True))

    def __len__(self) -> int:
        n = ctypes.c_uint64()
        check(_f["it_item_view_count"](self._h(), byref(n)))
        return n.value

    def __contains__(self, key: object) -> bool:
        k = self._k(key)
        out = ctypes.c_int()
        check(_f["it_item_view_contains"](self._h(), k, len(k), byref(out)))
        return bool(out.value)

    def __getitem__(self, key: Any) -> bytes:
        k = self._k(key)
        buf = _lib.Buf()
        rc = _f["it_item_view_get"](self._h(), k, len(k), byref(buf))
        if rc < 0:
            raise error_for(rc, KeyNotFound)
        return _take(buf)

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyNotFound:
            return default

    def __repr__(self) -> str:
        return f"<infinitree.ItemView{' closed' if self.closed else ''}>"


def _combine(name: str, views: Sequence[ItemView]) -> ItemView:
    if not views:
        raise ValueError(f"{name} of no views")
    for v in views:
        if not isinstance(v, ItemView):
            raise TypeError(f"{name} takes ItemViews, not {type(v).__name__}")
    arr = (ctypes.c_void_p * len(views))(*(v._h() for v in views))
    ptr = new_handle(_f["it_item_view_new_" + name], arr, len(views))
    return ItemView._wrap(ptr, views[0].key_mode, tuple(views))


def union(*views: ItemView) -> ItemView:
    """The keys in any of the views, in order; a key's value is the first view's that has it."""
    return _combine("union", views)


def intersection(*views: ItemView) -> ItemView:
    """The keys in every view, values from the first; the cursors leapfrog with seeks."""
    return _combine("intersection", views)


def diff_view(tree: Any, field: str, from_ref: Optional[str], to_ref: Optional[str], *,
              added: bool = True, removed: bool = True, changed: bool = True,
              keys: str = "auto") -> ItemView:
    """The keys of map ``field`` added, removed and/or changed from commit ``from_ref`` to
    ``to_ref`` (None: the head), with the value at ``to_ref`` (at ``from_ref`` if removed)."""
    def ref(r: Optional[str]) -> Optional[bytes]:
        return r.encode() if r is not None else None

    ptr = new_handle(_f["it_item_view_new_diff"], tree._h(), field.encode(), ref(from_ref),
                     ref(to_ref), int(added), int(removed), int(changed))
    return ItemView._wrap(ptr, keys, (tree,))


__all__ = ["ItemView", "Cursor", "union", "intersection", "diff_view"]
