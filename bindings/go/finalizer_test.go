package infinitree_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

// Handles dropped without Close are freed by their finalizers: a tree's finalizer releases
// the writer lock, so the directory can be opened again.
func TestFinalizerReleasesTree(t *testing.T) {
	dir := t.TempDir()
	func() {
		tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
		must(t, err)
		m, err := tr.Map("m")
		must(t, err)
		must(t, m.Put([]byte("k"), []byte("v")))
		_, err = tr.Commit("c")
		must(t, err)
		c, err := m.Cursor(nil, nil)
		must(t, err)
		_ = c // dropped, like m and tr
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		runtime.GC()
		tr, err := it.Open(dir, "u", "p", it.InsecureFastKDF())
		if err == nil {
			defer tr.Close()
			if get(t, mustMap(t, tr, "m"), "k") != "v" {
				t.Fatal("data")
			}
			return
		}
		if !errors.Is(err, it.ErrLocked) || time.Now().After(deadline) {
			t.Fatalf("reopen: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A tampered object gives ErrCorrupt (or another data error), never a crash.
func TestTamperedObjects(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	m := mustMap(t, tr, "m")
	for i := 0; i < 200; i++ {
		must(t, m.Put(it.KeyInt(int64(i)), []byte("some value to store")))
	}
	_, err = tr.Commit("c")
	must(t, err)
	must(t, tr.Close())

	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() && info.Size() > 0 && filepath.Base(p) != "lock" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no object files")
	}
	sawCorrupt := false
	for _, f := range files {
		orig, err := os.ReadFile(f)
		must(t, err)
		bad := append([]byte{}, orig...)
		for i := 0; i < len(bad); i += 4096 { // damage every page
			bad[i] ^= 0x55
		}
		must(t, os.WriteFile(f, bad, 0o600))
		err = readAll(dir)
		switch {
		case err == nil:
			// This file was not needed (e.g. the lock or a spare object).
		case errors.Is(err, it.ErrCorrupt):
			sawCorrupt = true
		case errors.Is(err, it.ErrWrongCredentials), errors.Is(err, it.ErrTruncated), errors.Is(err, it.ErrMissing):
		default:
			t.Fatalf("tampered %s: unexpected error %v", filepath.Base(f), err)
		}
		must(t, os.WriteFile(f, orig, 0o600))
	}
	if !sawCorrupt {
		t.Fatal("no tampering was detected as ErrCorrupt")
	}
	must(t, readAll(dir))
}

func readAll(dir string) error {
	tr, err := it.Open(dir, "u", "p", it.InsecureFastKDF(), it.ReadOnly())
	if err != nil {
		return err
	}
	defer tr.Close()
	m, err := tr.Map("m")
	if err != nil {
		return err
	}
	defer m.Close()
	for _, err := range m.All() {
		if err != nil {
			return err
		}
	}
	return nil
}
