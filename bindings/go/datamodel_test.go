package infinitree_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

func TestTimeKeysSortByInstantAndRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var times []time.Time
	for i := 0; i < 300; i++ {
		times = append(times, time.UnixMicro(rng.Int63n(1<<50)-1<<49).UTC())
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i, tm := range times {
		k := it.MustKey("at", tm)
		if i > 0 && !times[i-1].Equal(tm) && bytes.Compare(it.MustKey("at", times[i-1]), k) >= 0 {
			t.Fatalf("time keys out of order at %v", tm)
		}
		parts, err := it.DecodeKey(k)
		must(t, err)
		if !parts[1].(time.Time).Equal(tm) {
			t.Fatalf("decoded %v, want %v", parts[1], tm)
		}
	}
}

func TestDescendingKeysReverseOrder(t *testing.T) {
	vals := []any{int64(-5), int64(0), int64(7), "a", "a\x00", "ab", 1.5, 2.5}
	for i := 0; i+1 < len(vals); i++ {
		a, b := vals[i], vals[i+1]
		if reflect.TypeOf(a) != reflect.TypeOf(b) {
			continue
		}
		ka, kb := it.MustKey("k", it.Desc{V: a}, 1), it.MustKey("k", it.Desc{V: b}, 1)
		if bytes.Compare(ka, kb) <= 0 {
			t.Fatalf("Desc(%v) should sort after Desc(%v)", a, b)
		}
		parts, err := it.DecodeKey(ka)
		must(t, err)
		if !reflect.DeepEqual(parts, []any{"k", it.Desc{V: a}, int64(1)}) {
			t.Fatalf("round trip: %#v", parts)
		}
	}
	if _, err := it.Key(it.Desc{V: it.Desc{V: 1}}); !errors.Is(err, it.ErrInvalid) {
		t.Fatalf("nested Desc: %v", err)
	}
}

func TestSubspaceDeleteAndNewestFirst(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "events")
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, who := range []string{"ann", "bob"} {
		for i := 0; i < 200; i++ {
			must(t, m.Put(it.MustKey(who, it.Desc{V: base.Add(time.Duration(i) * time.Minute)}), []byte("v")))
		}
	}
	c, err := m.PrefixCursor(it.MustKey("bob"))
	must(t, err)
	defer c.Close()
	key, err := c.Key()
	must(t, err)
	parts, err := it.DecodeKey(key)
	must(t, err)
	if want := base.Add(199 * time.Minute); !parts[1].(it.Desc).V.(time.Time).Equal(want) {
		t.Fatalf("first of the subspace is %v, want the newest %v", parts[1], want)
	}
	_, err = tr.Commit("fill")
	must(t, err)
	n, err := m.CountPrefix(it.MustKey("ann"))
	must(t, err)
	if n != 200 {
		t.Fatalf("count %d", n)
	}
	n, err = m.DeletePrefix(it.MustKey("ann"))
	must(t, err)
	if n != 200 {
		t.Fatalf("deleted %d", n)
	}
	if n, _ = m.Len(); n != 200 {
		t.Fatalf("left %d", n)
	}
	if n, _ = m.CountPrefix(it.MustKey("ann")); n != 0 {
		t.Fatalf("still %d under ann", n)
	}
}

func TestMultiMapMatchesAModel(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "tags")
	mm := it.NewMultiMap(m)
	rng := rand.New(rand.NewSource(3))
	words := [][]byte{{}, []byte("a"), []byte("a\x00"), []byte("ab"), {0xff}}
	model := map[string]map[string]bool{}
	type snap struct {
		id    string
		model map[string][]string
	}
	var snaps []snap
	sorted := func(k string) []string {
		var vs []string
		for v := range model[k] {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		return vs
	}
	for round := 0; round < 4; round++ {
		for i := 0; i < 120; i++ {
			k, v := words[rng.Intn(len(words))], append(append([]byte{}, words[rng.Intn(len(words))]...), words[rng.Intn(len(words))]...)
			if model[string(k)] == nil {
				model[string(k)] = map[string]bool{}
			}
			switch r := rng.Intn(10); {
			case r < 2:
				got, err := mm.RemoveOne(k, v)
				must(t, err)
				if got != model[string(k)][string(v)] {
					t.Fatalf("RemoveOne(%q, %q) = %v", k, v, got)
				}
				delete(model[string(k)], string(v))
			case r < 3:
				n, err := mm.RemoveAll(k)
				must(t, err)
				if n != len(model[string(k)]) {
					t.Fatalf("RemoveAll(%q) = %d", k, n)
				}
				model[string(k)] = map[string]bool{}
			default:
				got, err := mm.Put(k, v)
				must(t, err)
				if got == model[string(k)][string(v)] {
					t.Fatalf("Put(%q, %q) = %v", k, v, got)
				}
				model[string(k)][string(v)] = true
			}
		}
		s := snap{model: map[string][]string{}}
		for _, k := range words {
			vs, err := mm.GetAll(k)
			must(t, err)
			want := sorted(string(k))
			if len(vs) != len(want) {
				t.Fatalf("GetAll(%q) = %q, want %q", k, vs, want)
			}
			for i := range vs {
				if string(vs[i]) != want[i] {
					t.Fatalf("GetAll(%q) = %q, want %q", k, vs, want)
				}
			}
			n, err := mm.Count(k)
			must(t, err)
			if n != len(want) {
				t.Fatalf("Count(%q) = %d", k, n)
			}
			s.model[string(k)] = want
		}
		c, err := tr.Commit("round")
		must(t, err)
		s.id = c.ID
		snaps = append(snaps, s)
	}
	for _, s := range snaps {
		v, err := tr.Checkout(s.id)
		must(t, err)
		om, err := v.Map("tags")
		must(t, err)
		old := it.NewMultiMap(om)
		for _, k := range words {
			vs, err := old.GetAll(k)
			must(t, err)
			if len(vs) != len(s.model[string(k)]) {
				t.Fatalf("at %s GetAll(%q) = %q, want %q", s.id, k, vs, s.model[string(k)])
			}
		}
		if _, err := old.Put([]byte("x"), []byte("y")); !errors.Is(err, it.ErrReadOnly) {
			t.Fatalf("write to a checkout: %v", err)
		}
		om.Close()
		v.Close()
	}
}

