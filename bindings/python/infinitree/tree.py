"""Trees, checkouts and commits."""

from __future__ import annotations

import ctypes
import datetime as _dt
import os
from ctypes import byref
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterator,
    List as _PyList,
    NamedTuple,
    Optional,
    Sequence as _PySeq,
    Tuple,
    Union,
)

from . import _constants as C
from . import _lib, _out
from . import keys as _keys
from ._handle import Handle, new_handle
from ._status import check, error_for
from .backends import Backend, DirectoryBackend, PathLike
from .fields import List, Map, Set, Value, to_bytes
from .space import Duration, ForgetReport, SpaceReport, new_report, policy_handle, prune_options_handle, ref_array
from .streams import StreamReader, StreamWriter

if TYPE_CHECKING:
    from .key_slots import KeySlot

_f = _lib.fn


def _cstr(s: str) -> bytes:
    b = s.encode("utf-8")
    if b"\0" in b:
        raise ValueError("names cannot contain NUL characters")
    return b




# ------------------------------------------------------------------------------------------
# Options
# ------------------------------------------------------------------------------------------
class KdfCost(NamedTuple):
    """Argon2id costs. A tree opens only with the costs it was created (or re-keyed) with."""

    memory_kib: int = C.IT_KDF_DEFAULT_MEMORY_KIB
    iterations: int = C.IT_KDF_DEFAULT_ITERATIONS
    parallelism: int = C.IT_KDF_DEFAULT_PARALLELISM


KdfArg = Union[None, str, KdfCost, Tuple[int, int, int]]
COMPRESSION = {"none": C.IT_COMPRESSION_NONE, "lz4": C.IT_COMPRESSION_LZ4, "zstd": C.IT_COMPRESSION_ZSTD}
# it_options_set_insecure_fast_kdf's costs, for change_password(kdf="fast").
_FAST_KDF = KdfCost(64, 1, 1)


def _kdf_costs(kdf: KdfArg) -> KdfCost:
    """The Argon2id costs a KdfArg names (for calls that take them as numbers)."""
    if kdf is None or kdf == "default":
        return KdfCost()
    if kdf == "fast":
        return _FAST_KDF
    if isinstance(kdf, tuple) and len(kdf) == 3:
        return KdfCost(*(int(x) for x in kdf))
    raise ValueError(f"kdf must be None, 'default', 'fast' or (memory_kib, iterations, parallelism), not {kdf!r}")


def _options(
    kdf: KdfArg = None,
    read_only: bool = False,
    compression: Optional[str] = None,
    node_cache_bytes: Optional[int] = None,
    node_bytes: Optional[int] = None,
    warm_start_nodes: Optional[int] = None,
) -> int:
    """A new it_options handle (the caller frees it)."""
    o = new_handle(_f["it_options_new"])
    try:
        if kdf == "fast":
            check(_f["it_options_set_insecure_fast_kdf"](o))
        elif kdf is None or kdf == "default":
            pass
        elif isinstance(kdf, tuple) and len(kdf) == 3:
            check(_f["it_options_set_kdf"](o, *(int(x) for x in kdf)))
        else:
            raise ValueError(f"kdf must be None, 'default', 'fast' or (memory_kib, iterations, parallelism), not {kdf!r}")
        if read_only:
            check(_f["it_options_set_read_only"](o, 1))
        if compression is not None:
            if compression not in COMPRESSION:
                raise ValueError(f"compression must be one of {sorted(COMPRESSION)}")
            check(_f["it_options_set_compression"](o, COMPRESSION[compression]))
        if node_cache_bytes is not None:
            check(_f["it_options_set_node_cache_bytes"](o, node_cache_bytes))
        if node_bytes is not None:
            check(_f["it_options_set_node_bytes"](o, node_bytes))
        if warm_start_nodes is not None:
            check(_f["it_options_set_warm_start_nodes"](o, warm_start_nodes))
    except BaseException:
        _f["it_options_free"](o)
        raise
    return o


