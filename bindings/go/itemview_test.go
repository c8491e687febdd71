package infinitree_test

import (
	"bytes"
	"math/rand"
	"sort"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// The item views against a model of Go maps: random writes to two maps over six commits;
// at every commit every view and nestings of them are compared with the model, live and
// through checkouts of each commit after the later writes.

type model map[string]string

func rkey(rng *rand.Rand, minLen int) string {
	const alphabet = "\x00ab\xff"
	n := minLen + rng.Intn(4-minLen)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.Intn(4)]
	}
	return string(b)
}

func (m model) sorted() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mPrefix(m model, p string) model {
	out := model{}
	for k, v := range m {
		if len(k) >= len(p) && k[:len(p)] == p {
			out[k[len(p):]] = v
		}
	}
	return out
}

func mRange(m model, lo, hi it.Bound) model {
	out := model{}
	for k, v := range m {
		if lo.Kind == it.BoundClosed && k < string(lo.Key) || lo.Kind == it.BoundOpen && k <= string(lo.Key) {
			continue
		}
		if hi.Kind == it.BoundClosed && k > string(hi.Key) || hi.Kind == it.BoundOpen && k >= string(hi.Key) {
			continue
		}
		out[k] = v
	}
	return out
}

// mUnion: the first model's value wins.
func mUnion(ms ...model) model {
	out := model{}
	for i := len(ms) - 1; i >= 0; i-- {
		for k, v := range ms[i] {
			out[k] = v
		}
	}
	return out
}

func mInter(ms ...model) model {
	out := model{}
	for k, v := range ms[0] {
		in := true
		for _, m := range ms[1:] {
			if _, ok := m[k]; !ok {
				in = false
			}
		}
		if in {
			out[k] = v
		}
	}
	return out
}

func checkEntry(t *testing.T, c *it.Cursor, ok bool, err error, m model, keys []string, i int) {
	t.Helper()
	must(t, err)
	if i < 0 || i >= len(keys) {
		if ok || c.Valid() {
			t.Fatalf("cursor on an entry, want past the end (index %d of %d)", i, len(keys))
		}
		if _, _, err := c.Entry(); !isNotFound(err) {
			t.Fatalf("Entry past the end: %v, want ErrNotFound", err)
		}
		return
	}
	if !ok {
		t.Fatalf("cursor past the end, want key %q", keys[i])
	}
	k, v, err := c.Entry()
	must(t, err)
	if string(k) != keys[i] || string(v) != m[keys[i]] {
		t.Fatalf("entry %q=%q, want %q=%q", k, v, keys[i], m[keys[i]])
	}
}

func isNotFound(err error) bool {
	e, ok := err.(*it.Error)
	return ok && e.Code == it.CodeNotFound
}

