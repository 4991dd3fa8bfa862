/**
 * Aho–Corasick automaton: finds every needle contained in a text in one left-to-right pass,
 * however many needles there are. The rule index runs one automaton per indexed field over each
 * event (issue 3: "index by field and value, do not loop over rules"), and long `contains` lists
 * use it too.
 *
 * The automaton is a full DFA over a compressed alphabet (only characters that occur in needles
 * get a column; everything else shares column 0), so scanning costs two array loads per
 * character and never follows failure links at match time.
 */
export class AhoCorasick<T> {
  private readonly asciiClass = new Uint16Array(128);
  private readonly otherClass = new Map<number, number>();
  private readonly width: number;
  private readonly delta: Int32Array;
  /** outputs[state]: items of every needle ending at this state, including shorter suffixes. */
  private readonly outputs: (readonly T[] | null)[];
  /** 1 where outputs[state] is non-empty: a typed-array test in the scan loop. */
  private readonly accepting: Uint8Array;
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
    this.delta = delta;
    this.outputs = outputs;
    this.accepting = Uint8Array.from(outputs, (o) => (o ? 1 : 0));
  }

  /** Calls `visit` for each needle occurrence in `text` (an item may be visited several times). */
  forEachMatch(text: string, visit: (item: T) => void): void {
    const { delta, width, outputs, asciiClass, otherClass, accepting } = this;
    let state = 0;
    const root = outputs[0];
    if (root) for (const item of root) visit(item);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? asciiClass[c]! : (otherClass.get(c) ?? 0);
      state = delta[state * width + k]!;
      if (accepting[state] === 1) for (const item of outputs[state]!) visit(item);
    }
  }

  /** Whether any needle occurs in `text`. */
  matchesAny(text: string): boolean {
    const { delta, width, asciiClass, otherClass, accepting } = this;
    if (accepting[0] === 1) return true;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? asciiClass[c]! : (otherClass.get(c) ?? 0);
      state = delta[state * width + k]!;
      if (accepting[state] === 1) return true;
    }
    return false;
  }
}
