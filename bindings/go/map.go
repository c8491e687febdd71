package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
// #include "gi_helpers.h"
import "C"

import (
	"iter"
	"runtime"
	"sync"
	"unsafe"
)

// Map is a map field: byte-string keys to byte-string values, ordered bytewise. Build keys
// with KeyInt, KeyString, Key, ... to get a meaningful order for numbers and tuples.
// Safe for concurrent use. Close it when done (a finalizer is the safety net); a Map of a
// closed tree answers ErrClosed.
//
// Keys and values passed in are only read during the call; values returned are fresh
// copies owned by the caller.
type Map struct {
	mu sync.RWMutex
	h  *C.it_map
}

func newMap(h *C.it_map) *Map {
	m := &Map{h: h}
	runtime.SetFinalizer(m, (*Map).Close)
	return m
}

// Close frees the handle. Idempotent.
func (m *Map) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h != nil {
		C.it_map_free(m.h)
		m.h = nil
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// getScratch is the size of the buffer a value is first copied into; longer values take
// one more cgo call.
const getScratch = 96

// Get returns the value of key, or an error matching ErrNotFound if the key is absent.
func (m *Map) Get(key []byte) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return nil, errHandleClosed("map")
	}
	out := make([]byte, getScratch)
	var big C.it_buf
	runtime.LockOSThread()
	rc := C.gi_map_get(m.h, bytesPtr(key), C.size_t(len(key)), unsafe.Pointer(&out[0]), getScratch, &big)
	var err error
	if rc < 0 {
		err = lastError(rc)
	}
	runtime.UnlockOSThread()
	if err != nil {
		return nil, err
	}
	if int(rc) > getScratch {
		return takeBuf(&big), nil
	}
	return out[:rc:rc], nil
}

// Put sets key to value.
func (m *Map) Put(key, value []byte) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return errHandleClosed("map")
	}
	runtime.LockOSThread()
	rc := C.it_map_put(m.h, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)))
	var err error
	if rc < 0 {
		err = lastError(rc)
	}
	runtime.UnlockOSThread()
	return err
}

// yesNo runs a C call that writes a yes/no answer to its last parameter (rule 3).
func (m *Map) yesNo(f func(h *C.it_map, out *C.int) C.int) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return false, errHandleClosed("map")
	}
	return callYes(func(out *C.int) C.int { return f(m.h, out) })
}

// PutIfAbsent stores value only if key is absent; it reports whether it did.
func (m *Map) PutIfAbsent(key, value []byte) (bool, error) {
	return m.yesNo(func(h *C.it_map, out *C.int) C.int {
		return C.it_map_put_if_absent(h, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)), out)
	})
}

// CompareAndSwap sets key to desired only if its current value is expected, and reports
// whether it did. A nil expected means "key absent"; a nil desired deletes the key. (An
// empty value is a non-nil empty slice such as []byte{}.)
func (m *Map) CompareAndSwap(key, expected, desired []byte) (bool, error) {
	hasE, hasD := C.int(0), C.int(0)
	if expected != nil {
		hasE = 1
	}
	if desired != nil {
		hasD = 1
	}
	return m.yesNo(func(h *C.it_map, out *C.int) C.int {
		return C.it_map_compare_and_swap(h, bytesPtr(key), C.size_t(len(key)),
			hasE, bytesPtr(expected), C.size_t(len(expected)),
			hasD, bytesPtr(desired), C.size_t(len(desired)), out)
	})
}

// Delete removes key and reports whether it was there.
func (m *Map) Delete(key []byte) (bool, error) {
	return m.yesNo(func(h *C.it_map, out *C.int) C.int { return C.it_map_remove(h, bytesPtr(key), C.size_t(len(key)), out) })
}

// Contains reports whether key is present.
func (m *Map) Contains(key []byte) (bool, error) {
	return m.yesNo(func(h *C.it_map, out *C.int) C.int {
		return C.it_map_contains(h, bytesPtr(key), C.size_t(len(key)), out)
	})
}

// count runs a C call with a uint64 result.
func (m *Map) count(f func(h *C.it_map, out *C.uint64_t) C.int) (int, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return 0, errHandleClosed("map")
	}
	var n C.uint64_t
	_, err := call(func() C.int { return f(m.h, &n) })
	return int(n), err
}

// Len is the number of keys.
func (m *Map) Len() (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int { return C.it_map_count(h, out) })
}