def _password(p: Union[str, bytes, bytearray]) -> bytes:
    return p.encode("utf-8") if isinstance(p, str) else bytes(p)


# ------------------------------------------------------------------------------------------
# Commits, diffs, stats
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Commit:
    """Information about one commit (a copy: it does not hold a C handle)."""

    id: str
    parents: Tuple[str, ...]
    time: _dt.datetime  # UTC, millisecond precision
    message: str
    custom: bytes
    sequence: int
    branch: str
    # Parents that were forgotten (Tree.forget); they stay in ``parents``. log() walks past
    # them to their kept ancestors.
    forgotten_parents: Tuple[str, ...] = ()

    @property
    def time_ms(self) -> int:
        return int(self.time.timestamp() * 1000 + 0.5)

    @property
    def parent(self) -> Optional[str]:
        return self.parents[0] if self.parents else None

    def __str__(self) -> str:
        return self.id

    @classmethod
    def _from(cls, c: int) -> "Commit":
        ms = _out.i64(_f["it_commit_time_ms"], c)
        return cls(
            id=_out.text(_f["it_commit_id"], c),
            parents=tuple(
                _out.text(_f["it_commit_parent"], c, i)
                for i in range(_out.u64(_f["it_commit_parent_count"], c))
            ),
            time=_dt.datetime.fromtimestamp(ms / 1000.0, tz=_dt.timezone.utc),
            message=_out.text(_f["it_commit_message"], c),
            custom=_out.buf(_f["it_commit_custom"], c),
            sequence=_out.u64(_f["it_commit_sequence"], c),
            branch=_out.text(_f["it_commit_branch"], c),
            forgotten_parents=tuple(
                _out.text(_f["it_commit_forgotten_parent"], c, i)
                for i in range(_out.u64(_f["it_commit_forgotten_parent_count"], c))
            ),
        )

    @classmethod
    def _take(cls, c: int) -> "Commit":
        """Copies an it_commit and frees it."""
        try:
            return cls._from(c)
        finally:
            _f["it_commit_free"](c)


Ref = Union[str, Commit]


def _ref(r: Ref) -> bytes:
    return _cstr(r.id if isinstance(r, Commit) else r)


class DiffEntry(NamedTuple):
    """One changed key: ``old`` None = added, ``new`` None = removed."""

    key: Any
    old: Optional[bytes]
    new: Optional[bytes]


@dataclass(frozen=True)
class Stats:
    objects: int
    commits: int
    chunks_written: int
    bytes_written: int
    node_cache_hits: int
    node_cache_misses: int


FIELD_TYPES = {C.IT_FIELD_MAP: "map", C.IT_FIELD_SET: "set", C.IT_FIELD_LIST: "list", C.IT_FIELD_VALUE: "value"}


def _target(n: int, i: int) -> Optional[str]:
    """The commit a branch or tag points to; None for a branch without commits."""
    b = _lib.Buf()
    rc = _f["it_names_target"](n, i, byref(b))
    if rc == C.IT_ENOTFOUND:
        return None
    check(rc)
    try:
        return str(b.data[: b.size].decode("ascii"))
    finally:
        _f["it_buf_free"](byref(b))


def _take_names(n: int, with_type: bool) -> Dict[str, Any]:
    try:
        out: Dict[str, Any] = {}
        for i in range(_out.u64(_f["it_names_count"], n)):
            name = _out.text(_f["it_names_name"], n, i)
            if with_type:
                out[name] = FIELD_TYPES.get(_out.kind(_f["it_names_type"], n, i), "unknown")
            else:
                out[name] = _target(n, i)
        return out
    finally:
        _f["it_names_free"](n)


