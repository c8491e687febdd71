package infinitree_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

func TestVersion(t *testing.T) {
	if it.Version() != it.HeaderVersion {
		t.Fatalf("library %s, header %s", it.Version(), it.HeaderVersion)
	}
}

func TestCreateOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "alice", "pw", it.InsecureFastKDF())
	must(t, err)
	m, err := tr.Map("m")
	must(t, err)
	must(t, m.Put([]byte("k"), []byte("v")))
	c, err := tr.Commit("first")
	must(t, err)
	if c == nil || len(c.ID) != 32 || c.Message != "first" || c.Sequence != 1 || len(c.Parents) != 0 {
		t.Fatalf("commit %+v", c)
	}

	// A second writer is locked out; creating again is "exists".
	_, err = it.Open(dir, "alice", "pw", it.InsecureFastKDF())
	isErr(t, err, it.ErrLocked)
	_, err = it.Create(dir, "alice", "pw", it.InsecureFastKDF())
	isErr(t, err, it.ErrExists)

	// A read-only reader is not blocked by the writer, and cannot write.
	ro, err := it.Open(dir, "alice", "pw", it.InsecureFastKDF(), it.ReadOnly())
	must(t, err)
	if !ro.ReadOnly() || tr.ReadOnly() {
		t.Fatal("ReadOnly() wrong")
	}
	rm, err := ro.Map("m")
	must(t, err)
	if get(t, rm, "k") != "v" {
		t.Fatal("read-only reader sees wrong value")
	}
	isErr(t, rm.Put([]byte("x"), nil), it.ErrReadOnly)
	must(t, ro.Close())

	must(t, tr.Close())
	must(t, tr.Close()) // idempotent

	// Wrong password, wrong user, other KDF costs: all "wrong credentials".
	_, err = it.Open(dir, "alice", "nope", it.InsecureFastKDF())
	isErr(t, err, it.ErrWrongCredentials)
	_, err = it.Open(dir, "bob", "pw", it.InsecureFastKDF())
	isErr(t, err, it.ErrWrongCredentials)
	_, err = it.Open(dir, "alice", "pw", it.KDF(128, 1, 1))
	isErr(t, err, it.ErrWrongCredentials)

	tr, err = it.Open(dir, "alice", "pw", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	m2 := mustMap(t, tr, "m")
	if get(t, m2, "k") != "v" {
		t.Fatal("value lost across reopen")
	}
}

func TestBackends(t *testing.T) {
	mb, err := it.MemoryBackend()
	must(t, err)
	if !strings.HasPrefix(mb.String(), "memory") {
		t.Fatalf("describe: %q", mb.String())
	}
	must(t, mb.Close())
	must(t, mb.Close())
	_, err = it.CreateIn(mb, "u", "p")
	isErr(t, err, it.ErrClosed)
	if mb.String() != "closed backend" {
		t.Fatal(mb.String())
	}

	dir := t.TempDir()
	db, err := it.DirectoryBackend(dir)
	must(t, err)
	defer db.Close()
	if !strings.Contains(db.String(), dir) {
		t.Fatalf("describe: %q", db.String())
	}
	// The tree keeps its own reference: the backend may be closed first.
	tr, err := it.CreateIn(db, "u", "p", it.InsecureFastKDF(), it.WithCompression(it.CompressionZstd),
		it.NodeCacheBytes(1<<20), it.NodeBytes(0))
	must(t, err)
	must(t, db.Close())
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("a"), []byte("b")))
	_, err = tr.Commit("c")
	must(t, err)
	must(t, tr.Close())

	// Bad option values are reported.
	_, err = it.Create(t.TempDir(), "u", "p", it.WithCompression(it.Compression(99)))
	isErr(t, err, it.ErrInvalid)

	// S3: bad settings are rejected before any network use.
	_, err = it.S3Backend(map[string]string{"no_such_key": "x"})
	isErr(t, err, it.ErrInvalid)

	// A directory where a file is: an OS error, not a crash.
	file := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(file, []byte("x"), 0o600))
	_, err = it.Create(file, "u", "p", it.InsecureFastKDF())
	if err == nil {
		t.Fatal("creating a tree in a file succeeded")
	}
}

func TestCacheBackend(t *testing.T) {
	remote, err := it.MemoryBackend()
	must(t, err)
	defer remote.Close()
	cache, err := it.CacheBackend(remote, t.TempDir(), 64<<20)
	if errors.Is(err, it.ErrInternal) {
		t.Skip("this build has no cache backend: ", err)
	}
	must(t, err)
	defer cache.Close()
	tr, err := it.CreateIn(cache, "u", "p", it.InsecureFastKDF())
	must(t, err)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("k"), []byte("v")))
	_, err = tr.Commit("c")
	must(t, err)
	must(t, tr.Close())
	// The data went through to the remote.
	tr2, err := it.OpenIn(remote, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer tr2.Close()
	if get(t, mustMap(t, tr2, "m"), "k") != "v" {
		t.Fatal("remote does not have the data")
	}
}

