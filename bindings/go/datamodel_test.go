package infinitree_test

import (
	"bytes"
	"errors"
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
