"""Key slots and raw keys (docs/keys.md): a tree opens with any of its slots, a user name
and password or a raw 256-bit key from a KMS, a secrets manager or a file.

    with infinitree.Tree.open_with_key("/srv/db", key) as t: ...
    slot_id = t.add_key_slot("backup robot", os.urandom(32))
    t.remove_key_slot(slot_id)

The Tree methods (open_with_key, create_with_key, key_slots, add_key_slot,
add_password_slot, remove_key_slot) call the functions here."""

from __future__ import annotations

import ctypes
import os
from ctypes import byref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Union

from . import _constants as C
from . import _lib, _out
from ._handle import new_handle
from ._status import check

if TYPE_CHECKING:
    from .backends import Backend, PathLike
    from .tree import KdfArg, Tree

_f = _lib.fn

#: Bytes in a raw key (InvalidArgument for another length).
RAW_KEY_SIZE = C.IT_RAW_KEY_SIZE
#: A tree has at most this many slots; labels are at most this many bytes.
MAX_KEY_SLOTS = C.IT_MAX_KEY_SLOTS
MAX_KEY_SLOT_LABEL_SIZE = C.IT_MAX_KEY_SLOT_LABEL_SIZE

_KINDS = {C.IT_KEY_SLOT_PASSWORD: "password", C.IT_KEY_SLOT_RAW_KEY: "raw_key"}


@dataclass(frozen=True)
class KeySlot:
    """One key slot: never the secret. ``kind`` is "password" or "raw_key"; ``created_ms``
    is 0 for the credential of a tree that never had a slot change; ``current`` marks the
    slot this handle was opened with."""

    id: str
    label: str
    created_ms: int
    kind: str
    current: bool


def _key_bytes(key: Union[bytes, bytearray, memoryview]) -> bytes:
    if isinstance(key, str):
        raise TypeError("a raw key is bytes (32 of them), not str: decode it first")
    return bytes(key)


def _label(label: str) -> bytes:
    b = label.encode("utf-8")
    if b"\0" in b:
        raise ValueError("a key slot label cannot contain NUL characters")
    return b


def make_with_key(cls: Any, func: str, where: "Union[PathLike, Backend]", key: bytes, **opts: Any) -> "Tree":
    """Tree.create_with_key / Tree.open_with_key (``func`` is the C call)."""
    from .tree import _backend_for, _options

    if func == "it_tree_open_with_key" and not hasattr(where, "_h") and not os.path.isdir(os.fsdecode(where)):
        from .errors import NotFound

        raise NotFound(C.IT_ENOTFOUND, f"no tree here: {os.fsdecode(where)!r} is not a directory")
    k = _key_bytes(key)
    backend, owned = _backend_for(where)
    o = _options(**opts)
    try:
        ptr = new_handle(_f[func], backend._h(), k, len(k), o)
    except BaseException:
        if owned:
            backend.close()
        raise
    finally:
        _f["it_options_free"](o)
    return cls(ptr, backend)


def key_slots(tree: "Tree") -> List[KeySlot]:
    out = ctypes.c_void_p()
    check(_f["it_tree_key_slots"](tree._h(), byref(out)))
    h = out.value
    try:
        slots = []
        for i in range(_out.u64(_f["it_key_slots_count"], h)):
            slots.append(
                KeySlot(
                    id=_out.text(_f["it_key_slots_id"], h, i),
                    label=_out.text(_f["it_key_slots_name"], h, i),
                    created_ms=_out.i64(_f["it_key_slots_time"], h, i),
                    kind=_KINDS.get(_out.kind(_f["it_key_slots_type"], h, i), "unknown"),
                    current=_out.yes(_f["it_key_slots_is_current"], h, i),
                )
            )
        return slots
    finally:
        _f["it_key_slots_free"](h)


def add_password_slot(tree: "Tree", label: str, user: str, password: Union[str, bytes], kdf: "KdfArg" = None) -> str:
    from .tree import _cstr, _kdf_costs, _password

    cost = _kdf_costs(kdf)
    pw = _password(password)
    return _out.text(
        _f["it_tree_add_password_slot"],
        tree._h(),
        _label(label),
        _cstr(user),
        pw,
        len(pw),
        cost.memory_kib,
        cost.iterations,
        cost.parallelism,
    )


def add_key_slot(tree: "Tree", label: str, key: bytes) -> str:
    k = _key_bytes(key)
    return _out.text(_f["it_tree_add_key_slot"], tree._h(), _label(label), k, len(k))


def remove_key_slot(tree: "Tree", slot_id: str) -> None:
    check(_f["it_tree_delete_key_slot"](tree._h(), _label(slot_id)))
