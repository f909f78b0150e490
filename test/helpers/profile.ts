/** Shared by the profile integration tests: a fixed clock and profiles compared without timings. */
import type { DatasetProfile } from '../../src/shared/api';

const NOW = new Date('2026-01-01T00:00:00Z');
export const now = () => NOW;

/** A profile without what differs between two runs of the same profiling (time taken, when). */
export const comparable = (p: DatasetProfile) => ({ ...p, seconds: 0, profiledAt: '' });
