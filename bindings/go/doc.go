// Package infinitree is the Go binding of libinfinitree, a versioned, embedded, encrypted
// database, over its C ABI (include/infinitree.h) with cgo.
//
// A tree holds named fields (maps, sets, lists and values), changes them in memory and
// commits them as versions that stay readable (Log, Checkout, Diff). Everything is stored
// encrypted in fixed-size objects in a directory, memory, or an S3-compatible bucket.
//
//	t, err := infinitree.Create(dir, "alice", "secret")
//	m, err := t.Map("users")
//	err = m.Put(infinitree.KeyInt(42), []byte("Ada"))
//	c, err := t.Commit("first users")
//
// Linking: the package links -linfinitree. Point cgo at a build or an install with
// CGO_CFLAGS/CGO_LDFLAGS or pkg-config; see docs/go.md.
//
// Errors are *Error values with a stable Code; test them with errors.Is against the
// sentinels (ErrNotFound, ErrLocked, ...). Every handle has an idempotent Close and a
// finalizer as a safety net. No Go pointer is kept by C: byte slices are lent to the
// library for the duration of one call only.
package infinitree
