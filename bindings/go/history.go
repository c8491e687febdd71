package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"time"
)

// Commit describes one commit. It is a plain Go value (copied out of the library).
type Commit struct {
	ID       string   // 32 hex digits
	Parents  []string // first parent first; empty for a first (or orphan) commit
	Time     time.Time
	Sequence uint64 // 1 for a first commit
	Branch   string
	Message  string
	Custom   []byte // the custom bytes given to Commit (empty if none)
	// ForgottenParents are the parents that were forgotten (Tree.Forget); they stay in
	// Parents, and Log walks past them to their kept ancestors.
	ForgottenParents []string
}

// commitFromC copies a commit and frees the C handle.
func commitFromC(c *C.it_commit) (Commit, error) {
	defer C.it_commit_free(c)
	var out Commit
	var err error
	text := func(get func(c *C.it_commit, b *C.it_buf) C.int) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = callString(func(b *C.it_buf) C.int { return get(c, b) })
		return s
	}
	out.ID = text(func(c *C.it_commit, b *C.it_buf) C.int { return C.it_commit_id(c, b) })
	out.Branch = text(func(c *C.it_commit, b *C.it_buf) C.int { return C.it_commit_branch(c, b) })
	out.Message = text(func(c *C.it_commit, b *C.it_buf) C.int { return C.it_commit_message(c, b) })
	out.Custom = []byte(text(func(c *C.it_commit, b *C.it_buf) C.int { return C.it_commit_custom(c, b) }))
	if err != nil {
		return out, err
	}
	var ms C.int64_t
	if _, err := call(func() C.int { return C.it_commit_time_ms(c, &ms) }); err != nil {
		return out, err
	}
	out.Time = time.UnixMilli(int64(ms))
	if out.Sequence, err = callU64(func(n *C.uint64_t) C.int { return C.it_commit_sequence(c, n) }); err != nil {
		return out, err
	}
	parents, err := callU64(func(n *C.uint64_t) C.int { return C.it_commit_parent_count(c, n) })
	for i := uint64(0); err == nil && i < parents; i++ {
		var p string
		p, err = callString(func(b *C.it_buf) C.int { return C.it_commit_parent(c, C.uint64_t(i), b) })
		out.Parents = append(out.Parents, p)
	}
	if err != nil {
		return out, err
	}
	forgotten, err := callU64(func(n *C.uint64_t) C.int { return C.it_commit_forgotten_parent_count(c, n) })
	for i := uint64(0); err == nil && i < forgotten; i++ {
		var p string
		p, err = callString(func(b *C.it_buf) C.int { return C.it_commit_forgotten_parent(c, C.uint64_t(i), b) })
		out.ForgottenParents = append(out.ForgottenParents, p)
	}
	return out, err
}

// CommitOption changes what Commit records.
type CommitOption func(*commitConfig)

type commitConfig struct {
	force   bool
	orphan  bool
	parents []string
	custom  []byte
}

// Force commits even if nothing changed.
func Force() CommitOption { return func(c *commitConfig) { c.force = true } }

// Orphan makes a commit without a first parent (a disjoint line of history).
func Orphan() CommitOption { return func(c *commitConfig) { c.orphan = true } }

// MergeParent adds a merge parent (a commit id, or any ref Resolve accepts).
func MergeParent(ref string) CommitOption {
	return func(c *commitConfig) { c.parents = append(c.parents, ref) }
}

// Custom stores b with the commit as given (see Commit.Custom).
func Custom(b []byte) CommitOption { return func(c *commitConfig) { c.custom = b } }

