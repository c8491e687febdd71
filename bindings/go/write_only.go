package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"runtime"
	"sync"
)

// Write-only trees (docs/security.md, "Write-only trees"): an untrusted writer holding only a
// write key adds data it cannot read back; the holder of the read key lists what every writer
// added, opens it read-only and copies it into a tree of its own.
//
//	keys, _ := infinitree.NewWriteOnlyKeys()              // keep keys.ReadKey secret
//	s, _ := infinitree.NewWriteOnlySession(store, keys.WriteKey)   // the writer
//	s.Put("files", []byte("a.txt"), []byte("hello"))
//	s.Commit("upload")
//	s.Close()
//	entries, _ := infinitree.WriteOnlySessions(store, keys.ReadKey) // the reader
//	t, _ := infinitree.OpenWriteOnlySession(store, keys.ReadKey, entries[0].Index)
//	head, _ := t.Checkout("")
//	mine.CopyFields(head)
//	mine.Commit("imported")
//
// A write key where reading is asked for is ErrPermission; a malformed key ErrInvalid; a
// session the inbox does not hold ErrNotFound.

// WriteOnlyKeys is a key pair: ReadKey reads everything (keep it secret), WriteKey only
// writes (give it to the writers). Both are text ("infinitree-read-key-1:..." and
// "infinitree-write-key-1:..." with 128 hex digits).
type WriteOnlyKeys struct {
	ReadKey  string
	WriteKey string
}

// NewWriteOnlyKeys makes a key pair from the operating system's CSPRNG.
func NewWriteOnlyKeys() (WriteOnlyKeys, error) {
	var r, w C.it_buf
	if _, err := call(func() C.int { return C.it_write_only_keys_new(&r, &w) }); err != nil {
		return WriteOnlyKeys{}, err
	}
	return WriteOnlyKeys{ReadKey: string(takeBuf(&r)), WriteKey: string(takeBuf(&w))}, nil
}

// WriteKeyOf is the write key that goes with readKey (ErrInvalid for a write key).
func WriteKeyOf(readKey string) (string, error) {
	k, err := cstr(readKey)
	if err != nil {
		return "", err
	}
	defer freeCstr(k)
	return callString(func(out *C.it_buf) C.int { return C.it_write_only_keys_get_write_key(k, out) })
}

// WriteOnlySession is a writer's session: maps, values, streams and commits; nothing can be
// read back. Its data goes into a session tree of its own, announced in the store's inbox
// under Index. Close discards uncommitted writes and forgets the session key. Calls are
// serialized.
type WriteOnlySession struct {
	mu    sync.Mutex
	h     *C.it_write_session
	index uint64
}

// NewWriteOnlySession starts a session in backend b with writeKey (a read key works too).
// opts as for Open (compression, node sizes); ReadOnly() is ErrInvalid.
func NewWriteOnlySession(b *Backend, writeKey string, opts ...Option) (*WriteOnlySession, error) {
	var opened *WriteOnlySession
	err := openIn(b, opts, func(o *C.it_options) error {
		k, err := cstr(writeKey)
		if err != nil {
			return err
		}
		defer freeCstr(k)
		var h *C.it_write_session
		if _, err := call(func() C.int { return C.it_write_session_open(b.h, k, o, &h) }); err != nil {
			return err
		}
		index, err := callU64(func(out *C.uint64_t) C.int { return C.it_write_session_get_index(h, out) })
		if err != nil {
			C.it_write_session_free(h)
			return err
		}
		s := &WriteOnlySession{h: h, index: index}
		runtime.SetFinalizer(s, (*WriteOnlySession).Close)
		opened = s
		return nil
	})
	return opened, err
}

// Index is the session's inbox entry, the index the reader opens it by.
func (s *WriteOnlySession) Index() uint64 { return s.index }

// use runs f with the C handle, holding it against a concurrent Close.
func (s *WriteOnlySession) use(f func(h *C.it_write_session) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h == nil {
		return errHandleClosed("write-only session")
	}
	return f(s.h)
}

// Put stores value under key in map field mapName of the session.
func (s *WriteOnlySession) Put(mapName string, key, value []byte) error {
	return s.use(func(h *C.it_write_session) error {
		m, err := cstr(mapName)
		if err != nil {
			return err
		}
		defer freeCstr(m)
		_, err = call(func() C.int {
			return C.it_write_session_put(h, m, bytesPtr(key), C.size_t(len(key)), bytesPtr(value), C.size_t(len(value)))
		})
		return err
	})
}

// Set sets value field field of the session.
func (s *WriteOnlySession) Set(field string, value []byte) error {
	return s.use(func(h *C.it_write_session) error {
		f, err := cstr(field)
		if err != nil {
			return err
		}
		defer freeCstr(f)
		_, err = call(func() C.int { return C.it_write_session_set(h, f, bytesPtr(value), C.size_t(len(value))) })
		return err
	})
}

