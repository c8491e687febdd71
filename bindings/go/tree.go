package infinitree

// #include <stdlib.h>
// #include <string.h>
// #include <infinitree.h>
// #include "gi_helpers.h"
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Tree is an open tree: its working state (uncommitted changes) and its history.
// A Tree and the field handles made from it are safe for concurrent use by many goroutines:
// reads run in parallel, writes to one field are serialized, Commit and Rollback are atomic
// with respect to field operations.
//
// Close releases the writer lock and discards uncommitted changes; every handle made from
// the tree then answers ErrClosed. A finalizer closes a Tree that is garbage collected
// without Close, but do not rely on it: until then the writer lock stays held.
type Tree struct {
	mu sync.RWMutex
	h  *C.it_tree
}

// Create creates a tree stored in directory dir (created if missing).
func Create(dir, user, password string, opts ...Option) (*Tree, error) {
	b, err := DirectoryBackend(dir)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return CreateIn(b, user, password, opts...)
}

// Open opens the tree stored in directory dir. ErrWrongCredentials if no tree opens with
// these credentials (and KDF costs), ErrLocked if another writer holds it (see ReadOnly).
func Open(dir, user, password string, opts ...Option) (*Tree, error) {
	b, err := DirectoryBackend(dir)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return OpenIn(b, user, password, opts...)
}

// CreateIn creates a tree in backend (the tree keeps its own reference to it).
// ErrExists if a tree with these credentials is there.
func CreateIn(b *Backend, user, password string, opts ...Option) (*Tree, error) {
	return openTree(b, user, password, opts, true)
}

// OpenIn opens a tree in backend.
func OpenIn(b *Backend, user, password string, opts ...Option) (*Tree, error) {
	return openTree(b, user, password, opts, false)
}

func openTree(b *Backend, user, password string, opts []Option, create bool) (*Tree, error) {
	var opened *Tree
	err := openIn(b, opts, func(o *C.it_options) error {
		u, err := cstr(user)
		if err != nil {
			return err
		}
		defer freeCstr(u)
		pw := cSecret(password)
		defer wipeSecret(pw, len(password))
		var h *C.it_tree
		_, err = call(func() C.int {
			if create {
				return C.it_tree_create(b.h, u, pw, C.size_t(len(password)), o, &h)
			}
			return C.it_tree_open(b.h, u, pw, C.size_t(len(password)), o, &h)
		})
		if err != nil {
			return err
		}
		t := &Tree{h: h}
		runtime.SetFinalizer(t, (*Tree).Close)
		opened = t
		return nil
	})
	return opened, err
}

// Close closes the tree (releasing the writer lock; uncommitted changes are discarded) and
// frees the handle. Closing twice is fine.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.h == nil {
		return nil
	}
	_, err := call(func() C.int { return C.it_tree_close(t.h) })
	C.it_tree_free(t.h)
	t.h = nil
	runtime.SetFinalizer(t, nil)
	return err
}

// use runs f with the C handle, holding it against a concurrent Close.
func (t *Tree) use(f func(h *C.it_tree) error) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.h == nil {
		return errHandleClosed("tree")
	}
	return f(t.h)
}

// ReadOnly reports whether the tree was opened read-only.
func (t *Tree) ReadOnly() bool {
	ro := false
	_ = t.use(func(h *C.it_tree) error {
		var err error
		ro, err = callYes(func(out *C.int) C.int { return C.it_tree_is_read_only(h, out) })
		return err
	})
	return ro
}

// FieldType is the kind of a field.
type FieldType int

const (
	FieldMap   FieldType = C.IT_FIELD_MAP
	FieldSet   FieldType = C.IT_FIELD_SET
	FieldList  FieldType = C.IT_FIELD_LIST
	FieldValue FieldType = C.IT_FIELD_VALUE
)

func (f FieldType) String() string {
	switch f {
	case FieldMap:
		return "map"
	case FieldSet:
		return "set"
	case FieldList:
		return "list"
	case FieldValue:
		return "value"
	}
	return "unknown"
}

// FieldInfo names one field of a tree or checkout.
type FieldInfo struct {
	Name string
	Type FieldType
}

// Map is the map field name of the working tree, created on first use. ErrInvalid if the
// field exists with another type. Close the handle when done (a finalizer is the safety net).
func (t *Tree) Map(name string) (*Map, error) {
	var m *C.it_map
	err := t.field(name, func(h *C.it_tree, n *C.char) C.int { return C.it_tree_map(h, n, &m) })
	if err != nil {
		return nil, err
	}
	return newMap(m), nil
}

// Set is the set field name of the working tree, created on first use.
func (t *Tree) Set(name string) (*Set, error) {
	var s *C.it_set
	err := t.field(name, func(h *C.it_tree, n *C.char) C.int { return C.it_tree_set(h, n, &s) })
	if err != nil {
		return nil, err
	}
	return newSet(s), nil
}

