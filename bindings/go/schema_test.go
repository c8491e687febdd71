package infinitree_test

import (
	"encoding/hex"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

// The stored bytes of tests/datamodel/schema_test.cpp (SchemaEncoding): Go must write and read
// exactly what C++ (and Python, bindings/python/tests/test_schema.py) do.
const (
	hexKeyFern3  = "026665726e00140000000000000003"
	hexFernValue = "97a46665726ecb3fe0000000000000fd92a57368616465a3776574c082a16101a162cb4004000000000000c3"
	hexRecord    = "93a76e757273657279029492a6706c616e7473b66d61703c287374722c696e74292c506c616e742f313e92a474616773a87365743c" +
		"7374723e92a36c6f67a96c6973743c7374723e92a6636f6e666967b276616c75653c7b7374723a666c6f61747d3e"
	hexConfig   = "81a96472795f62656c6f77cb3fd0000000000000"
	hexLog0     = "a4736f776e"
	hexKeyGreen = "02677265656e00"
)

type Plant struct {
	Name   string
	Height float64
	Leaves int64
	Tags   []string
	Sown   *int64
	Notes  map[string]float64
	OK     bool
}

func (Plant) SchemaName() string { return "Plant/1" }

type PlantKey struct {
	Name string
	N    int64
}

type Nursery struct {
	Plants *it.MapField[PlantKey, Plant]      `infinitree:"plants"`
	Tags   *it.SetField[string]               `infinitree:"tags"`
	Log    *it.ListField[string]              `infinitree:"log"`
	Config *it.ValueField[map[string]float64] `infinitree:"config"`
}

var fern = Plant{"fern", 0.5, -3, []string{"shade", "wet"}, nil, map[string]float64{"a": 1, "b": 2.5}, true}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func openNursery(t *testing.T, src it.FieldSource) *Nursery {
	t.Helper()
	var n Nursery
	must(t, it.OpenSchema(src, "nursery", 2, &n))
	return &n
}

func TestSchemaStoresTheBytesCppStores(t *testing.T) {
	tr := memTree(t)
	n := openNursery(t, tr)
	must(t, n.Plants.Put(PlantKey{"fern", 3}, fern))
	_, err := n.Tags.Insert("green")
	must(t, err)
	_, err = n.Log.Push("sown")
	must(t, err)
	must(t, n.Config.Set(map[string]float64{"dry_below": 0.25}))

	for e, err := range n.Plants.Map().All() {
		must(t, err)
		eq(t, e.Key, unhex(hexKeyFern3))
		eq(t, e.Value, unhex(hexFernValue))
	}
	raw := func(name string) []byte {
		v, err := tr.Value(name)
		must(t, err)
		defer v.Close()
		b, err := v.Get()
		must(t, err)
		return b
	}
	eq(t, raw(it.SchemaRecordField), unhex(hexRecord))
	eq(t, raw("config"), unhex(hexConfig))
	l, err := tr.List("log")
	must(t, err)
	defer l.Close()
	b, err := l.Get(0)
	must(t, err)
	eq(t, b, unhex(hexLog0))
	s, err := tr.Set("tags")
	must(t, err)
	defer s.Close()
	yes, err := s.Contains(unhex(hexKeyGreen))
	must(t, err)
	if !yes {
		t.Fatal("the set key is not the C++ encoding of \"green\"")
	}
}

func TestSchemaReadsWhatCppWrote(t *testing.T) {
	tr := memTree(t)
	v, err := tr.Value(it.SchemaRecordField)
	must(t, err)
	must(t, v.Set(unhex(hexRecord)))
	v.Close()
	must(t, mustMap(t, tr, "plants").Put(unhex(hexKeyFern3), unhex(hexFernValue)))
	s, err := tr.Set("tags")
	must(t, err)
	_, err = s.Insert(unhex(hexKeyGreen))
	must(t, err)
	s.Close()
	l, err := tr.List("log")
	must(t, err)
	_, err = l.Push(unhex(hexLog0))
	must(t, err)
	l.Close()
	c, err := tr.Value("config")
	must(t, err)
	must(t, c.Set(unhex(hexConfig)))
	c.Close()

	n := openNursery(t, tr)
	got, ok, err := n.Plants.Get(PlantKey{"fern", 3})
	must(t, err)
	if !ok || !reflect.DeepEqual(got, fern) {
		t.Fatalf("got %+v, want %+v", got, fern)
	}
	for k, err := range n.Tags.All() {
		must(t, err)
		if k != "green" {
			t.Fatalf("tag %q", k)
		}
	}
	e, err := n.Log.Get(0)
	must(t, err)
	cfg, ok, err := n.Config.Get()
	must(t, err)
	if e != "sown" || !ok || cfg["dry_below"] != 0.25 {
		t.Fatalf("log %q config %v", e, cfg)
	}
	rec, ok, err := it.StoredSchema(tr)
	must(t, err)
	want := it.SchemaRecord{Name: "nursery", Version: 2, Fields: [][2]string{
		{"plants", "map<(str,int),Plant/1>"}, {"tags", "set<str>"}, {"log", "list<str>"}, {"config", "value<{str:float}>"}}}
	if !ok || !reflect.DeepEqual(rec, want) {
		t.Fatalf("record %+v", rec)
	}
}

func plantsOf(t *testing.T, n *Nursery) map[PlantKey]Plant {
	t.Helper()
	out := map[PlantKey]Plant{}
	var last *PlantKey
	for p, err := range n.Plants.All() {
		must(t, err)
		if last != nil && (last.Name > p.Key.Name || last.Name == p.Key.Name && last.N >= p.Key.N) {
			t.Fatalf("keys out of order: %v then %v", *last, p.Key)
		}
		k := p.Key
		last = &k
		out[p.Key] = p.Value
	}
	return out
}

func samePlants(t *testing.T, got, want map[PlantKey]Plant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d plants, want %d", len(got), len(want))
	}
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			t.Fatalf("%v: got %+v, want %+v", k, g, w)
		}
	}
}

