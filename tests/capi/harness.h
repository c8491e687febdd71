/* A minimal test harness for the C ABI suites (plain C99, no dependencies besides the
 * library): CHECK macros that record failures and keep going, a runner that prints one
 * line per test and a final "N passed, M failed", and scratch folders.
 * Include this header first in every test file: it sets the POSIX feature macros. */
#ifndef IT_TEST_HARNESS_H
#define IT_TEST_HARNESS_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "infinitree.h"

typedef struct h_test {
  const char* name;
  void (*fn)(void);
} h_test;

/* Record a failed check of the running test (prints where and why). */
void h_fail(const char* file, int line, const char* expr);
void h_fail_rc(const char* file, int line, const char* expr, int got, int want);

#define CHECK(cond)                                   \
  do {                                                \
    if (!(cond)) h_fail(__FILE__, __LINE__, #cond);   \
  } while (0)

/* The expression must return exactly `want`. */
#define CHECK_RC(expr, want)                                           \
  do {                                                                 \
    int h_rc_ = (expr);                                                \
    if (h_rc_ != (want)) h_fail_rc(__FILE__, __LINE__, #expr, h_rc_, (want)); \
  } while (0)
#define CHECK_OK(expr) CHECK_RC(expr, IT_OK)

/* A buffer equals a C string / bytes. */
#define CHECK_BUF(buf, str) CHECK((buf).size == strlen(str) && memcmp((buf).data, (str), (buf).size) == 0)

/* One-line checks over the ABI's out-parameter style: the call is written with the matching
 * h_* variable as its out-parameter and the macro yields the answer, or on a failing status
 * the status itself (H_YES, H_FIELD_TYPE, H_KEY_TYPE), NULL (H_STR) or UINT64_MAX / INT64_MIN
 * (H_U64, H_I64). Example: CHECK_RC(H_YES(it_map_contains(m, "k", 1, &h_flag)), 1).
 * They use globals: not for the threads suite. */
extern int h_flag, h_rc;
extern uint64_t h_u64;
extern int64_t h_i64;
extern it_buf h_buf;
extern it_field_type h_ftype;
extern it_key_type h_ktype;
#define H_YES(call) (h_flag = -1, h_rc = (call), h_rc == IT_OK ? h_flag : h_rc)
#define H_FIELD_TYPE(call) (h_rc = (call), h_rc == IT_OK ? (int)h_ftype : h_rc)
#define H_KEY_TYPE(call) (h_rc = (call), h_rc == IT_OK ? (int)h_ktype : h_rc)
#define H_U64(call) (h_rc = (call), h_rc == IT_OK ? h_u64 : UINT64_MAX)
#define H_I64(call) (h_rc = (call), h_rc == IT_OK ? h_i64 : INT64_MIN)
/* The string of a call that fills h_buf, kept until the 16th next H_STR; NULL on failure. */
#define H_STR(call) h_keep((h_buf.data = NULL, h_buf.size = 0, (call)))
const char* h_keep(int rc);

/* Runs every test; returns the process exit status (0 if all passed). */
int h_run(const h_test* tests, size_t count);

/* A fresh empty folder, removed by h_run after the test (up to 16 per test). */
const char* h_scratch(void);
/* Removes a folder and everything in it. */
void h_rmtree(const char* path);

/* Options with the insecure fast KDF (tests only). Freed by the caller. */
it_options* h_fast_options(void);
/* A new tree on a fresh memory backend, user "u" password "p", fast KDF. */
it_tree* h_memory_tree(void);

#endif
