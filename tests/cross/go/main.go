// The Go side of the cross-language test (tests/cross/run.sh):
//
//	cross write DIR   creates the base tree (the same data as tests/cross/writer.c)
//	cross check DIR   checks the base tree plus Python's extension, printing PASS/FAIL lines
//	cross textkeys DIR  the Go step of the text-key chain (text_keys.go)
//	cross schema DIR    the Go step of the typed-schema chain (schema.go)
package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"

	it "github.com/libinfinitree/infinitree-go"
)

const (
	user     = "cross"
	password = "pw-\u00fc"
)

var failures int

func result(ok bool, what string) {
	if ok {
		fmt.Println("PASS go:", what)
	} else {
		fmt.Println("FAIL go:", what)
		failures++
	}
}

// check runs one check; an error counts as a failure and is shown.
func check(what string, f func() (bool, error)) {
	ok, err := f()
	if err != nil {
		result(false, fmt.Sprintf("%s (%v)", what, err))
		return
	}
	result(ok, what)
}

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %s: %v\n", what, err)
		os.Exit(2)
	}
}

func write(dir string) {
	t, err := it.Create(dir, user, password, it.InsecureFastKDF())
	must(err, "create")
	defer t.Close()
	plain, err := t.Map("plain")
	must(err, "plain")
	typed, err := t.Map("typed")
	must(err, "typed")
	tags, err := t.Set("tags")
	must(err, "tags")
	events, err := t.List("events")
	must(err, "events")
	config, err := t.Value("config")
	must(err, "config")

	for i := 0; i < 100; i++ {
		must(plain.Put([]byte(fmt.Sprintf("k%03d", i)), []byte(fmt.Sprintf("v%03d", i))), "put")
	}
	bin := make([]byte, 256)
	for i := range bin {
		bin[i] = byte(i)
	}
	must(plain.Put([]byte("bin\x00\xff"), bin), "put bin")
	must(plain.Put([]byte("empty"), nil), "put empty")
	for i := 0; i < 10; i++ {
		must(typed.Put(it.MustKey("user", i), []byte(fmt.Sprint("name ", i))), "put typed")
	}
	must(typed.Put(it.KeyInt(-5), []byte("neg")), "put neg")
	must(typed.Put(it.KeyUint(math.MaxUint64), []byte("umax")), "put umax")
	for _, tag := range []string{"red", "green", "blue"} {
		_, err := tags.Insert([]byte(tag))
		must(err, "insert")
	}
	for i := 0; i < 3; i++ {
		_, err := events.Push([]byte(fmt.Sprint("e", i)))
		must(err, "push")
	}
	must(config.Set([]byte(`{"v":1}`)), "config")
	files, err := t.Map("files")
	must(err, "files")
	w, err := t.NewStreamWriter()
	must(err, "stream writer")
	blob := pattern(blobSize, blobByte)
	for off := 0; off < len(blob); off += 7000 {
		_, err := w.Write(blob[off:min(off+7000, len(blob))])
		must(err, "stream write")
	}
	ref, err := w.Finish()
	must(err, "finish")
	w.Close()
	must(files.Put([]byte("blob"), ref), "put blob")
	c1, err := t.Commit("base 1", it.Custom([]byte("writer")))
	must(err, "commit 1")
	must(t.CreateTag("v1", c1.ID), "tag")
	_, err = plain.Delete([]byte("k050"))
	must(err, "delete")
	must(plain.Put([]byte("k000"), []byte("changed")), "put")
	_, err = t.Commit("base 2", it.Custom([]byte("writer")))
	must(err, "commit 2")
	must(t.CreateBranch("side", ""), "branch")
	fmt.Println("go: wrote the base tree")
}

const (
	blobSize   = 300000
	pyBlobSize = 200000
)

func blobByte(i int) byte   { return byte((i * 31) ^ (i >> 10)) }
func pyBlobByte(i int) byte { return byte(i*17 + 5) }

func pattern(n int, at func(int) byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = at(i)
	}
	return b
}

