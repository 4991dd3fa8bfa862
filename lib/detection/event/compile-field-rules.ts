import { applyFieldRules, type FieldRule } from "./field-rules";
import { baseName } from "./paths";
import { putHashes } from "./put-hashes";
import { splitCommandLine, type CommandLineStyle } from "./split-command-line";
import type { EventObject } from "./types";
import { boolOf, canonicalGuid, intOf, putDomainUser, textOf } from "./values";
import { describe } from "./windows-record";

/**
 * A mapping table compiled for one event kind: `applyFieldRules(table, …)`, faster. It may also
 * derive `process.{name,args,args_count}` and the same of `process.parent`, exactly as
 * `completeEcs` does with `style` (which then finds nothing left to do for them).
 */
export type FieldMapper = (eventData: EventObject, out: EventObject, warnings: string[], style: CommandLineStyle) => void;

/**
 * Compile a mapping table (field-rules.ts) into one function that does what
 * `applyFieldRules(rules, …)` does, row by row, with every field name written into the code.
 *
 * Why generate code: the interpreter reads `eventData[rule.from]` and writes `parent[leaf]` with
 * names that change from row to row, so V8 sees every field name at one load site and one store
 * site and handles them through its generic (megamorphic) paths; a Sysmon 1 event spent 2.9 µs
 * in `applyFieldRules`, half of its normalization. In the generated function each row has its
 * own `eventData.Image` load and `process.executable = …` store, which V8 specializes to the few
 * object shapes it sees (measured: about 0.7 µs less per Sysmon 1 event). The table stays the
 * data and the interpreter its specification: the generated code is built only from the
 * table's own names (quoted with JSON.stringify) and the same helpers, and a test checks that
 * both give the same result on every table. Where code generation from strings is disabled
 * (`--disallow-code-generation-from-strings`, a CSP), the interpreter runs instead.
 *
 * Parent objects are created when their first field is written, as the interpreter does, so the
 * output has the same keys in the same order.
 *
 * A table that writes `process.*` also gets complete-ecs.ts's process completion appended (the
 * fields derived from the executable and the command line): run inside the table's own function,
 * its reads and writes see only this event kind's process objects, where `completeEcs`, shared
 * by every source, sees all of them and handles them through V8's generic paths. Nothing else
 * writes to a Windows event's process objects between the table and `completeEcs`, so the keys
 * come out in the same order either way.
 */
export function compileFieldRules(rules: readonly FieldRule[]): FieldMapper {
  assertNoConflicts(rules);
  const source = generate(rules);
  let compiled: (eventData: EventObject, out: EventObject, warnings: string[], style: CommandLineStyle, helpers: Helpers) => void;
  try {
    compiled = new Function("eventData", "out", "warnings", "style", "h", source) as typeof compiled;
  } catch {
    // completeEcs, which runs next, derives the process fields this path leaves out.
    return (eventData, out, warnings) => applyFieldRules(rules, eventData, out, warnings);
  }
  return (eventData, out, warnings, style) => compiled(eventData, out, warnings, style, HELPERS);
}

interface Helpers {
  textOf: typeof textOf;
  intOf: typeof intOf;
  boolOf: typeof boolOf;
  canonicalGuid: typeof canonicalGuid;
  putDomainUser: typeof putDomainUser;
  putHashes: typeof putHashes;
  describe: typeof describe;
  baseName: typeof baseName;
  splitCommandLine: typeof splitCommandLine;
}

