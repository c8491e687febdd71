package infinitree_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"sync"
	"testing"

	it "github.com/libinfinitree/infinitree-go"
)

func TestStreams(t *testing.T) {
	dir := t.TempDir()
	tr, err := it.Create(dir, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	data := make([]byte, 5<<20+12345)
	rand.New(rand.NewSource(1)).Read(data)

	w, err := tr.NewStreamWriter()
	must(t, err)
	// Uneven writes through io.Copy of a reader that returns odd-sized pieces.
	n, err := io.Copy(w, io.LimitReader(&oddReader{data: data}, int64(len(data))))
	must(t, err)
	if n != int64(len(data)) {
		t.Fatalf("copied %d", n)
	}
	ref, err := w.Finish()
	must(t, err)
	st, err := w.Stats()
	must(t, err)
	if st.BytesIn != uint64(len(data)) || st.Chunks == 0 || st.BytesNew == 0 {
		t.Fatalf("stats %+v", st)
	}
	_, err = w.Write([]byte("late"))
	isErr(t, err, it.ErrClosed)
	must(t, w.Close())
	must(t, w.Close())
	if !it.IsStreamRef(ref) || it.IsStreamRef([]byte("not a ref")) || len(ref) >= 1024 {
		t.Fatalf("ref of %d bytes", len(ref))
	}

	files := mustMap(t, tr, "files")
	must(t, files.Put([]byte("a.bin"), ref))
	c, err := tr.Commit("add a.bin")
	must(t, err)

	r, err := tr.OpenStream(ref)
	must(t, err)
	defer r.Close()
	size, err := r.Size()
	must(t, err)
	if size != int64(len(data)) {
		t.Fatalf("size %d", size)
	}
	var out bytes.Buffer
	_, err = io.Copy(&out, r) // WriteTo
	must(t, err)
	eq(t, out.Bytes(), data)
	nr, err := r.Read(make([]byte, 10))
	if nr != 0 || err != io.EOF {
		t.Fatalf("read at end: %d %v", nr, err)
	}

	// Seek and read.
	pos, err := r.Seek(-100, io.SeekEnd)
	must(t, err)
	if pos != size-100 {
		t.Fatalf("seek end: %d", pos)
	}
	tail, err := io.ReadAll(r)
	must(t, err)
	eq(t, tail, data[len(data)-100:])
	_, err = r.Seek(1000, io.SeekStart)
	must(t, err)
	pos, err = r.Seek(24, io.SeekCurrent)
	must(t, err)
	buf := make([]byte, 50)
	_, err = io.ReadFull(r, buf)
	must(t, err)
	eq(t, buf, data[1024:1074])
	if pos != 1024 {
		t.Fatalf("seek current: %d", pos)
	}
	_, err = r.Seek(size+1, io.SeekStart)
	isErr(t, err, it.ErrInvalid)
	_, err = r.Seek(-1, io.SeekStart)
	isErr(t, err, it.ErrInvalid)

	// ReadAt from many goroutines at once.
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(g)))
			p := make([]byte, 70000)
			for i := 0; i < 20; i++ {
				off := rng.Int63n(size - int64(len(p)))
				if n, err := r.ReadAt(p, off); err != nil || n != len(p) || !bytes.Equal(p, data[off:off+int64(len(p))]) {
					t.Errorf("ReadAt(%d): %d %v", off, n, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	n2, err := r.ReadAt(make([]byte, 200), size-50)
	if n2 != 50 || err != io.EOF {
		t.Fatalf("ReadAt over the end: %d %v", n2, err)
	}

	// The same content again is deduplicated.
	w2, err := tr.NewStreamWriter()
	must(t, err)
	_, err = w2.Write(data)
	must(t, err)
	ref2, err := w2.Finish()
	must(t, err)
	st2, _ := w2.Stats()
	w2.Close()
	if st2.BytesNew != 0 || st2.ChunksNew != 0 {
		t.Fatalf("second copy stored new bytes: %+v", st2)
	}
	r2, err := tr.OpenStream(ref2)
	must(t, err)
	all, err := io.ReadAll(r2)
	must(t, err)
	eq(t, all, data)
	r2.Close()

	// Not a ref.
	_, err = tr.OpenStream([]byte("garbage"))
	isErr(t, err, it.ErrCorrupt)

	// Through a checkout, and from another handle after reopening.
	v, err := tr.Checkout(c.ID)
	must(t, err)
	vr, err := v.OpenStream(ref)
	must(t, err)
	head := make([]byte, 4096)
	_, err = io.ReadFull(vr, head)
	must(t, err)
	eq(t, head, data[:4096])
	vr.Close()
	v.Close()

	// A read-only tree cannot write streams but reads them.
	ro, err := it.Open(dir, "u", "p", it.InsecureFastKDF(), it.ReadOnly())
	must(t, err)
	_, err = ro.NewStreamWriter()
	isErr(t, err, it.ErrReadOnly)
	rr, err := ro.OpenStream(ref)
	must(t, err)
	got := make([]byte, 100)
	_, err = rr.ReadAt(got, 5000)
	must(t, err)
	eq(t, got, data[5000:5100])
	rr.Close()
	ro.Close()

	// After the tree is closed: ErrClosed; after Close of the reader: ErrClosed too.
	must(t, tr.Close())
	_, err = r.Read(buf)
	if !errors.Is(err, it.ErrClosed) {
		t.Fatalf("read after tree close: %v", err)
	}
	must(t, r.Close())
	_, err = r.ReadAt(buf, 0)
	isErr(t, err, it.ErrClosed)
	_, err = tr.NewStreamWriter()
	isErr(t, err, it.ErrClosed)
}

// oddReader returns data in pieces of varying size.
type oddReader struct {
	data []byte
	pos  int
	step int
}

func (o *oddReader) Read(p []byte) (int, error) {
	if o.pos >= len(o.data) {
		return 0, io.EOF
	}
	o.step = (o.step*7 + 13) % 100000
	n := min(len(p), o.step+1, len(o.data)-o.pos)
	copy(p, o.data[o.pos:o.pos+n])
	o.pos += n
	return n, nil
}