func checkAll(dir string) {
	t, err := it.Open(dir, user, password, it.InsecureFastKDF(), it.ReadOnly())
	must(err, "open")
	defer t.Close()
	plain, err := t.Map("plain")
	must(err, "plain")
	typed, err := t.Map("typed")
	must(err, "typed")
	tags, err := t.Set("tags")
	must(err, "tags")
	events, err := t.List("events")
	must(err, "events")
	config, err := t.Value("config")
	must(err, "config")

	log, err := t.Log(it.LogAll())
	check("log: extend <- base 2 <- base 1 with custom bytes and sequence", func() (bool, error) {
		if err != nil || len(log) != 3 {
			return false, err
		}
		msgs := []string{log[0].Message, log[1].Message, log[2].Message}
		custom := string(log[0].Custom) + "," + string(log[1].Custom) + "," + string(log[2].Custom)
		return reflect.DeepEqual(msgs, []string{"extend", "base 2", "base 1"}) &&
			custom == "python,writer,writer" &&
			log[0].Parents[0] == log[1].ID && log[1].Parents[0] == log[2].ID && len(log[2].Parents) == 0 &&
			log[0].Sequence == 3 && log[2].Branch == "main", nil
	})

	getIs := func(m *it.Map, k, want string) bool {
		v, err := m.Get([]byte(k))
		return err == nil && string(v) == want
	}
	check("plain: 101 keys, base 2 changes and Python's delete", func() (bool, error) {
		n, err := plain.Len()
		has50, _ := plain.Contains([]byte("k050"))
		has1, _ := plain.Contains([]byte("k001"))
		return n == 101 && getIs(plain, "k000", "changed") && !has50 && !has1 && getIs(plain, "k099", "v099"), err
	})
	check("plain: binary key and value, empty value present", func() (bool, error) {
		v, err := plain.Get([]byte("bin\x00\xff"))
		if err != nil {
			return false, err
		}
		want := make([]byte, 256)
		for i := range want {
			want[i] = byte(i)
		}
		e, err := plain.Get([]byte("empty"))
		return bytes.Equal(v, want) && e != nil && len(e) == 0, err
	})
	check("plain: Python's key", func() (bool, error) { return getIs(plain, "py", "python"), nil })
	check("plain: iteration in bytewise order", func() (bool, error) {
		var prev []byte
		n := 0
		for e, err := range plain.All() {
			if err != nil {
				return false, err
			}
			if prev != nil && bytes.Compare(prev, e.Key) >= 0 {
				return false, nil
			}
			prev = e.Key
			n++
		}
		return n == 101, nil
	})
	check("typed: 13 keys in order, decoded (Python's (\"user\", 100) included)", func() (bool, error) {
		var got []any
		for e, err := range typed.All() {
			if err != nil {
				return false, err
			}
			parts, err := it.DecodeKey(e.Key)
			if err != nil {
				return false, err
			}
			if len(parts) == 1 {
				got = append(got, parts[0])
			} else {
				got = append(got, fmt.Sprintf("%v %v", parts[0], parts[1]))
			}
		}
		var want []any
		for i := 0; i < 10; i++ {
			want = append(want, fmt.Sprint("user ", i))
		}
		want = append(want, "user 100", int64(-5), uint64(math.MaxUint64))
		return reflect.DeepEqual(got, want) && getIs(typed, string(it.MustKey("user", 100)), "from python"), nil
	})
	check("set: blue green py red", func() (bool, error) {
		var got []string
		for k, err := range tags.All() {
			if err != nil {
				return false, err
			}
			got = append(got, string(k))
		}
		return fmt.Sprint(got) == "[blue green py red]", nil
	})
	check("list: e0..e3", func() (bool, error) {
		var got []string
		for v, err := range events.All() {
			if err != nil {
				return false, err
			}
			got = append(got, string(v))
		}
		return fmt.Sprint(got) == "[e0 e1 e2 e3]", nil
	})
	check("value: Python's config", func() (bool, error) {
		v, err := config.Get()
		return string(v) == `{"v":2}`, err
	})
	check("streams: the writer's blob and Python's py-blob", func() (bool, error) {
		files, err := t.Map("files")
		if err != nil {
			return false, err
		}
		defer files.Close()
		for _, s := range []struct {
			name string
			want []byte
		}{{"blob", pattern(blobSize, blobByte)}, {"py-blob", pattern(pyBlobSize, pyBlobByte)}} {
			ref, err := files.Get([]byte(s.name))
			if err != nil {
				return false, err
			}
			r, err := t.OpenStream(ref)
			if err != nil {
				return false, err
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, s.want) {
				return false, err
			}
		}
		return true, nil
	})
	check("checkout v1: base 1 content, read-only", func() (bool, error) {
		v, err := t.Checkout("v1")
		if err != nil {
			return false, err
		}
		defer v.Close()
		old, err := v.Map("plain")
		if err != nil {
			return false, err
		}
		defer old.Close()
		hasPy, _ := old.Contains([]byte("py"))
		werr := old.Put([]byte("x"), nil)
		cfg, err := v.Value("config")
		if err != nil {
			return false, err
		}
		defer cfg.Close()
		c, _ := cfg.Get()
		return getIs(old, "k000", "v000") && getIs(old, "k050", "v050") && !hasPy &&
			werr != nil && string(c) == `{"v":1}`, nil
	})
	check("diff v1..main of plain", func() (bool, error) {
		d, err := t.Diff("plain", "v1", "main")
		if err != nil || len(d) != 4 {
			return false, err
		}
		return string(d[0].Key) == "k000" && string(d[0].New) == "changed" &&
			string(d[1].Key) == "k001" && d[1].Removed() &&
			string(d[2].Key) == "k050" && d[2].Removed() &&
			string(d[3].Key) == "py" && d[3].Added(), nil
	})
	check("tags v1 and py, branch side at base 2", func() (bool, error) {
		tg, err := t.Tags()
		if err != nil {
			return false, err
		}
		br, err := t.Branches()
		if err != nil {
			return false, err
		}
		tags := map[string]string{}
		for _, r := range tg {
			tags[r.Name] = r.Target
		}
		side := ""
		for _, r := range br {
			if r.Name == "side" {
				side = r.Target
			}
		}
		return len(log) == 3 && tags["v1"] == log[2].ID && tags["py"] == log[0].ID && side == log[1].ID, nil
	})
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cross write|check|schema|textkeys DIR")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "write":
		write(os.Args[2])
	case "check":
		checkAll(os.Args[2])
		if failures > 0 {
			os.Exit(1)
		}
	case "schema":
		schemaStep(os.Args[2])
		if failures > 0 {
			os.Exit(1)
		}
	case "textkeys":
		textKeys(os.Args[2])
		if failures > 0 {
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: cross write|check|schema|textkeys DIR")
		os.Exit(2)
	}
}
