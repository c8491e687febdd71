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
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

# errors.py imports nothing of this package but _constants: no import cycle.
from ._constants import IT_EINTERNAL, IT_SPACE_REPORT_VERSION, IT_STATS_VERSION, IT_STREAM_STATS_VERSION
from .errors import InternalError

ENV_VAR = "INFINITREE_LIBRARY"


class Buf(Structure):
    """struct it_buf: bytes owned by the caller, released with it_buf_free."""

    # POINTER(c_char): `buf.data[:buf.size]` copies out the bytes in C, three times faster
    # than ctypes.string_at (itself a foreign call) on the hot path.
    _fields_ = [("data", POINTER(ctypes.c_char)), ("size", c_size_t)]


# The caller sets `version` (IT_*_VERSION) and the library fills the fields of that version.
STATS_VERSION = IT_STATS_VERSION
STREAM_STATS_VERSION = IT_STREAM_STATS_VERSION
SPACE_REPORT_VERSION = IT_SPACE_REPORT_VERSION


class Stats(Structure):
    """struct it_stats (version STATS_VERSION)."""

    _fields_ = [
        ("version", c_uint32),
        ("objects", c_uint64),
        ("commits", c_uint64),
        ("chunks_written", c_uint64),
        ("bytes_written", c_uint64),
        ("node_cache_hits", c_uint64),
        ("node_cache_misses", c_uint64),
    ]


class StreamStats(Structure):
    """struct it_stream_stats (version STREAM_STATS_VERSION)."""

    _fields_ = [
        ("version", c_uint32),
        ("bytes_in", c_uint64),
        ("bytes_new", c_uint64),
        ("bytes_stored", c_uint64),
        ("chunks", c_uint64),
        ("chunks_new", c_uint64),
    ]


class SpaceReport(Structure):
    """struct it_space_report (version SPACE_REPORT_VERSION)."""

    _fields_ = [("version", c_uint32)] + [
        (name, c_uint64)
        for name in (
            "objects",
            "object_bytes",
            "live_chunks",
            "live_bytes",
            "garbage_bytes",
            "objects_to_delete",
            "objects_to_repack",
            "objects_pending",
            "objects_deleted",
            "objects_deferred",
            "chunks_moved",
            "bytes_moved",
            "temp_files_removed",
        )
    ]


# Handles are opaque: c_void_p everywhere (ctypes hands them back as int or None).
H = c_void_p
PH = POINTER(c_void_p)
PBUF = POINTER(Buf)
P_u64 = POINTER(c_uint64)
P_size = POINTER(c_size_t)
P_i64 = POINTER(c_int64)
P_int = POINTER(c_int)
P_double = POINTER(c_double)

