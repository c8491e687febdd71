package main

import (
	"fmt"
	"math"
	"reflect"

	it "github.com/libinfinitree/infinitree-go"
)

// The Go step of the typed-schema chain (tests/cross/run.sh): opens the tree C++ wrote and
// Python extended through the Go declaration of the same schema, checks both, and adds its
// own plant, tag, log line and config key for C++ to check.

type plant struct {
	Name   string
	Height float64
	Leaves int64
	Tags   []string
	Sown   *int64
	Notes  map[string]float64
	OK     bool
}

func (plant) SchemaName() string { return "Plant/1" }

type plantKey struct {
	Name string
	N    int64
}

type nursery struct {
	Plants *it.MapField[plantKey, plant]      `infinitree:"plants"`
	Tags   *it.SetField[string]               `infinitree:"tags"`
	Log    *it.ListField[string]              `infinitree:"log"`
	Config *it.ValueField[map[string]float64] `infinitree:"config"`
}

func ptr(v int64) *int64 { return &v }

func schemaStep(dir string) {
	t, err := it.Open(dir, user, password, it.InsecureFastKDF())
	must(err, "open")
	defer t.Close()
	var n nursery
	must(it.OpenSchema(t, "nursery", 2, &n), "open the schema")
	check("the C++ plant", func() (bool, error) {
		p, ok, err := n.Plants.Get(plantKey{"fern", 3})
		want := plant{"fern", 0.5, -3, []string{"shade", "wet"}, nil, map[string]float64{"a": 1, "b": 2.5}, true}
		return ok && reflect.DeepEqual(p, want), err
	})
	check("the Python plant", func() (bool, error) {
		p, ok, err := n.Plants.Get(plantKey{"moss", 7})
		want := plant{"moss", 1, 9007199254740993, []string{}, ptr(5), map[string]float64{"x": 0.125}, false}
		return ok && reflect.DeepEqual(p, want), err
	})
	check("tags and log of C++ and Python", func() (bool, error) {
		var tags []string
		for k, err := range n.Tags.All() {
			if err != nil {
				return false, err
			}
			tags = append(tags, k)
		}
		l1, err := n.Log.Get(1)
		return fmt.Sprint(tags) == "[green py]" && l1 == "py", err
	})
	must(n.Plants.Put(plantKey{"ivy", -1}, plant{"ivy", -0.75, math.MinInt64, []string{"go"}, ptr(1), map[string]float64{}, true}), "put")
	_, err = n.Tags.Insert("go")
	must(err, "tag")
	_, err = n.Log.Push("go")
	must(err, "log")
	cfg, _, err := n.Config.Get()
	must(err, "config")
	cfg["go"] = 0.5
	must(n.Config.Set(cfg), "config")
	_, err = t.Commit("go")
	must(err, "commit")
}
