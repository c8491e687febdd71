package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
// #include "gi_helpers.h"
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// Order-preserving keys. The C library encodes them (docs/format.md, "Key encoding"), so
// Go, Python and C build byte-identical keys: encoded keys compare bytewise in the order of
// the values, and tuples compare part by part. Strings and byte strings sort apart.

// keyScratch is the size of the buffer an encoded key is first copied into.
const keyScratch = 64

// KeyInt encodes an integer.
func KeyInt(v int64) []byte { return mustKey(v) }

// KeyUint encodes an unsigned integer (the same encoding as KeyInt for values <= MaxInt64).
func KeyUint(v uint64) []byte { return mustKey(v) }

// KeyString encodes a UTF-8 string.
func KeyString(s string) []byte { return mustKey(s) }

// KeyBytes encodes a byte string as a key part (sorts apart from strings).
func KeyBytes(b []byte) []byte { return mustKey(b) }

// KeyFloat encodes a float64.
func KeyFloat(v float64) []byte { return mustKey(v) }

// KeyBool encodes a boolean.
func KeyBool(v bool) []byte { return mustKey(v) }

// Desc wraps one key part so that it sorts in descending order: Key("log", Desc{t}) lists
// the newest time first. DecodeKey returns Desc for such parts, so keys round-trip.
type Desc struct{ V any }

// Key encodes a tuple. Parts may be nil, bool, any Go integer type, float32/float64, string,
// []byte, time.Time (microseconds since the epoch, UTC) or a Desc of one of those. ErrInvalid
// for any other type.
func Key(parts ...any) ([]byte, error) {
	// The parts hold no pointers, so they may live in Go memory for the call (cgo rules).
	ps := make([]C.gi_key_part, len(parts)+1)
	var blob []byte
	for i, p := range parts {
		cp := &ps[i]
		if d, ok := p.(Desc); ok {
			cp.desc = 1
			p = d.V
			if _, nested := p.(Desc); nested {
				return nil, &Error{Code: CodeInvalid, Message: fmt.Sprintf("key part %d: Desc of a Desc", i)}
			}
		}
		switch v := p.(type) {
		case time.Time:
			cp._type, cp.i = C.IT_KEY_TIME, C.int64_t(v.UnixMicro())
		case nil:
			cp._type = C.IT_KEY_NULL
		case bool:
			cp._type = C.IT_KEY_BOOL
			if v {
				cp.i = 1
			}
		case int:
			cp._type, cp.i = C.IT_KEY_INT, C.int64_t(v)
		case int8:
			cp._type, cp.i = C.IT_KEY_INT, C.int64_t(v)
		case int16:
			cp._type, cp.i = C.IT_KEY_INT, C.int64_t(v)
		case int32:
			cp._type, cp.i = C.IT_KEY_INT, C.int64_t(v)
		case int64:
			cp._type, cp.i = C.IT_KEY_INT, C.int64_t(v)
		case uint:
			cp._type, cp.u = C.IT_KEY_UINT, C.uint64_t(v)
		case uint8:
			cp._type, cp.u = C.IT_KEY_UINT, C.uint64_t(v)
		case uint16:
			cp._type, cp.u = C.IT_KEY_UINT, C.uint64_t(v)
		case uint32:
			cp._type, cp.u = C.IT_KEY_UINT, C.uint64_t(v)
		case uint64:
			cp._type, cp.u = C.IT_KEY_UINT, C.uint64_t(v)
		case float32:
			cp._type, cp.d = C.IT_KEY_DOUBLE, C.double(v)
		case float64:
			cp._type, cp.d = C.IT_KEY_DOUBLE, C.double(v)
		case string:
			cp._type, cp.off, cp.len = C.IT_KEY_STR, C.size_t(len(blob)), C.size_t(len(v))
			blob = append(blob, v...)
		case []byte:
			cp._type, cp.off, cp.len = C.IT_KEY_BYTES, C.size_t(len(blob)), C.size_t(len(v))
			blob = append(blob, v...)
		default:
			return nil, &Error{Code: CodeInvalid, Message: fmt.Sprintf("key part %d has unsupported type %T", i, p)}
		}
	}
	out := make([]byte, keyScratch)
	var big C.it_buf
	rc, err := call(func() C.int {
		return C.gi_key_encode(&ps[0], C.size_t(len(parts)), (*C.uint8_t)(bytesPtr(blob)),
			unsafe.Pointer(&out[0]), keyScratch, &big)
	})
	if err != nil {
		return nil, err
	}
	if int(rc) > keyScratch {
		return takeBuf(&big), nil
	}
	return out[:rc:rc], nil
}

// MustKey is Key for parts known to be valid; it panics on an error.
func MustKey(parts ...any) []byte { return mustKey(parts...) }

func mustKey(parts ...any) []byte {
	k, err := Key(parts...)
	if err != nil {
		panic(err)
	}
	return k
}

// DecodeKey decodes an order-preserving key into its parts: nil, bool, int64 (integers that
// fit), uint64 (above MaxInt64), float64, string, []byte or time.Time (UTC), each wrapped in
// Desc if it was encoded descending. ErrInvalid for bytes that are
// not a valid encoding.
func DecodeKey(key []byte) ([]any, error) {
	var p *C.it_key_parts
	if _, err := call(func() C.int { return C.it_key_decode(bytesPtr(key), C.size_t(len(key)), &p) }); err != nil {
		return nil, err
	}
	defer C.it_key_parts_free(p)
	n, err := callU64(func(out *C.uint64_t) C.int { return C.it_key_parts_count(p, out) })
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, n)
	for i := uint64(0); i < n; i++ {
		ci := C.uint64_t(i)
		var part any
		var t C.it_key_type
		rc := C.it_key_parts_type(p, ci, &t)
		if rc < 0 {
			return nil, &Error{Code: Code(rc), Message: "decoding key part"}
		}
		switch t {
		case C.IT_KEY_NULL:
			part = nil
		case C.IT_KEY_BOOL:
			var b C.int
			rc = C.it_key_parts_bool(p, ci, &b)
			part = b != 0
		case C.IT_KEY_INT:
			var v C.int64_t
			rc = C.it_key_parts_int(p, ci, &v)
			part = int64(v)
		case C.IT_KEY_UINT:
			var v C.uint64_t
			rc = C.it_key_parts_uint(p, ci, &v)
			part = uint64(v)
		case C.IT_KEY_DOUBLE:
			var v C.double
			rc = C.it_key_parts_double(p, ci, &v)
			part = float64(v)
		case C.IT_KEY_TIME:
			var v C.int64_t
			rc = C.it_key_parts_time(p, ci, &v)
			part = time.UnixMicro(int64(v)).UTC()
		case C.IT_KEY_STR, C.IT_KEY_BYTES:
			var buf C.it_buf
			rc = C.it_key_parts_bytes(p, ci, &buf)
			var b []byte
			if rc == C.IT_OK {
				b = takeBuf(&buf)
			}
			if t == C.IT_KEY_STR {
				part = string(b)
			} else {
				part = b
			}
		default:
			return nil, &Error{Code: CodeInvalid, Message: fmt.Sprintf("key part %d has unknown type %d", i, int(t))}
		}
		if rc < 0 {
			return nil, &Error{Code: Code(rc), Message: "decoding key part"}
		}
		var desc C.int
		if rc = C.it_key_parts_is_descending(p, ci, &desc); rc < 0 {
			return nil, &Error{Code: Code(rc), Message: "decoding key part"}
		}
		if desc != 0 {
			part = Desc{part}
		}
		out = append(out, part)
	}
	return out, nil
}
