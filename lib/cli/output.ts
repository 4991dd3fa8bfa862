/** Where a command writes; injected so tests can capture it. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** Exit codes: 0 ok, 1 the check found problems, 2 the command could not run (usage, unreadable input). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** Splits `args` into flags and the values following each `--name`, e.g. --rules a b --events c. */
export function parseArgs(args: readonly string[], known: { flags: string[]; lists: string[] }) {
  const flags = new Set<string>();
  const lists: Record<string, string[]> = {};
  const positional: string[] = [];
  let current: string[] = positional;
  for (const arg of args) {
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (known.flags.includes(name)) {
        flags.add(name);
        current = positional;
      } else if (known.lists.includes(name)) {
        current = lists[name] ??= [];
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else {
      current.push(arg);
    }
  }
  return { flags, lists, positional };
}
