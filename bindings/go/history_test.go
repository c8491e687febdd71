package infinitree_test

import (
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

func TestCommitLogCheckoutDiff(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	_, err := tr.Head()
	isErr(t, err, it.ErrNotFound)

	must(t, m.Put([]byte("a"), []byte("1")))
	must(t, m.Put([]byte("b"), []byte("2")))
	changed, err := tr.HasChanges()
	must(t, err)
	if !changed {
		t.Fatal("HasChanges")
	}
	before := time.Now().Add(-time.Minute)
	c1, err := tr.Commit("one", it.Custom([]byte{0, 1, 2}))
	must(t, err)
	if c1.Branch != "main" || string(c1.Custom) != "\x00\x01\x02" || c1.Time.Before(before) {
		t.Fatalf("commit %+v", c1)
	}
	// Nothing changed: no commit, unless forced.
	none, err := tr.Commit("nothing")
	must(t, err)
	if none != nil {
		t.Fatal("empty commit made")
	}
	must(t, m.Put([]byte("a"), []byte("10")))
	_, err = m.Delete([]byte("b"))
	must(t, err)
	must(t, m.Put([]byte("c"), []byte{}))
	c2, err := tr.Commit("two")
	must(t, err)
	c3, err := tr.Commit("three (forced)", it.Force())
	must(t, err)
	if c3 == nil || c3.Parents[0] != c2.ID || c2.Parents[0] != c1.ID || c3.Sequence != 3 {
		t.Fatalf("chain %+v %+v", c2, c3)
	}

	log, err := tr.Log(it.LogAll())
	must(t, err)
	if len(log) != 3 || log[0].ID != c3.ID || log[2].ID != c1.ID || log[1].Message != "two" {
		t.Fatalf("log %+v", log)
	}
	var zero it.LogFilter
	all, _ := tr.Log(zero)
	if len(all) != 3 {
		t.Fatal("zero filter is not all")
	}
	single, err := tr.Log(it.LogSingle(c2.ID[:8]))
	must(t, err)
	if len(single) != 1 || single[0].ID != c2.ID {
		t.Fatalf("single %+v", single)
	}
	upto, _ := tr.Log(it.LogUpTo(c2.ID))
	if len(upto) != 2 || upto[0].ID != c2.ID {
		t.Fatalf("up to %+v", upto)
	}
	rng, _ := tr.Log(it.LogRange(c1.ID, c2.ID))
	if len(rng) != 2 || rng[0].ID != c2.ID || rng[1].ID != c1.ID {
		t.Fatalf("range %+v", rng)
	}
	_, err = tr.Log(it.LogSingle("ffffffffffff"))
	isErr(t, err, it.ErrNotFound)

	head, err := tr.Head()
	must(t, err)
	info, err := tr.CommitInfo(c1.ID[:6])
	must(t, err)
	id, err := tr.Resolve("main")
	must(t, err)
	if head.ID != c3.ID || info.ID != c1.ID || id != c3.ID {
		t.Fatal("head / info / resolve")
	}

	// A checkout shows its commit, read-only.
	v, err := tr.Checkout(c1.ID)
	must(t, err)
	defer v.Close()
	vm, err := v.Map("m")
	must(t, err)
	defer vm.Close()
	if get(t, vm, "a") != "1" || get(t, vm, "b") != "2" {
		t.Fatal("checkout content")
	}
	isErr(t, vm.Put([]byte("x"), nil), it.ErrReadOnly)
	vc, err := v.Commit()
	must(t, err)
	if vc.ID != c1.ID {
		t.Fatal("view commit")
	}
	_, err = v.Map("absent")
	isErr(t, err, it.ErrNotFound)
	has, _ := v.HasField("m")
	fs, _ := v.Fields()
	if !has || len(fs) != 1 || fs[0].Name != "m" {
		t.Fatalf("view fields %v", fs)
	}
	_, err = tr.Checkout("nope")
	isErr(t, err, it.ErrNotFound)

	d, err := tr.Diff("m", c1.ID, c2.ID)
	must(t, err)
	if len(d) != 3 {
		t.Fatalf("diff %+v", d)
	}
	// a changed, b removed, c added (with an empty value, which is not "absent").
	if string(d[0].Key) != "a" || string(d[0].Old) != "1" || string(d[0].New) != "10" || d[0].Added() || d[0].Removed() {
		t.Fatalf("diff a %+v", d[0])
	}
	if string(d[1].Key) != "b" || !d[1].Removed() || string(d[1].Old) != "2" {
		t.Fatalf("diff b %+v", d[1])
	}
	if string(d[2].Key) != "c" || !d[2].Added() || d[2].New == nil || len(d[2].New) != 0 {
		t.Fatalf("diff c %+v", d[2])
	}

	// Rollback drops uncommitted changes.
	must(t, m.Put([]byte("z"), []byte("z")))
	must(t, tr.Rollback())
	ok, _ := m.Contains([]byte("z"))
	changed, _ = tr.HasChanges()
	if ok || changed {
		t.Fatal("rollback")
	}
}

func TestMergeAndOrphan(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("a"), []byte("1")))
	c1, err := tr.Commit("one")
	must(t, err)
	must(t, m.Put([]byte("a"), []byte("2")))
	c2, err := tr.Commit("two")
	must(t, err)
	c3, err := tr.Commit("merge", it.Force(), it.MergeParent(c1.ID))
	must(t, err)
	if len(c3.Parents) != 2 || c3.Parents[0] != c2.ID || c3.Parents[1] != c1.ID {
		t.Fatalf("merge parents %v", c3.Parents)
	}
	c4, err := tr.Commit("orphan", it.Force(), it.Orphan())
	must(t, err)
	if len(c4.Parents) != 0 {
		t.Fatalf("orphan parents %v", c4.Parents)
	}
	_, err = tr.Commit("bad", it.Force(), it.MergeParent("nope"))
	isErr(t, err, it.ErrNotFound)
}