// CountRange is the number of keys in [from, to); an empty to means no upper bound.
func (m *Map) CountRange(from, to []byte) (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_count_range(h, bytesPtr(from), C.size_t(len(from)), bytesPtr(to), C.size_t(len(to)), out)
	})
}

// DeleteRange removes the keys in [from, to) (empty to: no upper bound) and returns how many.
func (m *Map) DeleteRange(from, to []byte) (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_remove_range(h, bytesPtr(from), C.size_t(len(from)), bytesPtr(to), C.size_t(len(to)), out)
	})
}

// DeletePrefix removes the subspace under prefix (every key starting with it; a tuple
// prefix made with Key selects the tuples beginning with those parts) in one range erase
// that drops whole B-tree subtrees, and returns how many keys went.
func (m *Map) DeletePrefix(prefix []byte) (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_remove_prefix(h, bytesPtr(prefix), C.size_t(len(prefix)), out)
	})
}

// CountPrefix is the number of keys starting with prefix, without reading them.
func (m *Map) CountPrefix(prefix []byte) (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_count_prefix(h, bytesPtr(prefix), C.size_t(len(prefix)), out)
	})
}

// Clear removes every key.
func (m *Map) Clear() error {
	_, err := m.yesNo(func(h *C.it_map, _ *C.int) C.int { return C.it_map_clear(h) })
	return err
}

// Cursor is a cursor over [from, to) (empty to: no upper bound), on the first key.
func (m *Map) Cursor(from, to []byte) (*Cursor, error) {
	return m.cursor(func(h *C.it_map, c **C.it_cursor) C.int {
		return C.it_map_cursor(h, bytesPtr(from), C.size_t(len(from)), bytesPtr(to), C.size_t(len(to)), c)
	})
}

// PrefixCursor is a cursor over the keys starting with prefix, on the first.
func (m *Map) PrefixCursor(prefix []byte) (*Cursor, error) {
	return m.cursor(func(h *C.it_map, c **C.it_cursor) C.int {
		return C.it_map_prefix_cursor(h, bytesPtr(prefix), C.size_t(len(prefix)), c)
	})
}

func (m *Map) cursor(open func(h *C.it_map, c **C.it_cursor) C.int) (*Cursor, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return nil, errHandleClosed("map")
	}
	var c *C.it_cursor
	if _, err := call(func() C.int { return open(m.h, &c) }); err != nil {
		return nil, err
	}
	return newCursor(c), nil
}

// Entry is one key and its value.
type Entry struct {
	Key, Value []byte
}

// All yields every entry in key order. An error (the tree closed meanwhile, damaged data)
// is yielded once, with a zero Entry, and ends the sequence:
//
//	for e, err := range m.All() {
//		if err != nil {
//			return err
//		}
//		use(e.Key, e.Value)
//	}
//
// Entries are read in batches through a cursor; changes made to the map while iterating
// are seen from the cursor's current key on.
func (m *Map) All() iter.Seq2[Entry, error] { return m.Range(nil, nil) }

// Range yields the entries with from <= key < to in key order (nil to: no upper bound).
func (m *Map) Range(from, to []byte) iter.Seq2[Entry, error] {
	from, to = clone(from), clone(to) // the caller may reuse them before iterating
	return cursorSeq(func() (*Cursor, error) { return m.Cursor(from, to) })
}

// Prefix yields the entries whose key starts with prefix, in key order.
func (m *Map) Prefix(prefix []byte) iter.Seq2[Entry, error] {
	prefix = clone(prefix)
	return cursorSeq(func() (*Cursor, error) { return m.PrefixCursor(prefix) })
}

// Backward yields the entries with from <= key < to in descending key order (nil to: no
// upper bound).
func (m *Map) Backward(from, to []byte) iter.Seq2[Entry, error] {
	from, to = clone(from), clone(to)
	return func(yield func(Entry, error) bool) {
		c, err := m.Cursor(from, to)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		defer c.Close()
		if _, err := c.Last(); err != nil {
			yield(Entry{}, err)
			return
		}
		c.Backward()(yield)
	}
}

// Keys yields the keys in [from, to) (nil to: no upper bound).
func (m *Map) Keys(from, to []byte) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for e, err := range m.Range(from, to) {
			if !yield(e.Key, err) {
				return
			}
		}
	}
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