// NewStreamWriter starts a stream of the session; store the ref Finish returns with Put or
// Set. The writer answers ErrClosed once the session is closed.
func (s *WriteOnlySession) NewStreamWriter() (*StreamWriter, error) {
	var w *C.it_stream_writer
	err := s.use(func(h *C.it_write_session) error {
		_, err := call(func() C.int { return C.it_stream_writer_new_from_session(h, &w) })
		return err
	})
	if err != nil {
		return nil, err
	}
	sw := &StreamWriter{h: w}
	runtime.SetFinalizer(sw, (*StreamWriter).Close)
	return sw, nil
}

// Commit commits the session's writes (durable on return); nil if nothing changed.
func (s *WriteOnlySession) Commit(message string) (*Commit, error) {
	var c *C.it_commit
	err := s.use(func(h *C.it_write_session) error {
		m, err := cstr(message)
		if err != nil {
			return err
		}
		defer freeCstr(m)
		_, err = call(func() C.int { return C.it_write_session_commit(h, m, &c) })
		return err
	})
	if err != nil || c == nil {
		return nil, err
	}
	info, err := commitFromC(c)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// Close ends the session: uncommitted writes are discarded and the session key forgotten.
// Its stream writers answer ErrClosed afterwards. Idempotent.
func (s *WriteOnlySession) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h == nil {
		return nil
	}
	_, err := call(func() C.int { return C.it_write_session_close(s.h) })
	C.it_write_session_free(s.h)
	s.h = nil
	runtime.SetFinalizer(s, nil)
	return err
}

// WriteOnlySessionEntry is one inbox entry. Status is 0 (OK: a session to open), CodeMissing
// (a gap: deleted from the store although a later entry exists), CodeCorrupt or CodeTruncated
// (it fails authentication or is short: overwritten or damaged).
type WriteOnlySessionEntry struct {
	Index  uint64
	Status Code
}

// OK reports whether the entry is a session that can be opened.
func (e WriteOnlySessionEntry) OK() bool { return e.Status == 0 }

// WriteOnlySessions lists the inbox of backend b, oldest first (ErrPermission for a write
// key).
func WriteOnlySessions(b *Backend, readKey string) ([]WriteOnlySessionEntry, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.h == nil {
		return nil, errHandleClosed("backend")
	}
	k, err := cstr(readKey)
	if err != nil {
		return nil, err
	}
	defer freeCstr(k)
	var list *C.it_write_sessions
	if _, err := call(func() C.int { return C.it_write_sessions_new(b.h, k, &list) }); err != nil {
		return nil, err
	}
	defer C.it_write_sessions_free(list)
	n, err := callU64(func(out *C.uint64_t) C.int { return C.it_write_sessions_count(list, out) })
	if err != nil {
		return nil, err
	}
	out := make([]WriteOnlySessionEntry, 0, n)
	for i := uint64(0); i < n; i++ {
		var index C.uint64_t
		var status C.it_status
		if _, err := call(func() C.int { return C.it_write_sessions_get(list, C.uint64_t(i), &index, &status) }); err != nil {
			return nil, err
		}
		out = append(out, WriteOnlySessionEntry{Index: uint64(index), Status: Code(status)})
	}
	return out, nil
}

// OpenWriteOnlySession opens session index of backend b read-only with readKey:
// ErrPermission for a write key, ErrNotFound if the inbox has no such entry, ErrCorrupt if it
// fails authentication.
func OpenWriteOnlySession(b *Backend, readKey string, index uint64, opts ...Option) (*Tree, error) {
	var opened *Tree
	err := openIn(b, opts, func(o *C.it_options) error {
		k, err := cstr(readKey)
		if err != nil {
			return err
		}
		defer freeCstr(k)
		var h *C.it_tree
		if _, err := call(func() C.int { return C.it_tree_open_write_session(b.h, k, C.uint64_t(index), o, &h) }); err != nil {
			return err
		}
		t := &Tree{h: h}
		runtime.SetFinalizer(t, (*Tree).Close)
		opened = t
		return nil
	})
	return opened, err
}

// CopyFields copies every field of the checkout from (of a write-only session: its head,
// Checkout("")) into the tree's working state; Commit keeps it. Streams are copied as new
// streams of this tree, sealed under its keys. ErrInvalid if a field exists here with another
// type, ErrReadOnly for a read-only tree.
func (t *Tree) CopyFields(from *View) error {
	return t.use(func(h *C.it_tree) error {
		from.mu.RLock()
		defer from.mu.RUnlock()
		if from.h == nil {
			return errHandleClosed("view")
		}
		_, err := call(func() C.int { return C.it_tree_copy_fields(h, from.h) })
		return err
	})
}
