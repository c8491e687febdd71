package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"sort"
	"strconv"
	"sync"
)

// Backend is where a tree's objects are stored: memory, a directory, an S3-compatible
// bucket, or a local cache in front of another backend. A tree keeps its own reference, so
// a Backend may be closed as soon as the trees are created or opened. Safe for concurrent use.
type Backend struct {
	mu sync.RWMutex
	h  *C.it_backend
}

func newBackend(h *C.it_backend) *Backend {
	b := &Backend{h: h}
	runtime.SetFinalizer(b, (*Backend).Close)
	return b
}

// MemoryBackend keeps objects in memory; they are gone when the last user is closed.
func MemoryBackend() (*Backend, error) {
	var h *C.it_backend
	if _, err := call(func() C.int { return C.it_backend_new_memory(&h) }); err != nil {
		return nil, err
	}
	return newBackend(h), nil
}

// DirectoryBackend stores one file per object under path (created if missing).
func DirectoryBackend(path string) (*Backend, error) {
	p, err := cstr(path)
	if err != nil {
		return nil, err
	}
	defer freeCstr(p)
	var h *C.it_backend
	if _, err := call(func() C.int { return C.it_backend_new_directory(p, &h) }); err != nil {
		return nil, err
	}
	return newBackend(h), nil
}

// The S3 settings by name, each with its typed C setter (it_s3_options_set_<name>).
var s3Text = map[string]func(o *C.it_s3_options, v *C.char) C.int{
	"url":               func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_url(o, v) },
	"endpoint":          func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_endpoint(o, v) },
	"region":            func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_region(o, v) },
	"bucket":            func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_bucket(o, v) },
	"prefix":            func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_prefix(o, v) },
	"access_key_id":     func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_access_key_id(o, v) },
	"secret_access_key": func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_secret_access_key(o, v) },
	"session_token":     func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_session_token(o, v) },
	"ca_file":           func(o *C.it_s3_options, v *C.char) C.int { return C.it_s3_options_set_ca_file(o, v) },
}

var s3Numbers = map[string]func(o *C.it_s3_options, v C.uint32_t) C.int{
	"parallel_uploads": func(o *C.it_s3_options, v C.uint32_t) C.int { return C.it_s3_options_set_parallel_uploads(o, v) },
	"max_attempts":     func(o *C.it_s3_options, v C.uint32_t) C.int { return C.it_s3_options_set_max_attempts(o, v) },
	"retry_base_ms":    func(o *C.it_s3_options, v C.uint32_t) C.int { return C.it_s3_options_set_retry_base_ms(o, v) },
	"max_retry_seconds": func(o *C.it_s3_options, v C.uint32_t) C.int {
		return C.it_s3_options_set_max_retry_seconds(o, v)
	},
	"connect_timeout_ms": func(o *C.it_s3_options, v C.uint32_t) C.int {
		return C.it_s3_options_set_connect_timeout_ms(o, v)
	},
	"stall_timeout_seconds": func(o *C.it_s3_options, v C.uint32_t) C.int {
		return C.it_s3_options_set_stall_timeout_seconds(o, v)
	},
}

var s3Addressing = map[string]C.it_s3_addressing{
	"auto":    C.IT_S3_ADDRESSING_AUTO,
	"path":    C.IT_S3_ADDRESSING_PATH,
	"virtual": C.IT_S3_ADDRESSING_VIRTUAL,
}

// s3Set applies one setting through its typed setter.
func s3Set(o *C.it_s3_options, key, value string) error {
	if set, ok := s3Text[key]; ok {
		v, err := cstr(value)
		if err != nil {
			return err
		}
		defer freeCstr(v)
		_, err = call(func() C.int { return set(o, v) })
		return err
	}
	if set, ok := s3Numbers[key]; ok {
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil {
			return &Error{Code: CodeInvalid, Message: "S3 setting " + key + " needs an integer, not " + strconv.Quote(value)}
		}
		_, err = call(func() C.int { return set(o, C.uint32_t(n)) })
		return err
	}
	if key == "addressing" {
		mode, ok := s3Addressing[value]
		if !ok {
			return &Error{Code: CodeInvalid, Message: "addressing must be auto, path or virtual"}
		}
		_, err := call(func() C.int { return C.it_s3_options_set_addressing(o, mode) })
		return err
	}
	return &Error{Code: CodeInvalid, Message: "unknown S3 setting " + strconv.Quote(key)}
}

// S3Backend opens an S3-compatible bucket. settings are named as the it_s3_options_set_*
// functions: "url" ("s3://bucket/prefix"), "endpoint", "region", "bucket", "prefix",
// "addressing" ("auto", "path", "virtual"), "access_key_id", "secret_access_key",
// "session_token", "ca_file", and the integers "parallel_uploads", "max_attempts",
// "retry_base_ms", "max_retry_seconds", "connect_timeout_ms", "stall_timeout_seconds". An
// unknown key or a bad value is ErrInvalid.
func S3Backend(settings map[string]string) (*Backend, error) {
	var o *C.it_s3_options
	if _, err := call(func() C.int { return C.it_s3_options_new(&o) }); err != nil {
		return nil, err
	}
	defer C.it_s3_options_free(o)
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a deterministic first error
	for _, k := range keys {
		if err := s3Set(o, k, settings[k]); err != nil {
			return nil, err
		}
	}
	var h *C.it_backend
	if _, err := call(func() C.int { return C.it_backend_new_s3(o, &h) }); err != nil {
		return nil, err
	}
	return newBackend(h), nil
}

// CacheBackend puts a local directory cache of at most budget bytes in front of remote
// (which stays usable and may be closed).
func CacheBackend(remote *Backend, folder string, budget uint64) (*Backend, error) {
	remote.mu.RLock()
	defer remote.mu.RUnlock()
	if remote.h == nil {
		return nil, errHandleClosed("backend")
	}
	f, err := cstr(folder)
	if err != nil {
		return nil, err
	}
	defer freeCstr(f)
	var h *C.it_backend
	if _, err := call(func() C.int {
		return C.it_backend_new_cache(remote.h, f, C.uint64_t(budget), &h)
	}); err != nil {
		return nil, err
	}
	return newBackend(h), nil
}

// String describes the backend ("memory", "dir:/path", "s3://bucket/prefix").
func (b *Backend) String() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.h == nil {
		return "closed backend"
	}
	var buf C.it_buf
	if _, err := call(func() C.int { return C.it_backend_describe(b.h, &buf) }); err != nil {
		return "backend (" + err.Error() + ")"
	}
	return string(takeBuf(&buf))
}

// Close releases this handle (trees made from it keep their own reference). Idempotent.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.h != nil {
		C.it_backend_free(b.h)
		b.h = nil
		runtime.SetFinalizer(b, nil)
	}
	return nil
}