# name -> (restype, argtypes), in the header's order. tests/test_packaging.py checks every
# entry against include/infinitree.h, type by type.
_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    "it_version": (c_char_p, []),
    "it_error_string": (c_char_p, [c_int]),
    "it_error_message": (c_char_p, []),
    "it_error_code": (c_int, []),
    "it_error_clear": (None, []),
    "it_buf_free": (None, [PBUF]),
    "it_backend_new_memory": (c_int, [PH]),
    "it_backend_new_directory": (c_int, [c_char_p, PH]),
    "it_backend_new_s3": (c_int, [H, PH]),
    "it_backend_new_cache": (c_int, [H, c_char_p, c_uint64, PH]),
    "it_backend_describe": (c_int, [H, PBUF]),
    "it_backend_free": (None, [H]),
    "it_s3_options_new": (c_int, [PH]),
    "it_s3_options_set_url": (c_int, [H, c_char_p]),
    "it_s3_options_set_endpoint": (c_int, [H, c_char_p]),
    "it_s3_options_set_region": (c_int, [H, c_char_p]),
    "it_s3_options_set_bucket": (c_int, [H, c_char_p]),
    "it_s3_options_set_prefix": (c_int, [H, c_char_p]),
    "it_s3_options_set_addressing": (c_int, [H, c_int]),
    "it_s3_options_set_access_key_id": (c_int, [H, c_char_p]),
    "it_s3_options_set_secret_access_key": (c_int, [H, c_char_p]),
    "it_s3_options_set_session_token": (c_int, [H, c_char_p]),
    "it_s3_options_set_ca_file": (c_int, [H, c_char_p]),
    "it_s3_options_set_parallel_uploads": (c_int, [H, c_uint32]),
    "it_s3_options_set_max_attempts": (c_int, [H, c_uint32]),
    "it_s3_options_set_retry_base_ms": (c_int, [H, c_uint32]),
    "it_s3_options_set_max_retry_seconds": (c_int, [H, c_uint32]),
    "it_s3_options_set_connect_timeout_ms": (c_int, [H, c_uint32]),
    "it_s3_options_set_stall_timeout_seconds": (c_int, [H, c_uint32]),
    "it_s3_options_free": (None, [H]),
    "it_options_new": (c_int, [PH]),
    "it_options_set_kdf": (c_int, [H, c_uint32, c_uint32, c_uint32]),
    "it_options_set_insecure_fast_kdf": (c_int, [H]),
    "it_options_set_read_only": (c_int, [H, c_int]),
    "it_options_set_compression": (c_int, [H, c_int]),
    "it_options_set_node_cache_bytes": (c_int, [H, c_uint64]),
    "it_options_set_node_bytes": (c_int, [H, c_uint64]),
    "it_options_set_warm_start_nodes": (c_int, [H, c_uint64]),
    "it_options_free": (None, [H]),
    "it_tree_create": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_open": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_close": (c_int, [H]),
    "it_tree_free": (None, [H]),
    "it_tree_is_read_only": (c_int, [H, P_int]),
    "it_tree_refresh": (c_int, [H, P_int]),
    "it_tree_follow": (c_int, [H, c_uint32, c_uint32, c_double]),
    "it_tree_map": (c_int, [H, c_char_p, PH]),
    "it_tree_set": (c_int, [H, c_char_p, PH]),
    "it_tree_list": (c_int, [H, c_char_p, PH]),
    "it_tree_value": (c_int, [H, c_char_p, PH]),
    "it_tree_fields": (c_int, [H, PH]),
    "it_tree_contains_field": (c_int, [H, c_char_p, P_int]),
    "it_tree_rename_field": (c_int, [H, c_char_p, c_char_p]),
    "it_tree_delete_field": (c_int, [H, c_char_p]),
    "it_tree_commit": (c_int, [H, c_char_p, c_char_p, c_size_t, H, PH]),
    "it_tree_rollback": (c_int, [H]),
    "it_tree_is_modified": (c_int, [H, P_int]),
    "it_commit_options_new": (c_int, [PH]),
    "it_commit_options_set_force": (c_int, [H, c_int]),
    "it_commit_options_set_orphan": (c_int, [H, c_int]),
    "it_commit_options_add_parent": (c_int, [H, c_char_p]),
    "it_commit_options_free": (None, [H]),
    "it_tree_log": (c_int, [H, c_int, c_char_p, c_char_p, PH]),
    "it_tree_get_commit": (c_int, [H, c_char_p, PH]),
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
    "it_tree_change_password": (c_int, [H, c_char_p, c_char_p, c_size_t, c_uint32, c_uint32, c_uint32]),
    "it_tree_stats": (c_int, [H, POINTER(Stats)]),
    "it_retention_policy_new": (c_int, [PH]),
    "it_retention_policy_set_keep_last": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_hourly": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_daily": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_weekly": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_monthly": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_yearly": (c_int, [H, c_uint64]),
    "it_retention_policy_set_keep_within_ms": (c_int, [H, c_int64]),
    "it_retention_policy_free": (None, [H]),
    "it_prune_options_new": (c_int, [PH]),
    "it_prune_options_set_repack_below": (c_int, [H, c_double]),
    "it_prune_options_set_grace_ms": (c_int, [H, c_int64]),
    "it_prune_options_set_temp_grace_ms": (c_int, [H, c_int64]),
    "it_prune_options_set_dry_run": (c_int, [H, c_int]),
    "it_prune_options_free": (None, [H]),
    "it_tree_forget": (c_int, [H, POINTER(c_char_p), c_uint64, c_int, PH, PH]),
    "it_tree_forget_by_policy": (c_int, [H, H, c_int, PH, PH]),
    "it_tree_prune": (c_int, [H, H, POINTER(SpaceReport)]),
    "it_tree_space": (c_int, [H, H, POINTER(SpaceReport)]),
    "it_view_map": (c_int, [H, c_char_p, PH]),
    "it_view_set": (c_int, [H, c_char_p, PH]),
    "it_view_list": (c_int, [H, c_char_p, PH]),
    "it_view_value": (c_int, [H, c_char_p, PH]),
    "it_view_fields": (c_int, [H, PH]),
    "it_view_contains_field": (c_int, [H, c_char_p, P_int]),
    "it_view_get_commit": (c_int, [H, PH]),
    "it_view_free": (None, [H]),
    "it_map_get": (c_int, [H, c_char_p, c_size_t, PBUF]),
    "it_map_put": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t]),
    "it_map_put_if_absent": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_int]),
    "it_map_compare_and_swap": (c_int, [H, c_char_p, c_size_t, c_int, c_char_p, c_size_t, c_int, c_char_p, c_size_t, P_int]),
    "it_map_remove": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_map_contains": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_map_count": (c_int, [H, P_u64]),
    "it_map_count_range": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_u64]),
    "it_map_remove_range": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_u64]),
    "it_map_clear": (c_int, [H]),
    "it_map_cursor": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, PH]),
    "it_map_prefix_cursor": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_map_free": (None, [H]),
    "it_cursor_is_valid": (c_int, [H, P_int]),
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
    "it_set_insert": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_set_contains": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_set_remove": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_set_count": (c_int, [H, P_u64]),
    "it_set_cursor": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, PH]),
    "it_set_free": (None, [H]),
    "it_list_push": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_list_get": (c_int, [H, c_uint64, PBUF]),
    "it_list_set": (c_int, [H, c_uint64, c_char_p, c_size_t]),
    "it_list_remove_last": (c_int, [H]),
    "it_list_count": (c_int, [H, P_u64]),
    "it_list_free": (None, [H]),
    "it_value_get": (c_int, [H, PBUF]),
    "it_value_set": (c_int, [H, c_char_p, c_size_t]),
    "it_value_clear": (c_int, [H]),
    "it_value_free": (None, [H]),
    "it_commit_id": (c_int, [H, PBUF]),
    "it_commit_parent_count": (c_int, [H, P_u64]),
    "it_commit_parent": (c_int, [H, c_uint64, PBUF]),
    "it_commit_time_ms": (c_int, [H, P_i64]),
    "it_commit_sequence": (c_int, [H, P_u64]),
    "it_commit_branch": (c_int, [H, PBUF]),
    "it_commit_message": (c_int, [H, PBUF]),
    "it_commit_custom": (c_int, [H, PBUF]),
    "it_commit_forgotten_parent_count": (c_int, [H, P_u64]),
    "it_commit_forgotten_parent": (c_int, [H, c_uint64, PBUF]),
    "it_commit_free": (None, [H]),
    "it_log_count": (c_int, [H, P_u64]),
    "it_log_get": (c_int, [H, c_uint64, PH]),
    "it_log_free": (None, [H]),
    "it_names_count": (c_int, [H, P_u64]),
    "it_names_name": (c_int, [H, c_uint64, PBUF]),
    "it_names_target": (c_int, [H, c_uint64, PBUF]),
    "it_names_type": (c_int, [H, c_uint64, P_int]),
    "it_names_free": (None, [H]),
    "it_diff_count": (c_int, [H, P_u64]),
    "it_diff_get": (c_int, [H, c_uint64, PBUF, P_int, PBUF, P_int, PBUF]),
    "it_diff_free": (None, [H]),
    "it_key_builder_new": (c_int, [PH]),
    "it_key_builder_add_int": (c_int, [H, c_int64]),
    "it_key_builder_add_uint": (c_int, [H, c_uint64]),
    "it_key_builder_add_double": (c_int, [H, c_double]),
    "it_key_builder_add_str": (c_int, [H, c_char_p, c_size_t]),
    "it_key_builder_add_bytes": (c_int, [H, c_char_p, c_size_t]),
    "it_key_builder_add_bool": (c_int, [H, c_int]),
    "it_key_builder_add_null": (c_int, [H]),
    "it_key_builder_finish": (c_int, [H, PBUF]),
    "it_key_builder_clear": (c_int, [H]),
    "it_key_builder_free": (None, [H]),
    "it_key_decode": (c_int, [c_char_p, c_size_t, PH]),
    "it_key_parts_count": (c_int, [H, P_u64]),
    "it_key_parts_type": (c_int, [H, c_uint64, P_int]),
    "it_key_parts_int": (c_int, [H, c_uint64, P_i64]),
    "it_key_parts_uint": (c_int, [H, c_uint64, P_u64]),
    "it_key_parts_double": (c_int, [H, c_uint64, P_double]),
    "it_key_parts_bool": (c_int, [H, c_uint64, P_int]),
    "it_key_parts_bytes": (c_int, [H, c_uint64, PBUF]),
    "it_key_parts_free": (None, [H]),
    "it_key_builder_add_time": (c_int, [H, c_int64]),
    "it_key_builder_set_descending": (c_int, [H, c_int]),
    "it_key_parts_time": (c_int, [H, c_uint64, P_i64]),
    "it_key_parts_is_descending": (c_int, [H, c_uint64, P_int]),
    "it_map_remove_prefix": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_map_count_prefix": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_map_insert_pair": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_int]),
    "it_map_remove_pair": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_int]),
    "it_map_remove_values": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_map_count_values": (c_int, [H, c_char_p, c_size_t, P_u64]),
    "it_map_cursor_values": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_tree_log_key": (c_int, [H, c_char_p, c_char_p, c_size_t, c_char_p, c_uint64, PH]),
    "it_key_history_count": (c_int, [H, P_u64]),
    "it_key_history_get": (c_int, [H, c_uint64, PH, P_int, PBUF]),
    "it_key_history_free": (None, [H]),
    "it_map_get_json": (c_int, [H, c_char_p, c_size_t, PBUF]),
    "it_map_put_json": (c_int, [H, c_char_p, c_size_t, c_char_p, c_size_t, P_u64]),
    "it_msgpack_encode": (c_int, [c_char_p, c_size_t, PBUF]),
    "it_msgpack_decode": (c_int, [c_char_p, c_size_t, PBUF]),
    "it_transaction_new": (c_int, [H, PH]),
    "it_transaction_read": (c_int, [H, c_char_p, c_char_p, c_size_t, PBUF]),
    "it_transaction_put": (c_int, [H, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "it_transaction_remove": (c_int, [H, c_char_p, c_char_p, c_size_t]),
    "it_transaction_commit": (c_int, [H, P_u64]),
    "it_transaction_rollback": (c_int, [H]),
    "it_transaction_free": (None, [H]),
    "it_stream_writer_new": (c_int, [H, PH]),
    "it_stream_write": (c_int, [H, c_void_p, c_size_t]),
    "it_stream_writer_finish": (c_int, [H, PBUF]),
    "it_stream_writer_stats": (c_int, [H, POINTER(StreamStats)]),
    "it_stream_writer_free": (None, [H]),
    "it_stream_reader_new": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_stream_reader_new_from_view": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_stream_reader_size": (c_int, [H, P_u64]),
    "it_stream_read": (c_int, [H, c_void_p, c_size_t, P_size]),
    "it_stream_reader_seek": (c_int, [H, c_uint64]),
    "it_stream_reader_tell": (c_int, [H, P_u64]),
    "it_stream_read_at": (c_int, [H, c_uint64, c_void_p, c_size_t, P_size]),
    "it_stream_reader_free": (None, [H]),
    "it_stream_is_ref": (c_int, [c_char_p, c_size_t, P_int]),
    "it_item_view_new_map": (c_int, [H, PH]),
    "it_item_view_new_prefix": (c_int, [H, c_char_p, c_size_t, PH]),
    "it_item_view_new_range": (c_int, [H, c_int, c_char_p, c_size_t, c_int, c_char_p, c_size_t, PH]),
    "it_item_view_new_union": (c_int, [POINTER(c_void_p), c_uint64, PH]),
    "it_item_view_new_intersection": (c_int, [POINTER(c_void_p), c_uint64, PH]),
    "it_item_view_new_diff": (c_int, [H, c_char_p, c_char_p, c_char_p, c_int, c_int, c_int, PH]),
    "it_item_view_cursor": (c_int, [H, PH]),
    "it_item_view_get": (c_int, [H, c_char_p, c_size_t, PBUF]),
    "it_item_view_contains": (c_int, [H, c_char_p, c_size_t, P_int]),
    "it_item_view_count": (c_int, [H, P_u64]),
    "it_item_view_free": (None, [H]),
    # Key slots and raw keys (key_slots.py)
    "it_tree_create_with_key": (c_int, [H, c_char_p, c_size_t, H, PH]),
    "it_tree_open_with_key": (c_int, [H, c_char_p, c_size_t, H, PH]),
    "it_tree_add_password_slot": (
        c_int,
        [H, c_char_p, c_char_p, c_char_p, c_size_t, c_uint32, c_uint32, c_uint32, PBUF],
    ),
    "it_tree_add_key_slot": (c_int, [H, c_char_p, c_char_p, c_size_t, PBUF]),
    "it_tree_delete_key_slot": (c_int, [H, c_char_p]),
    "it_tree_key_slots": (c_int, [H, PH]),
    "it_key_slots_count": (c_int, [H, P_u64]),
    "it_key_slots_id": (c_int, [H, c_uint64, PBUF]),
    "it_key_slots_name": (c_int, [H, c_uint64, PBUF]),
    "it_key_slots_time": (c_int, [H, c_uint64, P_i64]),
    "it_key_slots_type": (c_int, [H, c_uint64, P_int]),
    "it_key_slots_is_current": (c_int, [H, c_uint64, P_int]),
    "it_key_slots_free": (None, [H]),
    # Write-only trees (write_only.py)
    "it_write_only_keys_new": (c_int, [PBUF, PBUF]),
    "it_write_only_keys_get_write_key": (c_int, [c_char_p, PBUF]),
    "it_write_session_open": (c_int, [H, c_char_p, H, PH]),
    "it_write_session_get_index": (c_int, [H, P_u64]),
    "it_write_session_put": (c_int, [H, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "it_write_session_set": (c_int, [H, c_char_p, c_char_p, c_size_t]),
    "it_stream_writer_new_from_session": (c_int, [H, PH]),
    "it_write_session_commit": (c_int, [H, c_char_p, PH]),
    "it_write_session_close": (c_int, [H]),
    "it_write_session_free": (None, [H]),
    "it_write_sessions_new": (c_int, [H, c_char_p, PH]),
    "it_write_sessions_count": (c_int, [H, P_u64]),
    "it_write_sessions_get": (c_int, [H, c_uint64, P_u64, P_int]),
    "it_write_sessions_free": (None, [H]),
    "it_tree_open_write_session": (c_int, [H, c_char_p, c_uint64, H, PH]),
    "it_tree_copy_fields": (c_int, [H, H]),
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
        raise InternalError(IT_EINTERNAL, f"{name} is not in this build of libinfinitree ({path})")

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

__all__ = [
    "lib",
    "path",
    "fn",
    "Buf",
    "Stats",
    "StreamStats",
    "SpaceReport",
    "STATS_VERSION",
    "STREAM_STATS_VERSION",
    "SPACE_REPORT_VERSION",
    "ENV_VAR",
]
