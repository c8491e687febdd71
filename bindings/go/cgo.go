package infinitree

// #cgo LDFLAGS: -linfinitree
// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// The C library keeps the message of the last failure per OS thread, while Go moves
// goroutines between threads at any call. call therefore pins the goroutine to its thread
// from the C call until the message is read. f must make exactly one failing-or-not C call
// (helpers in gi_helpers.c count as one) and return its status.
func call(f func() C.int) (C.int, error) {
	runtime.LockOSThread()
	rc := f()
	var err error
	if rc < 0 {
		err = lastError(rc)
	}
	runtime.UnlockOSThread()
	return rc, err
}

// lastError is the *Error of a failed call; it must run on the thread of that call.
func lastError(rc C.int) error {
	return &Error{Code: Code(rc), Message: C.GoString(C.it_last_error())}
}

// bytesPtr passes a Go byte slice to C for the duration of one call (the C ABI borrows
// input bytes for the call only, so no copy is needed; the bytes contain no Go pointers).
func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// cstr is a C copy of s, to release with C.free. Names must not contain NUL bytes.
func cstr(s string) (*C.char, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return nil, &Error{Code: CodeInvalid, Message: "name contains a NUL byte"}
		}
	}
	return C.CString(s), nil
}

// optCstr is like cstr but "" gives NULL (for optional names such as commit ids).
func optCstr(s string) (*C.char, error) {
	if s == "" {
		return nil, nil
	}
	return cstr(s)
}

func freeCstr(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// takeBuf copies a library-owned buffer into Go memory and releases it.
func takeBuf(b *C.it_buf) []byte {
	out := C.GoBytes(unsafe.Pointer(b.data), C.int(b.size))
	C.it_buf_free(b)
	return out
}

// Version is the version of the loaded C library ("MAJOR.MINOR.PATCH").
func Version() string { return C.GoString(C.it_version()) }

// HeaderVersion is the version of include/infinitree.h this package was compiled against.
const HeaderVersion = C.IT_VERSION_STRING

// Limits enforced on every write (ErrTooLarge beyond them).
const (
	MaxKeySize   = int(C.IT_MAX_KEY_SIZE)
	MaxValueSize = int(1 << 30)
)
