package infinitree_test

import (
	"bytes"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

func TestOpenWithRawKeyAndKeySlots(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	key := bytes.Repeat([]byte{7}, it.RawKeySize)
	tr, err := it.CreateWithKey(b, key)
	must(t, err)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("k"), []byte("v")))
	_, err = tr.Commit("first")
	must(t, err)

	slots, err := tr.KeySlots()
	must(t, err)
	if len(slots) != 1 || slots[0].Kind != it.KeySlotRawKey || !slots[0].Current || len(slots[0].ID) != 16 {
		t.Fatalf("slots of a new raw-key tree: %+v", slots)
	}
	pwID, err := tr.AddPasswordSlot("person", "alice", "pw", it.InsecureFastKDF())
	must(t, err)
	second := bytes.Repeat([]byte{9}, it.RawKeySize)
	keyID, err := tr.AddKeySlot("robot", second)
	must(t, err)
	_, err = tr.AddKeySlot("again", second)
	isErr(t, err, it.ErrExists)
	slots, err = tr.KeySlots()
	must(t, err)
	if len(slots) != 3 || slots[1].ID != pwID || slots[1].Label != "person" || slots[1].Kind != it.KeySlotPassword ||
		slots[2].ID != keyID || slots[2].Created.IsZero() {
		t.Fatalf("slots after adding two: %+v", slots)
	}
	must(t, tr.Close())

	// Each credential opens; the wrong key gets the same error as a wrong password.
	for _, open := range []func() (*it.Tree, error){
		func() (*it.Tree, error) { return it.OpenWithKey(b, key) },
		func() (*it.Tree, error) { return it.OpenWithKey(b, second) },
		func() (*it.Tree, error) { return it.OpenIn(b, "alice", "pw", it.InsecureFastKDF()) },
	} {
		o, err := open()
		must(t, err)
		if get(t, mustMap(t, o, "m"), "k") != "v" {
			t.Fatal("a slot opens the wrong data")
		}
		must(t, o.Close())
	}
	_, err = it.OpenWithKey(b, bytes.Repeat([]byte{8}, it.RawKeySize))
	isErr(t, err, it.ErrWrongCredentials)
	_, err = it.OpenIn(b, "alice", "nope", it.InsecureFastKDF())
	isErr(t, err, it.ErrWrongCredentials)
	_, err = it.OpenWithKey(b, key[:31])
	isErr(t, err, it.ErrInvalid)

	// Removing a slot makes its credential fail; the others still open.
	o, err := it.OpenWithKey(b, key)
	must(t, err)
	must(t, o.RemoveKeySlot(keyID))
	isErr(t, o.RemoveKeySlot(keyID), it.ErrNotFound)
	isErr(t, o.RemoveKeySlot("zz"), it.ErrInvalid)
	must(t, o.Close())
	_, err = it.OpenWithKey(b, second)
	isErr(t, err, it.ErrWrongCredentials)
	o, err = it.OpenIn(b, "alice", "pw", it.InsecureFastKDF())
	must(t, err)
	must(t, o.Close())
}
