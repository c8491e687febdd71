package infinitree

// #include <stdlib.h>
// #include <infinitree.h>
import "C"

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"unsafe"
)

// Streams are byte strings of any size (files), stored as deduplicated content-defined
// chunks and named by a small ref (under 1 KiB) that you store as a map value:
//
//	w, _ := tree.NewStreamWriter()
//	io.Copy(w, file)
//	ref, _ := w.Finish()
//	files.Put([]byte("a.bin"), ref)
//	tree.Commit("add a.bin")
//	r, _ := tree.OpenStream(ref)   // an io.Reader, io.Seeker and io.ReaderAt
//
// A stream written and finished is durable with the next commit.

// StreamStats are figures of one stream writer.
type StreamStats struct {
	BytesIn     uint64 // stream bytes written
	BytesNew    uint64 // bytes of chunks actually stored (the rest was deduplicated)
	BytesStored uint64 // after compression and sealing
	Chunks      uint64
	ChunksNew   uint64
}

// StreamWriter writes one new stream; it is an io.Writer. Calls are serialized.
// Close without Finish abandons the stream.
type StreamWriter struct {
	mu sync.Mutex
	h  *C.it_stream_writer
}

// NewStreamWriter starts a stream in the tree (ErrReadOnly for a read-only tree).
func (t *Tree) NewStreamWriter() (*StreamWriter, error) {
	var w *C.it_stream_writer
	err := t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_stream_writer_new(h, &w) })
		return err
	})
	if err != nil {
		return nil, err
	}
	sw := &StreamWriter{h: w}
	runtime.SetFinalizer(sw, (*StreamWriter).Close)
	return sw, nil
}