// Random puts and deletes against a Go map, five commits each checked again by a checkout
// and, at the end, by reopening the store.
func TestSchemaModelOverCommits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	rnd := rand.New(rand.NewSource(7))
	type snap struct {
		id     string
		plants map[PlantKey]Plant
	}
	var history []snap
	tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	n := openNursery(t, tr)
	model := map[PlantKey]Plant{}
	for round := 0; round < 5; round++ {
		for i := 0; i < 60; i++ {
			k := PlantKey{[]string{"fern", "moss", "ivy", "é"}[rnd.Intn(4)], int64(rnd.Intn(40) - 20)}
			if rnd.Float64() < 0.3 {
				had, err := n.Plants.Delete(k)
				must(t, err)
				_, want := model[k]
				if had != want {
					t.Fatalf("delete %v: %v, model %v", k, had, want)
				}
				delete(model, k)
				continue
			}
			p := Plant{Name: k.Name, Height: []float64{0, 1, 0.5, -3.25, 1e300}[rnd.Intn(5)], Leaves: rnd.Int63() - rnd.Int63(),
				Tags: []string{}, Notes: map[string]float64{}, OK: rnd.Intn(2) == 0}
			for j := rnd.Intn(3); j > 0; j-- {
				p.Tags = append(p.Tags, string(rune('x'+rnd.Intn(3))))
			}
			if rnd.Intn(2) == 0 {
				s := int64(rnd.Intn(3)) << 62
				p.Sown = &s
			}
			for j := rnd.Intn(3); j > 0; j-- {
				p.Notes[string(rune('a'+j))] = float64(j)
			}
			must(t, n.Plants.Put(k, p))
			model[k] = p
		}
		ln, err := n.Plants.Len()
		must(t, err)
		if ln != len(model) {
			t.Fatalf("len %d, model %d", ln, len(model))
		}
		samePlants(t, plantsOf(t, n), model)
		c, err := tr.Commit("round")
		must(t, err)
		cp := map[PlantKey]Plant{}
		for k, v := range model {
			cp[k] = v
		}
		history = append(history, snap{c.ID, cp})
	}
	for _, h := range history {
		v, err := tr.Checkout(h.id)
		must(t, err)
		at := openNursery(t, v)
		samePlants(t, plantsOf(t, at), h.plants)
		isErr(t, at.Plants.Put(PlantKey{"x", 1}, fern), it.ErrReadOnly)
		v.Close()
	}
	must(t, tr.Close())
	tr, err = it.Open(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	n = openNursery(t, tr)
	samePlants(t, plantsOf(t, n), history[len(history)-1].plants)
	_, ok, err := n.Plants.Get(PlantKey{"nope", 0})
	must(t, err)
	if ok {
		t.Fatal("found an absent key")
	}
}

type Plant2 struct {
	Name   string
	Height float64
}

func (Plant2) SchemaName() string { return "Plant/2" }

func TestSchemaVersionMismatch(t *testing.T) {
	tr := memTree(t)
	openNursery(t, tr)
	v2, err := tr.Commit("v2")
	must(t, err)
	var n Nursery
	err = it.OpenSchema(tr, "nursery", 3, &n)
	isErr(t, err, it.ErrVersion)
	want := "the tree holds schema 'nursery' version 2, this program declares 'nursery' version 3 (migrate the data, then ForgetSchema the old record)"
	if err.(*it.Error).Message != want {
		t.Fatalf("message %q", err.(*it.Error).Message)
	}
	forgot, err := it.ForgetSchema(tr)
	must(t, err)
	again, err := it.ForgetSchema(tr)
	must(t, err)
	if !forgot || again {
		t.Fatalf("forget: %v then %v", forgot, again)
	}
	must(t, it.OpenSchema(tr, "nursery", 3, &n))
	_, err = tr.Commit("v3")
	must(t, err)
	old, err := tr.Checkout(v2.ID)
	must(t, err)
	defer old.Close()
	openNursery(t, old) // the old commit keeps its record
	isErr(t, it.OpenSchema(old, "nursery", 3, &n), it.ErrVersion)
}

