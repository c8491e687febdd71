package infinitree

// #include <infinitree.h>
import "C"

import "fmt"

// Code is a stable status code of the C library (negative; never renumbered).
type Code int

// The codes of include/infinitree.h.
const (
	CodeInvalid     Code = C.IT_EINVAL       // bad argument
	CodeNotFound    Code = C.IT_ENOTFOUND    // key, field, commit, branch or tag does not exist
	CodeMissing     Code = C.IT_EMISSING     // an object the data needs is not in the store
	CodeTruncated   Code = C.IT_ETRUNCATED   // an object is shorter than it must be
	CodeCorrupt     Code = C.IT_ECORRUPT     // authentication or decoding failed
	CodeIO          Code = C.IT_EIO          // the operating system reported an I/O error
	CodePermission  Code = C.IT_EPERM        // the OS refused access, or a write key was used to read
	CodeCredentials Code = C.IT_ECREDENTIALS // no tree opens with these credentials
	CodeExists      Code = C.IT_EEXISTS      // creating something that exists
	CodeLocked      Code = C.IT_ELOCKED      // another writer holds the tree
	CodeTooLarge    Code = C.IT_ETOOLARGE    // key or value over its limit
	CodeClosed      Code = C.IT_ECLOSED      // the tree or handle was closed
	CodeVersion     Code = C.IT_EVERSION     // an unknown format version
	CodeNoMemory    Code = C.IT_ENOMEM       // out of memory
	CodeNetwork     Code = C.IT_ENETWORK     // connection failed or timed out after retries
	CodeRemoteAuth  Code = C.IT_EREMOTEAUTH  // the remote store refused the credentials
	CodeConflict    Code = C.IT_ECONFLICT    // another writer committed first, or changes block it
	CodeReadOnly    Code = C.IT_EREADONLY    // writing through a read-only tree or checkout
	CodeInternal    Code = C.IT_EINTERNAL    // a bug: an invariant did not hold
	CodeRemote      Code = C.IT_EREMOTE      // the remote store answered with a final error
	CodeNoSpace     Code = C.IT_ENOSPC       // the device or quota is full
)

// String is the library's short stable description of the code ("not found", ...).
func (c Code) String() string { return C.GoString(C.it_error_string(C.int(c))) }

// Error is every error this package returns. Code is stable; Message says what failed
// (it comes from the C library and may change between versions).
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "infinitree: " + e.Code.String()
	}
	return fmt.Sprintf("infinitree: %s (%s)", e.Message, e.Code.String())
}

// Is makes errors.Is(err, ErrLocked) (and every other sentinel) match any *Error with
// the same code, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// Sentinel errors, one per code, for errors.Is.
var (
	ErrInvalid          = &Error{Code: CodeInvalid}
	ErrNotFound         = &Error{Code: CodeNotFound}
	ErrMissing          = &Error{Code: CodeMissing}
	ErrTruncated        = &Error{Code: CodeTruncated}
	ErrCorrupt          = &Error{Code: CodeCorrupt}
	ErrIO               = &Error{Code: CodeIO}
	ErrPermission       = &Error{Code: CodePermission}
	ErrWrongCredentials = &Error{Code: CodeCredentials}
	ErrExists           = &Error{Code: CodeExists}
	ErrLocked           = &Error{Code: CodeLocked}
	ErrTooLarge         = &Error{Code: CodeTooLarge}
	ErrClosed           = &Error{Code: CodeClosed}
	ErrVersion          = &Error{Code: CodeVersion}
	ErrNoMemory         = &Error{Code: CodeNoMemory}
	ErrNetwork          = &Error{Code: CodeNetwork}
	ErrRemoteAuth       = &Error{Code: CodeRemoteAuth}
	ErrConflict         = &Error{Code: CodeConflict}
	ErrReadOnly         = &Error{Code: CodeReadOnly}
	ErrInternal         = &Error{Code: CodeInternal}
	ErrRemote           = &Error{Code: CodeRemote}
	ErrNoSpace          = &Error{Code: CodeNoSpace}
)

// errHandleClosed is returned by a Go handle used after its own Close (the C handle is gone,
// so the library cannot answer).
func errHandleClosed(what string) error {
	return &Error{Code: CodeClosed, Message: what + " handle is closed"}
}
