package infinitree_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// Write-only trees (docs/security.md): the writer stores a map entry, a value and a stream and
// commits; the reader lists the inbox, opens the session read-only, reads it back byte for
// byte, copies it into its own tree and reads it there.

func woData() []byte {
	data := make([]byte, 300_000)
	rand.New(rand.NewSource(1)).Read(data)
	return data
}

func woWrite(t *testing.T, b *it.Backend, writeKey string, data []byte) uint64 {
	t.Helper()
	s, err := it.NewWriteOnlySession(b, writeKey)
	must(t, err)
	defer s.Close()
	must(t, s.Put("files", []byte("a.txt"), []byte("hello")))
	must(t, s.Set("note", []byte("from the agent")))
	w, err := s.NewStreamWriter()
	must(t, err)
	_, err = io.Copy(w, bytes.NewReader(data))
	must(t, err)
	ref, err := w.Finish()
	must(t, err)
	must(t, w.Close())
	must(t, s.Put("files", []byte("big.bin"), ref))
	c, err := s.Commit("agent upload")
	must(t, err)
	if c == nil || c.Message != "agent upload" {
		t.Fatalf("commit: %+v", c)
	}
	if c, err = s.Commit("again"); err != nil || c != nil {
		t.Fatalf("an unchanged session committed: %+v, %v", c, err)
	}
	return s.Index()
}

func woCheck(t *testing.T, v *it.View, data []byte) {
	t.Helper()
	files, err := v.Map("files")
	must(t, err)
	defer files.Close()
	if n, err := files.Len(); err != nil || n != 2 {
		t.Fatalf("files: %d entries, %v", n, err)
	}
	if got := get(t, files, "a.txt"); got != "hello" {
		t.Fatalf("a.txt = %q", got)
	}
	ref, err := files.Get([]byte("big.bin"))
	must(t, err)
	if !it.IsStreamRef(ref) {
		t.Fatal("big.bin is not a stream ref")
	}
	r, err := v.OpenStream(ref)
	must(t, err)
	defer r.Close()
	got, err := io.ReadAll(r)
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatalf("the stream differs: %d bytes, want %d", len(got), len(data))
	}
	note, err := v.Value("note")
	must(t, err)
	defer note.Close()
	val, err := note.Get()
	must(t, err)
	eq(t, val, []byte("from the agent"))
}

func TestWriteOnlyRoundTrip(t *testing.T) {
	data := woData()
	b, err := it.DirectoryBackend(t.TempDir())
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	if !strings.HasPrefix(keys.ReadKey, "infinitree-read-key-1:") || len(keys.ReadKey) != 22+128 ||
		!strings.HasPrefix(keys.WriteKey, "infinitree-write-key-1:") || len(keys.WriteKey) != 23+128 {
		t.Fatalf("keys: %+v", keys)
	}
	wk, err := it.WriteKeyOf(keys.ReadKey + "\n") // as read from a file
	must(t, err)
	if wk != keys.WriteKey {
		t.Fatalf("WriteKeyOf = %q, want %q", wk, keys.WriteKey)
	}
	entries, err := it.WriteOnlySessions(b, keys.ReadKey)
	must(t, err)
	if len(entries) != 0 {
		t.Fatalf("a new store's inbox: %+v", entries)
	}

	if first, second := woWrite(t, b, keys.WriteKey, data), woWrite(t, b, keys.WriteKey, data); first != 0 || second != 1 {
		t.Fatalf("indexes %d, %d", first, second)
	}
	entries, err = it.WriteOnlySessions(b, keys.ReadKey)
	must(t, err)
	if len(entries) != 2 || entries[0].Index != 0 || !entries[0].OK() || entries[1].Index != 1 || !entries[1].OK() {
		t.Fatalf("inbox: %+v", entries)
	}

	session, err := it.OpenWriteOnlySession(b, keys.ReadKey, 0)
	must(t, err)
	defer session.Close()
	if !session.ReadOnly() {
		t.Fatal("a session opens read-only")
	}
	head, err := session.Checkout("")
	must(t, err)
	defer head.Close()
	woCheck(t, head, data)

	mine, err := it.CreateIn(b, "reader", "pw", it.InsecureFastKDF())
	must(t, err)
	must(t, mine.CopyFields(head))
	_, err = mine.Commit("import session 0")
	must(t, err)
	isErr(t, session.CopyFields(head), it.ErrReadOnly)
	must(t, mine.Close())

	mine, err = it.OpenIn(b, "reader", "pw", it.InsecureFastKDF())
	must(t, err)
	defer mine.Close()
	own, err := mine.Checkout("")
	must(t, err)
	defer own.Close()
	woCheck(t, own, data)
}

