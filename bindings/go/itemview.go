package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"iter"
	"runtime"
	"sync"
	"unsafe"
)

// ItemView is a light, read-only, nestable view of ordered entries (docs/data-model.md,
// "Views"): a map (NewMapView; live for a map of the working tree, fixed for a checkout's),
// the keys under a prefix with the prefix removed (Prefix), the keys between two bounds
// (Range), or the union or intersection of views (UnionViews, IntersectViews), merged by key
// as a cursor moves. Nothing is copied except by a diff view (Tree.DiffView). Its cursors are
// ordinary *Cursor values: moves return true on an entry and false past either end.
//
// Safe for concurrent use. A view keeps what it reads alive (closing the maps or views it
// was made from is fine) and answers ErrClosed once a tree it reads is closed. Close it when
// done (a finalizer is the safety net).
type ItemView struct {
	mu sync.RWMutex
	h  *C.it_item_view
}

func newItemView(h *C.it_item_view) *ItemView {
	v := &ItemView{h: h}
	runtime.SetFinalizer(v, (*ItemView).Close)
	return v
}

// Close frees the view. Idempotent.
func (v *ItemView) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.h != nil {
		C.it_item_view_free(v.h)
		v.h = nil
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

// use runs f with the live handle (read lock held).
func (v *ItemView) use(f func(h *C.it_item_view) error) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return errHandleClosed("item view")
	}
	return f(v.h)
}

// derive makes a new view from this one with the C call mk.
func (v *ItemView) derive(mk func(h *C.it_item_view, out **C.it_item_view) C.int) (*ItemView, error) {
	var out *C.it_item_view
	err := v.use(func(h *C.it_item_view) error {
		_, err := call(func() C.int { return mk(h, &out) })
		return err
	})
	if err != nil {
		return nil, err
	}
	return newItemView(out), nil
}

// NewMapView is a view of m: the working tree's map live, a checkout's map at its commit.
func NewMapView(m *Map) (*ItemView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return nil, errHandleClosed("map")
	}
	var out *C.it_item_view
	if _, err := call(func() C.int { return C.it_item_view_new_map(m.h, &out) }); err != nil {
		return nil, err
	}
	return newItemView(out), nil
}

// Prefix is the keys of v starting with prefix, with the prefix removed (keys given to its
// cursor's Seek, Get, ... are without it too).
func (v *ItemView) Prefix(prefix []byte) (*ItemView, error) {
	return v.derive(func(h *C.it_item_view, out **C.it_item_view) C.int {
		return C.it_item_view_new_prefix(h, bytesPtr(prefix), C.size_t(len(prefix)), out)
	})
}

// BoundKind says whether a range view's bound includes its key.
type BoundKind int

// The kinds of a range bound (it_bound).
const (
	BoundNone   BoundKind = C.IT_BOUND_NONE   // unbounded on that side
	BoundClosed BoundKind = C.IT_BOUND_CLOSED // the key is in the range
	BoundOpen   BoundKind = C.IT_BOUND_OPEN   // the key is not
)

// Bound is one end of a range view. The zero Bound is unbounded.
type Bound struct {
	Key  []byte
	Kind BoundKind
}

// Inclusive is a bound whose key is in the range; Exclusive one whose key is not.
func Inclusive(key []byte) Bound { return Bound{key, BoundClosed} }

// Exclusive is a bound whose key is not in the range.
func Exclusive(key []byte) Bound { return Bound{key, BoundOpen} }

func (b Bound) kind() C.it_bound {
	if b.Kind == 0 {
		return C.IT_BOUND_NONE
	}
	return C.it_bound(b.Kind)
}

// Range is the keys of v between lo and hi.
func (v *ItemView) Range(lo, hi Bound) (*ItemView, error) {
	return v.derive(func(h *C.it_item_view, out **C.it_item_view) C.int {
		return C.it_item_view_new_range(h, lo.kind(), bytesPtr(lo.Key), C.size_t(len(lo.Key)),
			hi.kind(), bytesPtr(hi.Key), C.size_t(len(hi.Key)), out)
	})
}

