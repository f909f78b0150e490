/*
 * Leakscope's bulk insert, a SQLite loadable extension (see bulk-insert.ts).
 *
 * Binding a record's values one by one through better-sqlite3 costs a V8 call, a UTF-8
 * conversion and a copy per value: about a fifth of an import's writing time (bench/RESULTS.md,
 * 2026-11-24). This function takes a whole batch of records in three arguments and inserts them
 * with the SQLite C API on the calling connection, inside the caller's transaction:
 *
 *   SELECT leakscope_insert_rows(table, heads, text, nulls)
 *
 *   table  'ds_<n>', a dataset table (anything else is refused: no SQL comes from the caller)
 *   heads  BLOB, 4 float64 per record: ordinal, line (NaN for none), byte offset, value count
 *   text   TEXT, every value of the batch in order, joined by NUL
 *   nulls  BLOB, int32 indexes (ascending) of the values that are NULL, not ''
 *
 * A value holding a NUL itself changes the number of separators: the function then refuses the
 * batch with SQLITE_MISMATCH before writing anything, and the caller inserts it record by
 * record. Returns the number of records inserted.
 *
 * Plain C against sqlite3ext.h, no Node API: one build serves Node and Electron alike.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Statements kept during one call, by value count (records of a table may be shorter). */
#define SLOTS 8
#define MAX_VALUES 2000

typedef struct {
  int n;
  sqlite3_stmt *st;
} Slot;

