"""Streams: byte strings of any size (files), stored as deduplicated content-defined chunks
and named by a small ref (bytes) that you store as a map value.

``Tree.create_stream()`` gives a ``StreamWriter`` (``io.RawIOBase``, write-only);
``finish()`` returns the ref. ``Tree.open_stream(ref)`` (or ``View.open_stream``) gives a
``StreamReader`` (``io.RawIOBase``, readable and seekable), so both work with
``shutil.copyfileobj``, ``io.BufferedReader`` and friends. A writer or a reader is used by one
thread at a time, except ``StreamReader.read_at``.
"""

from __future__ import annotations

import ctypes
import io
from ctypes import byref
from dataclasses import dataclass
from typing import Any, Optional, Union

from . import _lib
from ._handle import new_handle
from ._status import check
from .errors import Closed

_f = _lib.fn
_write = _f["it_stream_write"]
_read = _f["it_stream_read"]
_read_at = _f["it_stream_read_at"]

BytesLike = Union[bytes, bytearray, memoryview]


@dataclass(frozen=True)
class StreamStats:
    bytes_in: int  # stream bytes written
    bytes_new: int  # bytes of chunks actually stored (the rest was deduplicated)
    bytes_stored: int  # after compression and sealing
    chunks: int
    chunks_new: int


def _buffer_arg(b: BytesLike) -> Any:
    """A pointer argument over ``b`` without copying when possible."""
    if isinstance(b, bytes):
        return b
    mv = memoryview(b).cast("B")
    if mv.readonly:
        return bytes(mv)
    return (ctypes.c_char * mv.nbytes).from_buffer(mv)


def is_stream_ref(value: BytesLike) -> bool:
    """True if ``value`` is a stream ref (as returned by ``StreamWriter.finish``)."""
    v = bytes(value)
    out = ctypes.c_int()
    check(_f["it_stream_is_ref"](v, len(v), byref(out)))
    return out.value == 1


class _StreamBase(io.RawIOBase):
    _kind = "stream"
    _free_name = ""

    def __init__(self, ptr: int, owner: Any) -> None:
        super().__init__()
        self._ptr: Optional[int] = ptr
        self._free = _f[self._free_name]  # on the instance: usable at interpreter shutdown
        self._owner = owner  # keeps the tree or view (and its handle) alive

    def _h(self) -> int:
        p = self._ptr
        if p is None:
            raise Closed(-12, f"the {self._kind} is closed")
        return p

    def close(self) -> None:
        p, self._ptr = self._ptr, None
        if p is not None:
            self._free(p)
        super().close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - finalizer
            pass


class StreamWriter(_StreamBase):
    """Writes one new stream. ``finish()`` stores what is left and returns the ref (durable
    with the next commit). Closing without ``finish()`` abandons the stream."""

    _kind = "stream writer"
    _free_name = "it_stream_writer_free"

    def __init__(self, tree: Any, _session: bool = False) -> None:
        # A write-only session (write_only.py) makes its writers through its own C call.
        factory = _f["it_stream_writer_new_from_session"] if _session else _f["it_stream_writer_new"]
        super().__init__(new_handle(factory, tree._h()), tree)
        self.ref: Optional[bytes] = None

    def writable(self) -> bool:
        return True

    def write(self, b: BytesLike) -> int:  # type: ignore[override]
        n = memoryview(b).nbytes
        if n:
            check(_write(self._h(), _buffer_arg(b), n))
        return n

    def finish(self) -> bytes:
        """Ends the stream and returns its ref (also kept as ``.ref``)."""
        buf = _lib.Buf()
        check(_f["it_stream_writer_finish"](self._h(), byref(buf)))
        try:
            self.ref = ctypes.string_at(buf.data, buf.size)
        finally:
            _f["it_buf_free"](byref(buf))
        return self.ref

    def stats(self) -> StreamStats:
        s = _lib.StreamStats(version=_lib.STREAM_STATS_VERSION)
        check(_f["it_stream_writer_stats"](self._h(), byref(s)))
        return StreamStats(s.bytes_in, s.bytes_new, s.bytes_stored, s.chunks, s.chunks_new)


class StreamReader(_StreamBase):
    """Reads one stored stream: ``read``, ``readinto``, ``seek``, ``tell``, ``read_at``."""

    _kind = "stream reader"
    _free_name = "it_stream_reader_free"

    def __init__(self, owner: Any, ref: BytesLike, view: bool = False) -> None:
        r = bytes(ref)
        fn = _f["it_stream_reader_new_from_view" if view else "it_stream_reader_new"]
        super().__init__(new_handle(fn, owner._h(), r, len(r)), owner)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    @property
    def size(self) -> int:
        n = ctypes.c_uint64()
        check(_f["it_stream_reader_size"](self._h(), byref(n)))
        return n.value

    def __len__(self) -> int:
        return self.size

    def tell(self) -> int:
        n = ctypes.c_uint64()
        check(_f["it_stream_reader_tell"](self._h(), byref(n)))
        return n.value

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self.tell() + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        check(_f["it_stream_reader_seek"](self._h(), pos))
        return pos

    def readinto(self, b: Any) -> int:
        mv = memoryview(b).cast("B")
        if mv.nbytes == 0:
            return 0
        got = ctypes.c_size_t()
        arr = (ctypes.c_char * mv.nbytes).from_buffer(mv)
        check(_read(self._h(), arr, mv.nbytes, byref(got)))
        return got.value

    def readall(self) -> bytes:
        left = max(self.size - self.tell(), 0)
        out = bytearray(left)
        n = self.readinto(out) if left else 0
        while n < left:  # short reads are allowed; keep going until the end
            got = self.readinto(memoryview(out)[n:])
            if got == 0:
                break
            n += got
        del out[n:]
        return bytes(out)

    def read_at(self, pos: int, n: int) -> bytes:
        """Up to ``n`` bytes at ``pos`` without moving the position (thread-safe)."""
        buf = ctypes.create_string_buffer(n)
        got = ctypes.c_size_t()
        check(_read_at(self._h(), pos, buf, n, byref(got)))
        return buf.raw[: got.value]


__all__ = ["StreamWriter", "StreamReader", "StreamStats", "is_stream_ref"]