func TestSchemaFieldTypeErrors(t *testing.T) {
	tr := memTree(t)
	openNursery(t, tr)
	message := func(err error) string {
		t.Helper()
		isErr(t, err, it.ErrInvalid)
		return err.(*it.Error).Message
	}
	var other struct {
		Plants *it.MapField[PlantKey, Plant2]     `infinitree:"plants"`
		Tags   *it.SetField[string]               `infinitree:"tags"`
		Log    *it.ListField[string]              `infinitree:"log"`
		Config *it.ValueField[map[string]float64] `infinitree:"config"`
	}
	if m := message(it.OpenSchema(tr, "nursery", 2, &other)); !strings.Contains(m,
		"field 'plants' is stored as map<(str,int),Plant/1>, declared as map<(str,int),Plant/2>") {
		t.Fatal(m)
	}
	if other.Plants != nil || other.Tags != nil {
		t.Fatal("a failed OpenSchema filled the struct")
	}
	var fewer struct {
		Plants *it.MapField[PlantKey, Plant] `infinitree:"plants"`
	}
	if m := message(it.OpenSchema(tr, "nursery", 2, &fewer)); m != "schema 'nursery': the stored field 'tags' (set<str>) is not declared" {
		t.Fatal(m)
	}
	var more struct {
		Nursery
		Extra *it.ListField[int64] `infinitree:"extra"`
	}
	if m := message(it.OpenSchema(tr, "nursery", 2, &more)); !strings.Contains(m, "Nursery") {
		t.Fatal(m) // an embedded struct is not a field handle
	}
	var more2 struct {
		Plants *it.MapField[PlantKey, Plant]      `infinitree:"plants"`
		Tags   *it.SetField[string]               `infinitree:"tags"`
		Log    *it.ListField[string]              `infinitree:"log"`
		Config *it.ValueField[map[string]float64] `infinitree:"config"`
		Extra  *it.ListField[int64]               `infinitree:"extra"`
	}
	if m := message(it.OpenSchema(tr, "nursery", 2, &more2)); m != "schema 'nursery': field 'extra' (list<int>) is not in the stored schema" {
		t.Fatal(m)
	}
	// A field of another kind in a tree without a record; nothing gets recorded.
	tr2 := memTree(t)
	must(t, mustMap(t, tr2, "tags").Put([]byte("k"), []byte("v")))
	var n Nursery
	if m := message(it.OpenSchema(tr2, "nursery", 2, &n)); m != "schema 'nursery': field 'tags' is a map in the tree, declared as set<str>" {
		t.Fatal(m)
	}
	if _, ok, err := it.StoredSchema(tr2); err != nil || ok {
		t.Fatalf("a failed declaration recorded itself (%v)", err)
	}
	// A checkout without a record.
	_, err := tr2.Commit("no schema")
	must(t, err)
	v, err := tr2.Checkout("")
	must(t, err)
	defer v.Close()
	isErr(t, it.OpenSchema(v, "nursery", 2, &n), it.ErrNotFound)
	// Types a schema cannot hold.
	var bad struct {
		M *it.MapField[[]int, Plant] `infinitree:"m"`
	}
	isErr(t, it.OpenSchema(memTree(t), "x", 1, &bad), it.ErrInvalid)
	var nameless struct {
		V *it.ValueField[PlantKey] `infinitree:"v"` // a struct value needs SchemaName
	}
	isErr(t, it.OpenSchema(memTree(t), "x", 1, &nameless), it.ErrInvalid)
}

func TestSchemaWrongShapes(t *testing.T) {
	tr := memTree(t)
	n := openNursery(t, tr)
	isErr(t, n.Plants.Put(PlantKey{"fern", 1}, Plant{Height: math.NaN()}), it.ErrInvalid)
	isErr(t, n.Plants.Put(PlantKey{"fern", 1}, Plant{Name: "\xff"}), it.ErrInvalid)
	if ln, _ := n.Plants.Len(); ln != 0 {
		t.Fatalf("a refused value was stored")
	}
	raw := n.Plants.Map()
	key := unhex(hexKeyFern3)
	check := func(stored, want string) {
		t.Helper()
		must(t, raw.Put(key, unhex(stored)))
		_, _, err := n.Plants.Get(PlantKey{"fern", 3})
		isErr(t, err, it.ErrInvalid)
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("%q lacks %q", err.Error(), want)
		}
		for _, err := range n.Plants.All() {
			isErr(t, err, it.ErrInvalid)
		}
	}
	check("92a46665726e01", "expected Plant/1, an array of 7 fields, found an array")
	check(strings.Replace(hexFernValue, "fd", "a178", 1), ".Leaves: expected int64, found a string")
	check("c40178", "not a value of")
	// An integer that does not fit the Go field.
	tr2 := memTree(t)
	var small struct {
		V *it.ValueField[int8] `infinitree:"small"`
	}
	must(t, it.OpenSchema(tr2, "s", 1, &small))
	v, err := tr2.Value("small")
	must(t, err)
	defer v.Close()
	must(t, v.Set([]byte{0xcd, 0x01, 0x2c})) // 300
	_, _, err = small.V.Get()
	isErr(t, err, it.ErrInvalid)
	if !strings.Contains(err.Error(), "fits int8") {
		t.Fatal(err)
	}
}
