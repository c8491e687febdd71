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

// Cursor is a position in a map or set between two bounds. It is valid (on an entry) or
// past either end. If the map changes meanwhile, the cursor continues from its current key.
// A Cursor serializes its own use, so sharing one between goroutines is safe but pointless.
// Close it when done; a cursor of a closed tree answers ErrClosed.
type Cursor struct {
	mu sync.Mutex
	h  *C.it_cursor
}

func newCursor(h *C.it_cursor) *Cursor {
	c := &Cursor{h: h}
	runtime.SetFinalizer(c, (*Cursor).Close)
	return c
}

// Close frees the cursor. Idempotent.
func (c *Cursor) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h != nil {
		C.it_cursor_free(c.h)
		c.h = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// move runs a C call that moves the cursor: IT_OK means it is on an entry after, IT_DONE
// that it went past either end.
func (c *Cursor) move(f func(h *C.it_cursor) C.int) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h == nil {
		return false, errHandleClosed("cursor")
	}
	rc, err := call(func() C.int { return f(c.h) })
	return err == nil && rc == C.IT_OK, err
}

// valid asks the C cursor whether it is on an entry; c.mu is held.
func (c *Cursor) valid() bool {
	yes, err := callYes(func(out *C.int) C.int { return C.it_cursor_is_valid(c.h, out) })
	return err == nil && yes
}

// Valid reports whether the cursor is on an entry.
func (c *Cursor) Valid() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.h != nil && c.valid()
}

// First moves to the first entry within the bounds; false if there is none.
func (c *Cursor) First() (bool, error) {
	return c.move(func(h *C.it_cursor) C.int { return C.it_cursor_first(h) })
}

// Last moves to the last entry within the bounds.
func (c *Cursor) Last() (bool, error) {
	return c.move(func(h *C.it_cursor) C.int { return C.it_cursor_last(h) })
}

// Seek moves to the first key >= key within the bounds.
func (c *Cursor) Seek(key []byte) (bool, error) {
	return c.move(func(h *C.it_cursor) C.int { return C.it_cursor_seek(h, bytesPtr(key), C.size_t(len(key))) })
}

// SeekForPrev moves to the last key <= key within the bounds.
func (c *Cursor) SeekForPrev(key []byte) (bool, error) {
	return c.move(func(h *C.it_cursor) C.int {
		return C.it_cursor_seek_for_prev(h, bytesPtr(key), C.size_t(len(key)))
	})
}

// Next moves to the next entry; false past the end (also when it already was).
func (c *Cursor) Next() (bool, error) {
	return c.move(func(h *C.it_cursor) C.int { return C.it_cursor_next(h) })
}

// Prev moves to the previous entry; false past the start (also when it already was).
func (c *Cursor) Prev() (bool, error) {
	return c.move(func(h *C.it_cursor) C.int { return C.it_cursor_prev(h) })
}

// Entry is the key and value under the cursor; ErrNotFound if it is not on an entry.
// A set's cursor has empty values.
func (c *Cursor) Entry() (key, value []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h == nil {
		return nil, nil, errHandleClosed("cursor")
	}
	var k, v C.it_buf
	if _, err := call(func() C.int { return C.it_cursor_entry(c.h, &k, &v) }); err != nil {
		return nil, nil, err
	}
	return takeBuf(&k), takeBuf(&v), nil
}

// Key is the key under the cursor.
func (c *Cursor) Key() ([]byte, error) {
	k, _, err := c.Entry()
	return k, err
}

// Value is the value under the cursor.
func (c *Cursor) Value() ([]byte, error) {
	_, v, err := c.Entry()
	return v, err
}

// Batching: entries are copied out of C in batches of up to fillMax entries / fillBytes
// bytes, one cgo call per batch instead of several per entry.
const (
	fillBytes = 64 << 10
	fillMax   = 256
)

// All yields the entries from the cursor's position to the end of its bounds, moving it.
// An error is yielded once with a zero Entry and ends the sequence.
func (c *Cursor) All() iter.Seq2[Entry, error] { return c.walk(false) }

// Backward yields the entries from the cursor's position back to the start of its bounds,
// moving it.
func (c *Cursor) Backward() iter.Seq2[Entry, error] { return c.walk(true) }

func (c *Cursor) walk(backward bool) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		buf := make([]byte, fillBytes)
		lens := make([]C.size_t, 2*fillMax)
		for {
			n, valid, err := c.fill(buf, lens, backward)
			if err != nil {
				yield(Entry{}, err)
				return
			}
			if n == 0 {
				if !valid {
					return
				}
				// An entry larger than the batch buffer: one at a time.
				k, v, err := c.Entry()
				if err == nil {
					if backward {
						_, err = c.Prev()
					} else {
						_, err = c.Next()
					}
				}
				if err != nil {
					yield(Entry{}, err)
					return
				}
				if !yield(Entry{Key: k, Value: v}, nil) {
					return
				}
				continue
			}
			off := 0
			for i := 0; i < n; i++ {
				kl, vl := int(lens[2*i]), int(lens[2*i+1])
				// One allocation per entry, so no entry keeps a whole batch alive.
				e := make([]byte, kl+vl)
				copy(e, buf[off:off+kl+vl])
				off += kl + vl
				if !yield(Entry{Key: e[:kl:kl], Value: e[kl:]}, nil) {
					return
				}
			}
		}
	}
}

// fill copies a batch; valid reports whether the cursor is still on an entry after it.
func (c *Cursor) fill(buf []byte, lens []C.size_t, backward bool) (n int, valid bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h == nil {
		return 0, false, errHandleClosed("cursor")
	}
	rc, err := call(func() C.int {
		return C.gi_cursor_fill(c.h, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)),
			&lens[0], C.int(len(lens)/2), cBool(backward))
	})
	if err != nil {
		return 0, false, err
	}
	return int(rc), c.valid(), nil
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// cursorSeq turns a cursor factory into a sequence that opens the cursor when ranged over
// and closes it when the loop ends (also on break).
func cursorSeq(open func() (*Cursor, error)) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		c, err := open()
		if err != nil {
			yield(Entry{}, err)
			return
		}
		defer c.Close()
		c.All()(yield)
	}
}