// Commit commits every field's changes on the current branch and returns the new commit,
// or nil (and no error) if nothing changed and Force was not given. Durable on return.
func (t *Tree) Commit(message string, opts ...CommitOption) (*Commit, error) {
	var cfg commitConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var made *Commit
	err := t.use(func(h *C.it_tree) error {
		var co *C.it_commit_options
		if cfg.force || cfg.orphan || len(cfg.parents) > 0 {
			if _, err := call(func() C.int { return C.it_commit_options_new(&co) }); err != nil {
				return err
			}
			defer C.it_commit_options_free(co)
			if cfg.force {
				if _, err := call(func() C.int { return C.it_commit_options_set_force(co, 1) }); err != nil {
					return err
				}
			}
			if cfg.orphan {
				if _, err := call(func() C.int { return C.it_commit_options_set_orphan(co, 1) }); err != nil {
					return err
				}
			}
			for _, p := range cfg.parents {
				cp, err := cstr(p)
				if err != nil {
					return err
				}
				_, err = call(func() C.int { return C.it_commit_options_add_parent(co, cp) })
				freeCstr(cp)
				if err != nil {
					return err
				}
			}
		}
		m, err := cstr(message)
		if err != nil {
			return err
		}
		defer freeCstr(m)
		var c *C.it_commit
		if _, err := call(func() C.int {
			return C.it_tree_commit(h, m, bytesPtr(cfg.custom), C.size_t(len(cfg.custom)), co, &c)
		}); err != nil {
			return err
		}
		if c != nil {
			info, err := commitFromC(c)
			if err != nil {
				return err
			}
			made = &info
		}
		return nil
	})
	return made, err
}

// LogFilter selects the commits Log lists. The zero value lists every commit.
type LogFilter struct {
	kind     C.it_log_filter
	from, to string
}

// LogAll lists every commit of the current branch, newest first, following first parents.
func LogAll() LogFilter { return LogFilter{kind: C.IT_LOG_ALL} }

// LogSingle lists only commit ref (an id or a unique prefix of 4+ digits).
func LogSingle(ref string) LogFilter { return LogFilter{kind: C.IT_LOG_SINGLE, from: ref} }

// LogUpTo lists commit ref and everything before it.
func LogUpTo(ref string) LogFilter { return LogFilter{kind: C.IT_LOG_UP_TO, from: ref} }

// LogRange lists the commits from newest back to oldest (an ancestor), both included.
func LogRange(oldest, newest string) LogFilter {
	return LogFilter{kind: C.IT_LOG_RANGE, from: oldest, to: newest}
}

// Log lists commits, newest first.
func (t *Tree) Log(filter LogFilter) ([]Commit, error) {
	var out []Commit
	if filter.kind == 0 { // the zero LogFilter lists everything (C kinds start at 1)
		filter.kind = C.IT_LOG_ALL
	}
	err := t.use(func(h *C.it_tree) error {
		from, err := optCstr(filter.from)
		if err != nil {
			return err
		}
		defer freeCstr(from)
		to, err := optCstr(filter.to)
		if err != nil {
			return err
		}
		defer freeCstr(to)
		var l *C.it_log
		if _, err := call(func() C.int { return C.it_tree_log(h, filter.kind, from, to, &l) }); err != nil {
			return err
		}
		out, err = takeLog(l)
		return err
	})
	return out, err
}

