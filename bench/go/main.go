// Timed program: N puts then one commit, N gets, and one full iteration, through the Go
// binding, on a tree in memory. c/c_bench.c does the same work through the C ABI directly, so
// the difference per call is the binding's overhead (cgo call, locking, copying).
//
//	bench/go/run.sh [N]     (default N = 1000000)
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

// key i: 8 bytes big-endian of a bijective scramble of i, so inserts are not in key order
// (the same function as c_bench.c).
func key(buf []byte, i uint64) []byte {
	binary.BigEndian.PutUint64(buf, i*0x9E3779B97F4A7C15)
	return buf
}

func main() {
	n := uint64(1000000)
	if len(os.Args) > 1 {
		v, err := strconv.ParseUint(os.Args[1], 10, 64)
		if err != nil {
			panic(err)
		}
		n = v
	}
	b, err := it.MemoryBackend()
	check(err)
	t, err := it.CreateIn(b, "bench", "bench", it.InsecureFastKDF())
	check(err)
	defer t.Close()
	m, err := t.Map("m")
	check(err)
	defer m.Close()

	kb := make([]byte, 8)
	val := []byte("0123456789abcdef")
	start := time.Now()
	for i := uint64(0); i < n; i++ {
		check(m.Put(key(kb, i), val))
	}
	put := time.Since(start)
	start = time.Now()
	_, err = t.Commit("bench")
	check(err)
	commit := time.Since(start)

	start = time.Now()
	for i := uint64(0); i < n; i++ {
		j := (i * 7919) % n // another order than the inserts
		v, err := m.Get(key(kb, j))
		check(err)
		if len(v) != len(val) {
			panic("bad value")
		}
	}
	get := time.Since(start)

	start = time.Now()
	count := uint64(0)
	for _, err := range m.All() {
		check(err)
		count++
	}
	iter := time.Since(start)
	if count != n {
		panic("iteration count")
	}
	fmt.Printf("go  n=%d put %.0f ns/op  commit %.0f ms  get %.0f ns/op  iterate %.0f ns/entry\n",
		n, float64(put.Nanoseconds())/float64(n), float64(commit.Milliseconds()),
		float64(get.Nanoseconds())/float64(n), float64(iter.Nanoseconds())/float64(n))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
