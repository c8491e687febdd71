package infinitree_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

func TestRefreshAndFollow(t *testing.T) {
	dir := t.TempDir()
	w, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer w.Close()
	wm, err := w.Map("m")
	must(t, err)
	must(t, wm.Put([]byte("k"), []byte("v1")))
	_, err = w.Commit("one")
	must(t, err)

	r, err := it.Open(dir, "u", "p", it.InsecureFastKDF(), it.ReadOnly())
	must(t, err)
	defer r.Close()
	rm, err := r.Map("m")
	must(t, err)
	if moved, err := r.Refresh(); err != nil || moved {
		t.Fatalf("refresh with nothing new: %v %v", moved, err)
	}
	must(t, wm.Put([]byte("k"), []byte("v2")))
	_, err = w.Commit("two")
	must(t, err)
	if moved, err := r.Refresh(); err != nil || !moved {
		t.Fatalf("refresh after a commit: %v %v", moved, err)
	}
	if v, _ := rm.Get([]byte("k")); !bytes.Equal(v, []byte("v2")) {
		t.Fatalf("after refresh k = %q", v)
	}
	if _, err := w.Refresh(); !errors.Is(err, it.ErrInvalid) {
		t.Fatalf("a writer refreshed: %v", err)
	}
	if err := r.Follow(time.Microsecond, time.Second, 2); !errors.Is(err, it.ErrInvalid) {
		t.Fatalf("sub-millisecond interval: %v", err)
	}

	must(t, r.Follow(5*time.Millisecond, 20*time.Millisecond, 2))
	must(t, wm.Put([]byte("k"), []byte("followed")))
	_, err = w.Commit("three")
	must(t, err)
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, _ := rm.Get([]byte("k"))
		if bytes.Equal(v, []byte("followed")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the follower never saw the commit (k = %q)", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	must(t, r.StopFollowing())
}
