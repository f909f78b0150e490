/** Bounds of the import's profiling pass, shared by the writer's side and the profiling thread. */

/** Columns followed at once over all tables of an import (SQLite's column limit, about). */
export const MAX_PASS_COLUMNS = 2000;
/**
 * Raw bytes of a source below which the import profiles in the writer's thread: a thread costs
 * its start-up and an isolate's memory (~50 MB), more than the statistics of a small file.
 */
export const THREAD_MIN_BYTES = 4 * 1024 * 1024;
