import { TextDecoder } from 'node:util';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A repository path (bytes) as a record's `path`: itself when it is UTF-8; otherwise quoted as
 * git quotes it (`core.quotePath`): in double quotes, with `\"`, `\\`, C escapes for control
 * characters and octal escapes for the other bytes, e.g. `"caf\351.txt"`. The file is still
 * read (its content may be fine), and the quoted form can be fed back to git.
 */
export function pathText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let s = '"';
    for (const b of bytes) {
      if (b === 0x22) s += '\\"';
      else if (b === 0x5c) s += '\\\\';
      else if (b === 0x09) s += '\\t';
      else if (b === 0x0a) s += '\\n';
      else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
      else s += '\\' + b.toString(8).padStart(3, '0');
    }
    return s + '"';
  }
}
