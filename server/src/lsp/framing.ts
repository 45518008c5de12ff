// The LSP base protocol's framing, checked before vscode-jsonrpc reads it: the library's reader
// skips a header it cannot parse and then waits (a garbage header leaves the server deaf), and it
// buffers whatever Content-Length announces (100 GB is buffered until memory runs out). Here each
// header is validated and each message's size capped; the bytes pass through unchanged, and the
// first violation is an error on the stream: the server logs it and exits, so the client restarts it.

import { Transform, type TransformCallback } from 'node:stream';

/** The largest message accepted: a 50 MB document with its JSON escapes fits in one didOpen. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** The largest header part (two short fields in practice). */
export const MAX_HEADER_BYTES = 8 * 1024;

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** `name: value`, a token name (RFC 7230) and a value of visible ASCII, spaces and tabs. */
const HEADER_FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\x20-\x7e\t]*)$/;

export class FramingError extends Error {}

/** What is wrong with a header part, or the announced body length. */
export function parseHeader(header: string): { length: number } | { error: string } {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const field = HEADER_FIELD.exec(line);
    if (!field) return { error: `a header line is not "Name: value": ${JSON.stringify(line.slice(0, 80))}` };
    const [, name, value] = field;
    if (name.toLowerCase() !== 'content-length') continue;
    if (length !== undefined) return { error: 'Content-Length is given twice' };
    const digits = value.trim();
    if (!/^\d{1,15}$/.test(digits)) return { error: `Content-Length is not a number of bytes: ${JSON.stringify(digits.slice(0, 40))}` };
    length = Number(digits);
    if (length > MAX_MESSAGE_BYTES) return { error: `a message of ${length} bytes is over the limit of ${MAX_MESSAGE_BYTES} bytes (64 MB)` };
  }
  return length === undefined ? { error: 'a header without Content-Length' } : { length };
}

/** Passes LSP messages through, and fails with a FramingError at the first malformed one. */
export class FramingGuard extends Transform {
  /** Bytes of the current message's body still to pass through; -1 while reading a header. */
  private bodyLeft = -1;
  private header: Buffer = Buffer.alloc(0);
  private failed = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft >= 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.push(chunk.subarray(at, at + take));
        at += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.bodyLeft = -1;
        continue;
      }
      // Reading a header: it may arrive in pieces, so its end is looked for across the join.
      const before = this.header.length;
      const piece = chunk.subarray(at, at + MAX_HEADER_BYTES + CRLFCRLF.length - before);
      this.header = Buffer.concat([this.header, piece]);
      const end = this.header.indexOf(CRLFCRLF, Math.max(0, before - CRLFCRLF.length + 1));
      if (end < 0) {
        if (this.header.length >= MAX_HEADER_BYTES + CRLFCRLF.length) return this.fail(`a header of more than ${MAX_HEADER_BYTES} bytes`, done);
        at += piece.length;
        continue;
      }
      at += end + CRLFCRLF.length - before;
      const parsed = parseHeader(this.header.subarray(0, end).toString('latin1'));
      if ('error' in parsed) return this.fail(parsed.error, done);
      this.push(this.header.subarray(0, end + CRLFCRLF.length));
      this.header = Buffer.alloc(0);
      if (parsed.length > 0) this.bodyLeft = parsed.length;
    }
    done();
  }

  private fail(reason: string, done: TransformCallback): void {
    this.failed = true;
    done(new FramingError(`malformed message from the client: ${reason}`));
  }
}
