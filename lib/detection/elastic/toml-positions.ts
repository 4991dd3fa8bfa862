/**
 * Where things are in a TOML rule file. smol-toml returns values without positions, yet errors in
 * a rule must name the file's line and column, and a syntax error inside `query = '''…'''` must
 * point at the character in the file. This scanner walks the TOML structure (table headers, keys,
 * and values, skipping strings, arrays and inline tables) and records:
 *
 * - the position of every key, by its resolved path (`rule.query`, `rule.threat[1].tactic.id`);
 * - the position of every table header (`rule.threat[1]`);
 * - for string values, a map from each character of the decoded string to its offset in the file
 *   (escapes in basic strings, the newline trimmed after an opening `'''`, line-ending backslashes).
 *
 * It assumes a document smol-toml already accepted; callers compare the decoded string with
 * smol-toml's value before trusting the map.
 */

export interface TomlPosition {
  /** 0-based offset in the file. */
  offset: number;
  line: number;
  column: number;
}

export interface TomlStringSpan {
  /** The decoded value. */
  value: string;
  /** File offset of each character of `value`; one extra entry for the end. */
  offsets: number[];
}

export interface TomlPositions {
  key(path: string): TomlPosition | undefined;
  table(path: string): TomlPosition | undefined;
  string(path: string): TomlStringSpan | undefined;
  /** The closest known position for `path`: the key, else its table, else an ancestor's. */
  nearest(path: string): TomlPosition;
}

export function scanTomlPositions(text: string): TomlPositions {
  const keys = new Map<string, TomlPosition>();
  const tables = new Map<string, TomlPosition>();
  const strings = new Map<string, TomlStringSpan>();
  const arrayCounts = new Map<string, number>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (offset: number): TomlPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };

  let table = "";
  let i = 0;
  const n = text.length;
  const skipInline = () => {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
  };
  const skipToLineEnd = () => {
    while (i < n && text[i] !== "\n") i++;
  };

  /** Resolve a header's dotted key against arrays of tables seen so far. */
  const resolve = (dotted: string[], isArray: boolean): string => {
    let path = "";
    dotted.forEach((seg, k) => {
      path = path ? `${path}.${seg}` : seg;
      const last = k === dotted.length - 1;
      if (last && isArray) {
        const count = arrayCounts.get(path) ?? 0;
        arrayCounts.set(path, count + 1);
        path = `${path}[${count}]`;
      } else if (arrayCounts.has(path)) {
        path = `${path}[${arrayCounts.get(path)! - 1}]`;
      }
    });
    return path;
  };

  while (i < n) {
    skipInline();
    const c = text[i];
    if (c === undefined) break;
    if (c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      skipToLineEnd();
      continue;
    }
    if (c === "[") {
      const start = i;
      const isArray = text[i + 1] === "[";
      i += isArray ? 2 : 1;
      const segs = readDottedKey();
      skipInline();
      i += isArray ? 2 : 1; // `]]` or `]`
      table = resolve(segs, isArray);
      tables.set(table, pos(start));
      skipToLineEnd();
      continue;
    }
    // key = value
    const keyStart = i;
    const segs = readDottedKey();
    skipInline();
    if (text[i] !== "=") {
      skipToLineEnd();
      continue;
    }
    i++;
    skipInline();
    const path = [table, ...segs].filter(Boolean).join(".");
    keys.set(path, pos(keyStart));
    readValue(path);
    skipToLineEnd();
  }

  function readDottedKey(): string[] {
    const segs: string[] = [];
    for (;;) {
      skipInline();
      const c = text[i];
      if (c === '"' || c === "'") {
        const span = readString();
        segs.push(span.value);
      } else {
        const start = i;
        while (i < n && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
        segs.push(text.slice(start, i));
      }
      skipInline();
      if (text[i] !== ".") return segs;
      i++;
    }
  }

  function readValue(path: string): void {
    const c = text[i];
    if (c === '"' || c === "'") {
      strings.set(path, readString());
      return;
    }
    if (c === "[" || c === "{") {
      const close = c === "[" ? "]" : "}";
      i++;
      let index = 0;
      for (;;) {
        while (i < n && /[\s,]/.test(text[i]!)) {
          if (text[i] === "," && c === "[") index++;
          i++;
        }
        const d = text[i];
        if (d === undefined) return;
        if (d === close) {
          i++;
          return;
        }
        if (d === "#") {
          skipToLineEnd();
          continue;
        }
        if (c === "{") {
          const keyAt = i;
          const segs = readDottedKey();
          keys.set(`${path}.${segs.join(".")}`, pos(keyAt));
          skipInline();
          if (text[i] === "=") i++;
          skipInline();
          readValue(`${path}.${segs.join(".")}`);
        } else {
          readValue(`${path}[${index}]`);
        }
      }
    }
    // Numbers, booleans, dates: up to a delimiter.
    while (i < n && !/[\s,\]}#]/.test(text[i]!)) i++;
  }

  function readString(): TomlStringSpan {
    const q = text[i]!;
    const triple = text.startsWith(q.repeat(3), i);
    const basic = q === '"';
    const value: string[] = [];
    const offsets: number[] = [];
    let end: number | undefined;
    i += triple ? 3 : 1;
    if (triple) {
      // A newline right after the opening delimiter is not part of the value.
      if (text[i] === "\n") i++;
      else if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    }
    for (;;) {
      if (i >= n) break;
      const ch = text[i]!;
      if (triple && text.startsWith(q.repeat(3), i)) {
        // Up to two quotes right before the closing delimiter belong to the value.
        let extra = 0;
        while (extra < 2 && text[i + 3 + extra] === q) extra++;
        for (let k = 0; k < extra; k++) {
          value.push(q);
          offsets.push(i + k);
        }
        end = i + extra;
        i += 3 + extra;
        break;
      }
      if (!triple && ch === q) {
        end = i;
        i++;
        break;
      }
      if (basic && ch === "\\") {
        const next = text[i + 1];
        const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\u001b", '"': '"', "\\": "\\" };
        if (next !== undefined && simple[next] !== undefined) {
          value.push(simple[next]);
          offsets.push(i);
          i += 2;
          continue;
        }
        if (next === "u" || next === "U" || next === "x") {
          const len = next === "u" ? 4 : next === "U" ? 8 : 2;
          const cp = parseInt(text.slice(i + 2, i + 2 + len), 16);
          const s = String.fromCodePoint(Number.isNaN(cp) ? 0xfffd : cp);
          for (const unit of s.split("")) {
            value.push(unit);
            offsets.push(i);
          }
          i += 2 + len;
          continue;
        }
        if (triple) {
          // Line-ending backslash: drop the line break and the blanks that follow.
          let j = i + 1;
          while (j < n && (text[j] === " " || text[j] === "\t")) j++;
          if (text[j] === "\n" || (text[j] === "\r" && text[j + 1] === "\n")) {
            while (j < n && /\s/.test(text[j]!)) j++;
            i = j;
            continue;
          }
        }
      }
      value.push(ch);
      offsets.push(i);
      i++;
    }
    // The end of the value is where the closing delimiter starts.
    offsets.push(end ?? i);
    return { value: value.join(""), offsets };
  }

  return {
    key: (p) => keys.get(p),
    table: (p) => tables.get(p),
    string: (p) => strings.get(p),
    nearest(p) {
      let path = p;
      for (;;) {
        const found = keys.get(path) ?? tables.get(path);
        if (found) return found;
        const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
        if (cut <= 0) return { offset: 0, line: 1, column: 1 };
        path = path.slice(0, cut);
      }
    },
  };
}
