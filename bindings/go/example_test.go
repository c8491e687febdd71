package infinitree_test

// These examples are the ones docs/go.md shows; `go test` runs them and checks their output.

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	it "github.com/libinfinitree/infinitree-go"
)

// Create a tree in a directory, write, commit, and read it back after reopening.
func Example() {
	dir, _ := os.MkdirTemp("", "infinitree-example")
	defer os.RemoveAll(dir)

	// InsecureFastKDF keeps the example fast; real trees use the default costs.
	tree, err := it.Create(dir, "alice", "correct horse", it.InsecureFastKDF())
	if err != nil {
		log.Fatal(err)
	}
	users, err := tree.Map("users")
	if err != nil {
		log.Fatal(err)
	}
	users.Put(it.KeyInt(1), []byte("Ada"))
	users.Put(it.KeyInt(2), []byte("Grace"))
	commit, err := tree.Commit("first users")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("committed:", commit.Message, "sequence", commit.Sequence)
	users.Close()
	tree.Close()

	tree, err = it.Open(dir, "alice", "correct horse", it.InsecureFastKDF())
	if err != nil {
		log.Fatal(err)
	}
	defer tree.Close()
	users, _ = tree.Map("users")
	defer users.Close()
	name, _ := users.Get(it.KeyInt(2))
	fmt.Println("user 2:", string(name))
	// Output:
	// committed: first users sequence 1
	// user 2: Grace
}

// Iterate over a key range with range-over-func; errors arrive as the second value.
func ExampleMap_Range() {
	tree := exampleTree()
	defer tree.Close()
	m, _ := tree.Map("scores")
	defer m.Close()
	for i := 1; i <= 5; i++ {
		m.Put(it.KeyInt(int64(i*10)), []byte(fmt.Sprint("score ", i)))
	}
	for e, err := range m.Range(it.KeyInt(20), it.KeyInt(50)) {
		if err != nil {
			log.Fatal(err)
		}
		parts, _ := it.DecodeKey(e.Key)
		fmt.Println(parts[0], string(e.Value))
	}
	// Output:
	// 20 score 2
	// 30 score 3
	// 40 score 4
}

// A cursor moves both ways and seeks.
func ExampleCursor() {
	tree := exampleTree()
	defer tree.Close()
	m, _ := tree.Map("m")
	defer m.Close()
	for _, k := range []string{"apple", "banana", "cherry"} {
		m.Put([]byte(k), nil)
	}
	c, _ := m.Cursor(nil, nil)
	defer c.Close()
	c.Seek([]byte("b"))
	k, _ := c.Key()
	fmt.Println("seek b:", string(k))
	c.Last()
	k, _ = c.Key()
	fmt.Println("last:", string(k))
	c.Prev()
	k, _ = c.Key()
	fmt.Println("prev:", string(k))
	// Output:
	// seek b: banana
	// last: cherry
	// prev: banana
}

// History: every commit stays readable through a read-only checkout.
func ExampleTree_Checkout() {
	tree := exampleTree()
	defer tree.Close()
	cfg, _ := tree.Value("config")
	defer cfg.Close()
	cfg.Set([]byte("v1"))
	first, _ := tree.Commit("config v1")
	cfg.Set([]byte("v2"))
	tree.Commit("config v2")

	log, _ := tree.Log(it.LogAll())
	for _, c := range log {
		fmt.Println(c.Sequence, c.Message)
	}
	view, _ := tree.Checkout(first.ID)
	defer view.Close()
	old, _ := view.Value("config")
	defer old.Close()
	v, _ := old.Get()
	fmt.Println("then:", string(v))
	fmt.Println("write to a checkout:", errors.Is(old.Set([]byte("x")), it.ErrReadOnly))
	// Output:
	// 2 config v2
	// 1 config v1
	// then: v1
	// write to a checkout: true
}

// Errors carry a stable code and match the exported sentinels.
func ExampleError() {
	tree := exampleTree()
	defer tree.Close()
	m, _ := tree.Map("m")
	defer m.Close()
	_, err := m.Get([]byte("missing"))
	fmt.Println(errors.Is(err, it.ErrNotFound))
	var e *it.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code == it.CodeNotFound, e.Code)
	}
	// Output:
	// true
	// true not found
}

// Tuple keys sort part by part, whatever the language that wrote them.
func ExampleKey() {
	a, _ := it.Key("user", 2)
	b, _ := it.Key("user", 10)
	fmt.Println(string(a) < string(b))
	parts, _ := it.DecodeKey(b)
	fmt.Println(parts...)
	// Output:
	// true
	// user 10
}

// Measurement is stored as msgpack [plant, moisture], as the C++ struct with
// MSGPACK_DEFINE(plant, moisture) and schema_name "Measurement/1" is.
type Measurement struct {
	Plant    string
	Moisture float64
}

func (Measurement) SchemaName() string { return "Measurement/1" }

// Garden is the schema of docs/data-model.md ("Typed schema") and
// docs/examples/cpp/data_model.cpp: the same record, so either program opens the other's tree.
type Garden struct {
	Readings *it.MapField[uint64, Measurement] `infinitree:"readings"`
	Plants   *it.SetField[string]              `infinitree:"plants"`
}

