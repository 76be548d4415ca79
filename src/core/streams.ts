import { once } from 'node:events';

/**
 * Writes `text` and, when the stream's buffer is full, waits for it to drain: a slow reader (a
 * pipe into a pager, a disk) holds the producer back instead of letting output pile up in memory.
 */
export async function writeOrWait(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
