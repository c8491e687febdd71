package infinitree_test

import (
	"encoding/binary"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// go test -bench . -run '^$' (with the cgo flags of test.sh). bench/go/run.sh compares the
// same work against C.

func benchMap(b *testing.B) (*it.Tree, *it.Map) {
	be, err := it.MemoryBackend()
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	t, err := it.CreateIn(be, "u", "p", it.InsecureFastKDF())
	if err != nil {
		b.Fatal(err)
	}
	m, err := t.Map("m")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close(); t.Close() })
	return t, m
}

func BenchmarkPut(b *testing.B) {
	_, m := benchMap(b)
	k := make([]byte, 8)
	v := []byte("0123456789abcdef")
	for i := 0; i < b.N; i++ {
		binary.BigEndian.PutUint64(k, uint64(i)*0x9E3779B97F4A7C15)
		if err := m.Put(k, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	t, m := benchMap(b)
	const n = 100000
	k := make([]byte, 8)
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(k, uint64(i))
		m.Put(k, []byte("0123456789abcdef"))
	}
	t.Commit("fill")
	for i := 0; i < b.N; i++ {
		binary.BigEndian.PutUint64(k, uint64(i%n))
		if _, err := m.Get(k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetParallel(b *testing.B) {
	t, m := benchMap(b)
	const n = 100000
	k := make([]byte, 8)
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(k, uint64(i))
		m.Put(k, []byte("0123456789abcdef"))
	}
	t.Commit("fill")
	b.RunParallel(func(pb *testing.PB) {
		k := make([]byte, 8)
		for i := 0; pb.Next(); i++ {
			binary.BigEndian.PutUint64(k, uint64(i%n))
			if _, err := m.Get(k); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkKeyTuple(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := it.Key("user", i); err != nil {
			b.Fatal(err)
		}
	}
}
