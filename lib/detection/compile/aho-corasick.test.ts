import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AhoCorasick } from "./aho-corasick";
import { CharTrie } from "./char-trie";

describe("AhoCorasick", () => {
  it("reports every needle contained in the text, including overlapping and nested ones", () => {
    const ac = new AhoCorasick([
      ["he", 1],
      ["she", 2],
      ["his", 3],
      ["hers", 4],
    ]);
    const seen = new Set<number>();
    ac.forEachMatch("ushers", (id) => seen.add(id));
    expect([...seen].sort()).toEqual([1, 2, 4]);
    expect(ac.matchesAny("ahis")).toBe(true);
    expect(ac.matchesAny("xyz")).toBe(false);
  });

  it("handles characters outside the needles' alphabet and non-ASCII text", () => {
    const ac = new AhoCorasick([["äb", "x"]]);
    expect(ac.matchesAny("zzäbzz")).toBe(true);
    expect(ac.matchesAny("zzäzbz")).toBe(false);
  });

  it("the empty needle is in every text", () => {
    expect(new AhoCorasick([["", 1]]).matchesAny("")).toBe(true);
  });

  it("agrees with String.includes (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[abc]{1,4}$/), { maxLength: 20 }), fc.stringMatching(/^[abcd]{0,30}$/), (needles, hay) => {
        const ac = new AhoCorasick(needles.map((n, i) => [n, i] as const));
        const found = new Set<number>();
        ac.forEachMatch(hay, (i) => found.add(i));
        const expected = new Set(needles.flatMap((n, i) => (hay.includes(n) ? [i] : [])));
        expect(found).toEqual(expected);
        expect(ac.matchesAny(hay)).toBe(expected.size > 0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("CharTrie", () => {
  it("finds every key that is a suffix of the value", () => {
    const trie = new CharTrie<string>("suffix");
    trie.add("\\cmd.exe", "cmd");
    trie.add(".exe", "exe");
    trie.add("\\powershell.exe", "ps");
    const seen: string[] = [];
    trie.forEachMatch("c:\\windows\\cmd.exe", (v) => seen.push(v));
    expect(seen.sort()).toEqual(["cmd", "exe"]);
    expect(trie.matchesAny("c:\\a.dll")).toBe(false);
  });

  it("finds every key that is a prefix of the value", () => {
    const trie = new CharTrie<number>("prefix");
    trie.add("c:\\", 1);
    trie.add("c:\\windows\\", 2);
    trie.add("", 3);
    const seen: number[] = [];
    trie.forEachMatch("c:\\windows\\x", (v) => seen.push(v));
    expect(seen.sort()).toEqual([1, 2, 3]);
    expect(trie.size).toBe(3);
  });
});

describe("fast paths (scan skipping, small trie nodes)", () => {
  it("AhoCorasick agrees with String.includes when every needle starts with one character (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[abc]{0,5}$/), { minLength: 1, maxLength: 20 }), fc.stringMatching(/^[abcdi=]{0,40}$/), (tails, hay) => {
        const needles = tails.map((t) => `i${t}`);
        const ac = new AhoCorasick(needles.map((n, i) => [n, i] as const));
        const found = new Set<number>();
        ac.forEachMatch(hay, (i) => found.add(i));
        expect(found).toEqual(new Set(needles.flatMap((n, i) => (hay.includes(n) ? [i] : []))));
        expect(ac.matchesAny(hay)).toBe(found.size > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("CharTrie agrees with startsWith / endsWith, with nodes of few and of many children (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-p]{0,4}$/), { maxLength: 60 }), fc.stringMatching(/^[a-q]{0,8}$/), (keys, value) => {
        for (const direction of ["prefix", "suffix"] as const) {
          const trie = new CharTrie<number>(direction);
          keys.forEach((k, i) => trie.add(k, i));
          const found = new Set<number>();
          trie.forEachMatch(value, (i) => found.add(i));
          const expected = new Set(keys.flatMap((k, i) => ((direction === "prefix" ? value.startsWith(k) : value.endsWith(k)) ? [i] : [])));
          expect(found).toEqual(expected);
          expect(trie.matchesAny(value)).toBe(expected.size > 0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
