"""Where a tree's objects live: memory, a local directory, S3, or a local cache in front of
another backend. A tree keeps its own reference to its backend, so a backend object may be
closed (or garbage-collected) once trees are opened on it."""

from __future__ import annotations

import ctypes
import os
from typing import Optional, Union

from . import _constants as C
from . import _lib
from ._handle import Handle, new_handle
from ._status import check
from .errors import InvalidArgument

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
        super().__init__(new_handle(_f["it_backend_new_memory"]))


class DirectoryBackend(Backend):
    """One file per object under ``path`` (created if missing)."""

    def __init__(self, path: PathLike) -> None:
        self.path = os.fspath(path)
        super().__init__(new_handle(_f["it_backend_new_directory"], fspath_bytes(path)))


# The S3 settings by keyword: the typed setter of each (it_s3_options_set_<name>) and how a
# Python value becomes its argument.
_S3_TEXT = ("url", "endpoint", "region", "bucket", "prefix", "access_key_id",
            "secret_access_key", "session_token", "ca_file")
_S3_NUMBERS = ("parallel_uploads", "max_attempts", "retry_base_ms", "max_retry_seconds",
               "connect_timeout_ms", "stall_timeout_seconds")
_S3_ADDRESSING = {"auto": C.IT_S3_ADDRESSING_AUTO, "path": C.IT_S3_ADDRESSING_PATH,
                  "virtual": C.IT_S3_ADDRESSING_VIRTUAL}


def _s3_set(opts: int, key: str, value: Union[str, int]) -> None:
    if key in _S3_TEXT:
        check(_f["it_s3_options_set_" + key](opts, str(value).encode()))
    elif key in _S3_NUMBERS:
        n = int(value)
        if not 0 <= n <= 0xFFFFFFFF:
            raise InvalidArgument(C.IT_EINVAL, f"S3 setting {key} must be 0 to 4294967295, not {n}")
        check(_f["it_s3_options_set_" + key](opts, n))
    elif key == "addressing":
        if value not in _S3_ADDRESSING:
            raise InvalidArgument(C.IT_EINVAL, f"addressing must be one of {sorted(_S3_ADDRESSING)}")
        check(_f["it_s3_options_set_addressing"](opts, _S3_ADDRESSING[str(value)]))
    else:
        raise InvalidArgument(C.IT_EINVAL, f"unknown S3 setting {key!r}")


class S3Backend(Backend):
    """An S3-compatible bucket.

    ``url`` is ``"s3://bucket/prefix"``; other settings by keyword, named as the
    it_s3_options_set_* functions: endpoint, region, bucket, prefix, addressing ("auto",
    "path", "virtual"), access_key_id, secret_access_key, session_token, ca_file, and the
    integers parallel_uploads, max_attempts, retry_base_ms, max_retry_seconds,
    connect_timeout_ms, stall_timeout_seconds. Credentials default to the usual AWS
    environment variables.
    """

    def __init__(self, url: Optional[str] = None, **settings: Union[str, int]) -> None:
        opts = new_handle(_f["it_s3_options_new"])
        try:
            if url is not None:
                _s3_set(opts, "url", url)
            for key, value in settings.items():
                _s3_set(opts, key, value)
            ptr = new_handle(_f["it_backend_new_s3"], opts)
        finally:
            _f["it_s3_options_free"](opts)
        super().__init__(ptr)


class CacheBackend(Backend):
    """A local directory cache of at most ``byte_budget`` bytes in front of ``remote``
    (write-through; damaged cache files are fetched again)."""

    def __init__(self, remote: Backend, folder: PathLike, byte_budget: int) -> None:
        super().__init__(
            new_handle(_f["it_backend_new_cache"], remote._h(), fspath_bytes(folder), byte_budget)
        )
        self.remote = remote


__all__ = ["Backend", "MemoryBackend", "DirectoryBackend", "S3Backend", "CacheBackend"]