// Write appends p (io.Writer).
func (w *StreamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.h == nil {
		return 0, errHandleClosed("stream writer")
	}
	if _, err := call(func() C.int { return C.it_stream_write(w.h, bytesPtr(p), C.size_t(len(p))) }); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Finish stores what is left and returns the stream's ref, to store as a map value.
// Afterwards only Stats works; Write answers ErrClosed.
func (w *StreamWriter) Finish() ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.h == nil {
		return nil, errHandleClosed("stream writer")
	}
	var b C.it_buf
	if _, err := call(func() C.int { return C.it_stream_writer_finish(w.h, &b) }); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Stats returns the writer's figures so far.
func (w *StreamWriter) Stats() (StreamStats, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.h == nil {
		return StreamStats{}, errHandleClosed("stream writer")
	}
	s := (*C.it_stream_stats)(C.calloc(1, C.size_t(unsafe.Sizeof(C.it_stream_stats{}))))
	defer C.free(unsafe.Pointer(s))
	s.version = C.IT_STREAM_STATS_VERSION
	if _, err := call(func() C.int { return C.it_stream_writer_stats(w.h, s) }); err != nil {
		return StreamStats{}, err
	}
	return StreamStats{uint64(s.bytes_in), uint64(s.bytes_new), uint64(s.bytes_stored),
		uint64(s.chunks), uint64(s.chunks_new)}, nil
}

// Close frees the writer (abandoning the stream if Finish was not called). Idempotent.
func (w *StreamWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.h != nil {
		C.it_stream_writer_free(w.h)
		w.h = nil
		runtime.SetFinalizer(w, nil)
	}
	return nil
}

// StreamReader reads one stored stream: an io.Reader, io.Seeker and io.ReaderAt.
// ReadAt may be called from many goroutines at once; Read and Seek are serialized.
type StreamReader struct {
	mu sync.RWMutex
	h  *C.it_stream_reader
}

// OpenStream opens the stream whose ref is given (a map value of the working tree or of any
// commit). ErrCorrupt if the bytes are not a stream ref.
func (t *Tree) OpenStream(ref []byte) (*StreamReader, error) {
	var r *C.it_stream_reader
	err := t.use(func(h *C.it_tree) error {
		_, err := call(func() C.int { return C.it_stream_reader_new(h, bytesPtr(ref), C.size_t(len(ref)), &r) })
		return err
	})
	if err != nil {
		return nil, err
	}
	return newStreamReader(r), nil
}

// OpenStream opens a stream through a checkout.
func (v *View) OpenStream(ref []byte) (*StreamReader, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.h == nil {
		return nil, errHandleClosed("view")
	}
	var r *C.it_stream_reader
	if _, err := call(func() C.int {
		return C.it_stream_reader_new_from_view(v.h, bytesPtr(ref), C.size_t(len(ref)), &r)
	}); err != nil {
		return nil, err
	}
	return newStreamReader(r), nil
}

func newStreamReader(h *C.it_stream_reader) *StreamReader {
	r := &StreamReader{h: h}
	runtime.SetFinalizer(r, (*StreamReader).Close)
	return r
}

// IsStreamRef reports whether value is a stream ref (as returned by Finish).
func IsStreamRef(value []byte) bool {
	var yes C.int
	return C.it_stream_is_ref(bytesPtr(value), C.size_t(len(value)), &yes) == C.IT_OK && yes == 1
}

// Size is the stream's length in bytes.
func (r *StreamReader) Size() (int64, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.h == nil {
		return 0, errHandleClosed("stream reader")
	}
	var n C.uint64_t
	_, err := call(func() C.int { return C.it_stream_reader_size(r.h, &n) })
	return int64(n), err
}

// Read reads from the current position (io.Reader; io.EOF at the end).
func (r *StreamReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h == nil {
		return 0, errHandleClosed("stream reader")
	}
	if len(p) == 0 {
		return 0, nil
	}
	var got C.size_t
	if _, err := call(func() C.int {
		return C.it_stream_read(r.h, unsafe.Pointer(&p[0]), C.size_t(len(p)), &got)
	}); err != nil {
		return 0, err
	}
	if got == 0 {
		return 0, io.EOF
	}
	return int(got), nil
}

// Seek moves the position (io.Seeker). Past the end is an error.
func (r *StreamReader) Seek(offset int64, whence int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h == nil {
		return 0, errHandleClosed("stream reader")
	}
	var base C.uint64_t
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		if _, err := call(func() C.int { return C.it_stream_reader_tell(r.h, &base) }); err != nil {
			return 0, err
		}
	case io.SeekEnd:
		if _, err := call(func() C.int { return C.it_stream_reader_size(r.h, &base) }); err != nil {
			return 0, err
		}
	default:
		return 0, &Error{Code: CodeInvalid, Message: "invalid whence"}
	}
	pos := int64(base) + offset
	if pos < 0 {
		return 0, &Error{Code: CodeInvalid, Message: "negative position"}
	}
	if _, err := call(func() C.int { return C.it_stream_reader_seek(r.h, C.uint64_t(pos)) }); err != nil {
		return 0, err
	}
	return pos, nil
}

// ReadAt reads len(p) bytes at off without moving the position (io.ReaderAt: fewer bytes
// only at the end, with io.EOF). Safe for concurrent use.
func (r *StreamReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.h == nil {
		return 0, errHandleClosed("stream reader")
	}
	if off < 0 {
		return 0, &Error{Code: CodeInvalid, Message: "negative offset"}
	}
	n := 0
	for n < len(p) {
		var got C.size_t
		if _, err := call(func() C.int {
			return C.it_stream_read_at(r.h, C.uint64_t(off+int64(n)), unsafe.Pointer(&p[n]), C.size_t(len(p)-n), &got)
		}); err != nil {
			return n, err
		}
		if got == 0 {
			return n, io.EOF
		}
		n += int(got)
	}
	return n, nil
}

// WriteTo copies the rest of the stream to w (io.WriterTo, used by io.Copy).
func (r *StreamReader) WriteTo(w io.Writer) (int64, error) {
	buf := make([]byte, 1<<20)
	var total int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
		}
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Close frees the reader. Idempotent.
func (r *StreamReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h != nil {
		C.it_stream_reader_free(r.h)
		r.h = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

var (
	_ io.Writer   = (*StreamWriter)(nil)
	_ io.Reader   = (*StreamReader)(nil)
	_ io.Seeker   = (*StreamReader)(nil)
	_ io.ReaderAt = (*StreamReader)(nil)
	_ io.WriterTo = (*StreamReader)(nil)
)
