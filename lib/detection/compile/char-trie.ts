/**
 * A character trie answering "which keys are a prefix of this value" (forward) or "which keys
 * are a suffix of it" (backward) in one walk of at most the longest key's length, however many
 * keys there are. Used for long `startswith` / `endswith` lists and by the rule index.
 */

interface TrieNode<T> {
  children: Map<number, TrieNode<T>> | null;
  items: T[] | null;
}

export type TrieDirection = "prefix" | "suffix";

export class CharTrie<T> {
  private readonly root: TrieNode<T> = { children: null, items: null };
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
      node.children ??= new Map();
      let next = node.children.get(c);
      if (!next) {
        next = { children: null, items: null };
        node.children.set(c, next);
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
      if (node.items) for (const item of node.items) visit(item);
      if (k === n || !node.children) return;
      node = node.children.get(value.charCodeAt(forward ? k : n - 1 - k));
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
      if (k === n || !node.children) return false;
      node = node.children.get(value.charCodeAt(forward ? k : n - 1 - k));
      if (!node) return false;
    }
  }
}
