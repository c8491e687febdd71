/* Key slots and raw keys: open and create with a raw key, add / list / delete slots, and
 * the errors of bad input (wrong key, wrong length, removed slot, last slot). */
#include "harness.h"

static const char kKey[IT_RAW_KEY_SIZE] = "0123456789abcdef0123456789abcde";  /* 31 + NUL */

static void test_raw_key_open(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_tree* t2 = NULL;
  it_map* m = NULL;
  char wrong[IT_RAW_KEY_SIZE];
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create_with_key(b, kKey, sizeof kKey, NULL, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "k", 1, "v", 1));
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  it_map_free(m);
  m = NULL;
  CHECK_OK(it_tree_close(t));
  it_tree_free(t);
  t = NULL;

  CHECK_OK(it_tree_open_with_key(b, kKey, sizeof kKey, NULL, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK(H_STR(it_map_get(m, "k", 1, &h_buf)) && strcmp(H_STR(it_map_get(m, "k", 1, &h_buf)), "v") == 0);
  it_map_free(m);
  it_tree_free(t);

  /* A wrong key is the same error as a wrong password; a key of another length is invalid. */
  memcpy(wrong, kKey, sizeof wrong);
  wrong[0] ^= 1;
  CHECK_RC(it_tree_open_with_key(b, wrong, sizeof wrong, NULL, &t2), IT_ECREDENTIALS);
  CHECK_RC(it_tree_open(b, "u", "p", 1, NULL, &t2), IT_ECREDENTIALS);
  CHECK_RC(it_tree_open_with_key(b, kKey, 16, NULL, &t2), IT_EINVAL);
  CHECK(strstr(it_error_message(), "32 bytes") != NULL);
  CHECK_RC(it_tree_open_with_key(b, NULL, 32, NULL, &t2), IT_EINVAL);
  CHECK_RC(it_tree_open_with_key(NULL, kKey, sizeof kKey, NULL, &t2), IT_EINVAL);
  CHECK_RC(it_tree_open_with_key(b, kKey, sizeof kKey, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_create_with_key(b, kKey, sizeof kKey, NULL, &t2), IT_EEXISTS);
  CHECK(t2 == NULL);
  it_backend_free(b);
}

static void test_slots(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_tree* o = NULL;
  it_options* fast = h_fast_options();
  it_key_slots* s = NULL;
  it_key_slot_kind kind = 0;
  int64_t ms = -1;
  it_buf robot_id = {NULL, 0}, bob_id = {NULL, 0};
  char robot[IT_RAW_KEY_SIZE];
  memset(robot, 'r', sizeof robot);
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "owner", "pw", 2, fast, &t));

  /* Before any slot change: the one credential, time 0. */
  CHECK_OK(it_tree_key_slots(t, &s));
  CHECK(H_U64(it_key_slots_count(s, &h_u64)) == 1);
  CHECK_OK(it_key_slots_time(s, 0, &ms));
  CHECK(ms == 0);
  CHECK(H_YES(it_key_slots_is_current(s, 0, &h_flag)) == 1);
  it_key_slots_free(s);
  s = NULL;

  CHECK_OK(it_tree_add_key_slot(t, "robot", robot, sizeof robot, &robot_id));
  CHECK(robot_id.size == 16);
  CHECK_OK(it_tree_add_password_slot(t, "bob", "bob", "bob-pw", 6, 64, 1, 1, &bob_id));
  CHECK_OK(it_tree_add_password_slot(t, "carol", "carol", "c", 1, 64, 1, 1, NULL));  /* out optional */
  CHECK_RC(it_tree_add_key_slot(t, "again", robot, sizeof robot, NULL), IT_EEXISTS);
  CHECK_RC(it_tree_add_key_slot(t, "short", robot, 31, NULL), IT_EINVAL);
  CHECK_RC(it_tree_add_key_slot(t, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", kKey,
                                sizeof kKey, NULL),
           IT_EINVAL);  /* 65-byte label */
  CHECK_RC(it_tree_add_password_slot(t, "bad", "", "x", 1, 64, 1, 1, NULL), IT_EINVAL);
  CHECK_RC(it_tree_add_password_slot(t, "bad", "x", "x", 1, 0, 1, 1, NULL), IT_EINVAL);

  CHECK_OK(it_tree_key_slots(t, &s));
  CHECK(H_U64(it_key_slots_count(s, &h_u64)) == 4);
  CHECK(strcmp(H_STR(it_key_slots_name(s, 1, &h_buf)), "robot") == 0);
  CHECK(strcmp(H_STR(it_key_slots_id(s, 1, &h_buf)), (const char*)robot_id.data) == 0);
  CHECK_OK(it_key_slots_type(s, 1, &kind));
  CHECK(kind == IT_KEY_SLOT_RAW_KEY);
  CHECK_OK(it_key_slots_type(s, 2, &kind));
  CHECK(kind == IT_KEY_SLOT_PASSWORD);
  CHECK_OK(it_key_slots_time(s, 2, &ms));
  CHECK(ms > 1600000000000);
  CHECK(H_YES(it_key_slots_is_current(s, 0, &h_flag)) == 1);
  CHECK(H_YES(it_key_slots_is_current(s, 3, &h_flag)) == 0);
  CHECK_RC(it_key_slots_id(s, 4, &h_buf), IT_ENOTFOUND);
  CHECK_RC(it_key_slots_time(s, 4, &ms), IT_ENOTFOUND);
  CHECK_RC(it_key_slots_count(NULL, &h_u64), IT_EINVAL);
  it_key_slots_free(s);
  it_key_slots_free(NULL);
  s = NULL;
  it_tree_free(t);

  /* Each credential opens; a removed one gets IT_ECREDENTIALS. */
  CHECK_OK(it_tree_open_with_key(b, robot, sizeof robot, NULL, &o));
  CHECK_OK(it_tree_delete_key_slot(o, (const char*)bob_id.data));
  CHECK_RC(it_tree_delete_key_slot(o, (const char*)bob_id.data), IT_ENOTFOUND);
  CHECK_RC(it_tree_delete_key_slot(o, "not-hex"), IT_EINVAL);
  CHECK_RC(it_tree_delete_key_slot(o, NULL), IT_EINVAL);
  it_tree_free(o);
  o = NULL;
  CHECK_RC(it_tree_open(b, "bob", "bob-pw", 6, fast, &o), IT_ECREDENTIALS);
  CHECK_OK(it_tree_open(b, "carol", "c", 1, fast, &o));
  it_tree_free(o);
  o = NULL;
  CHECK_OK(it_tree_open(b, "owner", "pw", 2, fast, &o));
  it_tree_free(o);

  it_buf_free(&robot_id);
  it_buf_free(&bob_id);
  it_options_free(fast);
  it_backend_free(b);
}

static void test_last_slot(void) {
  it_tree* t = h_memory_tree();
  it_key_slots* s = NULL;
  it_buf id = {NULL, 0};
  CHECK_OK(it_tree_key_slots(t, &s));
  CHECK_OK(it_key_slots_id(s, 0, &id));
  CHECK_RC(it_tree_delete_key_slot(t, (const char*)id.data), IT_EINVAL);
  CHECK(strstr(it_error_message(), "last") != NULL);
  it_buf_free(&id);
  it_key_slots_free(s);
  it_tree_free(t);
}

int main(void) {
  static const h_test tests[] = {
      {"raw_key_open", test_raw_key_open},
      {"slots", test_slots},
      {"last_slot", test_last_slot},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