func TestErrorsIs(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	_, err := m.Get([]byte("absent"))
	isErr(t, err, it.ErrNotFound)
	if errors.Is(err, it.ErrCorrupt) || errors.Is(err, it.ErrLocked) {
		t.Fatal("a not-found error matches other sentinels")
	}
	var e *it.Error
	errors.As(err, &e)
	if e.Message == "" || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("error text %q / message %q", err.Error(), e.Message)
	}
	if it.CodeLocked.String() == "unknown" || it.Code(-999).String() != "unknown" {
		t.Fatal("Code.String")
	}
	// Wrapped errors still match.
	wrapped := errors.Join(errors.New("context"), err)
	if !errors.Is(wrapped, it.ErrNotFound) {
		t.Fatal("wrapped error does not match")
	}
	// Names with NUL bytes are refused before reaching C.
	_, err = tr.Map("a\x00b")
	isErr(t, err, it.ErrInvalid)
}

func TestTooLarge(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	big := make([]byte, it.MaxKeySize+1)
	isErr(t, m.Put(big, []byte("v")), it.ErrTooLarge)
	must(t, m.Put(big[:it.MaxKeySize], []byte("v")))
}

func TestFieldsRenameDrop(t *testing.T) {
	tr := memTree(t)
	mustMap(t, tr, "m")
	s, err := tr.Set("s")
	must(t, err)
	defer s.Close()
	l, err := tr.List("l")
	must(t, err)
	defer l.Close()
	v, err := tr.Value("v")
	must(t, err)
	defer v.Close()
	fs, err := tr.Fields()
	must(t, err)
	types := map[string]it.FieldType{}
	for _, f := range fs {
		types[f.Name] = f.Type
	}
	if types["m"] != it.FieldMap || types["s"] != it.FieldSet || types["l"] != it.FieldList || types["v"] != it.FieldValue {
		t.Fatalf("fields %v", fs)
	}
	if it.FieldSet.String() != "set" {
		t.Fatal("FieldType.String")
	}
	// A field of another type under an existing name.
	_, err = tr.Set("m")
	isErr(t, err, it.ErrInvalid)

	must(t, tr.RenameField("m", "m2"))
	ok, err := tr.HasField("m2")
	must(t, err)
	gone, err := tr.HasField("m")
	must(t, err)
	if !ok || gone {
		t.Fatal("rename")
	}
	must(t, tr.DropField("m2"))
	ok, _ = tr.HasField("m2")
	if ok {
		t.Fatal("drop")
	}
	isErr(t, tr.DropField("nope"), it.ErrNotFound)
}

func TestStats(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	for i := 0; i < 100; i++ {
		must(t, m.Put(it.KeyInt(int64(i)), []byte("value")))
	}
	_, err := tr.Commit("c")
	must(t, err)
	s, err := tr.Stats()
	must(t, err)
	if s.Commits != 1 || s.ChunksWritten == 0 || s.BytesWritten == 0 || s.Objects == 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestChangePassword(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "u", "old", it.InsecureFastKDF())
	must(t, err)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("k"), []byte("v")))
	_, err = tr.Commit("c")
	must(t, err)
	must(t, tr.ChangePassword("u2", "new", it.InsecureFastKDF()))
	must(t, tr.Close())
	_, err = it.Open(dir, "u", "old", it.InsecureFastKDF())
	isErr(t, err, it.ErrWrongCredentials)
	tr, err = it.Open(dir, "u2", "new", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	if get(t, mustMap(t, tr, "m"), "k") != "v" {
		t.Fatal("data lost by password change")
	}
}

func TestClosedHandles(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("k"), []byte("v")))
	s, err := tr.Set("s")
	must(t, err)
	l, err := tr.List("l")
	must(t, err)
	v, err := tr.Value("v")
	must(t, err)
	cur, err := m.Cursor(nil, nil)
	must(t, err)
	_, err = tr.Commit("c")
	must(t, err)
	view, err := tr.Checkout("main")
	must(t, err)
	vm, err := view.Map("m")
	must(t, err)

	must(t, tr.Close())
	// Handles made from a closed tree answer ErrClosed (the library's answer).
	_, err = m.Get([]byte("k"))
	isErr(t, err, it.ErrClosed)
	isErr(t, m.Put([]byte("k"), nil), it.ErrClosed)
	_, err = s.Insert([]byte("x"))
	isErr(t, err, it.ErrClosed)
	_, err = l.Push([]byte("x"))
	isErr(t, err, it.ErrClosed)
	isErr(t, v.Set([]byte("x")), it.ErrClosed)
	_, err = cur.Next()
	isErr(t, err, it.ErrClosed)
	_, err = vm.Get([]byte("k"))
	isErr(t, err, it.ErrClosed)
	for _, err := range m.All() {
		isErr(t, err, it.ErrClosed)
	}
	// The tree itself, after Close.
	_, err = tr.Map("m")
	isErr(t, err, it.ErrClosed)
	_, err = tr.Commit("x")
	isErr(t, err, it.ErrClosed)

	// Handles after their own Close: ErrClosed from the Go side; Close is idempotent.
	for _, c := range []interface{ Close() error }{m, s, l, v, cur, view, vm, m, cur} {
		must(t, c.Close())
	}
	_, err = m.Get([]byte("k"))
	isErr(t, err, it.ErrClosed)
	_, err = m.Len()
	isErr(t, err, it.ErrClosed)
	_, err = cur.First()
	isErr(t, err, it.ErrClosed)
	if cur.Valid() {
		t.Fatal("closed cursor valid")
	}
	_, err = view.Map("m")
	isErr(t, err, it.ErrClosed)
	_, err = l.Len()
	isErr(t, err, it.ErrClosed)
	_, err = v.Get()
	isErr(t, err, it.ErrClosed)
	_, err = s.Len()
	isErr(t, err, it.ErrClosed)
}