static int is_dataset_table(const unsigned char *s, int n) {
  if (!s || n < 4 || n > 24 || memcmp(s, "ds_", 3) != 0) return 0;
  for (int i = 3; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int prepare_insert(sqlite3 *db, const char *table, int n, sqlite3_stmt **out) {
  sqlite3_str *s = sqlite3_str_new(db);
  sqlite3_str_appendf(s, "INSERT INTO \"%w\" (ordinal, line, offset", table);
  for (int i = 1; i <= n; i++) sqlite3_str_appendf(s, ", c_%d", i);
  sqlite3_str_appendall(s, ") VALUES (?1, ?2, ?3");
  for (int i = 1; i <= n; i++) sqlite3_str_appendf(s, ", ?%d", i + 3);
  sqlite3_str_appendall(s, ")");
  char *sql = sqlite3_str_finish(s);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, out, 0);
  sqlite3_free(sql);
  return rc;
}

/* Blobs carry no alignment guarantee: read through memcpy. */
static double head_at(const unsigned char *heads, int64_t i) {
  double d;
  memcpy(&d, heads + i * 8, 8);
  return d;
}

static int32_t int_at(const unsigned char *a, int64_t i) {
  int32_t v;
  memcpy(&v, a + i * 4, 4);
  return v;
}

static void finalize_all(Slot *slots, int used) {
  for (int i = 0; i < used; i++) sqlite3_finalize(slots[i].st);
}

static void insert_rows(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  const unsigned char *table = sqlite3_value_text(argv[0]);
  if (!is_dataset_table(table, sqlite3_value_bytes(argv[0]))) {
    sqlite3_result_error(ctx, "leakscope_insert_rows: not a dataset table", -1);
    return;
  }
  const unsigned char *heads = sqlite3_value_blob(argv[1]);
  int headBytes = sqlite3_value_bytes(argv[1]);
  const char *text = (const char *)sqlite3_value_text(argv[2]);
  int textBytes = sqlite3_value_bytes(argv[2]);
  const unsigned char *nulls = sqlite3_value_blob(argv[3]);
  int64_t nullCount = sqlite3_value_bytes(argv[3]) / 4;
  if (headBytes % 32 != 0 || (headBytes > 0 && !heads) || (textBytes > 0 && !text)) {
    sqlite3_result_error(ctx, "leakscope_insert_rows: malformed batch", -1);
    return;
  }
  int64_t rows = headBytes / 32;
  int64_t total = 0;
  for (int64_t r = 0; r < rows; r++) {
    double n = head_at(heads, r * 4 + 3);
    if (!(n >= 0 && n <= MAX_VALUES) || n != floor(n)) {
      sqlite3_result_error(ctx, "leakscope_insert_rows: bad value count", -1);
      return;
    }
    total += (int64_t)n;
  }
  const char *end = text + textBytes;
  int64_t seps = 0;
  for (const char *p = text; p < end;) {
    const char *q = memchr(p, 0, (size_t)(end - p));
    if (!q) break;
    seps++;
    p = q + 1;
  }
  if (total == 0 ? textBytes != 0 : seps != total - 1) {
    sqlite3_result_error(ctx, "leakscope_insert_rows: a value holds a NUL", -1);
    sqlite3_result_error_code(ctx, SQLITE_MISMATCH);
    return;
  }
  for (int64_t i = 0; i < nullCount; i++) {
    int32_t v = int_at(nulls, i);
    if (v < 0 || v >= total || (i > 0 && v <= int_at(nulls, i - 1))) {
      sqlite3_result_error(ctx, "leakscope_insert_rows: bad null index", -1);
      return;
    }
  }

  Slot slots[SLOTS];
  int used = 0;
  int rc = SQLITE_OK;
  int64_t value = 0, nextNullAt = 0;
  int32_t nextNull = nullCount > 0 ? int_at(nulls, 0) : -1;
  const char *p = text;
  int64_t done = 0;
  for (int64_t r = 0; r < rows && rc == SQLITE_OK; r++) {
    int n = (int)head_at(heads, r * 4 + 3);
    sqlite3_stmt *st = 0;
    for (int i = 0; i < used; i++)
      if (slots[i].n == n) st = slots[i].st;
    if (!st) {
      if (used == SLOTS) {
        finalize_all(slots, used);
        used = 0;
      }
      rc = prepare_insert(db, (const char *)table, n, &st);
      if (rc != SQLITE_OK) break;
      slots[used].n = n;
      slots[used].st = st;
      used++;
    }
    double line = head_at(heads, r * 4 + 1);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)head_at(heads, r * 4));
    if (isnan(line))
      sqlite3_bind_null(st, 2);
    else
      sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)head_at(heads, r * 4 + 2));
    for (int j = 0; j < n; j++, value++) {
      const char *q = memchr(p, 0, (size_t)(end - p));
      if (!q) q = end;
      if (value == nextNull) {
        sqlite3_bind_null(st, j + 4);
        nextNullAt++;
        nextNull = nextNullAt < nullCount ? int_at(nulls, nextNullAt) : -1;
      } else {
        /* The text argument outlives this call's statements: no copy. */
        sqlite3_bind_text(st, j + 4, p, (int)(q - p), SQLITE_STATIC);
      }
      p = q + 1;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_reset(st);
    if (rc == SQLITE_OK) done++;
  }
  if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("leakscope_insert_rows: %s", sqlite3_errmsg(db));
    finalize_all(slots, used);
    sqlite3_result_error(ctx, msg ? msg : "leakscope_insert_rows: failed", -1);
    sqlite3_result_error_code(ctx, rc);
    sqlite3_free(msg);
    return;
  }
  finalize_all(slots, used);
  sqlite3_result_int64(ctx, done);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi)
  (void)pzErrMsg;
#if defined(__GLIBC__)
  /* glibc raises its mmap threshold each time a mapped block is freed; large blocks (the
     import's 1 MiB read chunks and their copies for the profiling thread) then come from the
     threads' heaps and stay there. With rows written through this function that cost 30-50 MB
     of peak RSS at 1M rows (bench/RESULTS.md, 2026-11-24), past the import's 300 MB budget.
     Fixing the threshold at glibc's default keeps large blocks mapped and returned, for about
     0.6 CPU-seconds per 1M rows of page faults. Process-wide; setting it again is harmless. */
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  /* DIRECTONLY: callable from top-level SQL only, never from a trigger or a view. */
  return sqlite3_create_function_v2(db, "leakscope_insert_rows", 4, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                    0, insert_rows, 0, 0, 0);
}