const HELPERS: Helpers = { textOf, intOf, boolOf, canonicalGuid, putDomainUser, putHashes, describe, baseName, splitCommandLine };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `.name` when `name` is an identifier, else `["name"]`. */
function member(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/**
 * Statements that leave the object at `path` under `out` in `o`, creating missing (or
 * non-object) levels as `child()` does: the generated form of field-rules.ts's `objectAt`.
 */
function objectAt(path: readonly string[]): string {
  let code = "o = out;";
  for (const segment of path) {
    const m = member(segment);
    code += ` t = o${m}; if (typeof t !== "object" || t === null || Array.isArray(t)) { t = {}; o${m} = t; } o = t;`;
  }
  return code;
}

function generate(rules: readonly FieldRule[]): string {
  const lines = ['"use strict";', "let raw, v, o, t;"];
  // Each parent object is looked up (or created) at its first write and kept in a local.
  const locals = new Map<string, string>();
  const parentOf = (path: readonly string[]): string => {
    const key = path.join(".");
    let local = locals.get(key);
    if (local === undefined) {
      local = `p${locals.size}`;
      locals.set(key, local);
    }
    return `if (${local} === undefined) { ${objectAt(path)} ${local} = o; } else o = ${local};`;
  };
  for (const rule of rules) {
    const store = `${parentOf(rule.parent)} o${member(rule.leaf)} = v;`;
    lines.push(`raw = eventData${member(rule.from)};`, "if (raw !== undefined && raw !== null) {");
    switch (rule.kind) {
      case "text":
        lines.push(`  ${TEXT} if (v !== undefined) { ${store} }`);
        break;
      case "lower":
        lines.push(`  ${TEXT} if (v !== undefined) { v = v.toLowerCase(); ${store} }`);
        break;
      case "int": {
        const warning = JSON.stringify(` is not a number; ${rule.to.join(".")} not set`);
        lines.push(`  ${INT} if (v !== undefined) { ${store} } else if (h.textOf(raw) !== undefined) warnings.push(${JSON.stringify(rule.from)} + " " + h.describe(raw) + ${warning});`);
        break;
      }
      case "guid":
        lines.push(`  ${TEXT} if (v !== undefined) { v = h.canonicalGuid(v); ${store} }`);
        break;
      case "bool":
        lines.push(`  v = h.boolOf(raw); if (v !== undefined) { ${store} }`);
        break;
      case "user":
        // "\\" alone or "-" carries no account; then the target object is not created.
        lines.push(`  ${TEXT} if (v !== undefined && v !== "\\\\") { ${objectAt(rule.to)} h.putDomainUser(o, v); }`);
        break;
      case "hashes":
        lines.push(`  ${TEXT} if (v !== undefined && hasHashValue(v)) { ${objectAt(rule.to)} h.putHashes(o, v); }`);
        break;
    }
    lines.push("}");
  }
  if (rules.some((r) => r.to[0] === "process")) lines.push(COMPLETE_PROCESSES);
  lines.push(HAS_HASH_VALUE);
  if (locals.size > 0) lines.splice(2, 0, `let ${[...locals.values()].join(", ")};`);
  return lines.join("\n");
}

/** complete-ecs.ts's `completeProcess` for `x`, written out (see compileFieldRules). */
function completeProcess(x: string): string {
  return `{
    let name, args;
    const executable = ${x}.executable;
    if (typeof executable === "string" && ${x}.name === undefined) { name = h.baseName(executable); if (name === "") name = undefined; }
    const existingArgs = ${x}.args;
    const commandLine = ${x}.command_line;
    if (existingArgs === undefined && typeof commandLine === "string" && commandLine.trim() !== "") { args = h.splitCommandLine(commandLine, style); if (args.length === 0) args = undefined; }
    const finalArgs = args ?? existingArgs;
    const argsCount = Array.isArray(finalArgs) && finalArgs.length > 0 && ${x}.args_count === undefined ? finalArgs.length : undefined;
    if (name !== undefined) ${x}.name = name;
    if (args !== undefined) ${x}.args = args;
    if (argsCount !== undefined) ${x}.args_count = argsCount;
  }`;
}

/** completeEcs's process step: the process, then its parent (when both are objects). */
const COMPLETE_PROCESSES = `o = out.process;
if (typeof o === "object" && o !== null && !Array.isArray(o)) {
  ${completeProcess("o")}
  t = o.parent;
  if (typeof t === "object" && t !== null && !Array.isArray(t)) ${completeProcess("t")}
}`;

/**
 * `v = textOf(raw)` and `v = intOf(raw)` with the common case (a string, a non-negative integer)
 * spelled out: a table's function is too large for V8 to inline the helpers into, and a call
 * per field cost more than the conversion.
 */
const TEXT = `v = typeof raw === "string" ? (raw === "" || raw === "-" ? undefined : raw) : h.textOf(raw);`;
const INT = `v = typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0 ? raw : h.intOf(raw);`;

/** field-rules.ts's `hasHashValue`, inside the generated function. */
const HAS_HASH_VALUE = `function hasHashValue(text) { const eq = text.indexOf("="); return eq > 0 && eq < text.length - 1; }`;

/**
 * The interpreter remembers the object of the last parent path written; generated code keeps
 * each path's object from its first write on. Both find the same object unless a row writes a
 * value where another row's parent object lives (`process` as a leaf, `process.name` as a
 * field): no table does, and this keeps it so.
 */
function assertNoConflicts(rules: readonly FieldRule[]): void {
  const objects = new Set<string>();
  for (const rule of rules) {
    for (let i = 1; i <= rule.parent.length; i++) objects.add(rule.parent.slice(0, i).join("."));
    if (rule.kind === "user" || rule.kind === "hashes") for (let i = 1; i <= rule.to.length; i++) objects.add(rule.to.slice(0, i).join("."));
  }
  for (const rule of rules) {
    if (rule.kind !== "user" && rule.kind !== "hashes" && objects.has(rule.to.join("."))) {
      throw new Error(`mapping table writes a value at ${rule.to.join(".")}, where another row needs an object`);
    }
  }
}