// List is the list field name of the working tree, created on first use.
func (t *Tree) List(name string) (*List, error) {
	var l *C.it_list
	err := t.field(name, func(h *C.it_tree, n *C.char) C.int { return C.it_tree_list(h, n, &l) })
	if err != nil {
		return nil, err
	}
	return newList(l), nil
}

// Value is the value field name of the working tree, created on first use.
func (t *Tree) Value(name string) (*Value, error) {
	var v *C.it_value
	err := t.field(name, func(h *C.it_tree, n *C.char) C.int { return C.it_tree_value(h, n, &v) })
	if err != nil {
		return nil, err
	}
	return newValue(v), nil
}

func (t *Tree) field(name string, get func(h *C.it_tree, n *C.char) C.int) error {
	return t.use(func(h *C.it_tree) error {
		n, err := cstr(name)
		if err != nil {
			return err
		}
		defer freeCstr(n)
		_, err = call(func() C.int { return get(h, n) })
		return err
	})
}

// Fields lists the fields of the working tree.
func (t *Tree) Fields() ([]FieldInfo, error) {
	var out []FieldInfo
	err := t.use(func(h *C.it_tree) error {
		var n *C.it_names
		if _, err := call(func() C.int { return C.it_tree_fields(h, &n) }); err != nil {
			return err
		}
		var err error
		out, err = fieldsFromC(n)
		return err
	})
	return out, err
}

// HasField reports whether the working tree has a field called name.
func (t *Tree) HasField(name string) (bool, error) {
	var yes C.int
	err := t.field(name, func(h *C.it_tree, n *C.char) C.int {
		return C.it_tree_contains_field(h, n, &yes)
	})
	return yes == 1, err
}

// RenameField renames a field; persisted by the next commit.
func (t *Tree) RenameField(from, to string) error {
	return t.use(func(h *C.it_tree) error {
		f, err := cstr(from)
		if err != nil {
			return err
		}
		defer freeCstr(f)
		tt, err := cstr(to)
		if err != nil {
			return err
		}
		defer freeCstr(tt)
		_, err = call(func() C.int { return C.it_tree_rename_field(h, f, tt) })
		return err
	})
}

// DropField removes a field; persisted by the next commit.
func (t *Tree) DropField(name string) error {
	return t.field(name, func(h *C.it_tree, n *C.char) C.int { return C.it_tree_delete_field(h, n) })
}

// Rollback discards every uncommitted change.
func (t *Tree) Rollback() error {
	return t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_tree_rollback(h) })
		return err
	})
}

// HasChanges reports whether there are uncommitted changes.
func (t *Tree) HasChanges() (bool, error) {
	var modified bool
	err := t.use(func(h *C.it_tree) error {
		var err error
		modified, err = callYes(func(out *C.int) C.int { return C.it_tree_is_modified(h, out) })
		return err
	})
	return modified, err
}

// ChangePassword replaces the credentials (the data is not re-encrypted). The KDF costs
// come from opts (none: the defaults; InsecureFastKDF for tests).
func (t *Tree) ChangePassword(user, password string, opts ...Option) error {
	return t.use(func(h *C.it_tree) error {
		kdf := kdfCosts(opts)
		u, err := cstr(user)
		if err != nil {
			return err
		}
		defer freeCstr(u)
		pw := cSecret(password)
		defer wipeSecret(pw, len(password))
		_, err = call(func() C.int {
			return C.it_tree_change_password(h, u, pw, C.size_t(len(password)),
				C.uint32_t(kdf[0]), C.uint32_t(kdf[1]), C.uint32_t(kdf[2]))
		})
		return err
	})
}

// Stats are figures about a tree and this handle's work.
type Stats struct {
	Objects         uint64 // objects in the store
	Commits         uint64
	ChunksWritten   uint64 // by this handle
	BytesWritten    uint64 // stored bytes of chunks written by this handle
	NodeCacheHits   uint64
	NodeCacheMisses uint64
}

// Stats returns the tree's figures.
func (t *Tree) Stats() (Stats, error) {
	var s Stats
	err := t.use(func(h *C.it_tree) error {
		f := (*C.uint64_t)(C.malloc(6 * 8))
		defer C.free(unsafe.Pointer(f))
		if _, err := call(func() C.int { return C.gi_tree_stats(h, f) }); err != nil {
			return err
		}
		v := unsafe.Slice((*uint64)(unsafe.Pointer(f)), 6)
		s = Stats{v[0], v[1], v[2], v[3], v[4], v[5]}
		return nil
	})
	return s, err
}

// cSecret copies a password into C memory, which wipeSecret clears and frees after the call
// (the Go string itself cannot be wiped; callers who care keep it short-lived).
func cSecret(s string) unsafe.Pointer { return unsafe.Pointer(C.CString(s)) }

func wipeSecret(p unsafe.Pointer, n int) {
	C.memset(p, 0, C.size_t(n))
	C.free(p)
}
