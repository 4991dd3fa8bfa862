/**
 * Vigil's command line: `npm run -s vigil -- <command>`. Offline: it needs no database or server,
 * and runs the same lib/detection as the server does.
 */
import { env } from "@/lib/env";
import { hunt } from "./hunt";
import { EXIT, processOutput, UsageError, type Output } from "./output";
import { rulesCheck, RULES_CHECK_USAGE } from "./rules-check";

const HELP = `Vigil command line

  vigil rules check [--json] PATH...                 load and compile rule files and folders; exit 1 on any error
  vigil hunt [--json] --rules PATH... --events FILE...  run rules offline over event files (NDJSON or JSON)

Run through npm: npm run -s vigil -- <command> ...`;

export async function run(argv: readonly string[], io: Output = processOutput): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    const placeholders = env().sigmaPlaceholders;
    if (command === "rules" && sub === "check") return rulesCheck(rest, io, placeholders);
    if (command === "rules") throw new UsageError(RULES_CHECK_USAGE);
    if (command === "hunt") return await hunt(argv.slice(1), io, placeholders);
    if (!command || command === "help" || command === "--help" || command === "-h") {
      io.out(HELP);
      return command ? EXIT.ok : EXIT.usage;
    }
    throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return EXIT.usage;
    }
    throw error;
  }
}

// Run when executed directly (tsx lib/cli/main.ts), not when imported by tests.
if (process.argv[1] && /lib[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

