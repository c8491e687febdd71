package main

import (
	"bytes"

	it "github.com/libinfinitree/infinitree-go"
)

// textKeys is the Go step of the text-key chain (tests/cross/run.sh): it finds "fern" (the
// CLI's `put fern shade`), "moss" (Python's m["moss"] = "damp") and "lichen" (C's
// it_map_put("lichen")) in map "kv" with plain []byte("...") keys, then writes "reed".
func textKeys(dir string) {
	t, err := it.Open(dir, user, password, it.InsecureFastKDF())
	must(err, "open")
	defer t.Close()
	kv, err := t.Map("kv")
	must(err, "map kv")
	for _, want := range [][2]string{{"fern", "shade"}, {"moss", "damp"}, {"lichen", "rock"}} {
		check("Get([]byte(\""+want[0]+"\"))", func() (bool, error) {
			v, err := kv.Get([]byte(want[0]))
			return bytes.Equal(v, []byte(want[1])), err
		})
	}
	must(kv.Put([]byte("reed"), []byte("water")), "put reed")
	_, err = t.Commit("go: reed")
	must(err, "commit")
	result(true, "Put([]byte(\"reed\")) and commit")
}