func checkView(t *testing.T, v *it.ItemView, m model, rng *rand.Rand) {
	t.Helper()
	keys := m.sorted()
	var got []string
	for e, err := range v.All() {
		must(t, err)
		if m[string(e.Key)] != string(e.Value) {
			t.Fatalf("value of %q is %q, want %q", e.Key, e.Value, m[string(e.Key)])
		}
		got = append(got, string(e.Key))
	}
	if len(got) != len(keys) || (len(keys) > 0 && !equalStrings(got, keys)) {
		t.Fatalf("view keys %q, want %q", got, keys)
	}
	n, err := v.Count()
	must(t, err)
	if int(n) != len(keys) {
		t.Fatalf("Count %d, want %d", n, len(keys))
	}
	c, err := v.Cursor()
	must(t, err)
	defer c.Close()
	ok, err := c.Last()
	for i := len(keys) - 1; i >= -1; i-- {
		checkEntry(t, c, ok, err, m, keys, i)
		ok, err = c.Prev()
	}
	checkEntry(t, c, ok, err, m, keys, -1) // again: still past the start
	for step := 0; step < 40; step++ {
		k := rkey(rng, 0)
		i := sort.SearchStrings(keys, k)
		if rng.Intn(2) == 0 {
			ok, err = c.Seek([]byte(k))
		} else {
			if i == len(keys) || keys[i] != k {
				i--
			}
			ok, err = c.SeekForPrev([]byte(k))
		}
		checkEntry(t, c, ok, err, m, keys, i)
		for j := 0; j < 4 && i >= 0 && i < len(keys); j++ {
			if rng.Intn(2) == 0 {
				ok, err = c.Next()
				i++
			} else {
				ok, err = c.Prev()
				i--
			}
			checkEntry(t, c, ok, err, m, keys, i)
		}
		val, err := v.Get([]byte(k))
		want, in := m[k]
		if in {
			must(t, err)
			if string(val) != want {
				t.Fatalf("Get %q = %q, want %q", k, val, want)
			}
		} else if !isNotFound(err) {
			t.Fatalf("Get of an absent key: %v", err)
		}
		has, err := v.Contains([]byte(k))
		must(t, err)
		if has != in {
			t.Fatalf("Contains %q = %v", k, has)
		}
	}
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func randomBound(rng *rand.Rand, m model) it.Bound {
	kind := []it.BoundKind{it.BoundNone, it.BoundClosed, it.BoundOpen}[rng.Intn(3)]
	if keys := m.sorted(); len(keys) > 0 && rng.Intn(2) == 0 {
		return it.Bound{Key: []byte(keys[rng.Intn(len(keys))]), Kind: kind}
	}
	return it.Bound{Key: []byte(rkey(rng, 0)), Kind: kind}
}

func checkAllViews(t *testing.T, a, b *it.Map, ma, mb model, rng *rand.Rand) {
	t.Helper()
	va, err := it.NewMapView(a)
	must(t, err)
	defer va.Close()
	vb, err := it.NewMapView(b)
	must(t, err)
	defer vb.Close()
	mk := func(v *it.ItemView, err error) *it.ItemView {
		t.Helper()
		must(t, err)
		t.Cleanup(func() { v.Close() })
		return v
	}
	for rep := 0; rep < 3; rep++ {
		p := rkey(rng, 0)
		if keys := ma.sorted(); len(keys) > 0 && rng.Intn(2) == 0 {
			k := keys[rng.Intn(len(keys))]
			p = k[:rng.Intn(len(k)+1)]
		}
		lo, hi := randomBound(rng, mb), randomBound(rng, mb)
		pa := mk(va.Prefix([]byte(p)))
		rb := mk(vb.Range(lo, hi))
		ra := mk(va.Range(lo, hi))
		un := mk(it.UnionViews(va, vb))
		in := mk(it.IntersectViews(va, vb))
		cases := []struct {
			v *it.ItemView
			m model
		}{
			{va, ma},
			{pa, mPrefix(ma, p)},
			{rb, mRange(mb, lo, hi)},
			{un, mUnion(ma, mb)},
			{in, mInter(ma, mb)},
			{mk(mk(it.IntersectViews(un, ra)).Prefix([]byte(p))), mPrefix(mInter(mUnion(ma, mb), mRange(ma, lo, hi)), p)},
			{mk(it.UnionViews(rb, pa, vb)), mUnion(mRange(mb, lo, hi), mPrefix(ma, p), mb)},
			{mk(it.IntersectViews(vb, va, rb)), mInter(mb, ma, mRange(mb, lo, hi))},
		}
		for _, c := range cases {
			checkView(t, c.v, c.m, rng)
		}
	}
}

func TestItemViewsAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	tr := memTree(t)
	a, b := mustMap(t, tr, "a"), mustMap(t, tr, "b")
	ma, mb := model{}, model{}
	type snap struct {
		id     string
		ma, mb model
	}
	var snaps []snap
	for round := 0; round < 6; round++ {
		for op := 0; op < 60; op++ {
			m, mm := a, ma
			if rng.Intn(3) == 0 {
				m, mm = b, mb
			}
			k := rkey(rng, 1)
			if rng.Intn(4) == 0 {
				_, err := m.Delete([]byte(k))
				must(t, err)
				delete(mm, k)
			} else {
				v := string([]byte{byte('0' + round), byte('a' + rng.Intn(26))})
				must(t, m.Put([]byte(k), []byte(v)))
				mm[k] = v
			}
		}
		checkAllViews(t, a, b, ma, mb, rng) // live
		c, err := tr.Commit("round")
		must(t, err)
		snaps = append(snaps, snap{c.ID, mUnion(ma), mUnion(mb)})
	}
	for _, s := range snaps {
		co, err := tr.Checkout(s.id)
		must(t, err)
		ca, err := co.Map("a")
		must(t, err)
		cb, err := co.Map("b")
		must(t, err)
		co.Close() // the maps (and views of them) keep the checkout alive
		checkAllViews(t, ca, cb, s.ma, s.mb, rng)
		ca.Close()
		cb.Close()
	}
}