func TestBranchesAndTags(t *testing.T) {
	tr := memTree(t)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("k"), []byte("main")))
	c1, err := tr.Commit("on main")
	must(t, err)
	cur, err := tr.CurrentBranch()
	must(t, err)
	if cur != "main" {
		t.Fatal(cur)
	}
	must(t, tr.CreateBranch("dev", ""))
	isErr(t, tr.CreateBranch("dev", ""), it.ErrExists)
	must(t, tr.CreateTag("v1", c1.ID))
	must(t, tr.SwitchBranch("dev"))
	must(t, m.Put([]byte("k"), []byte("dev")))
	// Uncommitted changes block switching.
	isErr(t, tr.SwitchBranch("main"), it.ErrConflict)
	c2, err := tr.Commit("on dev")
	must(t, err)
	if c2.Branch != "dev" {
		t.Fatal("branch of commit")
	}
	must(t, tr.SwitchBranch("main"))
	if get(t, m, "k") != "main" {
		t.Fatal("switching did not change the working tree")
	}
	brs, err := tr.Branches()
	must(t, err)
	targets := map[string]string{}
	for _, b := range brs {
		targets[b.Name] = b.Target
	}
	if targets["main"] != c1.ID || targets["dev"] != c2.ID {
		t.Fatalf("branches %v", brs)
	}
	tags, err := tr.Tags()
	must(t, err)
	if len(tags) != 1 || tags[0].Name != "v1" || tags[0].Target != c1.ID {
		t.Fatalf("tags %v", tags)
	}
	id, _ := tr.Resolve("v1")
	if id != c1.ID {
		t.Fatal("resolve tag")
	}
	must(t, tr.DeleteTag("v1"))
	isErr(t, tr.DeleteTag("v1"), it.ErrNotFound)
	must(t, tr.DeleteBranch("dev"))
	isErr(t, tr.SwitchBranch("dev"), it.ErrNotFound)
}
