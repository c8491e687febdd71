package infinitree_test

import (
	"bytes"
	"errors"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// memTree is a fresh tree in memory with the fast (insecure) KDF.
func memTree(t *testing.T) *it.Tree {
	t.Helper()
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	tr, err := it.CreateIn(b, "u", "p", it.InsecureFastKDF())
	must(t, err)
	t.Cleanup(func() { tr.Close() })
	return tr
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func mustMap(t *testing.T, tr *it.Tree, name string) *it.Map {
	t.Helper()
	m, err := tr.Map(name)
	must(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

// isErr asserts err matches the sentinel and is an *Error with that code and a message.
func isErr(t *testing.T, err error, want *it.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	var e *it.Error
	if !errors.As(err, &e) || e.Code != want.Code {
		t.Fatalf("error %#v is not an *Error with code %d", err, want.Code)
	}
}

func get(t *testing.T, m *it.Map, key string) string {
	t.Helper()
	v, err := m.Get([]byte(key))
	must(t, err)
	return string(v)
}

func eq(t *testing.T, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
