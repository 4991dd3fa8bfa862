/**
 * Checking an exception body from untrusted JSON (an API request, a stored row) before anything
 * compiles it. Total: any input gives either normalized entries or a list of problems, each with
 * the path of the offending part (`entries[1].operator`, `entries[0].any[2].values[3]`) so that
 * an API can answer 422 naming it. The work is bounded by EXCEPTION_LIMITS whatever the input.
 *
 * Normalization: numbers and booleans given as values become their string form (`42` → "42"),
 * `case_sensitive: false` is dropped (it is the default).
 */
import { parseCidr } from "../compile/cidr";
import { OPERAND } from "./operators";
import {
  EXCEPTION_LIMITS,
  EXCEPTION_OPERATORS,
  type ExceptionEntry,
  type ExceptionItem,
  type ExceptionOperator,
  type ExceptionProblem,
  type ExceptionValidation,
} from "./types";

const ENTRY_KEYS: ReadonlySet<string> = new Set(["field", "operator", "value", "values", "case_sensitive"]);
const OPERATOR_SET: ReadonlySet<string> = new Set(EXCEPTION_OPERATORS);
/** Dotted ECS-style names: `process.command_line`, `@timestamp`, `winlog.event_data.TargetUserName`. */
const FIELD_NAME = /^[A-Za-z0-9_@$:-]+(?:\.[A-Za-z0-9_@$:-]+)*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

type JsonRecord = Record<string, unknown>;

/** Problems found so far, and the number of entries seen (for the total limit). */
class Context {
  readonly problems: ExceptionProblem[] = [];
  entryCount = 0;

  add(path: string, message: string): void {
    if (this.problems.length < EXCEPTION_LIMITS.maxProblems) this.problems.push({ path, message });
  }
}

