"""Write-only trees (docs/security.md, "Write-only trees"): an untrusted writer holding only a
write key adds data it cannot read back; the holder of the read key lists what every writer
added, opens it read-only and copies it into a tree of its own.

    keys = infinitree.make_write_only_keys()          # keep keys.read_key secret
    with infinitree.WriteOnlySession.open(store, keys.write_key) as s:   # the writer
        s.put("files", "a.txt", b"hello")
        s.commit("upload")
    for e in infinitree.write_only_sessions(store, keys.read_key):      # the reader
        with infinitree.open_write_only_session(store, keys.read_key, e.index) as t:
            mine.copy_fields(t)
    mine.commit("imported")

A write key where reading is asked for raises PermissionDenied; a malformed key
InvalidArgument; a session the inbox does not hold NotFound.
"""

from __future__ import annotations

import ctypes
from ctypes import byref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, Union

from . import _constants as C
from . import _lib, _out
from . import keys as _keys
from ._handle import Handle, new_handle
from ._status import check
from .fields import to_bytes
from .streams import StreamWriter

if TYPE_CHECKING:
    from .backends import Backend, PathLike
    from .tree import Commit, Tree

_f = _lib.fn


@dataclass(frozen=True)
class WriteOnlyKeys:
    """A key pair: ``read_key`` reads everything (keep it secret), ``write_key`` only writes
    (give it to the writers). Both are text ("infinitree-read-key-1:..." and
    "infinitree-write-key-1:..." with 128 hex digits)."""

    read_key: str
    write_key: str


def _key(key: str) -> bytes:
    if not isinstance(key, str):
        raise TypeError(f"a write-only tree key is str, not {type(key).__name__}")
    b = key.encode("utf-8")
    if b"\0" in b:
        raise ValueError("a write-only tree key cannot contain NUL characters")
    return b


def make_write_only_keys() -> WriteOnlyKeys:
    """A new key pair from the operating system's CSPRNG."""
    r, w = _lib.Buf(), _lib.Buf()
    check(_f["it_write_only_keys_new"](byref(r), byref(w)))
    try:
        return WriteOnlyKeys(r.data[: r.size].decode(), w.data[: w.size].decode())
    finally:
        _f["it_buf_free"](byref(r))
        _f["it_buf_free"](byref(w))


def write_key_of(read_key: str) -> str:
    """The write key that goes with ``read_key`` (InvalidArgument for a write key)."""
    return _out.text(_f["it_write_only_keys_get_write_key"], _key(read_key))


class WriteOnlySession(Handle):
    """A writer's session: maps, values, streams and commits; nothing can be read back. Its
    data goes into a session tree of its own, announced in the store's inbox under
    ``index``. Closing (or leaving the ``with`` block) discards uncommitted writes and
    forgets the session key. Used by one thread at a time."""

    _kind = "write-only session"

    def __init__(self, ptr: int, backend: "Backend") -> None:
        Handle.__init__(self, ptr, _f["it_write_session_free"])
        self.backend = backend
        self.index: int = _out.u64(_f["it_write_session_get_index"], ptr)

    @classmethod
    def open(cls, where: "Union[PathLike, Backend]", write_key: str, **opts: Any) -> "WriteOnlySession":
        """Starts a session in the store at ``where`` (a path or a Backend). ``opts`` as
        for Tree.open (compression, node sizes); read_only=True is InvalidArgument."""
        from .tree import _backend_for, _options

        k = _key(write_key)
        backend, owned = _backend_for(where)
        o = _options(**opts)
        try:
            ptr = new_handle(_f["it_write_session_open"], backend._h(), k, o)
        except BaseException:
            if owned:
                backend.close()
            raise
        finally:
            _f["it_options_free"](o)
        return cls(ptr, backend)

    def put(self, map: str, key: Any, value: Union[bytes, str]) -> None:
        """Stores ``value`` under ``key`` in map ``map`` (keys as in a map with keys="auto")."""
        from .tree import _cstr

        k = _keys.encode(key, "auto")
        v = to_bytes(value)
        check(_f["it_write_session_put"](self._h(), _cstr(map), k, len(k), v, len(v)))

    def set(self, field: str, value: Union[bytes, str]) -> None:
        """Sets value field ``field``."""
        from .tree import _cstr

        v = to_bytes(value)
        check(_f["it_write_session_set"](self._h(), _cstr(field), v, len(v)))

    def create_stream(self) -> StreamWriter:
        """A writer of a new stream; store the ref ``finish()`` returns with put or set."""
        return StreamWriter(self, _session=True)

    def commit(self, message: str = "") -> "Optional[Commit]":
        """Commits the session's writes (durable on return); None if nothing changed."""
        from .tree import Commit, _cstr

        out = ctypes.c_void_p()
        check(_f["it_write_session_commit"](self._h(), _cstr(message), byref(out)))
        return Commit._take(out.value) if out.value else None

    def __repr__(self) -> str:
        return f"<infinitree.WriteOnlySession {self.index}{' closed' if self.closed else ''}>"