// takeLog copies the commits of a log and frees it.
func takeLog(l *C.it_log) ([]Commit, error) {
	defer C.it_log_free(l)
	n, err := callU64(func(n *C.uint64_t) C.int { return C.it_log_count(l, n) })
	if err != nil {
		return nil, err
	}
	out := make([]Commit, 0, n)
	for i := uint64(0); i < n; i++ {
		var c *C.it_commit
		if _, err := call(func() C.int { return C.it_log_get(l, C.uint64_t(i), &c) }); err != nil {
			return nil, err
		}
		info, err := commitFromC(c)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// withRef runs f with ref as a C string (NULL for "" when optional is set).
func (t *Tree) withRef(ref string, optional bool, f func(h *C.it_tree, r *C.char) C.int) error {
	return t.use(func(h *C.it_tree) error {
		var r *C.char
		var err error
		if optional {
			r, err = optCstr(ref)
		} else {
			r, err = cstr(ref)
		}
		if err != nil {
			return err
		}
		defer freeCstr(r)
		_, err = call(func() C.int { return f(h, r) })
		return err
	})
}

// CommitInfo is the commit ref resolves to (an id, unique prefix, branch or tag).
func (t *Tree) CommitInfo(ref string) (*Commit, error) {
	var c *C.it_commit
	if err := t.withRef(ref, false, func(h *C.it_tree, r *C.char) C.int {
		return C.it_tree_get_commit(h, r, &c)
	}); err != nil {
		return nil, err
	}
	info, err := commitFromC(c)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// Head is the commit the current branch points to; ErrNotFound if it has none yet.
func (t *Tree) Head() (*Commit, error) {
	var c *C.it_commit
	err := t.use(func(h *C.it_tree) error {
		// A NULL ref is the head (rule 4 of the header).
		_, err := call(func() C.int { return C.it_tree_get_commit(h, nil, &c) })
		return err
	})
	if err != nil {
		return nil, err
	}
	info, err := commitFromC(c)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// Resolve is the full commit id of a branch, tag, id or unique id prefix.
func (t *Tree) Resolve(ref string) (string, error) {
	var b C.it_buf
	if err := t.withRef(ref, false, func(h *C.it_tree, r *C.char) C.int {
		return C.it_tree_resolve(h, r, &b)
	}); err != nil {
		return "", err
	}
	return string(takeBuf(&b)), nil
}

// Checkout is a read-only view of commit ref (an id, prefix, branch or tag).
func (t *Tree) Checkout(ref string) (*View, error) {
	var v *C.it_view
	if err := t.withRef(ref, false, func(h *C.it_tree, r *C.char) C.int {
		return C.it_tree_checkout(h, r, &v)
	}); err != nil {
		return nil, err
	}
	return newView(v), nil
}

// DiffEntry is one changed key. Old is nil if the key was added, New is nil if it was
// removed (an empty but present value is a non-nil empty slice).
type DiffEntry struct {
	Key, Old, New []byte
}

// Added reports whether the key is new in the second commit.
func (d DiffEntry) Added() bool { return d.Old == nil }

// Removed reports whether the key is gone in the second commit.
func (d DiffEntry) Removed() bool { return d.New == nil }

// Diff lists the changes of map or set field from commit a to commit b, in key order.
func (t *Tree) Diff(field, a, b string) ([]DiffEntry, error) {
	var out []DiffEntry
	err := t.use(func(h *C.it_tree) error {
		f, err := cstr(field)
		if err != nil {
			return err
		}
		defer freeCstr(f)
		ca, err := cstr(a)
		if err != nil {
			return err
		}
		defer freeCstr(ca)
		cb, err := cstr(b)
		if err != nil {
			return err
		}
		defer freeCstr(cb)
		var d *C.it_diff
		if _, err := call(func() C.int { return C.it_tree_diff(h, f, ca, cb, &d) }); err != nil {
			return err
		}
		defer C.it_diff_free(d)
		n, err := callU64(func(n *C.uint64_t) C.int { return C.it_diff_count(d, n) })
		if err != nil {
			return err
		}
		out = make([]DiffEntry, 0, n)
		for i := uint64(0); i < n; i++ {
			var k, o, nw C.it_buf
			var hasOld, hasNew C.int
			if _, err := call(func() C.int {
				return C.it_diff_get(d, C.uint64_t(i), &k, &hasOld, &o, &hasNew, &nw)
			}); err != nil {
				return err
			}
			e := DiffEntry{Key: takeBuf(&k), Old: takeBuf(&o), New: takeBuf(&nw)}
			if hasOld == 0 {
				e.Old = nil
			}
			if hasNew == 0 {
				e.New = nil
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Ref is a branch or tag and the commit it points to ("" for a branch without commits).
type Ref struct {
	Name   string
	Target string
}

func refsFromC(n *C.it_names) ([]Ref, error) {
	defer C.it_names_free(n)
	count, err := callU64(func(out *C.uint64_t) C.int { return C.it_names_count(n, out) })
	if err != nil {
		return nil, err
	}
	out := make([]Ref, 0, count)
	for i := uint64(0); i < count; i++ {
		name, err := callString(func(b *C.it_buf) C.int { return C.it_names_name(n, C.uint64_t(i), b) })
		if err != nil {
			return nil, err
		}
		r := Ref{Name: name}
		// IT_ENOTFOUND: a branch without commits, Target stays "".
		var tgt C.it_buf
		if rc := C.it_names_target(n, C.uint64_t(i), &tgt); rc == C.IT_OK {
			r.Target = string(takeBuf(&tgt))
		} else if rc != C.IT_ENOTFOUND {
			return nil, &Error{Code: Code(rc), Message: "reading a name list"}
		}
		out = append(out, r)
	}
	return out, nil
}

func fieldsFromC(n *C.it_names) ([]FieldInfo, error) {
	defer C.it_names_free(n)
	count, err := callU64(func(out *C.uint64_t) C.int { return C.it_names_count(n, out) })
	if err != nil {
		return nil, err
	}
	out := make([]FieldInfo, 0, count)
	for i := uint64(0); i < count; i++ {
		name, err := callString(func(b *C.it_buf) C.int { return C.it_names_name(n, C.uint64_t(i), b) })
		if err != nil {
			return nil, err
		}
		var t C.it_field_type
		if _, err := call(func() C.int { return C.it_names_type(n, C.uint64_t(i), &t) }); err != nil {
			return nil, err
		}
		out = append(out, FieldInfo{Name: name, Type: FieldType(t)})
	}
	return out, nil
}

// CurrentBranch is the name of the branch commits go to.
func (t *Tree) CurrentBranch() (string, error) {
	var b C.it_buf
	err := t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_tree_current_branch(h, &b) })
		return err
	})
	if err != nil {
		return "", err
	}
	return string(takeBuf(&b)), nil
}

// CreateBranch creates branch name at commit ref ("" = the head).
func (t *Tree) CreateBranch(name, at string) error {
	return t.twoNames(name, at, func(h *C.it_tree, n, a *C.char) C.int {
		return C.it_tree_create_branch(h, n, a)
	})
}

// SwitchBranch makes name the current branch. ErrConflict with uncommitted changes.
func (t *Tree) SwitchBranch(name string) error {
	return t.withRef(name, false, func(h *C.it_tree, n *C.char) C.int {
		return C.it_tree_switch_branch(h, n)
	})
}

// DeleteBranch deletes branch name.
func (t *Tree) DeleteBranch(name string) error {
	return t.withRef(name, false, func(h *C.it_tree, n *C.char) C.int {
		return C.it_tree_delete_branch(h, n)
	})
}

// Branches lists the branches.
func (t *Tree) Branches() ([]Ref, error) {
	return t.refs(func(h *C.it_tree, n **C.it_names) C.int { return C.it_tree_branches(h, n) })
}

// CreateTag creates tag name at commit ref ("" = the head). Tags do not move.
func (t *Tree) CreateTag(name, at string) error {
	return t.twoNames(name, at, func(h *C.it_tree, n, a *C.char) C.int {
		return C.it_tree_create_tag(h, n, a)
	})
}

// DeleteTag deletes tag name.
func (t *Tree) DeleteTag(name string) error {
	return t.withRef(name, false, func(h *C.it_tree, n *C.char) C.int {
		return C.it_tree_delete_tag(h, n)
	})
}

// Tags lists the tags.
func (t *Tree) Tags() ([]Ref, error) {
	return t.refs(func(h *C.it_tree, n **C.it_names) C.int { return C.it_tree_tags(h, n) })
}

func (t *Tree) refs(list func(h *C.it_tree, n **C.it_names) C.int) ([]Ref, error) {
	var out []Ref
	err := t.use(func(h *C.it_tree) error {
		var n *C.it_names
		if _, err := call(func() C.int { return list(h, &n) }); err != nil {
			return err
		}
		var err error
		out, err = refsFromC(n)
		return err
	})
	return out, err
}

func (t *Tree) twoNames(name, at string, f func(h *C.it_tree, n, a *C.char) C.int) error {
	return t.use(func(h *C.it_tree) error {
		n, err := cstr(name)
		if err != nil {
			return err
		}
		defer freeCstr(n)
		a, err := optCstr(at)
		if err != nil {
			return err
		}
		defer freeCstr(a)
		_, err = call(func() C.int { return f(h, n, a) })
		return err
	})
}
