package infinitree_test

import (
	"crypto/rand"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

// commits makes n commits, each adding a key, and returns them oldest first.
func commits(t *testing.T, tr *it.Tree, n int) []*it.Commit {
	t.Helper()
	m := mustMap(t, tr, "m")
	var out []*it.Commit
	for i := 0; i < n; i++ {
		must(t, m.Put([]byte(fmt.Sprintf("k%d", i)), []byte(fmt.Sprintf("v%d", i))))
		c, err := tr.Commit(fmt.Sprintf("c%d", i))
		must(t, err)
		out = append(out, c)
	}
	return out
}

func ids(cs []it.Commit) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func sameIDs(t *testing.T, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ids %v, want %v", got, want)
	}
}

func TestForgetNamedAndLogAcrossTheGap(t *testing.T) {
	tr := memTree(t)
	c := commits(t, tr, 5)
	must(t, tr.CreateTag("first", c[0].ID))
	_, err := tr.Forget([]string{c[4].ID}, false)
	isErr(t, err, it.ErrInvalid) // the branch head
	_, err = tr.Forget([]string{"first"}, false)
	isErr(t, err, it.ErrInvalid) // tagged
	_, err = tr.Forget([]string{"a\x00b"}, false)
	isErr(t, err, it.ErrInvalid)

	dry, err := tr.Forget([]string{c[1].ID, c[2].ID}, true)
	must(t, err)
	sameIDs(t, ids(dry.Forgotten), c[2].ID, c[1].ID)
	log, err := tr.Log(it.LogAll())
	must(t, err)
	if len(log) != 5 {
		t.Fatalf("a dry run forgot: %d commits left", len(log))
	}

	r, err := tr.Forget([]string{c[1].ID, c[2].ID[:8]}, false)
	must(t, err)
	sameIDs(t, ids(r.Forgotten), c[2].ID, c[1].ID)
	sameIDs(t, ids(r.Kept), c[4].ID, c[3].ID, c[0].ID)
	log, err = tr.Log(it.LogAll())
	must(t, err)
	sameIDs(t, ids(log), c[4].ID, c[3].ID, c[0].ID)
	sameIDs(t, log[1].ForgottenParents, c[2].ID)
	sameIDs(t, log[1].Parents, c[2].ID) // the kept commit is unchanged
	if log[0].ForgottenParents != nil {
		t.Fatalf("head has forgotten parents %v", log[0].ForgottenParents)
	}
	info, err := tr.CommitInfo(c[3].ID)
	must(t, err)
	sameIDs(t, info.ForgottenParents, c[2].ID)
	d, err := tr.Diff("m", c[0].ID, c[3].ID)
	must(t, err)
	if len(d) != 3 {
		t.Fatalf("diff across the gap: %d changes", len(d))
	}

	_, err = tr.CommitInfo(c[1].ID)
	isErr(t, err, it.ErrNotFound)
	_, err = tr.Checkout(c[2].ID)
	isErr(t, err, it.ErrNotFound)
	_, err = tr.Forget([]string{c[1].ID}, false)
	isErr(t, err, it.ErrNotFound)
	none, err := tr.Forget(nil, false)
	must(t, err)
	if len(none.Forgotten) != 0 || len(none.Kept) != 3 {
		t.Fatalf("forgetting nothing: %+v", none)
	}
}

func TestForgetPolicy(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	c := commits(t, tr, 10)
	must(t, tr.CreateBranch("side", c[2].ID))
	must(t, tr.CreateTag("t", c[4].ID))
	_, err = tr.ForgetPolicy(it.RetentionPolicy{}, false)
	isErr(t, err, it.ErrInvalid) // no rule
	_, err = tr.ForgetPolicy(it.RetentionPolicy{KeepWithin: -time.Second}, false)
	isErr(t, err, it.ErrInvalid)
	// All ten share an hour, day, week, month and year and lie within an hour.
	rich, err := tr.ForgetPolicy(it.RetentionPolicy{KeepHourly: 1, KeepDaily: 1, KeepWeekly: 1,
		KeepMonthly: 1, KeepYearly: 1, KeepWithin: time.Hour}, true)
	must(t, err)
	if len(rich.Forgotten) != 0 || len(rich.Kept) != 10 {
		t.Fatalf("rich policy: %d forgotten", len(rich.Forgotten))
	}
	daily, err := tr.ForgetPolicy(it.RetentionPolicy{KeepDaily: 1}, true)
	must(t, err)
	if len(daily.Forgotten) != 7 { // all but the head, the side branch head and the tag
		t.Fatalf("keep daily 1: %d forgotten", len(daily.Forgotten))
	}
	r, err := tr.ForgetPolicy(it.RetentionPolicy{KeepLast: 2}, false)
	must(t, err)
	sameIDs(t, ids(r.Kept), c[9].ID, c[8].ID, c[4].ID, c[2].ID)
	if len(r.Forgotten) != 6 {
		t.Fatalf("%d forgotten", len(r.Forgotten))
	}
	tr.Close()

	ro, err := it.Open(dir, "u", "p", it.InsecureFastKDF(), it.ReadOnly())
	must(t, err)
	defer ro.Close()
	log, err := ro.Log(it.LogAll())
	must(t, err)
	sameIDs(t, ids(log), c[9].ID, c[8].ID, c[4].ID, c[2].ID) // durable; side's head is on main's line
	plan, err := ro.ForgetPolicy(it.RetentionPolicy{KeepLast: 1}, true)
	must(t, err)
	sameIDs(t, ids(plan.Forgotten), c[8].ID)
	_, err = ro.ForgetPolicy(it.RetentionPolicy{KeepLast: 1}, false)
	isErr(t, err, it.ErrReadOnly)
	_, err = ro.Prune(it.PruneOptions{})
	isErr(t, err, it.ErrReadOnly)
}