@dataclass(frozen=True)
class WriteOnlySessionEntry:
    """One inbox entry: ``status`` "ok" (a session to open), "missing" (a gap: deleted from
    the store although a later entry exists) or "corrupt" (fails authentication or is short:
    overwritten or damaged)."""

    index: int
    status: str

    @property
    def ok(self) -> bool:
        return self.status == "ok"


# A short entry (IT_ETRUNCATED) is damage like one that fails authentication.
_STATUS = {C.IT_OK: "ok", C.IT_EMISSING: "missing", C.IT_ECORRUPT: "corrupt", C.IT_ETRUNCATED: "corrupt"}


def _read_backend(where: "Union[PathLike, Backend]") -> "Tuple[Backend, bool]":
    """The backend to read a store from: a path must be an existing folder (NotFound
    otherwise), so reading never leaves an empty folder behind."""
    import os

    from .backends import Backend
    from .errors import NotFound
    from .tree import _backend_for

    if not isinstance(where, Backend) and isinstance(where, (str, bytes, os.PathLike)):
        if not os.path.isdir(os.fsdecode(where)):
            raise NotFound(C.IT_ENOTFOUND, f"no store here: {os.fsdecode(where)!r} is not a directory")
    return _backend_for(where)


def write_only_sessions(where: "Union[PathLike, Backend]", read_key: str) -> List[WriteOnlySessionEntry]:
    """The store's inbox, oldest first (PermissionDenied for a write key)."""
    k = _key(read_key)
    backend, owned = _read_backend(where)
    try:
        h = new_handle(_f["it_write_sessions_new"], backend._h(), k)
    finally:
        if owned:
            backend.close()
    try:
        out = []
        index, status = ctypes.c_uint64(), ctypes.c_int()
        for i in range(_out.u64(_f["it_write_sessions_count"], h)):
            check(_f["it_write_sessions_get"](h, i, byref(index), byref(status)))
            out.append(WriteOnlySessionEntry(index.value, _STATUS.get(status.value, "error")))
        return out
    finally:
        _f["it_write_sessions_free"](h)


def open_write_only_session(where: "Union[PathLike, Backend]", read_key: str, index: int, **opts: Any) -> "Tree":
    """Session ``index`` as a read-only Tree (PermissionDenied for a write key, NotFound if
    the inbox has no such entry, Corrupt if it fails authentication)."""
    from .tree import Tree, _options

    k = _key(read_key)
    backend, owned = _read_backend(where)
    o = _options(**opts)
    try:
        ptr = new_handle(_f["it_tree_open_write_session"], backend._h(), k, int(index), o)
    except BaseException:
        if owned:
            backend.close()
        raise
    finally:
        _f["it_options_free"](o)
    return Tree(ptr, backend)


__all__ = [
    "WriteOnlyKeys",
    "WriteOnlySession",
    "WriteOnlySessionEntry",
    "make_write_only_keys",
    "write_key_of",
    "write_only_sessions",
    "open_write_only_session",
]
