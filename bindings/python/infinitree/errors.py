"""Exceptions: one class per stable IT_E* code of the C ABI, all under ``infinitree.Error``.

Each class also derives from the closest built-in exception where one fits, so code that
catches ``KeyError``, ``ValueError``, ``OSError``... keeps working:

==================  =====  ==========================  ===============================
class               code   C name                      also a
==================  =====  ==========================  ===============================
InvalidArgument     -1     IT_EINVAL                   ValueError
NotFound            -2     IT_ENOTFOUND                LookupError
KeyNotFound         -2     (a map/set key)             KeyError
IndexOutOfRange     -2     (a list position)           IndexError
ObjectMissing       -3     IT_EMISSING
Truncated           -4     IT_ETRUNCATED               Corrupt
Corrupt             -5     IT_ECORRUPT
IOFailure           -6     IT_EIO                      OSError
PermissionDenied    -7     IT_EPERM                    PermissionError
WrongCredentials    -8     IT_ECREDENTIALS
AlreadyExists       -9     IT_EEXISTS
Locked              -10    IT_ELOCKED
TooLarge            -11    IT_ETOOLARGE                ValueError
Closed              -12    IT_ECLOSED                  ValueError (like closed files)
UnsupportedVersion  -13    IT_EVERSION
NoMemory            -14    IT_ENOMEM                   MemoryError
NetworkError        -15    IT_ENETWORK                 ConnectionError
RemoteAuthError     -16    IT_EREMOTEAUTH
Conflict            -17    IT_ECONFLICT
ReadOnly            -18    IT_EREADONLY
InternalError       -19    IT_EINTERNAL
RemoteError         -20    IT_EREMOTE
NoSpace             -21    IT_ENOSPC                   IOFailure
==================  =====  ==========================  ===============================
"""

from __future__ import annotations

from typing import Dict, Type

from . import _constants as C

# This module only defines the exceptions: raising them from a status (which needs the
# library) is _status.py, so _lib can import these classes without an import cycle.


class Error(Exception):
    """Base class of every error raised by infinitree. ``code`` is the negative IT_E* code,
    ``message`` the library's message (from ``it_error_message()``)."""

    code: int = 0

    def __init__(self, code: int, message: str = "") -> None:
        self.code = code
        self.message = message
        super().__init__(message or f"infinitree error {code}")

    def __str__(self) -> str:
        return self.message or f"infinitree error {self.code}"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Pickle-friendly (multiprocessing passes exceptions between processes).
        return (type(self), (self.code, self.message))


class InvalidArgument(Error, ValueError):
    pass


class NotFound(Error, LookupError):
    pass


class KeyNotFound(NotFound, KeyError):
    """A key absent from a map or set (what ``map[key]`` raises)."""

    def __str__(self) -> str:  # KeyError's str() is the repr of its argument; keep the message
        return self.message


class IndexOutOfRange(NotFound, IndexError):
    """A list position past the end."""


class ObjectMissing(Error):
    pass


class Corrupt(Error):
    pass


class Truncated(Corrupt):
    pass


class IOFailure(Error, OSError):
    pass


class PermissionDenied(Error, PermissionError):
    """The operating system refused access, or a write-only tree's write key was used to read."""


class WrongCredentials(Error):
    pass


class AlreadyExists(Error):
    pass


class Locked(Error):
    pass


class TooLarge(Error, ValueError):
    pass


class Closed(Error, ValueError):
    pass


class UnsupportedVersion(Error):
    pass


class NoMemory(Error, MemoryError):
    pass


class NetworkError(Error, ConnectionError):
    pass


class RemoteAuthError(Error):
    pass


class Conflict(Error):
    pass


class ReadOnly(Error):
    pass


class InternalError(Error):
    pass


class RemoteError(Error):
    pass


class NoSpace(IOFailure):
    pass


BY_CODE: Dict[int, Type[Error]] = {
    C.IT_EINVAL: InvalidArgument,
    C.IT_ENOTFOUND: NotFound,
    C.IT_EMISSING: ObjectMissing,
    C.IT_ETRUNCATED: Truncated,
    C.IT_ECORRUPT: Corrupt,
    C.IT_EIO: IOFailure,
    C.IT_EPERM: PermissionDenied,
    C.IT_ECREDENTIALS: WrongCredentials,
    C.IT_EEXISTS: AlreadyExists,
    C.IT_ELOCKED: Locked,
    C.IT_ETOOLARGE: TooLarge,
    C.IT_ECLOSED: Closed,
    C.IT_EVERSION: UnsupportedVersion,
    C.IT_ENOMEM: NoMemory,
    C.IT_ENETWORK: NetworkError,
    C.IT_EREMOTEAUTH: RemoteAuthError,
    C.IT_ECONFLICT: Conflict,
    C.IT_EREADONLY: ReadOnly,
    C.IT_EINTERNAL: InternalError,
    C.IT_EREMOTE: RemoteError,
    C.IT_ENOSPC: NoSpace,
}


__all__ = [name for name, obj in list(globals().items()) if isinstance(obj, type) and issubclass(obj, Error)] + [
    "BY_CODE",
]
