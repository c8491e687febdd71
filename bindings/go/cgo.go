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
	return &Error{Code: Code(rc), Message: C.GoString(C.it_error_message())}
}

// The C calls that return something write it to a trailing out-parameter (rules 2, 3, 6 and
// 7 of include/infinitree.h). These make that parameter, run f through call and return the
// Go value.

// callYes runs a predicate (or a change that reports whether it happened) writing int* out.
func callYes(f func(out *C.int) C.int) (bool, error) {
	var out C.int
	_, err := call(func() C.int { return f(&out) })
	return out == 1, err
}

// callU64 runs a call writing a count or number to uint64_t* out.
func callU64(f func(out *C.uint64_t) C.int) (uint64, error) {
	var out C.uint64_t
	_, err := call(func() C.int { return f(&out) })
	return uint64(out), err
}

// callBuf runs a call writing bytes to an it_buf and returns a Go copy.
func callBuf(f func(out *C.it_buf) C.int) ([]byte, error) {
	var out C.it_buf
	if _, err := call(func() C.int { return f(&out) }); err != nil {
		return nil, err
	}
	return takeBuf(&out), nil
}

// callString is callBuf for text.
func callString(f func(out *C.it_buf) C.int) (string, error) {
	b, err := callBuf(f)
	return string(b), err
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

// optCstr is like cstr but "" gives NULL (a ref: NULL is the head, rule 4 of the header).
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
	MaxValueSize = int(C.IT_MAX_VALUE_SIZE)
)