// A typed schema: declared once as a struct, recorded in the tree, checked on every open.
func ExampleOpenSchema() {
	b, _ := it.MemoryBackend()
	tree, _ := it.CreateIn(b, "gardener", "pw", it.InsecureFastKDF())
	defer tree.Close()
	var g Garden
	if err := it.OpenSchema(tree, "garden", 1, &g); err != nil { // records the schema
		log.Fatal(err)
	}
	g.Readings.Put(1, Measurement{"fern", 0.41})
	g.Plants.Insert("fern")
	head, _ := tree.Commit("first")

	view, _ := tree.Checkout(head.ID)
	defer view.Close()
	var at Garden
	if err := it.OpenSchema(view, "garden", 1, &at); err != nil { // a checkout is checked only
		log.Fatal(err)
	}
	m, ok, _ := at.Readings.Get(1)
	fmt.Println(m.Plant, m.Moisture, ok)

	rec, _, _ := it.StoredSchema(tree)
	fmt.Println(rec.Fields)
	var newer Garden
	err := it.OpenSchema(tree, "garden", 2, &newer)
	fmt.Println(errors.Is(err, it.ErrVersion))
	// Output:
	// fern 0.41 true
	// [[readings map<uint,Measurement/1>] [plants set<str>]]
	// true
}

// Large values go into streams: write with io.Copy, store the small ref in a map, read back
// with any io.Reader consumer.
func ExampleTree_NewStreamWriter() {
	tree := exampleTree()
	defer tree.Close()
	files, _ := tree.Map("files")
	defer files.Close()

	w, err := tree.NewStreamWriter()
	if err != nil {
		log.Fatal(err)
	}
	io.Copy(w, strings.NewReader(strings.Repeat("hello stream ", 100000)))
	ref, err := w.Finish()
	if err != nil {
		log.Fatal(err)
	}
	w.Close()
	files.Put([]byte("greeting.txt"), ref)
	tree.Commit("add greeting.txt")

	ref, _ = files.Get([]byte("greeting.txt"))
	r, _ := tree.OpenStream(ref)
	defer r.Close()
	size, _ := r.Size()
	r.Seek(-7, io.SeekEnd)
	tail, _ := io.ReadAll(r)
	fmt.Println(size, string(tail))
	// Output:
	// 1300000 stream
}

// Reclaim space: forget old commits by a retention policy, then prune what only they
// needed. Log walks past the forgotten commits.
func ExampleTree_ForgetPolicy() {
	tree := exampleTree()
	defer tree.Close()
	cfg, _ := tree.Value("config")
	defer cfg.Close()
	for i := 1; i <= 5; i++ {
		cfg.Set([]byte(strings.Repeat("x", i*1000)))
		tree.Commit(fmt.Sprintf("config v%d", i))
	}

	r, err := tree.ForgetPolicy(it.RetentionPolicy{KeepLast: 2}, false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("forgotten:", len(r.Forgotten), "kept:", len(r.Kept))
	history, _ := tree.Log(it.LogAll())
	for _, c := range history {
		fmt.Println(c.Message, "forgotten parents:", len(c.ForgottenParents))
	}
	// No other process reads this tree, so nothing needs a grace period.
	done, err := tree.Prune(it.PruneOptions{Grace: -1})
	if err != nil {
		log.Fatal(err)
	}
	after, _ := tree.Space(it.PruneOptions{})
	fmt.Println("pending deletions:", done.ObjectsDeferred, after.ObjectsToDelete)
	// Output:
	// forgotten: 3 kept: 2
	// config v5 forgotten parents: 0
	// config v4 forgotten parents: 1
	// pending deletions: 0 0
}

// exampleTree is a throwaway tree in memory.
// Write-only trees: a writer with only the write key adds data it cannot read back; the
// holder of the read key lists the sessions, opens one read-only and copies it into a tree.
func ExampleNewWriteOnlySession() {
	store, _ := it.MemoryBackend()
	defer store.Close()
	keys, err := it.NewWriteOnlyKeys() // keep keys.ReadKey secret, give keys.WriteKey away
	if err != nil {
		log.Fatal(err)
	}

	// The writer.
	s, err := it.NewWriteOnlySession(store, keys.WriteKey)
	if err != nil {
		log.Fatal(err)
	}
	s.Put("files", []byte("report.txt"), []byte("all quiet"))
	s.Commit("nightly upload")
	s.Close()
	_, err = it.WriteOnlySessions(store, keys.WriteKey)
	fmt.Println("writer reads:", errors.Is(err, it.ErrPermission))

	// The reader.
	mine, _ := it.CreateIn(store, "owner", "pw", it.InsecureFastKDF())
	defer mine.Close()
	entries, _ := it.WriteOnlySessions(store, keys.ReadKey)
	for _, e := range entries {
		session, err := it.OpenWriteOnlySession(store, keys.ReadKey, e.Index)
		if err != nil {
			log.Fatal(err)
		}
		head, _ := session.Checkout("")
		mine.CopyFields(head)
		head.Close()
		session.Close()
	}
	mine.Commit("imported")
	files, _ := mine.Map("files")
	defer files.Close()
	v, _ := files.Get([]byte("report.txt"))
	fmt.Println(len(entries), string(v))
	// Output:
	// writer reads: true
	// 1 all quiet
}

func exampleTree() *it.Tree {
	b, err := it.MemoryBackend()
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	t, err := it.CreateIn(b, "u", "p", it.InsecureFastKDF())
	if err != nil {
		log.Fatal(err)
	}
	return t
}
