package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import "errors"

// The data model over maps (docs/data-model.md): multi-maps, subspaces and key history.

// MultiMap keeps many values per key in a map field: each (key, value) pair is one map key,
// the tuple (bytes key, bytes value) in the order-preserving encoding, so a key's values
// are one subspace, in bytewise order. On a checkout's map it reads that commit.
type MultiMap struct{ m *Map }

// NewMultiMap is a multi-map over m (which it does not own: close m when done).
func NewMultiMap(m *Map) *MultiMap { return &MultiMap{m} }

// Put adds the pair; false if it was already there.
func (mm *MultiMap) Put(key, value []byte) (bool, error) {
	return mm.m.yesNo(func(h *C.it_map, out *C.int) C.int {
		return C.it_map_insert_pair(h, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)), out)
	})
}

// RemoveOne removes one pair; false if it was not there.
func (mm *MultiMap) RemoveOne(key, value []byte) (bool, error) {
	return mm.m.yesNo(func(h *C.it_map, out *C.int) C.int {
		return C.it_map_remove_pair(h, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)), out)
	})
}

// RemoveAll removes every value of key and returns how many.
func (mm *MultiMap) RemoveAll(key []byte) (int, error) {
	return mm.m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_remove_values(h, bytesPtr(key), C.size_t(len(key)), out)
	})
}

// Count is the number of values of key, without reading them.
func (mm *MultiMap) Count(key []byte) (int, error) {
	return mm.m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_count_values(h, bytesPtr(key), C.size_t(len(key)), out)
	})
}

// GetAll is every value of key, in bytewise order.
func (mm *MultiMap) GetAll(key []byte) ([][]byte, error) {
	c, err := mm.m.cursor(func(h *C.it_map, c **C.it_cursor) C.int {
		return C.it_map_cursor_values(h, bytesPtr(key), C.size_t(len(key)), c)
	})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var out [][]byte
	for e, err := range c.All() {
		if err != nil {
			return nil, err
		}
		parts, err := DecodeKey(e.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, parts[1].([]byte))
	}
	return out, nil
}

// KeyChange is a commit that changed a key and the value it left (Removed: it deleted it).
type KeyChange struct {
	Commit  Commit
	Value   []byte
	Removed bool
}

// KeyHistory lists the commits that changed key in map field, newest first, from ref ("":
// the head) back to the first commit, at most limit of them (0: all). Only the B-tree nodes
// that differ between consecutive commits are read.
func (t *Tree) KeyHistory(field string, key []byte, ref string, limit uint64) ([]KeyChange, error) {
	f, err := cstr(field)
	if err != nil {
		return nil, err
	}
	defer freeCstr(f)
	var hist *C.it_key_history
	if err := t.withRef(ref, true, func(h *C.it_tree, r *C.char) C.int {
		return C.it_tree_log_key(h, f, bytesPtr(key), C.size_t(len(key)), r, C.uint64_t(limit), &hist)
	}); err != nil {
		return nil, err
	}
	defer C.it_key_history_free(hist)
	n, err := callU64(func(out *C.uint64_t) C.int { return C.it_key_history_count(hist, out) })
	if err != nil {
		return nil, err
	}
	out := make([]KeyChange, 0, n)
	for i := uint64(0); i < n; i++ {
		var c *C.it_commit
		var has C.int
		var buf C.it_buf
		if _, err := call(func() C.int { return C.it_key_history_get(hist, C.uint64_t(i), &c, &has, &buf) }); err != nil {
			return nil, err
		}
		value := takeBuf(&buf)
		info, err := commitFromC(c)
		if err != nil {
			return nil, err
		}
		out = append(out, KeyChange{Commit: info, Value: value, Removed: has == 0})
	}
	return out, nil
}

// ExportJSON is the JSON document stored under prefix (nil: the whole map) as compact text,
// object members sorted. ErrNotFound if nothing is there, ErrInvalid if the entries there
// are not a document (docs/data-model.md, "JSON").
func (m *Map) ExportJSON(prefix []byte) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return nil, errHandleClosed("map")
	}
	var b C.it_buf
	if _, err := call(func() C.int { return C.it_map_get_json(m.h, bytesPtr(prefix), C.size_t(len(prefix)), &b) }); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// ImportJSON replaces the document under prefix with the JSON text and returns how many
// entries it stored. ErrInvalid for text that is not JSON.
func (m *Map) ImportJSON(prefix, text []byte) (int, error) {
	return m.count(func(h *C.it_map, out *C.uint64_t) C.int {
		return C.it_map_put_json(h, bytesPtr(prefix), C.size_t(len(prefix)), bytesPtr(text), C.size_t(len(text)), out)
	})
}

// Transaction groups reads and buffered writes to map fields of a tree's working state,
// applied all together or not at all (docs/data-model.md, "Transactions"). Apply returns
// ErrConflict if a key it read changed meanwhile: nothing is written and the transaction is
// empty, to run again. Used by one goroutine at a time; any number may run on one tree.
type Transaction struct {
	t *Tree
	h *C.it_transaction
}

// NewTransaction starts an empty transaction on t's working state. Close it when done.
func (t *Tree) NewTransaction() (*Transaction, error) {
	tx := &Transaction{t: t}
	err := t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_transaction_new(h, &tx.h) })
		return err
	})
	if err != nil {
		return nil, err
	}
	return tx, nil
}

func (tx *Transaction) withField(field string, f func(name *C.char) C.int) error {
	if tx.h == nil {
		return errHandleClosed("transaction")
	}
	name, err := cstr(field)
	if err != nil {
		return err
	}
	defer freeCstr(name)
	_, err = call(func() C.int { return f(name) })
	return err
}

// Get is the value of key in map field as the transaction sees it (its own writes first);
// found is false if there is none. The read is checked again at Apply.
func (tx *Transaction) Get(field string, key []byte) (value []byte, found bool, err error) {
	var b C.it_buf
	err = tx.withField(field, func(name *C.char) C.int {
		return C.it_transaction_read(tx.h, name, bytesPtr(key), C.size_t(len(key)), &b)
	})
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return takeBuf(&b), true, nil
}

// Put buffers a write.
func (tx *Transaction) Put(field string, key, value []byte) error {
	return tx.withField(field, func(name *C.char) C.int {
		return C.it_transaction_put(tx.h, name, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)))
	})
}

// Delete buffers a removal.
func (tx *Transaction) Delete(field string, key []byte) error {
	return tx.withField(field, func(name *C.char) C.int {
		return C.it_transaction_remove(tx.h, name, bytesPtr(key), C.size_t(len(key)))
	})
}

// Apply validates and applies the transaction; it returns its place in the apply order.
func (tx *Transaction) Apply() (uint64, error) {
	if tx.h == nil {
		return 0, errHandleClosed("transaction")
	}
	return callU64(func(out *C.uint64_t) C.int { return C.it_transaction_commit(tx.h, out) })
}

// Rollback forgets the transaction's reads and writes; nothing else is touched.
func (tx *Transaction) Rollback() error {
	if tx.h == nil {
		return errHandleClosed("transaction")
	}
	_, err := call(func() C.int { return C.it_transaction_rollback(tx.h) })
	return err
}

// Close frees the transaction (unapplied writes are dropped). Idempotent.
func (tx *Transaction) Close() {
	if tx.h != nil {
		C.it_transaction_free(tx.h)
		tx.h = nil
	}
}