export function validateExceptionEntries(input: unknown): ExceptionValidation {
  const ctx = new Context();
  let entries: ExceptionItem[];
  try {
    entries = validateList(input, "entries", 1, ctx);
  } catch (error) {
    // Plain JSON never gets here; an exotic object (a throwing getter, a Proxy) must still get an answer.
    ctx.add("entries", `could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, problems: ctx.problems };
  }
  return ctx.problems.length === 0 ? { ok: true, entries } : { ok: false, problems: ctx.problems };
}

function validateList(input: unknown, path: string, depth: number, ctx: Context): ExceptionItem[] {
  if (!Array.isArray(input)) {
    ctx.add(path, "must be a list of exception entries");
    return [];
  }
  if (input.length === 0) {
    ctx.add(path, "needs at least one entry");
    return [];
  }
  if (input.length > EXCEPTION_LIMITS.maxEntries) {
    ctx.add(path, `holds ${input.length} items; an exception holds at most ${EXCEPTION_LIMITS.maxEntries} entries`);
    return [];
  }
  const out: ExceptionItem[] = [];
  input.forEach((item: unknown, i) => {
    const valid = validateItem(item, `${path}[${i}]`, depth, ctx);
    if (valid) out.push(valid);
  });
  return out;
}

function validateItem(input: unknown, path: string, depth: number, ctx: Context): ExceptionItem | undefined {
  if (!isRecord(input)) {
    ctx.add(path, 'must be an object: an entry {field, operator, value} or a group {any: [...]}');
    return undefined;
  }
  return Object.hasOwn(input, "any") ? validateGroup(input, path, depth, ctx) : validateEntry(input, path, ctx);
}

function validateGroup(input: JsonRecord, path: string, depth: number, ctx: Context): ExceptionItem | undefined {
  for (const key of Object.keys(input)) {
    if (key !== "any") ctx.add(keyPath(path, key), `unknown key "${key}"; a group has only "any"`);
  }
  if (depth >= EXCEPTION_LIMITS.maxDepth) {
    ctx.add(`${path}.any`, `groups nest at most ${EXCEPTION_LIMITS.maxDepth} levels deep`);
    return undefined;
  }
  return { any: validateList(own(input, "any"), `${path}.any`, depth + 1, ctx) };
}

function validateEntry(input: JsonRecord, path: string, ctx: Context): ExceptionEntry | undefined {
  ctx.entryCount++;
  if (ctx.entryCount === EXCEPTION_LIMITS.maxEntries + 1) {
    ctx.add(path, `an exception holds at most ${EXCEPTION_LIMITS.maxEntries} entries`);
  }
  for (const key of Object.keys(input)) {
    if (!ENTRY_KEYS.has(key)) {
      ctx.add(keyPath(path, key), `unknown key "${key}"; an entry has field, operator, value, values and case_sensitive`);
    }
  }
  const field = validateField(own(input, "field"), `${path}.field`, ctx);
  const operator = validateOperator(own(input, "operator"), `${path}.operator`, ctx);
  const caseSensitive = validateCaseSensitive(input, path, ctx);
  if (operator === undefined) return undefined;
  const operands = validateOperands(input, operator, path, ctx);
  if (field === undefined || operands === undefined) return undefined;
  return { field, operator, ...operands, ...(caseSensitive && { case_sensitive: true }) };
}

function validateField(input: unknown, path: string, ctx: Context): string | undefined {
  if (typeof input !== "string" || input === "") {
    ctx.add(path, "needs a field name such as process.command_line");
    return undefined;
  }
  if (input.length > EXCEPTION_LIMITS.maxFieldLength) {
    ctx.add(path, `is longer than ${EXCEPTION_LIMITS.maxFieldLength} characters`);
    return undefined;
  }
  if (!FIELD_NAME.test(input)) {
    ctx.add(path, `"${input}" is not a field name: use dotted ECS names (letters, digits, _ @ $ : -) such as process.parent.executable`);
    return undefined;
  }
  return input;
}

function validateOperator(input: unknown, path: string, ctx: Context): ExceptionOperator | undefined {
  if (typeof input === "string" && OPERATOR_SET.has(input)) return input as ExceptionOperator;
  const shown = typeof input === "string" ? `"${truncate(input)}"` : input === undefined ? "missing" : `not a string`;
  ctx.add(path, `unknown operator (${shown}); use one of ${EXCEPTION_OPERATORS.join(", ")}`);
  return undefined;
}

function validateCaseSensitive(input: JsonRecord, path: string, ctx: Context): boolean {
  const value = own(input, "case_sensitive");
  if (value === undefined || typeof value === "boolean") return value === true;
  ctx.add(`${path}.case_sensitive`, "must be true or false");
  return false;
}

type Operands = { value?: string; values?: string[] };

/** The operands the operator needs, checked and normalized; undefined after a problem. */
function validateOperands(input: JsonRecord, operator: ExceptionOperator, path: string, ctx: Context): Operands | undefined {
  const value = own(input, "value");
  const values = own(input, "values");
  const hasValue = value !== undefined;
  const hasValues = values !== undefined;
  const kind = OPERAND[operator];
  switch (kind) {
    case "none":
      if (hasValue) ctx.add(`${path}.value`, `${operator} takes no value`);
      if (hasValues) ctx.add(`${path}.values`, `${operator} takes no values`);
      return hasValue || hasValues ? undefined : {};
    case "value":
      if (hasValues) {
        ctx.add(`${path}.values`, `${operator} takes a single value, not values${listHint(operator)}`);
        return undefined;
      }
      return oneValue(value, operator, `${path}.value`, ctx);
    case "values":
      if (hasValue) {
        ctx.add(`${path}.value`, `${operator} takes a list in values, not value`);
        return undefined;
      }
      return valueList(values, operator, `${path}.values`, ctx);
    case "value_or_values":
      if (hasValue && hasValues) {
        ctx.add(`${path}.values`, `${operator} takes value or values, not both`);
        return undefined;
      }
      return hasValues ? valueList(values, operator, `${path}.values`, ctx) : oneValue(value, operator, `${path}.value`, ctx);
  }
}

function listHint(operator: ExceptionOperator): string {
  if (operator === "is") return " (use is_one_of for a list)";
  if (operator === "is_not") return " (use is_not_one_of for a list)";
  return "";
}

function oneValue(input: unknown, operator: ExceptionOperator, path: string, ctx: Context): Operands | undefined {
  if (input === undefined) {
    ctx.add(path, operator === "cidr" ? "cidr needs a value (a network such as 10.0.0.0/8) or values" : `${operator} needs a value`);
    return undefined;
  }
  const value = operandText(input, operator, path, ctx);
  return value === undefined ? undefined : { value };
}

function valueList(input: unknown, operator: ExceptionOperator, path: string, ctx: Context): Operands | undefined {
  if (!Array.isArray(input)) {
    ctx.add(path, input === undefined ? `${operator} needs values: a non-empty list` : "must be a list of strings");
    return undefined;
  }
  if (input.length === 0) {
    ctx.add(path, `${operator} needs at least one value`);
    return undefined;
  }
  if (input.length > EXCEPTION_LIMITS.maxValues) {
    ctx.add(path, `holds ${input.length} values; at most ${EXCEPTION_LIMITS.maxValues} are allowed`);
    return undefined;
  }
  const values: string[] = [];
  let failed = false;
  input.forEach((item: unknown, i) => {
    const value = operandText(item, operator, `${path}[${i}]`, ctx);
    if (value === undefined) failed = true;
    else values.push(value);
  });
  return failed ? undefined : { values };
}

/** One operand as text: strings as they are, numbers and booleans in their string form. */
function operandText(input: unknown, operator: ExceptionOperator, path: string, ctx: Context): string | undefined {
  const value = scalarText(input);
  if (value === undefined) {
    ctx.add(path, "must be a string");
    return undefined;
  }
  if (value.length > EXCEPTION_LIMITS.maxValueLength) {
    ctx.add(path, `is longer than ${EXCEPTION_LIMITS.maxValueLength} characters`);
    return undefined;
  }
  if (operator === "cidr") {
    const parsed = parseCidr(value);
    if (!parsed.ok) {
      ctx.add(path, parsed.reason);
      return undefined;
    }
  }
  return value;
}

function scalarText(input: unknown): string | undefined {
  if (typeof input === "string") return input;
  if (typeof input === "boolean") return String(input);
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  return undefined;
}

/** An own property only: `{"__proto__": …}` or an inherited name never reads the prototype. */
function own(input: JsonRecord, key: string): unknown {
  return Object.hasOwn(input, key) ? input[key] : undefined;
}

function isRecord(input: unknown): input is JsonRecord {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

/** `entries[0].foo`, or `entries[0]["odd key"]` when the key is not an identifier. */
function keyPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