# ------------------------------------------------------------------------------------------
# Field access, shared by trees and checkouts
# ------------------------------------------------------------------------------------------
class _Fields:
    _prefix: str  # "it_tree" or "it_view"

    # provided by Handle (the classes below derive from both)
    _h: Any

    def map(self, name: str, keys: str = "auto") -> Map:
        """The map field ``name`` (created on first use in the working tree). ``keys`` is the
        key mode: "auto", "bytes" or "typed" (see ``infinitree.keys``)."""
        _keys.check_mode(keys)
        return Map(new_handle(_f[self._prefix + "_map"], self._h(), _cstr(name)), name, keys, self)

    def set(self, name: str, keys: str = "auto") -> Set:
        _keys.check_mode(keys)
        return Set(new_handle(_f[self._prefix + "_set"], self._h(), _cstr(name)), name, keys, self)

    def list(self, name: str) -> List:
        return List(new_handle(_f[self._prefix + "_list"], self._h(), _cstr(name)), name, self)

    def value(self, name: str) -> Value:
        return Value(new_handle(_f[self._prefix + "_value"], self._h(), _cstr(name)), name, self)

    def fields(self) -> Dict[str, str]:
        """Field names -> "map", "set", "list" or "value"."""
        return _take_names(new_handle(_f[self._prefix + "_fields"], self._h()), True)

    def has_field(self, name: str) -> bool:
        return _out.yes(_f[self._prefix + "_contains_field"], self._h(), _cstr(name))


# ------------------------------------------------------------------------------------------
# Checkouts
# ------------------------------------------------------------------------------------------
class View(_Fields, Handle):
    """A read-only view of one commit: the same field accessors as a tree; writes through
    them raise ReadOnly, and fields the commit did not have raise NotFound."""

    _kind = "checkout"
    _prefix = "it_view"

    def __init__(self, ptr: int, tree: "Tree") -> None:
        Handle.__init__(self, ptr, _f["it_view_free"])
        self._tree = tree
        self.commit = Commit._take(new_handle(_f["it_view_get_commit"], ptr))

    def open_stream(self, ref: bytes) -> StreamReader:
        """A reader of the stream ``ref`` (a map value of this commit)."""
        return StreamReader(self, ref, view=True)

    def __repr__(self) -> str:
        return f"<infinitree.View of {self.commit.id}{' closed' if self.closed else ''}>"


# ------------------------------------------------------------------------------------------
# Trees
# ------------------------------------------------------------------------------------------
def _backend_for(where: Union[PathLike, Backend]) -> Tuple[Backend, bool]:
    if isinstance(where, Backend):
        return where, False
    if isinstance(where, (str, bytes, os.PathLike)):
        return DirectoryBackend(os.fsdecode(where)), True
    raise TypeError(f"expected a path or a Backend, not {type(where).__name__}")


