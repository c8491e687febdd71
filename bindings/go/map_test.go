package infinitree_test

import (
	"bytes"
	"fmt"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

func TestMapBasics(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	k := []byte("k")
	_, err := m.Get(k)
	isErr(t, err, it.ErrNotFound)
	must(t, m.Put(k, []byte("v1")))
	eq(t, mustGet(t, m, k), []byte("v1"))
	must(t, m.Put(k, []byte("v2"))) // overwrite
	eq(t, mustGet(t, m, k), []byte("v2"))

	// Empty key and empty value are ordinary.
	must(t, m.Put(nil, nil))
	v, err := m.Get([]byte{})
	must(t, err)
	if v == nil || len(v) != 0 {
		t.Fatalf("empty value: %#v", v)
	}
	// A value longer than the Get scratch buffer, and one far longer.
	for _, n := range []int{95, 96, 97, 1000, 3 << 20} {
		big := bytes.Repeat([]byte{byte(n)}, n)
		must(t, m.Put([]byte("big"), big))
		eq(t, mustGet(t, m, []byte("big")), big)
	}
	// Returned values are copies: changing one does not change the map.
	got := mustGet(t, m, k)
	got[0] = 'X'
	eq(t, mustGet(t, m, k), []byte("v2"))
	// Input slices may be reused right after the call.
	buf := []byte("reused")
	must(t, m.Put(buf, buf))
	copy(buf, "XXXXXX")
	eq(t, mustGet(t, m, []byte("reused")), []byte("reused"))

	ok, err := m.Contains(k)
	must(t, err)
	if !ok {
		t.Fatal("Contains")
	}
	ok, err = m.PutIfAbsent(k, []byte("other"))
	must(t, err)
	if ok {
		t.Fatal("PutIfAbsent replaced a value")
	}
	ok, err = m.PutIfAbsent([]byte("new"), []byte("n"))
	must(t, err)
	if !ok || string(mustGet(t, m, []byte("new"))) != "n" {
		t.Fatal("PutIfAbsent")
	}

	n, err := m.Len()
	must(t, err)
	if n != 5 { // k, "", big, reused, new
		t.Fatalf("Len %d", n)
	}
	ok, err = m.Delete(k)
	must(t, err)
	if !ok {
		t.Fatal("Delete of a present key")
	}
	ok, err = m.Delete(k)
	must(t, err)
	if ok {
		t.Fatal("Delete of an absent key")
	}
	must(t, m.Clear())
	n, _ = m.Len()
	if n != 0 {
		t.Fatal("Clear")
	}
}

func mustGet(t *testing.T, m *it.Map, k []byte) []byte {
	t.Helper()
	v, err := m.Get(k)
	must(t, err)
	return v
}

func TestCompareAndSwap(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	k := []byte("k")
	cas := func(exp, des []byte) bool {
		ok, err := m.CompareAndSwap(k, exp, des)
		must(t, err)
		return ok
	}
	if !cas(nil, []byte("a")) { // absent -> a
		t.Fatal("insert when absent")
	}
	if cas(nil, []byte("b")) { // not absent any more
		t.Fatal("insert when present")
	}
	if cas([]byte("x"), []byte("b")) {
		t.Fatal("swap with wrong expected value")
	}
	if !cas([]byte("a"), []byte{}) { // a -> empty value (present)
		t.Fatal("swap to empty")
	}
	ok, _ := m.Contains(k)
	if !ok {
		t.Fatal("empty value is not absent")
	}
	if cas(nil, []byte("c")) {
		t.Fatal("empty value treated as absent")
	}
	if !cas([]byte{}, nil) { // empty -> delete
		t.Fatal("delete by CAS")
	}
	ok, _ = m.Contains(k)
	if ok {
		t.Fatal("CAS did not delete")
	}
}

func TestRangesAndIterators(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	const n = 1000 // several batches of the iterator
	for i := 0; i < n; i++ {
		must(t, m.Put(it.KeyInt(int64(i)), []byte(fmt.Sprint("v", i))))
	}
	for _, p := range []string{"a/1", "a/2", "b/1"} {
		must(t, m.Put(it.KeyString(p), []byte(p)))
	}

	// Strings sort before integers in the key encoding: the three string keys come first.
	i := 0
	for e, err := range m.All() {
		must(t, err)
		if i >= 3 {
			eq(t, e.Key, it.KeyInt(int64(i-3)))
			eq(t, e.Value, []byte(fmt.Sprint("v", i-3)))
		}
		i++
	}
	if i != n+3 {
		t.Fatalf("All yielded %d entries", i)
	}

	// Range [10, 20), and break early (the cursor is closed by the loop).
	var keys []int64
	for e, err := range m.Range(it.KeyInt(10), it.KeyInt(20)) {
		must(t, err)
		parts, err := it.DecodeKey(e.Key)
		must(t, err)
		keys = append(keys, parts[0].(int64))
		if len(keys) == 5 {
			break
		}
	}
	if fmt.Sprint(keys) != "[10 11 12 13 14]" {
		t.Fatalf("range %v", keys)
	}
	c, err := m.CountRange(it.KeyInt(10), it.KeyInt(20))
	must(t, err)
	if c != 10 {
		t.Fatalf("CountRange %d", c)
	}

	// Prefix over string keys: the encoded prefix of "a/" is the string's encoding without its
	// terminator, so use a raw prefix of the encoded key.
	var got []string
	pfx := it.KeyString("a/")
	pfx = pfx[:len(pfx)-1]
	for e, err := range m.Prefix(pfx) {
		must(t, err)
		got = append(got, string(e.Value))
	}
	if fmt.Sprint(got) != "[a/1 a/2]" {
		t.Fatalf("prefix %v", got)
	}

	var kcount int
	for k, err := range m.Keys(it.KeyInt(990), nil) {
		must(t, err)
		if len(k) == 0 {
			t.Fatal("empty key")
		}
		kcount++
	}
	if kcount != 10 {
		t.Fatalf("keys %d", kcount)
	}

	removed, err := m.DeleteRange(it.KeyInt(0), it.KeyInt(500))
	must(t, err)
	if removed != 500 {
		t.Fatalf("DeleteRange %d", removed)
	}
	l, _ := m.Len()
	if l != n-500+3 {
		t.Fatalf("Len after DeleteRange %d", l)
	}
}

func TestIteratorLargeEntries(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	// Entries larger than the 64 KiB batch buffer go one at a time, mixed with small ones.
	sizes := []int{10, 70 << 10, 20, 200 << 10, 30}
	for i, s := range sizes {
		must(t, m.Put(it.KeyInt(int64(i)), bytes.Repeat([]byte{byte(i)}, s)))
	}
	i := 0
	for e, err := range m.All() {
		must(t, err)
		if len(e.Value) != sizes[i] || e.Value[0] != byte(i) {
			t.Fatalf("entry %d: %d bytes", i, len(e.Value))
		}
		i++
	}
	if i != len(sizes) {
		t.Fatalf("%d entries", i)
	}
}

func TestCursor(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	for _, k := range []string{"b", "d", "f", "h"} {
		must(t, m.Put([]byte(k), []byte("v"+k)))
	}
	c, err := m.Cursor([]byte("c"), []byte("h")) // d, f
	must(t, err)
	defer c.Close()
	key := func() string {
		k, err := c.Key()
		must(t, err)
		return string(k)
	}
	if !c.Valid() || key() != "d" {
		t.Fatal("cursor does not start at the first key in range")
	}
	v, err := c.Value()
	must(t, err)
	eq(t, v, []byte("vd"))
	ok, err := c.Next()
	must(t, err)
	if !ok || key() != "f" {
		t.Fatal("Next")
	}
	ok, err = c.Next()
	must(t, err)
	if ok || c.Valid() {
		t.Fatal("Next past the upper bound")
	}
	ok, err = c.Next() // stepping past the end stays past it: false, no error
	must(t, err)
	if ok {
		t.Fatal("Next of a cursor already past the end")
	}
	_, _, err = c.Entry()
	isErr(t, err, it.ErrNotFound)

	ok, err = c.Last()
	must(t, err)
	if !ok || key() != "f" {
		t.Fatal("Last")
	}
	ok, err = c.Prev()
	must(t, err)
	if !ok || key() != "d" {
		t.Fatal("Prev")
	}
	ok, err = c.Prev()
	must(t, err)
	if ok {
		t.Fatal("Prev past the lower bound")
	}
	ok, err = c.First()
	must(t, err)
	if !ok || key() != "d" {
		t.Fatal("First")
	}
	ok, err = c.Seek([]byte("e"))
	must(t, err)
	if !ok || key() != "f" {
		t.Fatal("Seek")
	}
	ok, err = c.SeekForPrev([]byte("e"))
	must(t, err)
	if !ok || key() != "d" {
		t.Fatal("SeekForPrev")
	}
	ok, err = c.Seek([]byte("z"))
	must(t, err)
	if ok {
		t.Fatal("Seek past the end")
	}

	// The rest of a cursor as a sequence.
	c.First()
	var rest []string
	for e, err := range c.All() {
		must(t, err)
		rest = append(rest, string(e.Key))
	}
	if fmt.Sprint(rest) != "[d f]" {
		t.Fatalf("cursor All %v", rest)
	}

	pc, err := m.PrefixCursor([]byte("h"))
	must(t, err)
	defer pc.Close()
	k, err := pc.Key()
	must(t, err)
	eq(t, k, []byte("h"))
}

func TestSetListValue(t *testing.T) {
	tr := memTree(t)
	s, err := tr.Set("s")
	must(t, err)
	defer s.Close()
	for _, k := range []string{"b", "a", "c"} {
		ok, err := s.Insert([]byte(k))
		must(t, err)
		if !ok {
			t.Fatal("Insert new")
		}
	}
	ok, err := s.Insert([]byte("a"))
	must(t, err)
	if ok {
		t.Fatal("Insert existing")
	}
	ok, _ = s.Contains([]byte("b"))
	if !ok {
		t.Fatal("Contains")
	}
	ok, _ = s.Delete([]byte("b"))
	if !ok {
		t.Fatal("Delete")
	}
	ok, _ = s.Delete([]byte("b"))
	if ok {
		t.Fatal("Delete absent")
	}
	n, _ := s.Len()
	var keys []string
	for k, err := range s.All() {
		must(t, err)
		keys = append(keys, string(k))
	}
	if n != 2 || fmt.Sprint(keys) != "[a c]" {
		t.Fatalf("set %d %v", n, keys)
	}
	keys = nil
	for k, err := range s.Range([]byte("b"), nil) {
		must(t, err)
		keys = append(keys, string(k))
	}
	if fmt.Sprint(keys) != "[c]" {
		t.Fatalf("set range %v", keys)
	}
	sc, err := s.Cursor(nil, nil)
	must(t, err)
	_, v, err := sc.Entry()
	must(t, err)
	if len(v) != 0 {
		t.Fatal("set cursor value not empty")
	}
	sc.Close()

	l, err := tr.List("l")
	must(t, err)
	defer l.Close()
	for i := 0; i < 3; i++ {
		idx, err := l.Push([]byte(fmt.Sprint(i)))
		must(t, err)
		if idx != i {
			t.Fatalf("Push index %d", idx)
		}
	}
	must(t, l.Set(1, []byte("one")))
	v, err = l.Get(1)
	must(t, err)
	eq(t, v, []byte("one"))
	_, err = l.Get(3)
	isErr(t, err, it.ErrNotFound)
	_, err = l.Get(-1)
	isErr(t, err, it.ErrNotFound)
	isErr(t, l.Set(5, nil), it.ErrNotFound)
	must(t, l.Pop())
	var vals []string
	for v, err := range l.All() {
		must(t, err)
		vals = append(vals, string(v))
	}
	if fmt.Sprint(vals) != "[0 one]" {
		t.Fatalf("list %v", vals)
	}
	must(t, l.Pop())
	must(t, l.Pop())
	isErr(t, l.Pop(), it.ErrNotFound)

	val, err := tr.Value("v")
	must(t, err)
	defer val.Close()
	_, err = val.Get()
	isErr(t, err, it.ErrNotFound)
	must(t, val.Set([]byte("hello")))
	got, err := val.Get()
	must(t, err)
	eq(t, got, []byte("hello"))
	must(t, val.Reset())
	_, err = val.Get()
	isErr(t, err, it.ErrNotFound)
}

func TestBackward(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	const n = 700 // several batches
	for i := 0; i < n; i++ {
		must(t, m.Put(it.KeyInt(int64(i)), bytes.Repeat([]byte{byte(i)}, i%50)))
	}
	// One entry larger than a batch, in the middle.
	must(t, m.Put(it.KeyInt(350), bytes.Repeat([]byte{7}, 100<<10)))
	want := n - 1
	for e, err := range m.Backward(nil, nil) {
		must(t, err)
		eq(t, e.Key, it.KeyInt(int64(want)))
		if want == 350 {
			if len(e.Value) != 100<<10 {
				t.Fatal("large entry")
			}
		} else if len(e.Value) != want%50 {
			t.Fatalf("value of %d", want)
		}
		want--
	}
	if want != -1 {
		t.Fatalf("stopped at %d", want)
	}
	var got []int64
	for e, err := range m.Backward(it.KeyInt(10), it.KeyInt(15)) {
		must(t, err)
		p, _ := it.DecodeKey(e.Key)
		got = append(got, p[0].(int64))
	}
	if fmt.Sprint(got) != "[14 13 12 11 10]" {
		t.Fatalf("backward range %v", got)
	}
	for range m.Backward(it.KeyInt(5000), nil) {
		t.Fatal("entries in an empty range")
	}
}
