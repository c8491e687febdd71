"""Where a tree's objects live: memory, a local directory, S3, or a local cache in front of
another backend. A tree keeps its own reference to its backend, so a backend object may be
closed (or garbage-collected) once trees are opened on it."""

from __future__ import annotations

import ctypes
import os
from typing import Optional, Union

from . import _lib
from ._handle import Handle, new_handle
from .errors import check

_f = _lib.fn
_backend_free = _f["it_backend_free"]

PathLike = Union[str, "os.PathLike[str]"]


def fspath_bytes(path: PathLike) -> bytes:
    return os.fsencode(os.fspath(path))


class Backend(Handle):
    """Base class of the backends."""

    _kind = "backend"

    def __init__(self, ptr: int) -> None:
        super().__init__(ptr, _backend_free)

    def describe(self) -> str:
        """A short description ("memory", "dir:/path", "s3://bucket/prefix")."""
        buf = _lib.Buf()
        check(_f["it_backend_describe"](self._h(), ctypes.byref(buf)))
        try:
            return ctypes.string_at(buf.data, buf.size).decode("utf-8", "replace")
        finally:
            _f["it_buf_free"](ctypes.byref(buf))

    def __repr__(self) -> str:
        if self.closed:
            return f"<infinitree.{type(self).__name__} closed>"
        return f"<infinitree.{type(self).__name__} {self.describe()}>"


class MemoryBackend(Backend):
    """Objects in memory; gone when the last tree using it is freed."""

    def __init__(self) -> None:
        super().__init__(new_handle(_f["it_backend_memory"]))


class DirectoryBackend(Backend):
    """One file per object under ``path`` (created if missing)."""

    def __init__(self, path: PathLike) -> None:
        self.path = os.fspath(path)
        super().__init__(new_handle(_f["it_backend_directory"], fspath_bytes(path)))


class S3Backend(Backend):
    """An S3-compatible bucket.

    ``url`` is ``"s3://bucket/prefix"``; other settings by keyword, as it_s3_options_set
    names them: endpoint, region, bucket, prefix, addressing ("auto", "path", "virtual"),
    access_key_id, secret_access_key, session_token, ca_file, parallel_uploads,
    max_attempts, retry_base_ms, max_retry_seconds, connect_timeout_ms,
    stall_timeout_seconds. Credentials default to the usual AWS environment variables.
    """

    def __init__(self, url: Optional[str] = None, **settings: Union[str, int]) -> None:
        opts = new_handle(_f["it_s3_options_new"])
        try:
            if url is not None:
                check(_f["it_s3_options_set"](opts, b"url", url.encode()))
            for key, value in settings.items():
                check(_f["it_s3_options_set"](opts, key.encode(), str(value).encode()))
            ptr = new_handle(_f["it_backend_s3"], opts)
        finally:
            _f["it_s3_options_free"](opts)
        super().__init__(ptr)


class CacheBackend(Backend):
    """A local directory cache of at most ``byte_budget`` bytes in front of ``remote``
    (write-through; damaged cache files are fetched again)."""

    def __init__(self, remote: Backend, folder: PathLike, byte_budget: int) -> None:
        super().__init__(
            new_handle(_f["it_backend_cache"], remote._h(), fspath_bytes(folder), byte_budget)
        )
        self.remote = remote


__all__ = ["Backend", "MemoryBackend", "DirectoryBackend", "S3Backend", "CacheBackend"]