// combine locks every view, passes their handles to mk and returns the new view.
func combine(views []*ItemView, mk func(hs **C.it_item_view, n C.uint64_t, out **C.it_item_view) C.int) (*ItemView, error) {
	if len(views) == 0 {
		return nil, &Error{Code: CodeInvalid, Message: "a union or intersection of no views"}
	}
	// A C array: the handles are C pointers, so Go memory holding them may be passed.
	hs := make([]*C.it_item_view, len(views))
	for i, v := range views {
		if v == nil {
			return nil, &Error{Code: CodeInvalid, Message: "a nil view"}
		}
		v.mu.RLock()
		defer v.mu.RUnlock()
		if v.h == nil {
			return nil, errHandleClosed("item view")
		}
		hs[i] = v.h
	}
	var out *C.it_item_view
	if _, err := call(func() C.int {
		return mk((**C.it_item_view)(unsafe.Pointer(&hs[0])), C.uint64_t(len(hs)), &out)
	}); err != nil {
		return nil, err
	}
	return newItemView(out), nil
}

// UnionViews is the keys in any of the views, in order; a key's value is the first view's
// that has it.
func UnionViews(views ...*ItemView) (*ItemView, error) {
	return combine(views, func(hs **C.it_item_view, n C.uint64_t, out **C.it_item_view) C.int {
		return C.it_item_view_new_union(hs, n, out)
	})
}

// IntersectViews is the keys in every view, values from the first. The cursors leapfrog
// with seeks, so the work follows the overlap, not the sizes.
func IntersectViews(views ...*ItemView) (*ItemView, error) {
	return combine(views, func(hs **C.it_item_view, n C.uint64_t, out **C.it_item_view) C.int {
		return C.it_item_view_new_intersection(hs, n, out)
	})
}

// DiffView is the keys of map field that changed from commit fromRef to toRef ("": the
// head): those added, removed and/or changed, with the value at toRef (at fromRef for a
// removed key). Built once from the diff and held in memory.
func (t *Tree) DiffView(field, fromRef, toRef string, added, removed, changed bool) (*ItemView, error) {
	var out *C.it_item_view
	err := t.use(func(h *C.it_tree) error {
		f, err := cstr(field)
		if err != nil {
			return err
		}
		defer freeCstr(f)
		a, err := optCstr(fromRef)
		if err != nil {
			return err
		}
		defer freeCstr(a)
		b, err := optCstr(toRef)
		if err != nil {
			return err
		}
		defer freeCstr(b)
		_, err = call(func() C.int {
			return C.it_item_view_new_diff(h, f, a, b, cBool(added), cBool(removed), cBool(changed), &out)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return newItemView(out), nil
}

// Cursor is a new cursor on the first entry (not Valid if the view is empty).
func (v *ItemView) Cursor() (*Cursor, error) {
	var c *C.it_cursor
	err := v.use(func(h *C.it_item_view) error {
		_, err := call(func() C.int { return C.it_item_view_cursor(h, &c) })
		return err
	})
	if err != nil {
		return nil, err
	}
	return newCursor(c), nil
}

// Get is the value of key in the view; an error matching ErrNotFound if it is not there.
func (v *ItemView) Get(key []byte) ([]byte, error) {
	var out []byte
	err := v.use(func(h *C.it_item_view) error {
		var err error
		out, err = callBuf(func(b *C.it_buf) C.int {
			return C.it_item_view_get(h, bytesPtr(key), C.size_t(len(key)), b)
		})
		return err
	})
	return out, err
}

// Contains reports whether key is in the view.
func (v *ItemView) Contains(key []byte) (bool, error) {
	var yes bool
	err := v.use(func(h *C.it_item_view) error {
		var err error
		yes, err = callYes(func(out *C.int) C.int {
			return C.it_item_view_contains(h, bytesPtr(key), C.size_t(len(key)), out)
		})
		return err
	})
	return yes, err
}

// Count is the number of entries (it walks the view).
func (v *ItemView) Count() (uint64, error) {
	var n uint64
	err := v.use(func(h *C.it_item_view) error {
		var err error
		n, err = callU64(func(out *C.uint64_t) C.int { return C.it_item_view_count(h, out) })
		return err
	})
	return n, err
}

// All yields every entry in key order; an error is yielded once and ends the sequence.
func (v *ItemView) All() iter.Seq2[Entry, error] { return cursorSeq(v.Cursor) }