class Tree(_Fields, Handle):
    """An open tree: its working state (fields), commits, history, branches and tags.

    Use as a context manager; leaving it closes the tree (releasing the writer lock) and
    discards uncommitted changes. All methods are thread-safe."""

    _kind = "tree"
    _prefix = "it_tree"

    def __init__(self, ptr: int, backend: Backend) -> None:
        # close() only closes the tree (it_tree_close): other threads may still be inside a
        # call with this pointer, which stays valid; the handle is freed with the object.
        Handle.__init__(self, ptr, _f["it_tree_free"])
        self.backend = backend
        self._is_closed = False

    # -- life cycle ----------------------------------------------------------------------
    @classmethod
    def _make(
        cls,
        func: str,
        where: Union[PathLike, Backend],
        user: str,
        password: Union[str, bytes],
        **opts: Any,
    ) -> "Tree":
        if func == "it_tree_open" and not isinstance(where, Backend) and not os.path.isdir(os.fsdecode(where)):
            # The directory backend would create the folder; opening must not leave one behind.
            from .errors import NotFound

            raise NotFound(-2, f"no tree here: {os.fsdecode(where)!r} is not a directory")
        backend, owned = _backend_for(where)
        o = _options(**opts)
        try:
            pw = _password(password)
            ptr = new_handle(_f[func], backend._h(), _cstr(user), pw, len(pw), o)
        except BaseException:
            if owned:
                backend.close()
            raise
        finally:
            _f["it_options_free"](o)
        return cls(ptr, backend)

    @classmethod
    def create(
        cls,
        where: Union[PathLike, Backend],
        user: str,
        password: Union[str, bytes],
        kdf: KdfArg = None,
        *,
        compression: Optional[str] = None,
        node_cache_bytes: Optional[int] = None,
        node_bytes: Optional[int] = None,
    ) -> "Tree":
        """Creates a tree in a directory (``where`` a path) or in a Backend.

        ``kdf``: None for the default Argon2id costs, "fast" for trivially brute-forced
        costs (tests and examples only), or (memory_kib, iterations, parallelism).
        AlreadyExists if a tree with these credentials is there."""
        return cls._make(
            "it_tree_create",
            where,
            user,
            password,
            kdf=kdf,
            compression=compression,
            node_cache_bytes=node_cache_bytes,
            node_bytes=node_bytes,
        )

    @classmethod
    def open(
        cls,
        where: Union[PathLike, Backend],
        user: str,
        password: Union[str, bytes],
        kdf: KdfArg = None,
        *,
        read_only: bool = False,
        compression: Optional[str] = None,
        node_cache_bytes: Optional[int] = None,
        node_bytes: Optional[int] = None,
        warm_start_nodes: Optional[int] = None,
    ) -> "Tree":
        """Opens a tree. WrongCredentials if none opens with these credentials and KDF
        costs; Locked if another writer holds it (unless ``read_only``).

        ``warm_start_nodes``: inner B-tree nodes of the head commit a background thread reads
        ahead after opening (0: none); None: 1024 on S3 (directly or behind a cache), 0 on
        local stores."""
        return cls._make(
            "it_tree_open",
            where,
            user,
            password,
            kdf=kdf,
            read_only=read_only,
            compression=compression,
            node_cache_bytes=node_cache_bytes,
            node_bytes=node_bytes,
            warm_start_nodes=warm_start_nodes,
        )

    @classmethod
    def create_with_key(cls, where: Union[PathLike, Backend], key: bytes, **opts: Any) -> "Tree":
        """Creates a tree that opens with a raw 32-byte key (from a KMS, a secrets manager or
        a file; docs/keys.md). Options as ``create`` (the KDF costs do not apply)."""
        from . import key_slots

        return key_slots.make_with_key(cls, "it_tree_create_with_key", where, key, **opts)

    @classmethod
    def open_with_key(cls, where: Union[PathLike, Backend], key: bytes, **opts: Any) -> "Tree":
        """Opens the tree a raw 32-byte key opens. WrongCredentials for a wrong key (as for a
        wrong password) or a removed slot; InvalidArgument for a key of another length."""
        from . import key_slots

        return key_slots.make_with_key(cls, "it_tree_open_with_key", where, key, **opts)

    @classmethod
    def create_in(cls, backend: Backend, user: str, password: Union[str, bytes], kdf: KdfArg = None, **kw: Any) -> "Tree":
        """``create`` in a given backend."""
        return cls.create(backend, user, password, kdf, **kw)

    @classmethod
    def open_in(cls, backend: Backend, user: str, password: Union[str, bytes], kdf: KdfArg = None, **kw: Any) -> "Tree":
        """``open`` in a given backend."""
        return cls.open(backend, user, password, kdf, **kw)

    def close(self) -> None:
        """Closes the tree: releases the writer lock and discards uncommitted changes. Every
        later use of it and of its fields raises Closed. Closing twice is fine."""
        if self._ptr is not None and not self._is_closed:
            self._is_closed = True
            check(_f["it_tree_close"](self._ptr))

    @property
    def closed(self) -> bool:
        return self._is_closed or self._ptr is None

    def __del__(self) -> None:
        # it_tree_free closes if still open, then frees. Only instance attributes are used:
        # module globals may already be gone when this runs at interpreter shutdown.
        try:
            p, self._ptr = self._ptr, None
            free, self._free = self._free, None
            if p is not None and free is not None:
                free(p)
        except Exception:  # noqa: BLE001
            pass

    def __repr__(self) -> str:
        return f"<infinitree.Tree {self.backend!r}{' closed' if self.closed else ''}>"

    @property
    def read_only(self) -> bool:
        return _out.yes(_f["it_tree_is_read_only"], self._h())

    # -- readers that follow a writer (read-only trees) -----------------------------------
    def refresh(self) -> bool:
        """Moves a read-only tree to the newest commit in the store without reopening (no
        key derivation); field handles stay valid. True if the head commit changed."""
        return _out.yes(_f["it_tree_refresh"], self._h())

    def follow(self, interval: float = 1.0, max_interval: float = 30.0, backoff: float = 2.0) -> None:
        """Refreshes in a background thread: first after `interval` seconds, then `backoff`
        times longer after each poll that finds nothing new, up to `max_interval`."""
        if interval <= 0:
            raise ValueError("interval must be positive (stop_following() stops)")
        check(_f["it_tree_follow"](self._h(), max(1, round(interval * 1000)),
                                   max(1, round(max_interval * 1000)), float(backoff)))

    def stop_following(self) -> None:
        check(_f["it_tree_follow"](self._h(), 0, 0, 0.0))

    # -- fields --------------------------------------------------------------------------
    def rename_field(self, old: str, new: str) -> None:
        """Renames a field (persisted by the next commit)."""
        check(_f["it_tree_rename_field"](self._h(), _cstr(old), _cstr(new)))

    def drop_field(self, name: str) -> None:
        check(_f["it_tree_delete_field"](self._h(), _cstr(name)))

    # -- commits -------------------------------------------------------------------------
    def commit(
        self,
        message: str = "",
        custom: Union[bytes, str] = b"",
        force: bool = False,
        *,
        parents: _PySeq[Ref] = (),
        orphan: bool = False,
    ) -> Optional[Commit]:
        """Commits every field's changes on the current branch; durable on return.

        Returns the new Commit, or None when nothing changed and ``force`` is False.
        ``parents``: extra (merge) parents; ``orphan``: start a disjoint line of history."""
        c = to_bytes(custom, "custom")
        opts = None
        if force or parents or orphan:
            opts = new_handle(_f["it_commit_options_new"])
        try:
            if opts is not None:
                check(_f["it_commit_options_set_force"](opts, 1 if force else 0))
                check(_f["it_commit_options_set_orphan"](opts, 1 if orphan else 0))
                for p in parents:
                    check(_f["it_commit_options_add_parent"](opts, _ref(p)))
            out = ctypes.c_void_p()
            check(_f["it_tree_commit"](self._h(), _cstr(message), c, len(c), opts, byref(out)))
        finally:
            if opts is not None:
                _f["it_commit_options_free"](opts)
        return Commit._take(out.value) if out.value else None

    def rollback(self) -> None:
        """Discards every uncommitted change."""
        check(_f["it_tree_rollback"](self._h()))

    @property
    def has_changes(self) -> bool:
        return _out.yes(_f["it_tree_is_modified"], self._h())

    # -- space (docs/space.md) -----------------------------------------------------------
    def forget(self, *refs: Ref, dry_run: bool = False) -> ForgetReport:
        """Drops the named commits from the history (their data goes at the next prune).

        Branch heads and tagged commits cannot be forgotten (InvalidArgument; then nothing
        is); a ref that resolves to nothing, a forgotten commit included, is NotFound.
        ``dry_run``: change nothing, report what would go."""
        names = tuple(_ref(r) for r in refs)
        return self._forget(_f["it_tree_forget"], (ref_array(names), len(names)), dry_run)

    def forget_policy(
        self,
        *,
        keep_last: int = 0,
        keep_hourly: int = 0,
        keep_daily: int = 0,
        keep_weekly: int = 0,
        keep_monthly: int = 0,
        keep_yearly: int = 0,
        keep_within: Optional[Duration] = None,
        dry_run: bool = False,
    ) -> ForgetReport:
        """Forgets every commit no rule keeps (branch heads and tagged commits are always
        kept). ``keep_last``: the N newest; ``keep_hourly`` ... ``keep_yearly``: the newest
        commit of each of the N newest hours ... years holding one (UTC); ``keep_within``
        (a timedelta or milliseconds): every commit at most that much older than the newest.
        No rule at all is InvalidArgument."""
        p = policy_handle(keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within)
        try:
            return self._forget(_f["it_tree_forget_by_policy"], (p,), dry_run)
        finally:
            _f["it_retention_policy_free"](p)

    def _forget(self, call: Any, args: Tuple[Any, ...], dry_run: bool) -> ForgetReport:
        """it_tree_forget or it_tree_forget_by_policy: (tree, *args, dry_run, &forgotten, &kept)."""
        forgotten, kept = ctypes.c_void_p(), ctypes.c_void_p()
        check(call(self._h(), *args, 1 if dry_run else 0, byref(forgotten), byref(kept)))
        # Both lists are walked (and freed) even if the first walk fails.
        try:
            gone = tuple(self._walk_log(forgotten.value or 0))
        finally:
            kept_commits = tuple(self._walk_log(kept.value or 0))
        return ForgetReport(gone, kept_commits)

    def prune(
        self,
        *,
        repack_below: Optional[float] = None,
        grace: Optional[Duration] = None,
        temp_grace: Optional[Duration] = None,
        dry_run: bool = False,
    ) -> SpaceReport:
        """Deletes the objects no kept commit needs and repacks sparse ones; returns what it
        found and did. None means the library's default: ``repack_below`` 0.5 (objects
        under half live are repacked), ``grace`` 15 minutes (deletions wait so readers of an
        older state can finish; 0 deletes at once), ``temp_grace`` 1 hour (orphaned
        temporary files). Conflict with uncommitted changes, ReadOnly for a read-only tree."""
        o = prune_options_handle(repack_below, grace, temp_grace, dry_run)
        r = new_report()
        try:
            check(_f["it_tree_prune"](self._h(), o, byref(r)))
        finally:
            _f["it_prune_options_free"](o)
        return SpaceReport._from(r)

    def space(
        self,
        *,
        repack_below: Optional[float] = None,
        grace: Optional[Duration] = None,
        temp_grace: Optional[Duration] = None,
    ) -> SpaceReport:
        """What prune (with these options) would do now; reads every kept commit's nodes."""
        o = prune_options_handle(repack_below, grace, temp_grace, False)
        r = new_report()
        try:
            check(_f["it_tree_space"](self._h(), o, byref(r)))
        finally:
            _f["it_prune_options_free"](o)
        return SpaceReport._from(r)

    # -- history -------------------------------------------------------------------------
    def log(
        self,
        *,
        single: Optional[Ref] = None,
        up_to: Optional[Ref] = None,
        range: Optional[Tuple[Ref, Ref]] = None,  # noqa: A002 - the C ABI's filter name
    ) -> Iterator[Commit]:
        """Commits of the current branch, newest first, following first parents.

        No filter: all. ``single=c``: only c. ``up_to=c``: c and everything before it.
        ``range=(oldest, newest)``: from newest back to oldest (an ancestor), both in."""
        chosen = [x is not None for x in (single, up_to, range)]
        if sum(chosen) > 1:
            raise ValueError("give at most one of single, up_to, range")
        frm: Optional[bytes] = None
        to: Optional[bytes] = None
        if single is not None:
            kind, frm = C.IT_LOG_SINGLE, _ref(single)
        elif up_to is not None:
            kind, frm = C.IT_LOG_UP_TO, _ref(up_to)
        elif range is not None:
            kind, frm, to = C.IT_LOG_RANGE, _ref(range[0]), _ref(range[1])
        else:
            kind = C.IT_LOG_ALL
        log = new_handle(_f["it_tree_log"], self._h(), kind, frm, to)
        return self._walk_log(log)

    @staticmethod
    def _walk_log(log: int) -> Iterator[Commit]:
        try:
            for i in range(_out.u64(_f["it_log_count"], log)):
                yield Commit._take(new_handle(_f["it_log_get"], log, i))
        finally:
            _f["it_log_free"](log)

    def head(self) -> Optional[Commit]:
        """The commit the current branch points to, or None before the first commit."""
        out = ctypes.c_void_p()
        rc = _f["it_tree_get_commit"](self._h(), None, byref(out))  # a NULL ref is the head
        if rc == C.IT_ENOTFOUND:
            return None
        check(rc)
        return Commit._take(out.value or 0)

    def commit_info(self, ref: Ref) -> Commit:
        """The commit ``ref`` (an id, a unique prefix of 4+ digits, a branch or a tag)."""
        return Commit._take(new_handle(_f["it_tree_get_commit"], self._h(), _ref(ref)))

    def resolve(self, ref: Ref) -> str:
        """The full commit id of a ref."""
        return _out.text(_f["it_tree_resolve"], self._h(), _ref(ref))

    def checkout(self, ref: Ref) -> View:
        """A read-only view of commit ``ref`` (use it as a context manager)."""
        return View(new_handle(_f["it_tree_checkout"], self._h(), _ref(ref)), self)

    def diff(self, field: str, a: Ref, b: Ref, keys: str = "auto") -> _PyList[DiffEntry]:
        """Changes of map or set ``field`` from commit ``a`` to commit ``b``, in key order.
        Keys are decoded with key mode ``keys``."""
        _keys.check_mode(keys)
        d = new_handle(_f["it_tree_diff"], self._h(), _cstr(field), _ref(a), _ref(b))
        try:
            out = []
            kb, ob, nb = _lib.Buf(), _lib.Buf(), _lib.Buf()
            has_old, has_new = ctypes.c_int(), ctypes.c_int()
            free = _f["it_buf_free"]
            for i in range(_out.u64(_f["it_diff_count"], d)):
                check(_f["it_diff_get"](d, i, byref(kb), byref(has_old), byref(ob), byref(has_new), byref(nb)))
                try:
                    key, old, new = kb.data[: kb.size], ob.data[: ob.size], nb.data[: nb.size]
                finally:
                    free(byref(kb))
                    free(byref(ob))
                    free(byref(nb))
                out.append(
                    DiffEntry(_keys.decode(key, keys), old if has_old.value else None, new if has_new.value else None)
                )
            return out
        finally:
            _f["it_diff_free"](d)

    # -- branches and tags ---------------------------------------------------------------
    @property
    def branch(self) -> str:
        """The current branch."""
        return _out.text(_f["it_tree_current_branch"], self._h())

    def branches(self) -> Dict[str, Optional[str]]:
        """Branch names -> commit id (None for a branch without commits)."""
        return _take_names(new_handle(_f["it_tree_branches"], self._h()), False)

    def create_branch(self, name: str, at: Optional[Ref] = None) -> None:
        """A new branch at commit ``at`` (default: the head)."""
        check(_f["it_tree_create_branch"](self._h(), _cstr(name), None if at is None else _ref(at)))

    def switch_branch(self, name: str) -> None:
        """Makes ``name`` the current branch (Conflict if there are uncommitted changes)."""
        check(_f["it_tree_switch_branch"](self._h(), _cstr(name)))

    def delete_branch(self, name: str) -> None:
        check(_f["it_tree_delete_branch"](self._h(), _cstr(name)))

    def tags(self) -> Dict[str, Optional[str]]:
        """Tag names -> commit id."""
        return _take_names(new_handle(_f["it_tree_tags"], self._h()), False)

    def create_tag(self, name: str, commit: Ref) -> None:
        check(_f["it_tree_create_tag"](self._h(), _cstr(name), _ref(commit)))

    def delete_tag(self, name: str) -> None:
        check(_f["it_tree_delete_tag"](self._h(), _cstr(name)))

    # -- streams -------------------------------------------------------------------------
    def create_stream(self) -> StreamWriter:
        """A writer of a new stream (deduplicated against everything in the tree);
        ``finish()`` returns its ref, to store as a map value before the next commit."""
        return StreamWriter(self)

    def open_stream(self, ref: bytes) -> StreamReader:
        """A reader of the stream ``ref`` (Corrupt if the bytes are not a stream ref)."""
        return StreamReader(self, ref)

    # -- write-only trees (write_only.py) ------------------------------------------------
    def copy_fields(self, source: "Union[Tree, View]") -> None:
        """Copies every field of ``source`` (a checkout, or a tree's head commit, such as a
        write-only session opened with ``open_write_only_session``) into this tree's working
        state; commit to keep it. Streams are copied as new streams of this tree, sealed
        under its keys. InvalidArgument if a field exists here with another type; NotFound
        for a tree without commits (a session whose writer committed nothing)."""
        if isinstance(source, View):
            check(_f["it_tree_copy_fields"](self._h(), source._h()))
            return
        if not isinstance(source, Tree):
            raise TypeError(f"copy_fields takes a Tree or a View, not {type(source).__name__}")
        with View(new_handle(_f["it_tree_checkout"], source._h(), None), source) as head:
            check(_f["it_tree_copy_fields"](self._h(), head._h()))

    # -- credentials and figures ---------------------------------------------------------
    def change_password(self, user: str, password: Union[str, bytes], kdf: KdfArg = None) -> None:
        """Replaces the credentials (and KDF costs); the data is not re-encrypted and the old
        password stops working."""
        cost = _kdf_costs(kdf)
        pw = _password(password)
        check(
            _f["it_tree_change_password"](
                self._h(), _cstr(user), pw, len(pw), cost.memory_kib, cost.iterations, cost.parallelism
            )
        )

    def key_slots(self) -> "_PyList[KeySlot]":
        """The key slots, oldest first (ids, labels, times, kinds; never a secret)."""
        from . import key_slots

        return key_slots.key_slots(self)

    def add_password_slot(self, label: str, user: str, password: Union[str, bytes], kdf: KdfArg = None) -> str:
        """Adds a slot for a user name and password; returns its id. AlreadyExists if the
        credential already opens this tree or another one in the store."""
        from . import key_slots

        return key_slots.add_password_slot(self, label, user, password, kdf)

    def add_key_slot(self, label: str, key: bytes) -> str:
        """Adds a slot for a raw 32-byte key; returns its id."""
        from . import key_slots

        return key_slots.add_key_slot(self, label, key)

    def remove_key_slot(self, slot_id: str) -> None:
        """Removes a slot: its credential no longer opens the tree (WrongCredentials).
        InvalidArgument for the last slot, NotFound for an unknown id."""
        from . import key_slots

        key_slots.remove_key_slot(self, slot_id)

    def stats(self) -> Stats:
        s = _lib.Stats(version=_lib.STATS_VERSION)
        check(_f["it_tree_stats"](self._h(), byref(s)))
        return Stats(
            s.objects, s.commits, s.chunks_written, s.bytes_written, s.node_cache_hits, s.node_cache_misses
        )


__all__ = ["Tree", "View", "Commit", "DiffEntry", "Stats", "KdfCost", "ForgetReport", "SpaceReport"]
