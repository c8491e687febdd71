package infinitree

// #include <infinitree.h>
import "C"

// Option changes how Create, Open, CreateIn, OpenIn and ChangePassword work.
type Option func(*openConfig)

type openConfig struct {
	kdf         *[3]uint32
	fastKDF     bool
	readOnly    bool
	compression *Compression
	nodeCache   *uint64
	nodeBytes   *uint64
	warmStart   *uint64
}

// Compression of stored chunks.
type Compression int

const (
	CompressionNone Compression = C.IT_COMPRESSION_NONE
	CompressionLZ4  Compression = C.IT_COMPRESSION_LZ4
	CompressionZstd Compression = C.IT_COMPRESSION_ZSTD
)

// KDF sets the Argon2id costs (defaults 65536 KiB, 3 iterations, 4 lanes). A tree opens
// only with the costs it was created (or last re-keyed) with: other costs give other keys
// and ErrWrongCredentials.
func KDF(memoryKiB, iterations, parallelism uint32) Option {
	return func(c *openConfig) { c.kdf = &[3]uint32{memoryKiB, iterations, parallelism} }
}

// InsecureFastKDF uses trivially brute-forced Argon2id costs: for tests and examples only.
func InsecureFastKDF() Option { return func(c *openConfig) { c.fastKDF = true } }

// ReadOnly opens without the writer lock; writes and commits fail with ErrReadOnly.
func ReadOnly() Option { return func(c *openConfig) { c.readOnly = true } }

// WithCompression picks the compression of chunks written by this handle.
func WithCompression(m Compression) Option { return func(c *openConfig) { c.compression = &m } }

// NodeCacheBytes bounds the decoded B-tree nodes kept in memory (default 256 MiB).
func NodeCacheBytes(n uint64) Option { return func(c *openConfig) { c.nodeCache = &n } }

// NodeBytes sets the B-tree node size in bytes (0: the library's default).
func NodeBytes(n uint64) Option { return func(c *openConfig) { c.nodeBytes = &n } }

// WarmStartNodes sets how many inner B-tree nodes of the head commit a background thread reads
// ahead after Open (0: none). Unset: 1024 on S3, directly or behind a cache; 0 on local stores.
func WarmStartNodes(n uint64) Option { return func(c *openConfig) { c.warmStart = &n } }

// kdfCosts are the Argon2id costs opts name (the header's defaults without KDF or
// InsecureFastKDF), for ChangePassword, which takes them as numbers.
func kdfCosts(opts []Option) [3]uint32 {
	var cfg openConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	switch { // as in cOptions, InsecureFastKDF wins over KDF
	case cfg.fastKDF:
		return [3]uint32{64, 1, 1} // it_options_set_insecure_fast_kdf's costs
	case cfg.kdf != nil:
		return *cfg.kdf
	}
	return [3]uint32{C.IT_KDF_DEFAULT_MEMORY_KIB, C.IT_KDF_DEFAULT_ITERATIONS, C.IT_KDF_DEFAULT_PARALLELISM}
}

// openIn runs open with the C form of opts while holding b's read lock, so that b cannot be
// closed under it: the prologue of every function that opens something in a backend. A closed
// backend is ErrClosed; open's error is returned as it is.
func openIn(b *Backend, opts []Option, open func(o *C.it_options) error) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.h == nil {
		return errHandleClosed("backend")
	}
	o, err := cOptions(opts)
	if err != nil {
		return err
	}
	defer C.it_options_free(o)
	return open(o)
}

// cOptions builds the C options for opts; nil (the library's defaults) when opts is empty.
// The caller frees the result with C.it_options_free.
func cOptions(opts []Option) (*C.it_options, error) {
	if len(opts) == 0 {
		return nil, nil
	}
	var cfg openConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var o *C.it_options
	if _, err := call(func() C.int { return C.it_options_new(&o) }); err != nil {
		return nil, err
	}
	steps := []func() C.int{}
	if cfg.kdf != nil {
		k := cfg.kdf
		steps = append(steps, func() C.int {
			return C.it_options_set_kdf(o, C.uint32_t(k[0]), C.uint32_t(k[1]), C.uint32_t(k[2]))
		})
	}
	if cfg.fastKDF {
		steps = append(steps, func() C.int { return C.it_options_set_insecure_fast_kdf(o) })
	}
	if cfg.readOnly {
		steps = append(steps, func() C.int { return C.it_options_set_read_only(o, 1) })
	}
	if cfg.compression != nil {
		m := *cfg.compression
		steps = append(steps, func() C.int { return C.it_options_set_compression(o, C.it_compression(m)) })
	}
	if cfg.nodeCache != nil {
		n := *cfg.nodeCache
		steps = append(steps, func() C.int { return C.it_options_set_node_cache_bytes(o, C.uint64_t(n)) })
	}
	if cfg.nodeBytes != nil {
		n := *cfg.nodeBytes
		steps = append(steps, func() C.int { return C.it_options_set_node_bytes(o, C.uint64_t(n)) })
	}
	if cfg.warmStart != nil {
		n := *cfg.warmStart
		steps = append(steps, func() C.int { return C.it_options_set_warm_start_nodes(o, C.uint64_t(n)) })
	}
	for _, s := range steps {
		if _, err := call(s); err != nil {
			C.it_options_free(o)
			return nil, err
		}
	}
	return o, nil
}