func TestWriteOnlyWriterCannotRead(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	s, err := it.NewWriteOnlySession(b, keys.WriteKey)
	must(t, err)
	must(t, s.Put("m", []byte("k"), []byte("v")))
	_, err = s.Commit("c")
	must(t, err)
	must(t, s.Close())

	_, err = it.WriteOnlySessions(b, keys.WriteKey)
	isErr(t, err, it.ErrPermission)
	_, err = it.OpenWriteOnlySession(b, keys.WriteKey, 0)
	isErr(t, err, it.ErrPermission)
	_, err = it.WriteKeyOf(keys.WriteKey)
	isErr(t, err, it.ErrInvalid)
	// A read key writes too.
	s, err = it.NewWriteOnlySession(b, keys.ReadKey)
	must(t, err)
	if s.Index() != 1 {
		t.Fatalf("second session index %d", s.Index())
	}
	must(t, s.Close())
}

func TestWriteOnlyBadKeysAndMissingSessions(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	other, err := it.NewWriteOnlyKeys()
	must(t, err)
	for _, bad := range []string{"nonsense", "infinitree-write-key-1:abcd", keys.WriteKey[:30] + "z" + keys.WriteKey[31:], "a\x00b"} {
		_, err = it.NewWriteOnlySession(b, bad)
		isErr(t, err, it.ErrInvalid)
	}
	_, err = it.WriteOnlySessions(b, "nonsense")
	isErr(t, err, it.ErrInvalid)
	_, err = it.OpenWriteOnlySession(b, "nonsense", 0)
	isErr(t, err, it.ErrInvalid)
	_, err = it.NewWriteOnlySession(b, keys.WriteKey, it.ReadOnly())
	isErr(t, err, it.ErrInvalid)

	_, err = it.OpenWriteOnlySession(b, keys.ReadKey, 0)
	isErr(t, err, it.ErrNotFound)
	s, err := it.NewWriteOnlySession(b, keys.WriteKey)
	must(t, err)
	_, err = s.Commit("empty")
	must(t, err)
	must(t, s.Close())
	_, err = it.OpenWriteOnlySession(b, keys.ReadKey, 1)
	isErr(t, err, it.ErrNotFound)
	// Another pair's read key sees another inbox.
	entries, err := it.WriteOnlySessions(b, other.ReadKey)
	must(t, err)
	if len(entries) != 0 {
		t.Fatalf("another pair's inbox: %+v", entries)
	}
	_, err = it.OpenWriteOnlySession(b, other.ReadKey, 0)
	isErr(t, err, it.ErrNotFound)
}

func TestWriteOnlyClosedSession(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	s, err := it.NewWriteOnlySession(b, keys.WriteKey)
	must(t, err)
	must(t, s.Put("m", []byte("kept"), []byte("1")))
	_, err = s.Commit("c")
	must(t, err)
	must(t, s.Put("m", []byte("lost"), []byte("2"))) // never committed
	w, err := s.NewStreamWriter()
	must(t, err)
	_, err = w.Write([]byte("abc"))
	must(t, err)
	must(t, s.Close())
	must(t, s.Close()) // idempotent

	_, err = w.Write([]byte("def")) // the C side answers IT_ECLOSED
	isErr(t, err, it.ErrClosed)
	_, err = w.Finish()
	isErr(t, err, it.ErrClosed)
	must(t, w.Close())
	isErr(t, s.Put("m", []byte("k"), []byte("v")), it.ErrClosed)
	isErr(t, s.Set("v", []byte("x")), it.ErrClosed)
	_, err = s.Commit("c")
	isErr(t, err, it.ErrClosed)
	_, err = s.NewStreamWriter()
	isErr(t, err, it.ErrClosed)

	tr, err := it.OpenWriteOnlySession(b, keys.ReadKey, 0)
	must(t, err)
	defer tr.Close()
	head, err := tr.Checkout("")
	must(t, err)
	m, err := head.Map("m")
	must(t, err)
	defer m.Close()
	if ok, err := m.Contains([]byte("kept")); err != nil || !ok {
		t.Fatalf("kept: %v, %v", ok, err)
	}
	if ok, err := m.Contains([]byte("lost")); err != nil || ok {
		t.Fatalf("lost: %v, %v", ok, err)
	}
	// CopyFields with a closed view or a closed tree.
	must(t, head.Close())
	mine := memTree(t)
	isErr(t, mine.CopyFields(head), it.ErrClosed)
	head, err = tr.Checkout("")
	must(t, err)
	defer head.Close()
	must(t, mine.Close())
	isErr(t, mine.CopyFields(head), it.ErrClosed)
}

