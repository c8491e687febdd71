package infinitree_test

import (
	"bytes"
	"math"
	"reflect"
	"sort"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

func TestKeyOrder(t *testing.T) {
	ints := []int64{math.MinInt64, -1000, -1, 0, 1, 2, 255, 256, 1 << 40, math.MaxInt64}
	for i := 1; i < len(ints); i++ {
		if bytes.Compare(it.KeyInt(ints[i-1]), it.KeyInt(ints[i])) >= 0 {
			t.Fatalf("KeyInt(%d) !< KeyInt(%d)", ints[i-1], ints[i])
		}
	}
	if bytes.Compare(it.KeyInt(math.MaxInt64), it.KeyUint(math.MaxUint64)) >= 0 {
		t.Fatal("uint above int64 range does not sort after")
	}
	if !bytes.Equal(it.KeyInt(7), it.KeyUint(7)) {
		t.Fatal("KeyInt and KeyUint differ on a small value")
	}
	floats := []float64{math.Inf(-1), -1.5, 0, 0.25, 1e300, math.Inf(1)}
	for i := 1; i < len(floats); i++ {
		if bytes.Compare(it.KeyFloat(floats[i-1]), it.KeyFloat(floats[i])) >= 0 {
			t.Fatalf("KeyFloat order at %v", floats[i])
		}
	}
	strs := []string{"", "a", "a\x00", "ab", "b", "é"}
	for i := 1; i < len(strs); i++ {
		if bytes.Compare(it.KeyString(strs[i-1]), it.KeyString(strs[i])) >= 0 {
			t.Fatalf("KeyString order at %q", strs[i])
		}
	}
	// Tuples compare part by part: ("a", 2) < ("a", 10) < ("b", 1).
	tuples := [][]byte{it.MustKey("a", 2), it.MustKey("a", 10), it.MustKey("b", 1)}
	if !sort.SliceIsSorted(tuples, func(i, j int) bool { return bytes.Compare(tuples[i], tuples[j]) < 0 }) {
		t.Fatal("tuple order")
	}
	if bytes.Compare(it.KeyBool(false), it.KeyBool(true)) >= 0 {
		t.Fatal("bool order")
	}
	// A single-part tuple is the same as the one-value helper.
	if !bytes.Equal(it.MustKey(int64(5)), it.KeyInt(5)) || !bytes.Equal(it.MustKey([]byte("x")), it.KeyBytes([]byte("x"))) {
		t.Fatal("Key vs helpers")
	}
	// Strings and bytes sort apart.
	if bytes.Equal(it.KeyString("x"), it.KeyBytes([]byte("x"))) {
		t.Fatal("string and bytes encode the same")
	}
}

func TestKeyDecode(t *testing.T) {
	k, err := it.Key(nil, true, false, -5, uint64(math.MaxUint64), 2.5, "str", []byte{0, 1}, int8(3), uint16(9), float32(0.5))
	must(t, err)
	parts, err := it.DecodeKey(k)
	must(t, err)
	want := []any{nil, true, false, int64(-5), uint64(math.MaxUint64), 2.5, "str", []byte{0, 1}, int64(3), int64(9), 0.5}
	if !reflect.DeepEqual(parts, want) {
		t.Fatalf("decoded %#v\nwant    %#v", parts, want)
	}
	empty, err := it.Key()
	must(t, err)
	parts, err = it.DecodeKey(empty)
	must(t, err)
	if len(parts) != 0 {
		t.Fatalf("empty tuple decoded to %v", parts)
	}

	_, err = it.Key(struct{}{})
	isErr(t, err, it.ErrInvalid)
	_, err = it.DecodeKey([]byte{0xff, 0xfe, 0xfd})
	isErr(t, err, it.ErrInvalid)
	defer func() {
		if recover() == nil {
			t.Fatal("MustKey did not panic")
		}
	}()
	it.MustKey(1i)
}

// Keys longer than the encoder's scratch buffer take the other path.
func TestKeyLong(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), 1000))
	for _, s := range []string{"", "short", string(bytes.Repeat([]byte("y"), 60)), long} {
		k, err := it.Key(s, int64(len(s)))
		must(t, err)
		parts, err := it.DecodeKey(k)
		must(t, err)
		if parts[0] != s || parts[1] != int64(len(s)) {
			t.Fatalf("round trip of a %d-byte string", len(s))
		}
	}
}
