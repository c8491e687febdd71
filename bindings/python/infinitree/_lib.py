"""Loading libinfinitree.so and declaring the C ABI (include/infinitree.h) for ctypes.

Every function this package calls is listed in ``_PROTOTYPES`` with its restype and
argtypes, so ctypes never guesses an int where the C side has a pointer or a size_t.
The library is looked up, in order:

1. the path in the environment variable ``INFINITREE_LIBRARY``;
2. a ``libinfinitree.so*`` file next to this package (inside ``infinitree/`` or beside it);
3. the system: ``ctypes.util.find_library("infinitree")``, then ``libinfinitree.so.0``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ENV_VAR = "INFINITREE_LIBRARY"


class Buf(Structure):
    """struct it_buf: bytes owned by the caller, released with it_buf_free."""

    # POINTER(c_char): `buf.data[:buf.size]` copies out the bytes in C, three times faster
    # than ctypes.string_at (itself a foreign call) on the hot path.
    _fields_ = [("data", POINTER(ctypes.c_char)), ("size", c_size_t)]


class Stats(Structure):
    """struct it_stats."""

    _fields_ = [
        ("objects", c_uint64),
        ("commits", c_uint64),
        ("chunks_written", c_uint64),
        ("bytes_written", c_uint64),
        ("node_cache_hits", c_uint64),
        ("node_cache_misses", c_uint64),
        ("reserved", c_uint64 * 10),
    ]


class StreamStats(Structure):
    """struct it_stream_stats."""

    _fields_ = [
        ("bytes_in", c_uint64),
        ("bytes_new", c_uint64),
        ("bytes_stored", c_uint64),
        ("chunks", c_uint64),
        ("chunks_new", c_uint64),
        ("reserved", c_uint64 * 3),
    ]


# Handles are opaque: c_void_p everywhere (ctypes hands them back as int or None).
H = c_void_p
PH = POINTER(c_void_p)
PBUF = POINTER(Buf)
P_u64 = POINTER(c_uint64)
P_size = POINTER(c_size_t)
P_u8p = POINTER(POINTER(c_uint8))

# name -> (restype, argtypes)
_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    # version and errors
    "it_version": (c_char_p, []),
    "it_strerror": (c_char_p, [c_int]),
    "it_last_error": (c_char_p, []),
    "it_last_error_code": (c_int, []),
    "it_error_clear": (None, []),
    "it_buf_free": (None, [PBUF]),
    # backends
    "it_backend_memory": (c_int, [PH]),
    "it_backend_directory": (c_int, [c_char_p, PH]),
    "it_backend_s3": (c_int, [H, PH]),
    "it_backend_cache": (c_int, [H, c_char_p, c_uint64, PH]),
    "it_backend_describe": (c_int, [H, PBUF]),
    "it_backend_free": (None, [H]),
    "it_s3_options_new": (c_int, [PH]),
    "it_s3_options_set": (c_int, [H, c_char_p, c_char_p]),
    "it_s3_options_free": (None, [H]),
    # options
    "it_options_new": (c_int, [PH]),
    "it_options_set_kdf": (c_int, [H, c_uint32, c_uint32, c_uint32]),
    "it_options_set_insecure_fast_kdf": (c_int, [H]),
    "it_options_set_read_only": (c_int, [H, c_int]),
    "it_options_set_compression": (c_int, [H, c_int]),
    "it_options_set_node_cache_bytes": (c_int, [H, c_uint64]),
    "it_options_set_node_bytes": (c_int, [H, c_uint64]),
    "it_options_free": (None, [H]),
    # trees
    "it_tree_create": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_open": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_close": (c_int, [H]),
    "it_tree_free": (None, [H]),
    "it_tree_read_only": (c_int, [H]),
    "it_tree_map": (c_int, [H, c_char_p, PH]),
    "it_tree_set": (c_int, [H, c_char_p, PH]),
    "it_tree_list": (c_int, [H, c_char_p, PH]),
    "it_tree_value": (c_int, [H, c_char_p, PH]),
    "it_tree_fields": (c_int, [H, PH]),
    "it_tree_has_field": (c_int, [H, c_char_p]),
    "it_tree_rename_field": (c_int, [H, c_char_p, c_char_p]),
    "it_tree_drop_field": (c_int, [H, c_char_p]),
    "it_tree_commit": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_rollback": (c_int, [H]),
    "it_tree_has_changes": (c_int, [H]),
    "it_commit_options_new": (c_int, [PH]),
    "it_commit_options_set_force": (c_int, [H, c_int]),
    "it_commit_options_set_orphan": (c_int, [H, c_int]),
    "it_commit_options_add_parent": (c_int, [H, c_char_p]),
    "it_commit_options_free": (None, [H]),
    "it_tree_log": (c_int, [H, c_int, c_char_p, c_char_p, PH]),
    "it_tree_commit_info": (c_int, [H, c_char_p, PH]),
    "it_tree_head": (c_int, [H, PH]),
    "it_tree_checkout": (c_int, [H, c_char_p, PH]),
    "it_tree_diff": (c_int, [H, c_char_p, c_char_p, c_char_p, PH]),
    "it_tree_current_branch": (c_int, [H, PBUF]),
    "it_tree_create_branch": (c_int, [H, c_char_p, c_char_p]),
    "it_tree_switch_branch": (c_int, [H, c_char_p]),
    "it_tree_delete_branch": (c_int, [H, c_char_p]),
    "it_tree_branches": (c_int, [H, PH]),
    "it_tree_create_tag": (c_int, [H, c_char_p, c_char_p]),
    "it_tree_delete_tag": (c_int, [H, c_char_p]),
    "it_tree_tags": (c_int, [H, PH]),
    "it_tree_resolve": (c_int, [H, c_char_p, PBUF]),
    "it_tree_change_password": (c_int, [H, c_char_p, c_char_p, c_size_t, H]),
    "it_tree_stats": (c_int, [H, POINTER(Stats)]),
    # checkouts
    "it_view_map": (c_int, [H, c_char_p, PH]),
    "it_view_set": (c_int, [H, c_char_p, PH]),
    "it_view_list": (c_int, [H, c_char_p, PH]),
    "it_view_value": (c_int, [H, c_char_p, PH]),
    "it_view_fields": (c_int, [H, PH]),
    "it_view_has_field": (c_int, [H, c_char_p]),
    "it_view_commit": (c_int, [H, PH]),
    "it_view_free": (None, [H]),
    # maps
    "it_map_get": (c_int, [H, c_char_p, c_size_t, PBUF]),
    "it_map_put": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t]),
    "it_map_put_if_absent": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t]),
    "it_map_compare_and_swap": (
        c_int,
        [H, c_char_p, c_size_t, c_int, c_char_p, c_size_t, c_int, c_char_p, c_size_t],
    ),
    "it_map_delete": (c_int, [H, c_char_p, c_size_t]),
    "it_map_contains": (c_int, [H, c_char_p, c_size_t]),
    "it_map_count": (c_int, [H, P_u64]),
    "it_map_count_range": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_u64]),
    "it_map_delete_range": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_u64]),
    "it_map_clear": (c_int, [H]),
    "it_map_cursor": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, PH]),
    "it_map_prefix_cursor": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_map_free": (None, [H]),
    # cursors
    "it_cursor_valid": (c_int, [H]),
    "it_cursor_key": (c_int, [H, PBUF]),
    "it_cursor_value": (c_int, [H, PBUF]),
    "it_cursor_entry": (c_int, [H, PBUF, PBUF]),
    "it_cursor_first": (c_int, [H]),
    "it_cursor_last": (c_int, [H]),
    "it_cursor_seek": (c_int, [H, c_char_p, c_size_t]),
    "it_cursor_seek_for_prev": (c_int, [H, c_char_p, c_size_t]),
    "it_cursor_next": (c_int, [H]),
    "it_cursor_prev": (c_int, [H]),
    "it_cursor_free": (None, [H]),
    # sets, lists, values
    "it_set_insert": (c_int, [H, c_char_p, c_size_t]),
    "it_set_contains": (c_int, [H, c_char_p, c_size_t]),
    "it_set_delete": (c_int, [H, c_char_p, c_size_t]),
    "it_set_count": (c_int, [H, P_u64]),
    "it_set_cursor": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, PH]),
    "it_set_free": (None, [H]),
    "it_list_push": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_list_get": (c_int, [H, c_uint64, PBUF]),
    "it_list_set": (c_int, [H, c_uint64, c_char_p, c_size_t]),
    "it_list_pop": (c_int, [H]),
    "it_list_count": (c_int, [H, P_u64]),
    "it_list_free": (None, [H]),
    "it_value_get": (c_int, [H, PBUF]),
    "it_value_set": (c_int, [H, c_char_p, c_size_t]),
    "it_value_reset": (c_int, [H]),
    "it_value_free": (None, [H]),
    # commit information (accessors return borrowed pointers: c_void_p, read with string_at)
    "it_commit_id": (c_char_p, [H]),
    "it_commit_parent_count": (c_size_t, [H]),
    "it_commit_parent": (c_char_p, [H, c_size_t]),
    "it_commit_time_ms": (c_int64, [H]),
    "it_commit_sequence": (c_uint64, [H]),
    "it_commit_branch": (c_char_p, [H]),
    "it_commit_message": (c_void_p, [H, P_size]),
    "it_commit_custom": (c_void_p, [H, P_size]),
    "it_commit_free": (None, [H]),
    "it_log_count": (c_size_t, [H]),
    "it_log_get": (c_int, [H, c_size_t, PH]),
    "it_log_free": (None, [H]),
    # name lists
    "it_names_count": (c_size_t, [H]),
    "it_names_name": (c_char_p, [H, c_size_t]),
    "it_names_target": (c_char_p, [H, c_size_t]),
    "it_names_type": (c_int, [H, c_size_t]),
    "it_names_free": (None, [H]),
    # diffs
    "it_diff_count": (c_size_t, [H]),
    "it_diff_get": (
        c_int,
        [H, c_size_t, P_u8p, P_size, P_u8p, P_size, P_u8p, P_size],
    ),
    "it_diff_free": (None, [H]),
    # order-preserving keys
    "it_key_builder_new": (c_int, [PH]),
    "it_key_builder_add_int": (c_int, [H, c_int64]),
    "it_key_builder_add_uint": (c_int, [H, c_uint64]),
    "it_key_builder_add_double": (c_int, [H, c_double]),
    "it_key_builder_add_str": (c_int, [H, c_char_p, c_size_t]),
    "it_key_builder_add_bytes": (c_int, [H, c_char_p, c_size_t]),
    "it_key_builder_add_bool": (c_int, [H, c_int]),
    "it_key_builder_add_null": (c_int, [H]),
    "it_key_builder_finish": (c_int, [H, PBUF]),
    "it_key_builder_reset": (c_int, [H]),
    "it_key_builder_free": (None, [H]),
    "it_key_decode": (c_int, [c_char_p, c_size_t, PH]),
    "it_key_parts_count": (c_size_t, [H]),
    "it_key_parts_type": (c_int, [H, c_size_t]),
    "it_key_parts_int": (c_int, [H, c_size_t, POINTER(c_int64)]),
    "it_key_parts_uint": (c_int, [H, c_size_t, P_u64]),
    "it_key_parts_double": (c_int, [H, c_size_t, POINTER(c_double)]),
    "it_key_parts_bool": (c_int, [H, c_size_t, POINTER(c_int)]),
    "it_key_parts_bytes": (c_int, [H, c_size_t, P_u8p, P_size]),
    "it_key_parts_free": (None, [H]),
    # streams (data pointers as c_void_p: bytes or a ctypes array over a writable buffer)
    "it_stream_writer_new": (c_int, [H, PH]),
    "it_stream_write": (c_int, [H, c_void_p, c_size_t]),
    "it_stream_writer_finish": (c_int, [H, PBUF]),
    "it_stream_writer_stats": (c_int, [H, POINTER(StreamStats)]),
    "it_stream_writer_free": (None, [H]),
    "it_stream_reader_new": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_stream_reader_new_view": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_stream_reader_size": (c_int, [H, P_u64]),
    "it_stream_read": (c_int, [H, c_void_p, c_size_t, P_size]),
    "it_stream_reader_seek": (c_int, [H, c_uint64]),
    "it_stream_reader_tell": (c_int, [H, P_u64]),
    "it_stream_read_at": (c_int, [H, c_uint64, c_void_p, c_size_t, P_size]),
    "it_stream_reader_free": (None, [H]),
    "it_stream_is_ref": (c_int, [c_char_p, c_size_t]),
}


def _candidates() -> List[str]:
    """Where to look, in order (see the module docstring)."""
    env = os.environ.get(ENV_VAR)
    if env:
        # An explicit path is a promise: do not silently fall back to another library.
        return [env]
    found: List[str] = []
    here = Path(__file__).resolve().parent
    for folder in (here, here.parent):
        found.extend(str(p) for p in sorted(folder.glob("libinfinitree.so*")))
    system = ctypes.util.find_library("infinitree")
    if system:
        found.append(system)
    found.append("libinfinitree.so.0")
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    env = os.environ.get(ENV_VAR)
    if env and not os.path.exists(env):
        raise ImportError(
            f"infinitree: {ENV_VAR}={env!r} does not exist; point it at libinfinitree.so "
            "(built by `ninja -C <build> libinfinitree.so`)"
        )
    errors: List[str] = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError(
        "infinitree: libinfinitree.so not found. Set "
        f"{ENV_VAR}=/path/to/libinfinitree.so, put the library next to the package, or "
        "install it on the system. Tried: " + "; ".join(errors)
    )


def _missing(name: str) -> Callable[..., Any]:
    def call(*_args: Any) -> Any:
        from .errors import InternalError

        raise InternalError(-19, f"{name} is not in this build of libinfinitree ({path})")

    return call


lib, path = _load()

# The declared functions by name. Modules bind the ones they use to module globals once,
# so the hot path does not pay for an attribute lookup on the CDLL.
fn: Dict[str, Any] = {}
for _name, (_res, _args) in _PROTOTYPES.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        # An older library without this function: fail when it is called, not at import.
        fn[_name] = _missing(_name)
        continue
    _f.restype = _res
    _f.argtypes = _args
    fn[_name] = _f

__all__ = ["lib", "path", "fn", "Buf", "Stats", "StreamStats", "ENV_VAR"]