func TestWriteOnlyCopyTypeClash(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	s, err := it.NewWriteOnlySession(b, keys.WriteKey)
	must(t, err)
	must(t, s.Put("files", []byte("k"), []byte("v")))
	isErr(t, s.Set("files", []byte("x")), it.ErrInvalid) // a map, not a value
	_, err = s.Commit("c")
	must(t, err)
	must(t, s.Close())

	mine := memTree(t)
	v, err := mine.Value("files")
	must(t, err)
	must(t, v.Set([]byte("x")))
	must(t, v.Close())
	tr, err := it.OpenWriteOnlySession(b, keys.ReadKey, 0)
	must(t, err)
	defer tr.Close()
	head, err := tr.Checkout("")
	must(t, err)
	defer head.Close()
	isErr(t, mine.CopyFields(head), it.ErrInvalid)
}

// woEntryPath is the file of inbox entry index in a directory store, named as docs/format.md
// says ("Write-only inbox"): HKDF-SHA256(ikm = inbox secret, salt = "infinitree/v3/inbox",
// info = "entry-id" || u64 LE index), stored as <dir>/<2 hex>/<64 hex>. Computed from the
// documented format (RFC 5869 with the standard library), so the test pins it too.
func woEntryPath(t *testing.T, dir, key string, index uint64) string {
	t.Helper()
	raw, err := hex.DecodeString(strings.TrimSpace(key[strings.IndexByte(key, ':')+1:]))
	must(t, err)
	extract := hmac.New(sha256.New, []byte("infinitree/v3/inbox"))
	extract.Write(raw[32:])
	expand := hmac.New(sha256.New, extract.Sum(nil))
	info := binary.LittleEndian.AppendUint64([]byte("entry-id"), index)
	expand.Write(append(info, 1))
	name := hex.EncodeToString(expand.Sum(nil))
	return filepath.Join(dir, name[:2], name)
}

func TestWriteOnlyGapsAndDamagedEntriesShow(t *testing.T) {
	dir := t.TempDir()
	b, err := it.DirectoryBackend(dir)
	must(t, err)
	defer b.Close()
	keys, err := it.NewWriteOnlyKeys()
	must(t, err)
	for i := 0; i < 4; i++ {
		s, err := it.NewWriteOnlySession(b, keys.WriteKey)
		must(t, err)
		must(t, s.Put("m", []byte("i"), []byte{byte('0' + i)}))
		_, err = s.Commit("c")
		must(t, err)
		must(t, s.Close())
	}
	must(t, os.Remove(woEntryPath(t, dir, keys.WriteKey, 1))) // a gap: entry 2 follows
	f, err := os.OpenFile(woEntryPath(t, dir, keys.ReadKey, 2), os.O_RDWR, 0)
	must(t, err)
	_, err = f.WriteAt(bytes.Repeat([]byte{0xff}, 8), 20) // overwritten: corrupt
	must(t, err)
	must(t, f.Close())

	entries, err := it.WriteOnlySessions(b, keys.ReadKey)
	must(t, err)
	want := []it.WriteOnlySessionEntry{{Index: 0}, {Index: 1, Status: it.CodeMissing},
		{Index: 2, Status: it.CodeCorrupt}, {Index: 3}}
	if len(entries) != len(want) {
		t.Fatalf("inbox: %+v", entries)
	}
	for i := range want {
		if entries[i] != want[i] {
			t.Fatalf("inbox: %+v, want %+v", entries, want)
		}
	}
	_, err = it.OpenWriteOnlySession(b, keys.ReadKey, 1)
	isErr(t, err, it.ErrNotFound)
	_, err = it.OpenWriteOnlySession(b, keys.ReadKey, 2)
	isErr(t, err, it.ErrCorrupt)
	tr, err := it.OpenWriteOnlySession(b, keys.ReadKey, 3)
	must(t, err)
	must(t, tr.Close())
}
