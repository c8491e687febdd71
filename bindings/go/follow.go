package infinitree

// #include <infinitree.h>
import "C"

import "time"

// Refresh moves a read-only tree to the newest commit in the store without reopening (no
// key derivation); field handles stay valid and show the new state. It reports whether the
// head commit changed. An unchanged store costs one small request (a conditional GET with
// the root's ETag on S3). ErrInvalid for a tree opened for writing.
func (t *Tree) Refresh() (bool, error) {
	moved := false
	err := t.use(func(h *C.it_tree) error {
		var err error
		moved, err = callYes(func(out *C.int) C.int { return C.it_tree_refresh(h, out) })
		return err
	})
	return moved, err
}

// Follow refreshes a read-only tree in a background thread of the library: first after
// interval, then backoff times longer after each poll that finds nothing new (or fails), up
// to maxInterval, and interval again after a new root. Durations are whole milliseconds
// (at least 1). Closing the tree stops it.
func (t *Tree) Follow(interval, maxInterval time.Duration, backoff float64) error {
	ms := func(d time.Duration) C.uint32_t {
		if d < time.Millisecond {
			return 0 // rejected below: 0 would mean "stop"
		}
		return C.uint32_t(d / time.Millisecond)
	}
	if ms(interval) == 0 || ms(maxInterval) == 0 {
		return &Error{Code: CodeInvalid, Message: "follow intervals must be at least 1 ms"}
	}
	return t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int {
			return C.it_tree_follow(h, ms(interval), ms(maxInterval), C.double(backoff))
		})
		return err
	})
}

// StopFollowing stops the background refreshes that Follow started (a poll in progress
// finishes first).
func (t *Tree) StopFollowing() error {
	return t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_tree_follow(h, 0, 0, 0) })
		return err
	})
}
