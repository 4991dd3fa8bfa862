/**
 * A character trie answering "which keys are a prefix of this value" (forward) or "which keys
 * are a suffix of it" (backward) in one walk of at most the longest key's length, however many
 * keys there are. Used for long `startswith` / `endswith` lists and by the rule index.
 *
 * A node keeps its children's characters and nodes in two small arrays searched in order, and
 * adds a Map once it has many children (the root of a list of paths): most nodes below the
 * first characters have one or two children, where a scan of a few numbers costs less than a
 * hash lookup (measured: the trie walk was a third of the rule index's time per event with a
 * Map at every node).
 */

interface TrieNode<T> {
  codes: number[];
  kids: TrieNode<T>[];
  /** The same children by character, once there are more than MAP_THRESHOLD of them. */
  map: Map<number, TrieNode<T>> | null;
  items: T[] | null;
}

const MAP_THRESHOLD = 8;

function newNode<T>(): TrieNode<T> {
  return { codes: [], kids: [], map: null, items: null };
}

function childOf<T>(node: TrieNode<T>, code: number): TrieNode<T> | undefined {
  const map = node.map;
  if (map !== null) return map.get(code);
  const codes = node.codes;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code) return node.kids[i];
  return undefined;
}

export type TrieDirection = "prefix" | "suffix";

export class CharTrie<T> {
  private readonly root: TrieNode<T> = newNode();
  private count = 0;

  constructor(readonly direction: TrieDirection) {}

  get size(): number {
    return this.count;
  }

  add(key: string, item: T): void {
    let node = this.root;
    const n = key.length;
    for (let k = 0; k < n; k++) {
      const c = key.charCodeAt(this.direction === "prefix" ? k : n - 1 - k);
      let next = childOf(node, c);
      if (!next) {
        next = newNode();
        node.codes.push(c);
        node.kids.push(next);
        if (node.map !== null) node.map.set(c, next);
        else if (node.codes.length > MAP_THRESHOLD) node.map = new Map(node.codes.map((code, i) => [code, node.kids[i]!]));
      }
      node = next;
    }
    (node.items ??= []).push(item);
    this.count++;
  }

  /** Calls `visit` with the items of every key that is a prefix (suffix) of `value`. */
  forEachMatch(value: string, visit: (item: T) => void): void {
    let node: TrieNode<T> | undefined = this.root;
    const n = value.length;
    const forward = this.direction === "prefix";
    for (let k = 0; ; k++) {
      const items = node.items;
      if (items !== null) for (let i = 0; i < items.length; i++) visit(items[i]!);
      if (k === n || node.codes.length === 0) return;
      node = childOf(node, value.charCodeAt(forward ? k : n - 1 - k));
      if (!node) return;
    }
  }

  /** Whether any key is a prefix (suffix) of `value`. */
  matchesAny(value: string): boolean {
    let node: TrieNode<T> | undefined = this.root;
    const n = value.length;
    const forward = this.direction === "prefix";
    for (let k = 0; ; k++) {
      if (node.items) return true;
      if (k === n || node.codes.length === 0) return false;
      node = childOf(node, value.charCodeAt(forward ? k : n - 1 - k));
      if (!node) return false;
    }
  }
}
