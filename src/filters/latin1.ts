/**
 * A text's code units as bytes, when every one is below 256: a native copy into a reused buffer,
 * so per-character scans loop over a typed array (about twice as fast as charCodeAt on this
 * machine). The view is valid until the next call.
 */
type Latin1Buffer = Buffer & { latin1Write(text: string, offset: number): number }; // public since Node 0.x, untyped

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/; // eslint-disable-line no-control-regex
let scratch = Buffer.allocUnsafe(1 << 16) as Latin1Buffer;

/** Whether every code unit of `text` is below 256. */
export function isLatin1(text: string): boolean {
  return !BEYOND_LATIN1.test(text);
}

/** The bytes of a text known to be Latin-1 (isLatin1): valid until the next call. */
export function latin1Copy(text: string): Uint8Array {
  if (scratch.length < text.length) scratch = Buffer.allocUnsafe(Math.max(text.length, scratch.length * 2)) as Latin1Buffer;
  const n = scratch.latin1Write(text, 0);
  return scratch.subarray(0, n);
}
