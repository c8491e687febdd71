package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"iter"
	"runtime"
	"sync"
)

// Set is a set field of byte strings, ordered bytewise. Safe for concurrent use.
type Set struct {
	mu sync.RWMutex
	h  *C.it_set
}

func newSet(h *C.it_set) *Set {
	s := &Set{h: h}
	runtime.SetFinalizer(s, (*Set).Close)
	return s
}

// Close frees the handle. Idempotent.
func (s *Set) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h != nil {
		C.it_set_free(s.h)
		s.h = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

func (s *Set) do(f func(h *C.it_set) C.int) (C.int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return 0, errHandleClosed("set")
	}
	return call(func() C.int { return f(s.h) })
}

// Insert adds key and reports whether it was new.
func (s *Set) Insert(key []byte) (bool, error) {
	var yes C.int
	_, err := s.do(func(h *C.it_set) C.int { return C.it_set_insert(h, bytesPtr(key), C.size_t(len(key)), &yes) })
	return yes == 1, err
}

// Contains reports whether key is in the set.
func (s *Set) Contains(key []byte) (bool, error) {
	var yes C.int
	_, err := s.do(func(h *C.it_set) C.int { return C.it_set_contains(h, bytesPtr(key), C.size_t(len(key)), &yes) })
	return yes == 1, err
}

// Delete removes key and reports whether it was there.
func (s *Set) Delete(key []byte) (bool, error) {
	var yes C.int
	_, err := s.do(func(h *C.it_set) C.int { return C.it_set_remove(h, bytesPtr(key), C.size_t(len(key)), &yes) })
	return yes == 1, err
}

// Len is the number of keys.
func (s *Set) Len() (int, error) {
	var n C.uint64_t
	_, err := s.do(func(h *C.it_set) C.int { return C.it_set_count(h, &n) })
	return int(n), err
}

// Cursor is a cursor over the keys in [from, to) (empty to: no bound); values are empty.
func (s *Set) Cursor(from, to []byte) (*Cursor, error) {
	var c *C.it_cursor
	if _, err := s.do(func(h *C.it_set) C.int {
		return C.it_set_cursor(h, bytesPtr(from), C.size_t(len(from)), bytesPtr(to), C.size_t(len(to)), &c)
	}); err != nil {
		return nil, err
	}
	return newCursor(c), nil
}

// All yields every key in order; an error is yielded once and ends the sequence.
func (s *Set) All() iter.Seq2[[]byte, error] { return s.Range(nil, nil) }

// Range yields the keys in [from, to) (nil to: no upper bound).
func (s *Set) Range(from, to []byte) iter.Seq2[[]byte, error] {
	from, to = clone(from), clone(to)
	return func(yield func([]byte, error) bool) {
		for e, err := range cursorSeq(func() (*Cursor, error) { return s.Cursor(from, to) }) {
			if !yield(e.Key, err) {
				return
			}
		}
	}
}

// List is a list field: values by index 0..Len()-1. Safe for concurrent use.
type List struct {
	mu sync.RWMutex
	h  *C.it_list
}

func newList(h *C.it_list) *List {
	l := &List{h: h}
	runtime.SetFinalizer(l, (*List).Close)
	return l
}

// Close frees the handle. Idempotent.
func (l *List) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.h != nil {
		C.it_list_free(l.h)
		l.h = nil
		runtime.SetFinalizer(l, nil)
	}
	return nil
}

func (l *List) do(f func(h *C.it_list) C.int) (C.int, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.h == nil {
		return 0, errHandleClosed("list")
	}
	return call(func() C.int { return f(l.h) })
}

// Push appends value and returns its index.
func (l *List) Push(value []byte) (int, error) {
	var i C.uint64_t
	_, err := l.do(func(h *C.it_list) C.int {
		return C.it_list_push(h, bytesPtr(value), C.size_t(len(value)), &i)
	})
	return int(i), err
}

// Get is the value at index; ErrNotFound past the end.
func (l *List) Get(index int) ([]byte, error) {
	if index < 0 {
		return nil, &Error{Code: CodeNotFound, Message: "negative list index"}
	}
	var b C.it_buf
	if _, err := l.do(func(h *C.it_list) C.int { return C.it_list_get(h, C.uint64_t(index), &b) }); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Set replaces the value at index; ErrNotFound past the end.
func (l *List) Set(index int, value []byte) error {
	if index < 0 {
		return &Error{Code: CodeNotFound, Message: "negative list index"}
	}
	_, err := l.do(func(h *C.it_list) C.int {
		return C.it_list_set(h, C.uint64_t(index), bytesPtr(value), C.size_t(len(value)))
	})
	return err
}

// Pop removes the last value; ErrNotFound if the list is empty.
func (l *List) Pop() error {
	_, err := l.do(func(h *C.it_list) C.int { return C.it_list_remove_last(h) })
	return err
}

// Len is the number of values.
func (l *List) Len() (int, error) {
	var n C.uint64_t
	_, err := l.do(func(h *C.it_list) C.int { return C.it_list_count(h, &n) })
	return int(n), err
}

// All yields the values in index order (the length is read once, at the start); an error
// is yielded once and ends the sequence.
func (l *List) All() iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		n, err := l.Len()
		if err != nil {
			yield(nil, err)
			return
		}
		for i := 0; i < n; i++ {
			v, err := l.Get(i)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// Value is a value field: one optional byte string. Safe for concurrent use.
type Value struct {
	mu sync.RWMutex
	h  *C.it_value
}

func newValue(h *C.it_value) *Value {
	v := &Value{h: h}
	runtime.SetFinalizer(v, (*Value).Close)
	return v
}

// Close frees the handle. Idempotent.
func (v *Value) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.h != nil {
		C.it_value_free(v.h)
		v.h = nil
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

func (v *Value) do(f func(h *C.it_value) C.int) (C.int, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return 0, errHandleClosed("value")
	}
	return call(func() C.int { return f(v.h) })
}

// Get is the stored bytes; ErrNotFound if unset.
func (v *Value) Get() ([]byte, error) {
	var b C.it_buf
	if _, err := v.do(func(h *C.it_value) C.int { return C.it_value_get(h, &b) }); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Set stores data.
func (v *Value) Set(data []byte) error {
	_, err := v.do(func(h *C.it_value) C.int { return C.it_value_set(h, bytesPtr(data), C.size_t(len(data))) })
	return err
}

// Reset unsets the value.
func (v *Value) Reset() error {
	_, err := v.do(func(h *C.it_value) C.int { return C.it_value_clear(h) })
	return err
}
