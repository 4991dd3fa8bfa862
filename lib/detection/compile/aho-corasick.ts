/**
 * Aho–Corasick automaton: finds every needle contained in a text in one left-to-right pass,
 * however many needles there are. The rule index runs one automaton per indexed field over each
 * event (issue 3: "index by field and value, do not loop over rules"), and long `contains` lists
 * use it too.
 *
 * The automaton is a full DFA over a compressed alphabet (only characters that occur in needles
 * get a column; everything else shares column 0), so scanning costs two array loads per
 * character and never follows failure links at match time. A transition holds the target
 * state's row offset (state × width) rather than its number, and the bitwise complement of it
 * when the target is accepting, so the scan loop needs no multiplication and no second table.
 */
export class AhoCorasick<T> {
  private readonly asciiClass = new Uint16Array(128);
  private readonly otherClass = new Map<number, number>();
  private readonly width: number;
  /** delta[offset + class]: the next state's offset, complemented (negative) when accepting. */
  private readonly delta: Int32Array;
  /** outputs[state]: items of every needle ending at this state, including shorter suffixes. */
  private readonly outputs: (readonly T[] | null)[];
  /**
   * When every needle starts with one character (`IMPHASH=…` hash lists), that character: at the
   * root the scan jumps to its next occurrence with `indexOf` (a vectorised search) instead of
   * stepping through the characters that cannot begin a match.
   */
  private readonly onlyStart: string | null;
  readonly needleCount: number;

  constructor(entries: Iterable<readonly [needle: string, item: T]>) {
    // 1. Alphabet and trie (goto function).
    const gotoMaps: Map<number, number>[] = [new Map()];
    const own: T[][] = [[]];
    let classes = 1;
    let needles = 0;
    const classOf = (c: number): number => {
      if (c < 128) {
        let k = this.asciiClass[c]!;
        if (k === 0) this.asciiClass[c] = k = classes++;
        return k;
      }
      let k = this.otherClass.get(c);
      if (k === undefined) this.otherClass.set(c, (k = classes++));
      return k;
    };
    for (const [needle, item] of entries) {
      needles++;
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const k = classOf(needle.charCodeAt(i));
        let next = gotoMaps[state]!.get(k);
        if (next === undefined) {
          next = gotoMaps.length;
          gotoMaps.push(new Map());
          own.push([]);
          gotoMaps[state]!.set(k, next);
        }
        state = next;
      }
      own[state]!.push(item);
    }
    this.needleCount = needles;
    this.width = classes;
    const states = gotoMaps.length;

    // 2. Breadth-first: failure links, DFA rows and merged outputs.
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: (readonly T[] | null)[] = new Array(states).fill(null);
    outputs[0] = own[0]!.length > 0 ? own[0]! : null;
    const queue: number[] = [];
    for (const [k, next] of gotoMaps[0]!) {
      delta[k] = next;
      fail[next] = 0;
      queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      const f = fail[s]!;
      const inherited = outputs[f] ?? null;
      const mine = own[s]!;
      outputs[s] = mine.length === 0 ? inherited : inherited ? [...mine, ...inherited] : mine;
      const row = s * classes;
      const failRow = f * classes;
      for (let k = 0; k < classes; k++) delta[row + k] = delta[failRow + k]!;
      for (const [k, next] of gotoMaps[s]!) {
        fail[next] = delta[failRow + k]!;
        delta[row + k] = next;
        queue.push(next);
      }
    }
    // State numbers → row offsets, complemented for accepting targets (see the class comment).
    for (let i = 0; i < delta.length; i++) {
      const next = delta[i]!;
      delta[i] = outputs[next] ? ~(next * classes) : next * classes;
    }
    this.delta = delta;
    this.outputs = outputs;
    let onlyStart: string | null = null;
    if (gotoMaps[0]!.size === 1 && outputs[0] === null) {
      const [k] = gotoMaps[0]!.keys();
      const code = this.asciiClass.indexOf(k!);
      if (code > 0) onlyStart = String.fromCharCode(code);
      else for (const [c, cls] of this.otherClass) if (cls === k) onlyStart = String.fromCharCode(c);
    }
    this.onlyStart = onlyStart;
  }

  /** Calls `visit` for each needle occurrence in `text` (an item may be visited several times). */
  forEachMatch(text: string, visit: (item: T) => void): void {
    const { delta, width, outputs, asciiClass, otherClass } = this;
    const root = outputs[0];
    if (root) for (const item of root) visit(item);
    const onlyStart = this.onlyStart;
    let offset = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      if (offset === 0 && onlyStart !== null) {
        i = text.indexOf(onlyStart, i);
        if (i < 0) return;
      }
      const c = text.charCodeAt(i);
      offset = delta[offset + (c < 128 ? asciiClass[c]! : (otherClass.get(c) ?? 0))]!;
      if (offset < 0) {
        offset = ~offset;
        const items = outputs[offset / width]!;
        for (let j = 0; j < items.length; j++) visit(items[j]!);
      }
    }
  }

  /** Whether any needle occurs in `text`. */
  matchesAny(text: string): boolean {
    const { delta, outputs, asciiClass, otherClass } = this;
    if (outputs[0]) return true;
    const onlyStart = this.onlyStart;
    let offset = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      if (offset === 0 && onlyStart !== null) {
        i = text.indexOf(onlyStart, i);
        if (i < 0) return false;
      }
      const c = text.charCodeAt(i);
      offset = delta[offset + (c < 128 ? asciiClass[c]! : (otherClass.get(c) ?? 0))]!;
      if (offset < 0) return true;
    }
    return false;
  }
}
