/** Code points in text[start, end): a surrogate pair is one character, as Python's `len` counts it. */
export function codePoints(text: string, start = 0, end = text.length): number {
  let n = end - start;
  for (let i = start; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}
