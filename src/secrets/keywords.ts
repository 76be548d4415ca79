/**
 * Which of a fixed set of ASCII keywords occur in a text, in one pass: an Aho–Corasick automaton
 * compiled to a dense ASCII transition table, matched case-insensitively (A–Z folded as it
 * reads). A secret rule's regex runs only when one of its keywords occurs, so a file with none
 * costs this single scan.
 */
export class KeywordSet {
  private readonly next: Int32Array; // state * 128 + char → state (upper-case columns copy the lower-case ones)
  private readonly out: number[][]; // keyword ids ending at each state (fail links folded in)
  private readonly accepts: Uint8Array; // 1 where out[state] is not empty: a typed-array test in the hot loop
  private readonly pending: Uint8Array; // accepts, cleared per text where a state has reported
  readonly keywords: readonly string[];

  constructor(keywords: Iterable<string>) {
    this.keywords = [...new Set([...keywords].map((k) => k.toLowerCase()).filter((k) => k.length > 0))];
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    this.keywords.forEach((kw, id) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i);
        if (c >= 128) throw new Error(`keyword "${kw}": only ASCII keywords are supported`);
        let t = goto[s].get(c);
        if (t === undefined) {
          t = goto.length;
          goto[s].set(c, t);
          goto.push(new Map());
          out.push([]);
        }
        s = t;
      }
      out[s].push(id);
    });
    this.next = new Int32Array(goto.length * 128);
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const t = goto[0].get(c) ?? 0;
      this.next[c] = t;
      if (t !== 0) queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      out[s].push(...out[fail[s]]);
      for (let c = 0; c < 128; c++) {
        const t = goto[s].get(c);
        if (t === undefined) {
          this.next[s * 128 + c] = this.next[fail[s] * 128 + c];
        } else {
          fail[t] = this.next[fail[s] * 128 + c];
          this.next[s * 128 + c] = t;
          queue.push(t);
        }
      }
    }
    for (let st = 0; st < goto.length; st++) for (let c = 65; c <= 90; c++) this.next[st * 128 + c] = this.next[st * 128 + c + 32];
    this.out = out;
    this.accepts = Uint8Array.from(out, (o) => (o.length > 0 ? 1 : 0));
    this.pending = new Uint8Array(this.accepts.length);
  }

  /** The ids (indices into `keywords`) of the keywords found in `text`. */
  find(text: string): Set<number> {
    const found = new Set<number>();
    const next = this.next;
    // a state reports its keywords once per text: common ones (`.`, `ap`) end thousands of times
    const accepts = this.pending;
    accepts.set(this.accepts);
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        s = 0;
        continue;
      }
      s = next[(s << 7) | c];
      if (accepts[s] !== 0) {
        accepts[s] = 0;
        for (const k of this.out[s]) found.add(k);
      }
    }
    return found;
  }
}
