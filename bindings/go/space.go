package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"time"
	"unsafe"
)

// Reclaiming space (docs/space.md): Forget drops commits from the history, Prune deletes and
// repacks the objects no kept commit needs.

// ForgetReport is what a forget did (with dryRun: would do); commits newest first.
type ForgetReport struct {
	Forgotten []Commit
	Kept      []Commit
}

// RetentionPolicy says which commits ForgetPolicy keeps: a commit is kept if any rule keeps
// it, and branch heads and tagged commits always are. The zero policy has no rule, which
// ForgetPolicy refuses (ErrInvalid). Time buckets are UTC.
type RetentionPolicy struct {
	KeepLast    uint32 // the N newest commits
	KeepHourly  uint32 // the newest commit of each of the N newest hours holding one
	KeepDaily   uint32 // ... days
	KeepWeekly  uint32 // ... ISO weeks (Monday first)
	KeepMonthly uint32 // ... months
	KeepYearly  uint32 // ... years
	// Every commit at most this much older than the newest commit (millisecond precision;
	// negative is ErrInvalid).
	KeepWithin time.Duration
}

// PruneOptions tune Prune and Space. The zero value is the library's defaults; a negative
// value asks for zero where zero already means "the default".
type PruneOptions struct {
	// Objects whose live bytes are under this fraction (at most 1) of their capacity are
	// repacked. 0: the default (0.5); negative: repack nothing.
	RepackBelow float64
	// How long deletions wait, so readers of an older state (other processes, caches) can
	// finish reading. 0: the default (15 minutes); negative: delete at once.
	Grace time.Duration
	// Orphaned temporary files (of killed writers) older than this are removed. 0: the
	// default (1 hour); negative: every one found.
	TempGrace time.Duration
	// Report what would be done, change nothing (Prune only).
	DryRun bool
}

// SpaceReport is what Space finds and Prune did. Byte figures are stored (compressed,
// sealed) bytes; an object takes 4 MiB in the store whatever it holds.
type SpaceReport struct {
	Objects         uint64 // this tree's objects in the store (the root object aside)
	ObjectBytes     uint64 // Objects * 4 MiB
	LiveChunks      uint64 // chunks some kept commit (or the refs and history) needs
	LiveBytes       uint64
	GarbageBytes    uint64 // ObjectBytes - LiveBytes (padding included)
	ObjectsToDelete uint64 // hold no live chunk
	ObjectsToRepack uint64 // live fraction under RepackBelow
	ObjectsPending  uint64 // already scheduled for deletion by an earlier prune
	// Filled in by Prune (zero from Space and in a dry run):
	ObjectsDeleted   uint64 // deleted by this call (their grace period is over)
	ObjectsDeferred  uint64 // scheduled for deletion after the grace period
	ChunksMoved      uint64 // live chunks copied out of repacked objects
	BytesMoved       uint64
	TempFilesRemoved uint64
}

// Forget drops the commits refs name (ids, unique prefixes, branches or tags) from the
// history; their data goes at the next Prune. A branch head or a tagged commit cannot be
// forgotten (ErrInvalid; then nothing is), a ref that resolves to nothing (a forgotten
// commit included) is ErrNotFound, a read-only tree ErrReadOnly unless dryRun.
func (t *Tree) Forget(refs []string, dryRun bool) (ForgetReport, error) {
	var r ForgetReport
	err := t.use(func(h *C.it_tree) error {
		// The array holds C strings only, so it may live in Go memory (cgo pointer rules).
		names := make([]*C.char, len(refs))
		defer func() {
			for _, p := range names {
				freeCstr(p)
			}
		}()
		for i, ref := range refs {
			p, err := cstr(ref)
			if err != nil {
				return err
			}
			names[i] = p
		}
		var first **C.char
		if len(names) > 0 {
			first = &names[0]
		}
		var err error
		r, err = takeForget(func(gone, kept **C.it_log) C.int {
			return C.it_tree_forget(h, first, C.uint64_t(len(names)), cBool(dryRun), gone, kept)
		})
		return err
	})
	return r, err
}