// objects counts the object files of a directory store (one folder per leading id byte).
func objects(t *testing.T, store string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(store, "??", "*"))
	must(t, err)
	return len(files)
}

func TestPruneReclaimsObjects(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	m := mustMap(t, tr, "m")
	last := make([]byte, 6<<20)
	for i := 0; i < 3; i++ { // incompressible, replaced by every commit
		rand.Read(last)
		must(t, m.Put([]byte("big"), last))
		_, err := tr.Commit(fmt.Sprint("c", i))
		must(t, err)
	}
	_, err = tr.ForgetPolicy(it.RetentionPolicy{KeepLast: 1}, false)
	must(t, err)

	plan, err := tr.Space(it.PruneOptions{})
	must(t, err)
	if plan.ObjectBytes != plan.Objects*(4<<20) || plan.LiveBytes < 6<<20 || plan.LiveBytes >= 12<<20 ||
		plan.GarbageBytes != plan.ObjectBytes-plan.LiveBytes || plan.ObjectsToDelete == 0 ||
		plan.ObjectsDeleted != 0 {
		t.Fatalf("space report %+v", plan)
	}
	before := objects(t, dir)
	dry, err := tr.Prune(it.PruneOptions{Grace: -1, DryRun: true})
	must(t, err)
	if objects(t, dir) != before || dry.ObjectsToDelete != plan.ObjectsToDelete || dry.ObjectsDeleted != 0 {
		t.Fatalf("a dry run changed something: %+v", dry)
	}
	done, err := tr.Prune(it.PruneOptions{Grace: -1, TempGrace: -1, RepackBelow: 0.5})
	must(t, err)
	after := objects(t, dir)
	if done.ObjectsDeleted < plan.ObjectsToDelete || done.ObjectsDeferred != 0 ||
		after < before-int(done.ObjectsDeleted) || after >= before { // repacking may write a few
		t.Fatalf("prune %+v: %d objects before, %d after", done, before, after)
	}
	again, err := tr.Space(it.PruneOptions{})
	must(t, err)
	if again.ObjectsToDelete != 0 || again.ObjectsPending != 0 {
		t.Fatalf("left to reclaim: %+v", again)
	}
	got, err := m.Get([]byte("big"))
	must(t, err)
	eq(t, got, last)
}

func TestPruneGraceAndErrors(t *testing.T) {
	tr := memTree(t)
	c := commits(t, tr, 2)
	m := mustMap(t, tr, "m")
	must(t, m.Put([]byte("dirty"), []byte("x")))
	_, err := tr.Prune(it.PruneOptions{})
	isErr(t, err, it.ErrConflict)
	must(t, tr.Rollback())
	for _, bad := range []it.PruneOptions{{RepackBelow: 1.5}, {RepackBelow: math.NaN()}} {
		_, err = tr.Prune(bad)
		isErr(t, err, it.ErrInvalid)
		_, err = tr.Space(bad)
		isErr(t, err, it.ErrInvalid)
	}
	_, err = tr.Forget([]string{c[0].ID}, false)
	must(t, err)
	r, err := tr.Prune(it.PruneOptions{}) // the default grace: due deletions wait
	must(t, err)
	if r.ObjectsDeleted != 0 {
		t.Fatalf("deleted at once: %+v", r)
	}
	s, err := tr.Space(it.PruneOptions{})
	must(t, err)
	if s.ObjectsPending != r.ObjectsDeferred {
		t.Fatalf("pending %d, deferred %d", s.ObjectsPending, r.ObjectsDeferred)
	}
	must(t, tr.Close())
	_, err = tr.Space(it.PruneOptions{})
	isErr(t, err, it.ErrClosed)
	_, err = tr.Forget(nil, true)
	isErr(t, err, it.ErrClosed)
}
