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
	"syscall"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

// key i: 8 bytes big-endian of a bijective scramble of i, so inserts are not in key order
// (the same function as c_bench.c).
func key(buf []byte, i uint64) []byte {
	binary.BigEndian.PutUint64(buf, i*0x9E3779B97F4A7C15)
	return buf
}

// cpuNow is the CPU time of the whole process (all threads, user + system): on a busy
// machine it is steadier than the wall clock, and it counts the Go runtime's own threads.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// phase times f: wall and CPU nanoseconds per operation.
func phase(ops uint64, f func()) (wall, cpu float64) {
	w, c := time.Now(), cpuNow()
	f()
	return float64(time.Since(w).Nanoseconds()) / float64(ops), float64((cpuNow() - c).Nanoseconds()) / float64(ops)
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
	putW, putC := phase(n, func() {
		for i := uint64(0); i < n; i++ {
			check(m.Put(key(kb, i), val))
		}
	})
	commitW, commitC := phase(1, func() {
		_, err := t.Commit("bench")
		check(err)
	})
	getW, getC := phase(n, func() {
		for i := uint64(0); i < n; i++ {
			j := (i * 7919) % n // another order than the inserts
			v, err := m.Get(key(kb, j))
			check(err)
			if len(v) != len(val) {
				panic("bad value")
			}
		}
	})
	count := uint64(0)
	iterW, iterC := phase(n, func() {
		for _, err := range m.All() {
			check(err)
			count++
		}
	})
	if count != n {
		panic("iteration count")
	}
	// The binding's own cost shows best where the library's is small: gets in a map of 1000
	// keys whose nodes are all cached.
	small, err := t.Map("small")
	check(err)
	defer small.Close()
	for i := uint64(0); i < 1000; i++ {
		check(small.Put(key(kb, i), val))
	}
	smallW, smallC := phase(n, func() {
		for i := uint64(0); i < n; i++ {
			_, err := small.Get(key(kb, i%1000))
			check(err)
		}
	})
	fmt.Printf("go  n=%d  wall: put %.0f ns  commit %.0f ms  get %.0f ns  iterate %.0f ns/entry  small-map get %.0f ns\n",
		n, putW, commitW/1e6, getW, iterW, smallW)
	fmt.Printf("go  n=%d  cpu:  put %.0f ns  commit %.0f ms  get %.0f ns  iterate %.0f ns/entry  small-map get %.0f ns\n",
		n, putC, commitC/1e6, getC, iterC, smallC)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
