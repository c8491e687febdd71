package infinitree_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// Many goroutines use one tree at once: writers on their own key ranges, readers, iterators,
// committers, and goroutines sharing one Map handle. Run with -race (bindings/go/test.sh).
func TestConcurrentUse(t *testing.T) {
	tr := memTree(t)
	shared := mustMap(t, tr, "shared")
	const writers, perWriter = 8, 300
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	report := func(err error) {
		if err != nil {
			select {
			case errs <- err:
			default:
			}
		}
	}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			own, err := tr.Map(fmt.Sprint("m", w%2)) // two maps, many writers each
			report(err)
			if err != nil {
				return
			}
			defer own.Close()
			for i := 0; i < perWriter; i++ {
				k := it.MustKey(w, i)
				report(own.Put(k, []byte(fmt.Sprint(w, ":", i))))
				report(shared.Put(k, k))
				if v, err := own.Get(k); err != nil || string(v) != fmt.Sprint(w, ":", i) {
					report(fmt.Errorf("read back %q %v", v, err))
				}
				// Missing keys: the error message must be this goroutine's, never another's.
				_, err := shared.Get(it.MustKey("absent", w, i))
				if !errors.Is(err, it.ErrNotFound) {
					report(fmt.Errorf("absent key: %v", err))
				}
				if i%50 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	// Readers iterate while writers write.
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 5; round++ {
				prev := []byte(nil)
				for e, err := range shared.All() {
					report(err)
					if err != nil {
						return
					}
					if prev != nil && string(prev) >= string(e.Key) {
						report(fmt.Errorf("iteration out of order"))
					}
					prev = e.Key
				}
			}
		}()
	}
	// Commits happen meanwhile.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 5; i++ {
			_, err := tr.Commit(fmt.Sprint("concurrent ", i), it.Force())
			report(err)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, err := tr.Commit("final")
	must(t, err)
	n, err := shared.Len()
	must(t, err)
	if n != writers*perWriter {
		t.Fatalf("shared has %d keys, want %d", n, writers*perWriter)
	}
	for w := 0; w < 2; w++ {
		m := mustMap(t, tr, fmt.Sprint("m", w))
		n, _ := m.Len()
		if n != writers/2*perWriter {
			t.Fatalf("m%d has %d keys", w, n)
		}
	}
	// Five forced commits, plus "final" if writes were still pending after the last of them.
	log, _ := tr.Log(it.LogAll())
	if len(log) != 5 && len(log) != 6 {
		t.Fatalf("%d commits", len(log))
	}
}

// Close racing with use: every call either works or says ErrClosed; nothing crashes.
func TestConcurrentClose(t *testing.T) {
	for round := 0; round < 20; round++ {
		tr := memTree(t)
		m := mustMap(t, tr, "m")
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 200; i++ {
					err := m.Put(it.KeyInt(int64(i)), []byte("v"))
					if err != nil && !errors.Is(err, it.ErrClosed) {
						t.Errorf("put: %v", err)
						return
					}
				}
			}(g)
		}
		wg.Add(2)
		go func() { defer wg.Done(); tr.Close() }()
		go func() { defer wg.Done(); m.Close() }()
		wg.Wait()
	}
}