// ForgetPolicy forgets every commit p does not keep; dryRun and errors as Forget, and a
// policy without a rule is ErrInvalid.
func (t *Tree) ForgetPolicy(p RetentionPolicy, dryRun bool) (ForgetReport, error) {
	var r ForgetReport
	err := t.use(func(h *C.it_tree) error {
		var cp *C.it_retention_policy
		if _, err := call(func() C.int { return C.it_retention_policy_new(&cp) }); err != nil {
			return err
		}
		defer C.it_retention_policy_free(cp)
		ms := C.int64_t(p.KeepWithin.Milliseconds())
		for _, set := range []func() C.int{
			func() C.int { return C.it_retention_policy_set_keep_last(cp, C.uint64_t(p.KeepLast)) },
			func() C.int { return C.it_retention_policy_set_keep_hourly(cp, C.uint64_t(p.KeepHourly)) },
			func() C.int { return C.it_retention_policy_set_keep_daily(cp, C.uint64_t(p.KeepDaily)) },
			func() C.int { return C.it_retention_policy_set_keep_weekly(cp, C.uint64_t(p.KeepWeekly)) },
			func() C.int { return C.it_retention_policy_set_keep_monthly(cp, C.uint64_t(p.KeepMonthly)) },
			func() C.int { return C.it_retention_policy_set_keep_yearly(cp, C.uint64_t(p.KeepYearly)) },
			func() C.int { return C.it_retention_policy_set_keep_within_ms(cp, ms) },
		} {
			if _, err := call(set); err != nil {
				return err
			}
		}
		var err error
		r, err = takeForget(func(gone, kept **C.it_log) C.int {
			return C.it_tree_forget_by_policy(h, cp, cBool(dryRun), gone, kept)
		})
		return err
	})
	return r, err
}

// Prune deletes the objects no kept commit needs and repacks sparse ones, and reports what
// it found and did. Safe against a crash at any point. ErrConflict with uncommitted
// changes, ErrReadOnly for a read-only tree.
func (t *Tree) Prune(o PruneOptions) (SpaceReport, error) {
	return t.space(o, true)
}

// Space reports what Prune with these options would do now (DryRun is ignored); it reads
// every node of every kept commit.
func (t *Tree) Space(o PruneOptions) (SpaceReport, error) {
	return t.space(o, false)
}

func (t *Tree) space(o PruneOptions, prune bool) (SpaceReport, error) {
	var out SpaceReport
	err := t.use(func(h *C.it_tree) error {
		co, err := pruneOptions(o)
		if err != nil {
			return err
		}
		defer C.it_prune_options_free(co)
		// C memory: the library writes the report, Go copies it out.
		rep := (*C.it_space_report)(C.calloc(1, C.size_t(unsafe.Sizeof(C.it_space_report{}))))
		if rep == nil {
			return &Error{Code: CodeNoMemory, Message: "out of memory"}
		}
		defer C.free(unsafe.Pointer(rep))
		rep.version = C.IT_SPACE_REPORT_VERSION
		if _, err := call(func() C.int {
			if prune {
				return C.it_tree_prune(h, co, rep)
			}
			return C.it_tree_space(h, co, rep)
		}); err != nil {
			return err
		}
		out = SpaceReport{
			uint64(rep.objects), uint64(rep.object_bytes), uint64(rep.live_chunks),
			uint64(rep.live_bytes), uint64(rep.garbage_bytes), uint64(rep.objects_to_delete),
			uint64(rep.objects_to_repack), uint64(rep.objects_pending), uint64(rep.objects_deleted),
			uint64(rep.objects_deferred), uint64(rep.chunks_moved), uint64(rep.bytes_moved),
			uint64(rep.temp_files_removed),
		}
		return nil
	})
	return out, err
}

// pruneOptions is the C form of o, to free with it_prune_options_free.
func pruneOptions(o PruneOptions) (*C.it_prune_options, error) {
	var co *C.it_prune_options
	if _, err := call(func() C.int { return C.it_prune_options_new(&co) }); err != nil {
		return nil, err
	}
	set := func(f func() C.int) error {
		_, err := call(f)
		return err
	}
	err := func() error {
		if o.RepackBelow != 0 {
			fraction := C.double(max(o.RepackBelow, 0))
			if err := set(func() C.int { return C.it_prune_options_set_repack_below(co, fraction) }); err != nil {
				return err
			}
		}
		if o.Grace != 0 {
			ms := C.int64_t(max(o.Grace.Milliseconds(), 0))
			if err := set(func() C.int { return C.it_prune_options_set_grace_ms(co, ms) }); err != nil {
				return err
			}
		}
		if o.TempGrace != 0 {
			ms := C.int64_t(max(o.TempGrace.Milliseconds(), 0))
			if err := set(func() C.int { return C.it_prune_options_set_temp_grace_ms(co, ms) }); err != nil {
				return err
			}
		}
		return set(func() C.int { return C.it_prune_options_set_dry_run(co, cBool(o.DryRun)) })
	}()
	if err != nil {
		C.it_prune_options_free(co)
		return nil, err
	}
	return co, nil
}

// takeForget runs a forget call with both lists requested and copies (and frees) them.
func takeForget(f func(gone, kept **C.it_log) C.int) (ForgetReport, error) {
	var gone, kept *C.it_log
	if _, err := call(func() C.int { return f(&gone, &kept) }); err != nil {
		return ForgetReport{}, err
	}
	forgotten, errGone := takeLog(gone)
	stayed, errKept := takeLog(kept) // taken even if the first failed, so it is freed
	if errGone != nil {
		return ForgetReport{}, errGone
	}
	return ForgetReport{Forgotten: forgotten, Kept: stayed}, errKept
}
