package infinitree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// test.sh builds the package with cgo flags from the infinitree.pc of an installed prefix
// and names that prefix's library folder in INFINITREE_GO_EXPECT_LIBDIR: the library mapped
// into this process must be the one there, not one of a build tree or of the system.
func TestLinkedFromPkgConfigPrefix(t *testing.T) {
	want := os.Getenv("INFINITREE_GO_EXPECT_LIBDIR")
	if want == "" {
		t.Skip("INFINITREE_GO_EXPECT_LIBDIR not set: run through bindings/go/test.sh")
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	var loaded []string
	for _, line := range strings.Split(string(maps), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 6 && strings.HasPrefix(filepath.Base(fields[5]), "libinfinitree.so") {
			loaded = append(loaded, fields[5])
		}
	}
	if len(loaded) == 0 {
		t.Fatal("libinfinitree.so is not mapped into the test binary")
	}
	for _, path := range loaded {
		if filepath.Dir(path) != want {
			t.Fatalf("loaded %s, want the library in %s", path, want)
		}
	}
	if Version() != HeaderVersion {
		t.Fatalf("library %s, header %s", Version(), HeaderVersion)
	}
}
