/**
 * Streaming: a large file is written with flat memory and honours backpressure from a slow
 * destination (the stream's buffer never grows past about one batch).
 */

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateFile } from '../../fixtures/gen';

/** A deliberately slow sink that records heap use and the stream's own buffer size. */
class SlowMeter extends Writable {
  bytes = 0;
  maxHeap = 0;
  maxBuffered = 0;

  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.maxHeap = Math.max(this.maxHeap, process.memoryUsage().heapUsed);
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    setImmediate(cb);
  }
}

describe('streaming', () => {
  it('writes 200k CSV rows with bounded heap growth and respects backpressure', async () => {
    const before = process.memoryUsage().heapUsed;
    const meter = new SlowMeter();
    const result = await generateFile({ format: 'csv', rows: 200_000, seed: 3, out: meter });
    expect(result.rows).toBe(200_000);
    expect(meter.bytes).toBe(result.bytes);
    expect(result.bytes).toBeGreaterThan(200_000 * 120); // ~200 bytes a row: 40 MB went through
    // Holding the rows (or the text) would cost hundreds of MB; streaming stays near flat.
    expect(meter.maxHeap - before).toBeLessThan(64 * 1024 * 1024);
    // One encoded batch (≤ 256 Ki chars) on top of the high-water mark, never more.
    expect(meter.maxBuffered).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);
});
