package infinitree_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	it "github.com/libinfinitree/infinitree-go"
)

// A whole tree lifecycle on an S3-compatible server, when one is given through
// INFINITREE_S3_ENDPOINT (bindings/go/test.sh starts moto if it is installed; the bucket is
// created with an unsigned request, which moto accepts).
func TestS3Lifecycle(t *testing.T) {
	endpoint := os.Getenv("INFINITREE_S3_ENDPOINT")
	if endpoint == "" {
		t.Skip("INFINITREE_S3_ENDPOINT not set")
	}
	bucket := fmt.Sprintf("go-binding-%d", time.Now().UnixNano())
	req, err := http.NewRequest(http.MethodPut, endpoint+"/"+bucket, nil)
	must(t, err)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("creating bucket: %s", resp.Status)
	}
	region := os.Getenv("INFINITREE_S3_REGION")
	if region == "" {
		region = "us-east-1"
	}
	settings := map[string]string{
		"url":               "s3://" + bucket + "/tree",
		"endpoint":          endpoint,
		"region":            region,
		"addressing":        "path",
		"access_key_id":     "testing",
		"secret_access_key": "testing",
		"max_attempts":      "2",
	}
	b, err := it.S3Backend(settings)
	must(t, err)
	if b.String() == "" {
		t.Fatal("no description")
	}
	tr, err := it.CreateIn(b, "u", "p", it.InsecureFastKDF())
	must(t, err)
	b.Close()
	m := mustMap(t, tr, "m")
	for i := 0; i < 100; i++ {
		must(t, m.Put(it.KeyInt(int64(i)), []byte(fmt.Sprint("v", i))))
	}
	c1, err := tr.Commit("one")
	must(t, err)
	must(t, m.Put(it.KeyInt(0), []byte("changed")))
	_, err = tr.Commit("two")
	must(t, err)
	must(t, tr.Close())

	// Reopen through a local cache in front of the bucket.
	remote, err := it.S3Backend(settings)
	must(t, err)
	defer remote.Close()
	cache, err := it.CacheBackend(remote, t.TempDir(), 32<<20)
	must(t, err)
	defer cache.Close()
	tr, err = it.OpenIn(cache, "u", "p", it.InsecureFastKDF())
	must(t, err)
	defer tr.Close()
	m2 := mustMap(t, tr, "m")
	if get(t, m2, string(it.KeyInt(0))) != "changed" || get(t, m2, string(it.KeyInt(99))) != "v99" {
		t.Fatal("content after reopening")
	}
	log, err := tr.Log(it.LogAll())
	must(t, err)
	if len(log) != 2 || log[1].ID != c1.ID {
		t.Fatalf("log %v", log)
	}
	_, err = it.OpenIn(remote, "u", "wrong", it.InsecureFastKDF())
	isErr(t, err, it.ErrWrongCredentials)
}
