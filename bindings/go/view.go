package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"sync"
)

// View is a read-only checkout of one commit (Tree.Checkout). Its field handles answer
// reads from that commit; writes fail with ErrReadOnly. Getting a field the commit did not
// have is ErrNotFound. Safe for concurrent use; answers ErrClosed once its tree is closed.
type View struct {
	mu sync.RWMutex
	h  *C.it_view
}

func newView(h *C.it_view) *View {
	v := &View{h: h}
	runtime.SetFinalizer(v, (*View).Close)
	return v
}

// Close frees the view. Idempotent.
func (v *View) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.h != nil {
		C.it_view_free(v.h)
		v.h = nil
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

func (v *View) field(name string, get func(h *C.it_view, n *C.char) C.int) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return errHandleClosed("view")
	}
	n, err := cstr(name)
	if err != nil {
		return err
	}
	defer freeCstr(n)
	_, err = call(func() C.int { return get(v.h, n) })
	return err
}

// Map is map field name as of this commit.
func (v *View) Map(name string) (*Map, error) {
	var m *C.it_map
	if err := v.field(name, func(h *C.it_view, n *C.char) C.int { return C.it_view_map(h, n, &m) }); err != nil {
		return nil, err
	}
	return newMap(m), nil
}

// Set is set field name as of this commit.
func (v *View) Set(name string) (*Set, error) {
	var s *C.it_set
	if err := v.field(name, func(h *C.it_view, n *C.char) C.int { return C.it_view_set(h, n, &s) }); err != nil {
		return nil, err
	}
	return newSet(s), nil
}

// List is list field name as of this commit.
func (v *View) List(name string) (*List, error) {
	var l *C.it_list
	if err := v.field(name, func(h *C.it_view, n *C.char) C.int { return C.it_view_list(h, n, &l) }); err != nil {
		return nil, err
	}
	return newList(l), nil
}

// Value is value field name as of this commit.
func (v *View) Value(name string) (*Value, error) {
	var val *C.it_value
	if err := v.field(name, func(h *C.it_view, n *C.char) C.int { return C.it_view_value(h, n, &val) }); err != nil {
		return nil, err
	}
	return newValue(val), nil
}

// HasField reports whether the commit has a field called name.
func (v *View) HasField(name string) (bool, error) {
	var yes C.int
	err := v.field(name, func(h *C.it_view, n *C.char) C.int {
		return C.it_view_contains_field(h, n, &yes)
	})
	return yes == 1, err
}

// Fields lists the commit's fields.
func (v *View) Fields() ([]FieldInfo, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return nil, errHandleClosed("view")
	}
	var n *C.it_names
	if _, err := call(func() C.int { return C.it_view_fields(v.h, &n) }); err != nil {
		return nil, err
	}
	return fieldsFromC(n)
}

// Commit is the commit this view shows.
func (v *View) Commit() (*Commit, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return nil, errHandleClosed("view")
	}
	var c *C.it_commit
	if _, err := call(func() C.int { return C.it_view_get_commit(v.h, &c) }); err != nil {
		return nil, err
	}
	info, err := commitFromC(c)
	if err != nil {
		return nil, err
	}
	return &info, nil
}