func TestItemViewLiveAndClosed(t *testing.T) {
	b, err := it.MemoryBackend()
	must(t, err)
	defer b.Close()
	tr, err := it.CreateIn(b, "u", "p", it.InsecureFastKDF())
	must(t, err)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("u/1"), []byte("one")))
	must(t, m.Put([]byte("u/3"), []byte("three")))
	v, err := it.NewMapView(m)
	must(t, err)
	users, err := v.Prefix([]byte("u/"))
	must(t, err)
	v.Close() // users keeps what it reads
	c, err := users.Cursor()
	must(t, err)
	k, err := c.Key()
	must(t, err)
	eq(t, k, []byte("1"))
	must(t, m.Put([]byte("u/2"), []byte("two")))
	ok, err := c.Next()
	must(t, err)
	if !ok {
		t.Fatal("the live cursor did not reach the new key")
	}
	k, val, err := c.Entry()
	must(t, err)
	eq(t, k, []byte("2"))
	eq(t, val, []byte("two"))
	must(t, tr.Close())
	if _, err := c.Next(); !isErrCode(err, it.CodeClosed) {
		t.Fatalf("Next after close: %v, want ErrClosed", err)
	}
	if _, err := users.Count(); !isErrCode(err, it.CodeClosed) {
		t.Fatalf("Count after close: %v, want ErrClosed", err)
	}
	c.Close()
	users.Close()
	if _, err := users.Prefix(nil); err == nil {
		t.Fatal("Prefix of a closed view succeeded")
	}
	if _, err := it.UnionViews(); !isErrCode(err, it.CodeInvalid) {
		t.Fatalf("UnionViews(): %v, want ErrInvalid", err)
	}
}

func isErrCode(err error, code it.Code) bool {
	e, ok := err.(*it.Error)
	return ok && e.Code == code
}

func TestDiffView(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	for _, k := range []string{"keep", "gone", "edit"} {
		must(t, m.Put([]byte(k), []byte("1")))
	}
	one, err := tr.Commit("one")
	must(t, err)
	_, err = m.Delete([]byte("gone"))
	must(t, err)
	must(t, m.Put([]byte("edit"), []byte("2")))
	must(t, m.Put([]byte("new"), []byte("3")))
	_, err = tr.Commit("two")
	must(t, err)
	d, err := tr.DiffView("m", one.ID, "", true, true, true)
	must(t, err)
	defer d.Close()
	var got []string
	for e, err := range d.All() {
		must(t, err)
		got = append(got, string(e.Key)+"="+string(e.Value))
	}
	if !bytes.Equal([]byte(join(got)), []byte("edit=2,gone=1,new=3")) {
		t.Fatalf("diff view %v", got)
	}
	if _, err := tr.DiffView("m", one.ID, "", false, false, false); !isErrCode(err, it.CodeInvalid) {
		t.Fatalf("empty diff selection: %v", err)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
