"""Reclaiming space (docs/space.md): the reports of Tree.forget / forget_policy / prune /
space and the C handles their options become. The Tree methods live in tree.py."""

from __future__ import annotations

import ctypes
import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Tuple, Union

from . import _lib
from ._handle import new_handle
from ._status import check

if TYPE_CHECKING:  # pragma: no cover - typing only; tree.py imports this module
    from .tree import Commit

_f = _lib.fn

Duration = Union[_dt.timedelta, int]  # a timedelta, or milliseconds


def _ms(d: Duration, what: str) -> int:
    """Milliseconds of a duration; the library refuses negative ones (InvalidArgument)."""
    if isinstance(d, bool) or not isinstance(d, (int, _dt.timedelta)):
        raise TypeError(f"{what} must be a datetime.timedelta or milliseconds (int)")
    return d // _dt.timedelta(milliseconds=1) if isinstance(d, _dt.timedelta) else d


@dataclass(frozen=True)
class ForgetReport:
    """What a forget did (or, with dry_run, would do): commits newest first."""

    forgotten: Tuple["Commit", ...]
    kept: Tuple["Commit", ...]


@dataclass(frozen=True)
class SpaceReport:
    """What Tree.space() finds and Tree.prune() did. Byte figures are stored (compressed,
    sealed) bytes; an object takes 4 MiB in the store whatever it holds. The last five
    figures are filled by prune only (0 from space() and in a dry run)."""

    objects: int
    object_bytes: int
    live_chunks: int
    live_bytes: int
    garbage_bytes: int
    objects_to_delete: int
    objects_to_repack: int
    objects_pending: int
    objects_deleted: int
    objects_deferred: int
    chunks_moved: int
    bytes_moved: int
    temp_files_removed: int

    @classmethod
    def _from(cls, r: _lib.SpaceReport) -> "SpaceReport":
        return cls(*(getattr(r, name) for name, _ in _lib.SpaceReport._fields_[1:]))


def new_report() -> _lib.SpaceReport:
    return _lib.SpaceReport(version=_lib.SPACE_REPORT_VERSION)


def policy_handle(
    keep_last: int,
    keep_hourly: int,
    keep_daily: int,
    keep_weekly: int,
    keep_monthly: int,
    keep_yearly: int,
    keep_within: Optional[Duration],
) -> int:
    """An it_retention_policy, to free with it_retention_policy_free."""
    p = new_handle(_f["it_retention_policy_new"])
    try:
        for setter, n in (
            ("it_retention_policy_set_keep_last", keep_last),
            ("it_retention_policy_set_keep_hourly", keep_hourly),
            ("it_retention_policy_set_keep_daily", keep_daily),
            ("it_retention_policy_set_keep_weekly", keep_weekly),
            ("it_retention_policy_set_keep_monthly", keep_monthly),
            ("it_retention_policy_set_keep_yearly", keep_yearly),
        ):
            if n < 0:
                raise ValueError(f"{setter[len('it_retention_policy_set_'):]} must not be negative")
            check(_f[setter](p, n))
        if keep_within is not None:
            check(_f["it_retention_policy_set_keep_within_ms"](p, _ms(keep_within, "keep_within")))
    except BaseException:
        _f["it_retention_policy_free"](p)
        raise
    return p


def prune_options_handle(
    repack_below: Optional[float],
    grace: Optional[Duration],
    temp_grace: Optional[Duration],
    dry_run: bool,
) -> int:
    """An it_prune_options (None: the library's default), to free with it_prune_options_free."""
    o = new_handle(_f["it_prune_options_new"])
    try:
        if repack_below is not None:
            check(_f["it_prune_options_set_repack_below"](o, float(repack_below)))
        if grace is not None:
            check(_f["it_prune_options_set_grace_ms"](o, _ms(grace, "grace")))
        if temp_grace is not None:
            check(_f["it_prune_options_set_temp_grace_ms"](o, _ms(temp_grace, "temp_grace")))
        check(_f["it_prune_options_set_dry_run"](o, 1 if dry_run else 0))
    except BaseException:
        _f["it_prune_options_free"](o)
        raise
    return o


def ref_array(refs: Tuple[bytes, ...]) -> Optional[ctypes.Array]:  # type: ignore[type-arg]
    """A `const char* const*` of the refs (NULL for none)."""
    return (ctypes.c_char_p * len(refs))(*refs) if refs else None


__all__ = ["ForgetReport", "SpaceReport"]
