#!/usr/bin/env python3
"""Per-call cost of the Python binding against the same work through the C ABI.

Work (same in both languages): a tree in a memory backend (fast KDF), N puts of 16-byte keys
"k%015d" with 100-byte values in a scrambled order (index i*7919 mod N), one commit, then N
gets in the same order. The C side is a small C99 program embedded below, compiled with cc
against include/infinitree.h and the same libinfinitree.so, and run in the same invocation.

    INFINITREE_LIBRARY=build/libinfinitree.so python3 bench/python_bench.py [--n 1000000]

Prints CPU ns per call (process CPU time, robust on a shared machine) for Python and C, the ratio and the Python overhead per call; plus
Python-only figures for typed (int) keys and for a full scan.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))

import infinitree  # noqa: E402

# CPU time of the process (all its threads), not wall time: this machine is shared, and CPU
# time is what the binding adds. The C side uses CLOCK_PROCESS_CPUTIME_ID likewise.
clock = time.process_time
MULT = 7919  # coprime with 10^k, so i*MULT mod N is a permutation for N = 10^k

C_SOURCE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "infinitree.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
#define CHECK(x) do { int rc_ = (x); if (rc_ < 0) { fprintf(stderr, "%s: %d %s\n", #x, rc_, it_error_message()); return 1; } } while (0)

int main(int argc, char** argv) {
  unsigned long n = strtoul(argv[1], NULL, 10);
  unsigned long mult = strtoul(argv[2], NULL, 10);
  char* keys = malloc(n * 16);
  for (unsigned long i = 0; i < n; i++) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "k%015lu", (i * mult) % n);
    memcpy(keys + i * 16, tmp, 16);
  }
  unsigned char value[100];
  memset(value, 'v', sizeof value);
  it_backend* b; it_options* o; it_tree* t; it_map* m; it_commit* c;
  CHECK(it_backend_new_memory(&b));
  CHECK(it_options_new(&o));
  CHECK(it_options_set_insecure_fast_kdf(o));
  CHECK(it_tree_create(b, "bench", "pw", 2, o, &t));
  CHECK(it_tree_map(t, "m", &m));
  double t0 = now();
  for (unsigned long i = 0; i < n; i++) CHECK(it_map_put(m, keys + i * 16, 16, value, sizeof value));
  double t1 = now();
  CHECK(it_tree_commit(t, "bench", NULL, 0, NULL, &c));
  double t2 = now();
  unsigned long total = 0;
  for (unsigned long i = 0; i < n; i++) {
    it_buf v;
    CHECK(it_map_get(m, keys + i * 16, 16, &v));
    total += v.size;
    it_buf_free(&v);
  }
  double t3 = now();
  if (total != n * sizeof value) { fprintf(stderr, "bad total\n"); return 1; }
  printf("{\"put_ns\": %.1f, \"commit_s\": %.4f, \"get_ns\": %.1f}\n",
         (t1 - t0) * 1e9 / n, t2 - t1, (t3 - t2) * 1e9 / n);
  it_commit_free(c); it_map_free(m); it_tree_free(t); it_options_free(o); it_backend_free(b);
  free(keys);
  return 0;
}
"""


def run_c(n: int) -> dict | None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        print("no C compiler: C figures not measured", file=sys.stderr)
        return None
    lib = Path(infinitree.library_path()).resolve()
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "capi_put_get.c"
        exe = Path(d) / "capi_put_get"
        src.write_text(C_SOURCE)
        subprocess.run(
            [cc, "-std=c99", "-D_POSIX_C_SOURCE=199309L", "-O2", "-I", str(ROOT / "include"), str(src),
             str(lib), f"-Wl,-rpath,{lib.parent}", "-o", str(exe)],
            check=True,
        )
        out = subprocess.run([str(exe), str(n), str(MULT)], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)


def run_python(n: int) -> dict:
    keys = [b"k%015d" % ((i * MULT) % n) for i in range(n)]
    value = b"v" * 100
    t = infinitree.Tree.create_in(infinitree.MemoryBackend(), "bench", "pw", kdf="fast")
    m = t.map("m", keys="bytes")
    gc.disable()
    t0 = clock()
    for k in keys:
        m[k] = value
    t1 = clock()
    t.commit("bench")
    t2 = clock()
    total = 0
    for k in keys:
        total += len(m[k])
    t3 = clock()
    assert total == n * len(value)
    # Python-only extras: typed int keys (one encoding call per access) and a full scan.
    small = max(n // 10, 1)
    mi = t.map("ints")
    t4 = clock()
    for i in range(small):
        mi[(i * MULT) % small] = value
    t5 = clock()
    for i in range(small):
        mi[(i * MULT) % small]
    t6 = clock()
    count = sum(1 for _ in m.items())
    t7 = clock()
    gc.enable()
    assert count == n
    t.close()
    return {
        "put_ns": (t1 - t0) * 1e9 / n,
        "commit_s": t2 - t1,
        "get_ns": (t3 - t2) * 1e9 / n,
        "int_put_ns": (t5 - t4) * 1e9 / small,
        "int_get_ns": (t6 - t5) * 1e9 / small,
        "scan_ns": (t7 - t6) * 1e9 / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.n
    print(f"libinfinitree {infinitree.library_version()} from {infinitree.library_path()}, N={n}")
    c = run_c(n)
    py = run_python(n)
    print(f"{'':18}{'python':>12}{'C ABI':>12}{'ratio':>8}{'overhead':>12}")
    for label, key in (("put (ns/call)", "put_ns"), ("get (ns/call)", "get_ns")):
        if c:
            print(f"{label:18}{py[key]:12.0f}{c[key]:12.0f}{py[key] / c[key]:8.2f}x{py[key] - c[key]:10.0f}ns")
        else:
            print(f"{label:18}{py[key]:12.0f}{'-':>12}")
    if c:
        print(f"{'commit (s)':18}{py['commit_s']:12.3f}{c['commit_s']:12.3f}")
    else:
        print(f"{'commit (s)':18}{py['commit_s']:12.3f}")
    print(f"python only: int-key put {py['int_put_ns']:.0f} ns, int-key get {py['int_get_ns']:.0f} ns "
          f"(N/10 keys, auto mode), full scan {py['scan_ns']:.0f} ns/item")


if __name__ == "__main__":
    main()
