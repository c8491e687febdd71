"""infinitree: a versioned, embedded, encrypted database (Python binding over the C ABI).

    import infinitree
    with infinitree.Tree.create("/tmp/db", "alice", "secret", kdf="fast") as t:
        m = t.map("plants")
        m["fern"] = b"42"
        t.commit("first")

See docs/python.md for the guide. The shared library is found through the environment
variable INFINITREE_LIBRARY, next to the package, or on the system.
"""

from __future__ import annotations

from . import _constants, _lib
from .backends import Backend, CacheBackend, DirectoryBackend, MemoryBackend, S3Backend
from .errors import (
    AlreadyExists,
    Closed,
    Conflict,
    Corrupt,
    Error,
    IndexOutOfRange,
    InternalError,
    InvalidArgument,
    IOFailure,
    KeyNotFound,
    Locked,
    NetworkError,
    NoMemory,
    NoSpace,
    NotFound,
    ObjectMissing,
    PermissionDenied,
    ReadOnly,
    RemoteAuthError,
    RemoteError,
    TooLarge,
    Truncated,
    UnsupportedVersion,
    WrongCredentials,
)
from .fields import ItemsRange, KeysRange, List, Map, Set, Value, ValuesRange
from .keys import Desc
from .key_slots import KeySlot
from .keys import decode_typed as decode_key
from .keys import encode_typed as encode_key
from .streams import StreamReader, StreamStats, StreamWriter, is_stream_ref
from .space import ForgetReport, SpaceReport
from .tree import Commit, DiffEntry, KdfCost, Stats, Tree, View
from .datamodel import KeyChange, MultiMap, Transaction, export_json, import_json, key_history
from .views import Cursor, ItemView, diff_view, intersection, union
from .schema import ListField, MapField, Schema, SchemaRecord, SetField, TypedList, TypedMap, TypedSet, TypedValue, UInt, ValueField
from .write_only import (
    WriteOnlyKeys,
    WriteOnlySession,
    WriteOnlySessionEntry,
    make_write_only_keys,
    open_write_only_session,
    write_key_of,
    write_only_sessions,
)

__version__ = "0.1.0"

#: Largest key and value the store accepts (TooLarge beyond).
MAX_KEY_SIZE = _constants.IT_MAX_KEY_SIZE
MAX_VALUE_SIZE = _constants.IT_MAX_VALUE_SIZE


def library_version() -> str:
    """The version of the loaded libinfinitree (it_version())."""
    v: bytes = _lib.fn["it_version"]()
    return v.decode()


def library_path() -> str:
    """The path (or name) libinfinitree was loaded from."""
    return _lib.path


def strerror(code: int) -> str:
    """The library's short description of a status code."""
    s: bytes = _lib.fn["it_error_string"](code)
    return s.decode()


__all__ = [
    "Schema",
    "SchemaRecord",
    "MapField",
    "SetField",
    "ListField",
    "ValueField",
    "TypedMap",
    "TypedSet",
    "TypedList",
    "TypedValue",
    "UInt",
    "WriteOnlyKeys",
    "WriteOnlySession",
    "WriteOnlySessionEntry",
    "make_write_only_keys",
    "open_write_only_session",
    "write_key_of",
    "write_only_sessions",
    "Desc",
    "KeyChange",
    "MultiMap",
    "key_history",
    "export_json",
    "import_json",
    "Transaction",
    "ItemView",
    "Cursor",
    "union",
    "intersection",
    "diff_view",
    "Tree",
    "View",
    "Commit",
    "DiffEntry",
    "Stats",
    "KdfCost",
    "ForgetReport",
    "SpaceReport",
    "KeySlot",
    "Map",
    "Set",
    "List",
    "Value",
    "KeysRange",
    "ValuesRange",
    "ItemsRange",
    "Backend",
    "MemoryBackend",
    "DirectoryBackend",
    "S3Backend",
    "CacheBackend",
    "StreamWriter",
    "StreamReader",
    "StreamStats",
    "is_stream_ref",
    "encode_key",
    "decode_key",
    "library_version",
    "library_path",
    "strerror",
    "MAX_KEY_SIZE",
    "MAX_VALUE_SIZE",
    "Error",
    "InvalidArgument",
    "NotFound",
    "KeyNotFound",
    "IndexOutOfRange",
    "ObjectMissing",
    "Truncated",
    "Corrupt",
    "IOFailure",
    "PermissionDenied",
    "WrongCredentials",
    "AlreadyExists",
    "Locked",
    "TooLarge",
    "Closed",
    "UnsupportedVersion",
    "NoMemory",
    "NetworkError",
    "RemoteAuthError",
    "Conflict",
    "ReadOnly",
    "InternalError",
    "RemoteError",
    "NoSpace",
]
