/**
 * Command line → argv (ECS `process.args`), as the process itself would have seen it.
 */

/** Which argv convention a command line follows. */
export type CommandLineStyle = "windows" | "posix";

/** Split `commandLine` into arguments following `style` (see the two splitters below). */
export function splitCommandLine(commandLine: string, style: CommandLineStyle): string[] {
  return style === "windows" ? splitWindowsCommandLine(commandLine) : splitPosixCommandLine(commandLine);
}

/*
 * The arguments of the split in progress, in a buffer reused from call to call: an array grown by
 * `push` reserves room for seventeen entries at the first one, and the result is built once, at
 * its exact length, by `take`.
 */
const buffer: string[] = [];
let size = 0;

function add(arg: string): void {
  buffer[size++] = arg;
}

/** The arguments added since the split began, as a new array; the buffer keeps no reference. */
function take(): string[] {
  const out = buffer.slice(0, size);
  for (let i = 0; i < size; i++) buffer[i] = "";
  size = 0;
  return out;
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Windows `CommandLineToArgvW` (shell32), rule for rule, as Wine reimplements it from observed
 * Windows behaviour:
 *
 * - argv[0] is the program name and follows its own rule: when it starts with `"` it ends at the
 *   next `"` whatever precedes it (backslashes are literal: `"C:\dir\" x` gives `C:\dir\`), else
 *   at the next space or tab. A command line starting with a blank therefore has argv[0] = "".
 * - Other arguments are separated by spaces and tabs outside quotes (newlines are not blanks).
 * - 2n backslashes + `"` → n backslashes and the quote opens or closes a quoted part;
 *   2n+1 backslashes + `"` → n backslashes and a literal `"`; backslashes elsewhere are literal.
 * - A run of quotes counts modulo 3: every third quote is a literal `"` and leaves the quoted
 *   part (the "post-2008" rule: `"a""b"` → `a"b`, `"""x"""` → `"x"`).
 * - `""` alone is an empty argument; trailing blanks add none.
 */
export function splitWindowsCommandLine(cmd: string): string[] {
  const n = cmd.length;
  size = 0;
  if (n === 0) return take();

  // argv[0]
  let i: number;
  if (cmd.charCodeAt(0) === QUOTE) {
    const close = cmd.indexOf('"', 1);
    if (close < 0) return [cmd.slice(1)];
    add(cmd.slice(1, close));
    i = close + 1;
  } else {
    i = 0;
    while (i < n && !isWindowsBlank(cmd.charCodeAt(i))) i++;
    add(cmd.slice(0, i));
  }
  while (i < n && isWindowsBlank(cmd.charCodeAt(i))) i++;
  if (i >= n) return take();
  if (cmd.indexOf('"', i) < 0 && cmd.indexOf("\\", i) < 0) return splitOnBlanks(cmd, i);

  let current = "";
  let inQuotes = 0; // Wine's qcount: 0 outside, 1 inside, 2 transiently
  while (i < n) {
    const c = cmd.charCodeAt(i);
    if (inQuotes === 0 && isWindowsBlank(c)) {
      add(current);
      current = "";
      do i++;
      while (i < n && isWindowsBlank(cmd.charCodeAt(i)));
      if (i >= n) return take();
      continue;
    }
    // A run of literal text: ordinary characters, and backslashes that do not precede a quote
    // (a path's backslashes are literal), taken as one slice.
    const end = literalRunEnd(cmd, i, inQuotes !== 0);
    if (end > i) {
      current += cmd.slice(i, end);
      i = end;
      continue;
    }
    // At a quote, or at backslashes followed by a quote.
    let j = i;
    while (cmd.charCodeAt(j) === BACKSLASH) j++;
    const backslashes = j - i;
    current += "\\".repeat(backslashes >> 1);
    if ((backslashes & 1) === 1) current += '"';
    else inQuotes++;
    i = j + 1;
    // Consecutive quotes after the first: every third one is literal (see above).
    while (i < n && cmd.charCodeAt(i) === QUOTE) {
      if (++inQuotes === 3) {
        current += '"';
        inQuotes = 0;
      }
      i++;
    }
    if (inQuotes === 2) inQuotes = 0;
  }
  add(current);
  return take();
}

/** End of the literal text starting at `from` (see `splitWindowsCommandLine`). */
function literalRunEnd(cmd: string, from: number, quoted: boolean): number {
  const n = cmd.length;
  let j = from;
  while (j < n) {
    const d = cmd.charCodeAt(j);
    if (d === QUOTE || (!quoted && isWindowsBlank(d))) return j;
    if (d === BACKSLASH) {
      let k = j + 1;
      while (k < n && cmd.charCodeAt(k) === BACKSLASH) k++;
      if (k < n && cmd.charCodeAt(k) === QUOTE) return j;
      j = k;
      continue;
    }
    j++;
  }
  return j;
}

/** Without quotes or backslashes the rules reduce to splitting on spaces and tabs. */
function splitOnBlanks(cmd: string, from: number): string[] {
  const n = cmd.length;
  // Without tabs, each argument ends at the next space, which `indexOf` finds far faster than a
  // loop over the characters (browser command lines run to hundreds of them).
  const spacesOnly = cmd.indexOf("\t", from) < 0;
  let i = from;
  while (i < n) {
    let j: number;
    if (spacesOnly) {
      j = cmd.indexOf(" ", i + 1);
      if (j < 0) j = n;
    } else {
      j = i + 1;
      while (j < n && !isWindowsBlank(cmd.charCodeAt(j))) j++;
    }
    add(cmd.slice(i, j));
    i = j + 1;
    while (i < n && isWindowsBlank(cmd.charCodeAt(i))) i++;
  }
  return take();
}

function isWindowsBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * POSIX shell word splitting, without expansions: blanks (space, tab, newline) separate words;
 * '…' is literal; "…" is literal except for `\"`, `\\`, `\$`, `` \` ``; a backslash outside quotes
 * escapes the next character. Used for Linux command lines (Sysmon for Linux, ECS documents from
 * Linux hosts) when the source did not give argv itself.
 */
export function splitPosixCommandLine(cmd: string): string[] {
  const n = cmd.length;
  size = 0;
  let current = "";
  let inWord = false;
  let i = 0;
  while (i < n) {
    const c = cmd.charCodeAt(i);
    if (c === SPACE || c === TAB || c === 10 || c === 13) {
      if (inWord) {
        add(current);
        current = "";
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (c === 39 /* ' */) {
      const close = cmd.indexOf("'", i + 1);
      const end = close < 0 ? n : close;
      current += cmd.slice(i + 1, end);
      i = end + 1;
    } else if (c === QUOTE) {
      i++;
      while (i < n && cmd.charCodeAt(i) !== QUOTE) {
        const d = cmd.charCodeAt(i);
        if (d === BACKSLASH && i + 1 < n && isDoubleQuoteEscapable(cmd.charCodeAt(i + 1))) {
          current += cmd[i + 1];
          i += 2;
        } else {
          current += cmd[i];
          i++;
        }
      }
      i++; // the closing quote (or past the end)
    } else if (c === BACKSLASH && i + 1 < n) {
      current += cmd[i + 1];
      i += 2;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = cmd.charCodeAt(j);
        if (d === SPACE || d === TAB || d === 10 || d === 13 || d === 39 || d === QUOTE || d === BACKSLASH) break;
        j++;
      }
      current += cmd.slice(i, j);
      i = j;
    }
  }
  if (inWord) add(current);
  return take();
}

function isDoubleQuoteEscapable(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 36 /* $ */ || c === 96 /* ` */ || c === 10;
}
