package infinitree

// #include <stdlib.h>
// #include <string.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// Key slots and raw keys (docs/keys.md): a tree opens with any of its slots, a user name and
// password or a raw 256-bit key from a KMS, a secrets manager or a file.
const (
	RawKeySize          = int(C.IT_RAW_KEY_SIZE)            // bytes in a raw key
	MaxKeySlots         = int(C.IT_MAX_KEY_SLOTS)           // slots per tree
	MaxKeySlotLabelSize = int(C.IT_MAX_KEY_SLOT_LABEL_SIZE) // bytes in a slot label
)

// KeySlotKind is the kind of credential a slot holds.
type KeySlotKind int

// Kinds of key slots.
const (
	KeySlotPassword KeySlotKind = C.IT_KEY_SLOT_PASSWORD // a user name and password (Argon2id)
	KeySlotRawKey   KeySlotKind = C.IT_KEY_SLOT_RAW_KEY  // a raw key of RawKeySize bytes
)

// KeySlot describes one slot, never its secret. Created is the zero time for the credential
// of a tree that never had a slot change; Current marks the slot the handle was opened with.
type KeySlot struct {
	ID      string
	Label   string
	Created time.Time
	Kind    KeySlotKind
	Current bool
}

// CreateWithKey creates a tree in backend that opens with a raw key (exactly RawKeySize
// bytes, ErrInvalid otherwise). The KDF costs of opts do not apply.
func CreateWithKey(b *Backend, key []byte, opts ...Option) (*Tree, error) {
	return openTreeWithKey(b, key, opts, true)
}

// OpenWithKey opens the tree a raw key opens: ErrWrongCredentials for a wrong key (as for a
// wrong password) or a removed slot, ErrInvalid for a key of another length.
func OpenWithKey(b *Backend, key []byte, opts ...Option) (*Tree, error) {
	return openTreeWithKey(b, key, opts, false)
}

func openTreeWithKey(b *Backend, key []byte, opts []Option, create bool) (*Tree, error) {
	var opened *Tree
	err := openIn(b, opts, func(o *C.it_options) error {
		k := cKey(key)
		defer wipeSecret(k, len(key))
		var h *C.it_tree
		_, err := call(func() C.int {
			if create {
				return C.it_tree_create_with_key(b.h, k, C.size_t(len(key)), o, &h)
			}
			return C.it_tree_open_with_key(b.h, k, C.size_t(len(key)), o, &h)
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

// cKey copies key into C memory (released with wipeSecret), never NULL.
func cKey(key []byte) unsafe.Pointer {
	p := C.malloc(C.size_t(len(key) + 1))
	if len(key) > 0 {
		C.memcpy(p, unsafe.Pointer(&key[0]), C.size_t(len(key)))
	}
	return p
}

// KeySlots lists the tree's key slots, oldest first.
func (t *Tree) KeySlots() ([]KeySlot, error) {
	var out []KeySlot
	err := t.use(func(h *C.it_tree) error {
		var list *C.it_key_slots
		if _, err := call(func() C.int { return C.it_tree_key_slots(h, &list) }); err != nil {
			return err
		}
		defer C.it_key_slots_free(list)
		n, err := callU64(func(o *C.uint64_t) C.int { return C.it_key_slots_count(list, o) })
		if err != nil {
			return err
		}
		for i := C.uint64_t(0); i < C.uint64_t(n); i++ {
			var id, label C.it_buf
			var ms C.int64_t
			var kind C.it_key_slot_kind
			if _, err := call(func() C.int { return C.it_key_slots_id(list, i, &id) }); err != nil {
				return err
			}
			idStr := string(takeBuf(&id))
			if _, err := call(func() C.int { return C.it_key_slots_name(list, i, &label) }); err != nil {
				return err
			}
			labelStr := string(takeBuf(&label))
			if _, err := call(func() C.int { return C.it_key_slots_time(list, i, &ms) }); err != nil {
				return err
			}
			if _, err := call(func() C.int { return C.it_key_slots_type(list, i, &kind) }); err != nil {
				return err
			}
			current, err := callYes(func(o *C.int) C.int { return C.it_key_slots_is_current(list, i, o) })
			if err != nil {
				return err
			}
			s := KeySlot{ID: idStr, Label: labelStr, Kind: KeySlotKind(kind), Current: current}
			if ms != 0 {
				s.Created = time.UnixMilli(int64(ms))
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// AddPasswordSlot adds a slot for a user name and password under the KDF costs of opts (none:
// the defaults) and returns its id. ErrExists if the credential already opens this tree or
// another one in the store.
func (t *Tree) AddPasswordSlot(label, user, password string, opts ...Option) (string, error) {
	var id string
	err := t.use(func(h *C.it_tree) error {
		kdf := kdfCosts(opts)
		l, err := cstr(label)
		if err != nil {
			return err
		}
		defer freeCstr(l)
		u, err := cstr(user)
		if err != nil {
			return err
		}
		defer freeCstr(u)
		pw := cSecret(password)
		defer wipeSecret(pw, len(password))
		var out C.it_buf
		if _, err = call(func() C.int {
			return C.it_tree_add_password_slot(h, l, u, pw, C.size_t(len(password)),
				C.uint32_t(kdf[0]), C.uint32_t(kdf[1]), C.uint32_t(kdf[2]), &out)
		}); err != nil {
			return err
		}
		id = string(takeBuf(&out))
		return nil
	})
	return id, err
}

// AddKeySlot adds a slot for a raw key (RawKeySize bytes) and returns its id.
func (t *Tree) AddKeySlot(label string, key []byte) (string, error) {
	var id string
	err := t.use(func(h *C.it_tree) error {
		l, err := cstr(label)
		if err != nil {
			return err
		}
		defer freeCstr(l)
		k := cKey(key)
		defer wipeSecret(k, len(key))
		var out C.it_buf
		if _, err = call(func() C.int {
			return C.it_tree_add_key_slot(h, l, k, C.size_t(len(key)), &out)
		}); err != nil {
			return err
		}
		id = string(takeBuf(&out))
		return nil
	})
	return id, err
}

// RemoveKeySlot removes a slot: its credential no longer opens the tree
// (ErrWrongCredentials). ErrInvalid for the last slot, ErrNotFound for an unknown id.
func (t *Tree) RemoveKeySlot(id string) error {
	return t.use(func(h *C.it_tree) error {
		s, err := cstr(id)
		if err != nil {
			return err
		}
		defer freeCstr(s)
		_, err = call(func() C.int { return C.it_tree_delete_key_slot(h, s) })
		return err
	})
}
