/**
 * Pull-style reading of exact byte counts from a chunk stream, without concatenating more than
 * a block: the tar reader asks for 512-byte headers and streams member bodies piece by piece.
 */

export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private ended = false;
  /** Bytes handed out so far (the offset of the next byte). */
  offset = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buf.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) { this.ended = true; break; }
      this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
  }

  /** Exactly `n` bytes, or fewer at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  /** Up to `n` bytes as they arrive (chunks of any size), for streaming a member body. */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0) {
        await this.fill(1);
        if (this.buf.length === 0) return;
      }
      const take = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(take.length);
      this.offset += take.length;
      left -= take.length;
      yield take;
    }
  }

  /** Put bytes back in front of the stream (bytes a decoder pulled but did not use). */
  unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.buf = this.buf.length ? Buffer.concat([b, this.buf]) : b;
    this.offset -= b.length;
  }

  /** Skip `n` bytes (what a consumer did not read of a member). */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    for await (const c of this.stream(n)) skipped += c.length;
    return skipped;
  }

  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.buf.length === 0;
  }

  /** Stop reading the source (an early exit must not leave the producer waiting). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}
