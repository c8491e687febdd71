package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"sort"
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
	if _, err := call(func() C.int { return C.it_backend_memory(&h) }); err != nil {
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
	if _, err := call(func() C.int { return C.it_backend_directory(p, &h) }); err != nil {
		return nil, err
	}
	return newBackend(h), nil
}

// S3Backend opens an S3-compatible bucket. settings are the keys of it_s3_options_set:
// "url" ("s3://bucket/prefix"), "endpoint", "region", "bucket", "prefix", "addressing",
// "access_key_id", "secret_access_key", "session_token", "ca_file", "parallel_uploads",
// "max_attempts", "retry_base_ms", "max_retry_seconds", "connect_timeout_ms",
// "stall_timeout_seconds". An unknown key or a bad value is ErrInvalid.
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
		ck, err := cstr(k)
		if err != nil {
			return nil, err
		}
		cv, err := cstr(settings[k])
		if err != nil {
			freeCstr(ck)
			return nil, err
		}
		_, err = call(func() C.int { return C.it_s3_options_set(o, ck, cv) })
		freeCstr(ck)
		freeCstr(cv)
		if err != nil {
			return nil, err
		}
	}
	var h *C.it_backend
	if _, err := call(func() C.int { return C.it_backend_s3(o, &h) }); err != nil {
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
		return C.it_backend_cache(remote.h, f, C.uint64_t(budget), &h)
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