func TestKeyHistoryNewestFirst(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "kv")
	for _, step := range []string{"red", "", "blue"} {
		if step == "" {
			_, err := m.Delete([]byte("color"))
			must(t, err)
		} else {
			must(t, m.Put([]byte("color"), []byte(step)))
		}
		_, err := tr.Commit("set " + step)
		must(t, err)
		must(t, m.Put([]byte("noise"), []byte(step)))
		_, err = tr.Commit("noise")
		must(t, err)
	}
	h, err := tr.KeyHistory("kv", []byte("color"), "", 0)
	must(t, err)
	if len(h) != 3 || string(h[0].Value) != "blue" || !h[1].Removed || string(h[2].Value) != "red" {
		t.Fatalf("history %+v", h)
	}
	h, err = tr.KeyHistory("kv", []byte("color"), h[1].Commit.ID, 1)
	must(t, err)
	if len(h) != 1 || !h[0].Removed {
		t.Fatalf("bounded history %+v", h)
	}
	if _, err := tr.KeyHistory("kv", []byte("color"), "no-such-ref", 0); !errors.Is(err, it.ErrNotFound) {
		t.Fatalf("bad ref: %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "docs")
	docs := []string{
		`{"b":[1,2.5,"x",null,true],"a":{},"é":-9223372036854775808,"u":18446744073709551615}`,
		`[[[[]]],{"":{"deep":"✓"}}]`,
		`"scalar"`,
	}
	want := []string{
		`{"a":{},"b":[1,2.5,"x",null,true],"u":18446744073709551615,"é":-9223372036854775808}`,
		`[[[[]]],{"":{"deep":"✓"}}]`,
		`"scalar"`,
	}
	for i, d := range docs {
		p := it.MustKey("doc", i)
		_, err := m.ImportJSON(p, []byte(d))
		must(t, err)
		got, err := m.ExportJSON(p)
		must(t, err)
		if string(got) != want[i] {
			t.Fatalf("doc %d: got %s want %s", i, got, want[i])
		}
	}
	if _, err := m.ImportJSON([]byte("bad"), []byte("{")); !errors.Is(err, it.ErrInvalid) {
		t.Fatalf("bad JSON: %v", err)
	}
	if _, err := m.ExportJSON([]byte("none")); !errors.Is(err, it.ErrNotFound) {
		t.Fatalf("missing doc: %v", err)
	}
}

func TestTransactionsKeepTheTotal(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "accounts")
	for i := 0; i < 5; i++ {
		must(t, m.Put([]byte{byte('a' + i)}, []byte("100")))
	}
	done := make(chan error)
	for w := 0; w < 4; w++ {
		go func(seed int64) {
			rng := rand.New(rand.NewSource(seed))
			tx, err := tr.NewTransaction()
			if err != nil {
				done <- err
				return
			}
			defer tx.Close()
			for i := 0; i < 50; i++ {
				for {
					a, b := rng.Intn(5), rng.Intn(5)
					if a == b {
						continue
					}
					ka, kb := []byte{byte('a' + a)}, []byte{byte('a' + b)}
					va, _, _ := tx.Get("accounts", ka)
					vb, _, _ := tx.Get("accounts", kb)
					na, nb := 0, 0
					fmt.Sscan(string(va), &na)
					fmt.Sscan(string(vb), &nb)
					tx.Put("accounts", ka, []byte(fmt.Sprint(na-1)))
					tx.Put("accounts", kb, []byte(fmt.Sprint(nb+1)))
					if _, err := tx.Apply(); err == nil {
						break
					} else if !errors.Is(err, it.ErrConflict) {
						done <- err
						return
					}
				}
			}
			done <- nil
		}(int64(w))
	}
	for w := 0; w < 4; w++ {
		must(t, <-done)
	}
	total := 0
	for i := 0; i < 5; i++ {
		v, err := m.Get([]byte{byte('a' + i)})
		must(t, err)
		n := 0
		fmt.Sscan(string(v), &n)
		total += n
	}
	if total != 500 {
		t.Fatalf("total %d after transfers", total)
	}
	tx, err := tr.NewTransaction()
	must(t, err)
	defer tx.Close()
	_, _, err = tx.Get("accounts", []byte("a"))
	must(t, err)
	must(t, tx.Put("other", []byte("x"), []byte("1")))
	must(t, m.Put([]byte("a"), []byte("changed")))
	if _, err := tx.Apply(); !errors.Is(err, it.ErrConflict) {
		t.Fatalf("stale read applied: %v", err)
	}
	if _, found, _ := tx.Get("other", []byte("x")); found {
		t.Fatal("a conflicting transaction wrote")
	}
}
