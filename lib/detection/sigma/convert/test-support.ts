/**
 * Test support for the conversion tests (imported by *.test.ts only): one rule from text, and a
 * generator of ECS events aimed at a rule, for the equivalence of a rule and its EQL conversion.
 *
 * The events are what Elasticsearch holds for a rule's logsource: ECS documents classified by
 * `host.os.type` / `event.category` / `event.type`, and for Windows logsources event log records
 * with a `winlog.channel` and `event.code` (in the logsource's category), values drawn from the
 * rule's own values (wildcards filled,
 * case flipped, characters dropped or added, regular expressions sampled, addresses inside and
 * outside networks, numbers around bounds) and from odd ones (`""`, `\`, `*`, line breaks,
 * `İ`, `ß`), sometimes missing, sometimes arrays. What they never hold is stated where it matters:
 * no explicit `null` or `[]` (Elasticsearch does not index them: a field is present or not),
 * ECS classification values in lower case (as ECS defines them), single values for the fields Vigil
 * reads the first element of (`user.domain`/`user.name`, hash digests, `network.direction`),
 * account names without backslashes, hexadecimal digests.
 */
import { parseCidr, type Cidr } from "../../compile/cidr";
import type { EcsEvent, EventObject, FieldValue } from "../../event/types";
import type { LogsourceDefinition, WindowsSelector } from "../logsources";
import { parseSigmaFile } from "../parse-rule";
import { resolveLogsource } from "../resolve-logsource";
import { parseSigmaString } from "../sigma-string";
import type { DetectionItem, SearchExpression, SigmaMatchValue, SigmaRule, SigmaStringPart } from "../types";
import { ecsFieldTarget, ecsType } from "./ecs-fields";
import { parseSigmaRegex, type RegexNode } from "./sigma-regex";

export const TEST_RULE_ID = "00000000-0000-4000-8000-000000000001";

/** A rule with `detection` (YAML lines, indented as under `detection:`) and a logsource. */
export function ruleText(detection: string, logsource = "category: process_creation\n    product: linux"): string {
  const body = detection
    .replace(/^\n/, "")
    .split("\n")
    .map((l) => (l.trim() === "" ? l : `    ${l}`))
    .join("\n");
  return `title: Test rule\nid: ${TEST_RULE_ID}\nstatus: test\nlogsource:\n    ${logsource}\ndetection:\n${body}\nlevel: medium\n`;
}

export function parseOne(text: string): SigmaRule {
  const parsed = parseSigmaFile(text, { file: "rules/test.yml" });
  if (parsed.errors.length > 0) throw parsed.errors[0];
  const rule = parsed.rules[0];
  if (!rule) throw new Error("no rule in the text");
  return rule;
}

/** mulberry32: small, seeded, good enough to spread test values. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const FILLERS = ["", "", "a", "Z", "\\", "*", "?", " ", "\n", "İ", "ß", "é", "/", "-", "x\\y", "K", "0", '"'];
const JUNK: FieldValue[] = ["", "x", "cmd.exe", "C:\\Windows\\System32\\cmd.exe", "/bin/sh", "İ", "true", "0", 7, false];
const CLASSIFICATION = new Set(["winlog.channel", "winlog.provider_name", "winlog.event_id", "event.code", "event.module", "event.provider", "host.os.type"]);
const OTHER_OS = ["windows", "linux", "macos"];
const OTHER_CATEGORIES = ["process", "network", "file", "registry", "library", "driver", "authentication"];
const OTHER_TYPES = ["start", "end", "info", "connection", "creation", "change", "access", "deletion"];

interface Plan {
  definition: LogsourceDefinition;
  /** Values to draw from, per ECS path. */
  pools: Map<string, FieldValue[]>;
  /** Paths written as single values only (Vigil reads their first element). */
  scalarOnly: Set<string>;
}

export interface GenerateOptions {
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** `count` events aimed at `rule`, the same for the same seed. */
export function generateEvents(rule: SigmaRule, count: number, seed: number, options: GenerateOptions = {}): EcsEvent[] {
  const rng = new Rng(seed);
  const resolution = resolveLogsource(rule.logsource);
  if (!resolution.ok) throw new Error(resolution.reason);
  const plans = resolution.bindings.map((b) => planFor(rule, b.definition, rng, options));
  const events: EcsEvent[] = [];
  for (let i = 0; i < count; i++) events.push(eventFor(rng.pick(plans), rng));
  return events;
}

function items(expr: SearchExpression): DetectionItem[] {
  if (expr.type === "DetectionItem") return [expr];
  if (expr.type === "AllOf") return expr.items;
  return expr.items.flatMap(items);
}

function planFor(rule: SigmaRule, definition: LogsourceDefinition, rng: Rng, options: GenerateOptions): Plan {
  const pools = new Map<string, FieldValue[]>();
  const scalarOnly = new Set<string>();
  const add = (path: string, values: FieldValue[]) => {
    const pool = pools.get(path) ?? [];
    pool.push(...values);
    pools.set(path, pool);
  };
  for (const search of rule.detection.searches) {
    for (const item of items(search.expression)) {
      if (item.field === null) continue;
      const target = ecsFieldTarget(definition, item.field);
      if ("unsupported" in target) continue;
      const alternatives = item.matchValues.flatMap(flatten).flatMap((a) => expand(a, options));
      const samples = alternatives.flatMap((a) => samplesOf(a, rng));
      if (item.linking === "all") {
        // `|all`: values that hold every one of the item's values at once.
        const groups = item.matchValues.map((v) => flatten(v).flatMap((a) => expand(a, options)).flatMap((a) => samplesOf(a, rng)).filter((x) => typeof x === "string"));
        for (let i = 0; i < 4; i++) samples.push(groups.map((g) => (g.length > 0 ? rng.pick(g) : "")).join(rng.pick(["", " "])));
      }
      // A field compared with another field: the other's values make good candidates too.
      for (const a of alternatives) {
        if (a.type === "FieldRef") {
          const other = ecsFieldTarget(definition, a.field);
          if (!("unsupported" in other) && other.kind === "paths") other.paths.forEach((p) => add(p, samples));
        }
      }
      switch (target.kind) {
        case "paths":
          target.paths.forEach((p) => add(p, samples));
          break;
        case "user": {
          // Windows account names have no backslash: split what the rule writes at its backslashes.
          const texts = samples.filter((s): s is string => typeof s === "string");
          const domains = texts.map((t) => (t.includes("\\") ? t.slice(0, t.indexOf("\\")) : t));
          const names = texts.map((t) => (t.includes("\\") ? t.slice(t.indexOf("\\") + 1) : t));
          const clean = (xs: string[]) => xs.map((x) => x.replace(/\\/g, ""));
          add(target.domain, [...clean(domains), "NT AUTHORITY", "nt authority", "CORP", ""]);
          add(target.name, [...clean(names), "SYSTEM", "alice", ""]);
          scalarOnly.add(target.domain);
          scalarOnly.add(target.name);
          break;
        }
        case "hashes":
          for (const [label, path] of target.hashes) {
            const length = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 }[label] ?? 32;
            const prefixes = samples
              .filter((s): s is string => typeof s === "string")
              .map((s) => new RegExp(`${label}=([0-9A-Fa-f]+)`, "i").exec(s)?.[1])
              .filter((s): s is string => s !== undefined);
            add(path, [...prefixes, "", "0", "f"].map((p) => (p + hex(rng, length)).slice(0, length)));
            scalarOnly.add(path);
          }
          break;
        case "table":
          add(target.path, [...Object.keys(target.values), "EGRESS", "Outbound", "true", "false", "True", "unknown", ...samples.filter((s) => typeof s === "string")]);
          scalarOnly.add(target.path);
          break;
      }
    }
  }
  for (const f of definition.ecs?.exists ?? []) add(f, ["x"]);
  for (const [path, pool] of pools) {
    // What Elasticsearch holds: integers in numeric ECS fields (it refuses other text there),
    // booleans in boolean ones, addresses in ip fields (compared as addresses, so written here in
    // lower case as Elasticsearch normalizes them)…
    const type = ecsType(path);
    if (type === "boolean") pools.set(path, [true, false]);
    if (type === "ip") pools.set(path, pool.filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase()));
    if (type === "number") pools.set(path, pool.map((v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v)).filter((v) => typeof v === "number" && Number.isInteger(v)));
    if (pools.get(path)!.length === 0) pools.set(path, type === "number" ? [0, 1] : ["x"]);
  }
  // …and no Windows channel, provider or event id where the scope decides them: a record with a
  // provider or event id but no channel is recognised by Vigil, not by the query (README).
  if (Array.isArray(definition.windows)) for (const p of ["winlog.channel", "winlog.provider_name", "winlog.event_id"]) pools.delete(p);
  return { definition, pools, scalarOnly };
}

function flatten(v: SigmaMatchValue): Exclude<SigmaMatchValue, { type: "Expansion" }>[] {
  return v.type === "Expansion" ? v.values.flatMap(flatten) : [v];
}

function expand(a: Exclude<SigmaMatchValue, { type: "Expansion" }>, options: GenerateOptions): Exclude<SigmaMatchValue, { type: "Expansion" }>[] {
  if (a.type !== "String" || !a.parts.some((p) => p.type === "Placeholder")) return [a];
  let variants: SigmaStringPart[][] = [[]];
  for (const part of a.parts) {
    if (part.type !== "Placeholder") variants = variants.map((v) => [...v, part]);
    else variants = variants.flatMap((v) => (options.placeholders?.[part.name] ?? []).map((c) => [...v, ...parseSigmaString(c)]));
  }
  return variants.map((parts) => ({ ...a, parts }));
}

function hex(rng: Rng, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += "0123456789abcdefABCDEF"[rng.int(22)];
  return out;
}

function flipCase(s: string, rng: Rng): string {
  let out = "";
  for (const c of s) out += rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase();
  return out;
}

function mutate(s: string, rng: Rng): string {
  const chars = [...s];
  if (chars.length === 0 || rng.chance(0.5)) {
    chars.splice(rng.int(chars.length + 1), 0, rng.pick(FILLERS.filter((f) => f.length > 0)));
  } else {
    chars.splice(rng.int(chars.length), 1);
  }
  return chars.join("");
}

/** Values that match an alternative, nearly match it, or match it only in another case. */
function samplesOf(a: Exclude<SigmaMatchValue, { type: "Expansion" }>, rng: Rng): FieldValue[] {
  switch (a.type) {
    case "String": {
      const out: FieldValue[] = [];
      for (let i = 0; i < 5; i++) {
        let s = "";
        for (const p of a.parts) {
          if (p.type === "Text") s += p.text;
          else if (p.type === "AnyChars") s += rng.pick(FILLERS) + (rng.chance(0.3) ? rng.pick(FILLERS) : "");
          else if (p.type === "AnyChar") s += rng.pick(FILLERS.filter((f) => [...f].length === 1));
        }
        if (rng.chance(0.4)) s = flipCase(s, rng);
        if (rng.chance(0.25)) s = mutate(s, rng);
        out.push(s);
      }
      return out;
    }
    case "Number":
      return [a.value, String(a.value), a.raw, a.value + 1, String(a.value).toUpperCase()];
    case "Boolean":
      return [a.value, !a.value, String(a.value), String(a.value).toUpperCase()];
    case "Regex": {
      const parsed = parseSigmaRegex(a.pattern, a);
      const out: FieldValue[] = [a.pattern];
      for (let i = 0; i < 10; i++) {
        let s = parsed.ok ? sampleRegex(parsed.value.root, rng, parsed.value.flags.ignoreCase) : a.pattern;
        if (rng.chance(0.3)) s = rng.pick(FILLERS) + s + rng.pick(FILLERS);
        if (rng.chance(0.2)) s = mutate(s, rng);
        out.push(s);
      }
      return out;
    }
    case "Cidr":
      return [0, 1, 2, 3, 4].map(() => addressNear(a.network, rng));
    case "Compare":
      return [a.value, a.value - 1, a.value + 1, String(a.value), `${a.value}.5`, `0x${Math.max(0, Math.floor(a.value)).toString(16)}`, "x"];
    case "FieldRef":
    case "Null":
    case "Exists":
      return [];
    case "TimePart":
      return ["2026-11-09T03:15:02.123Z", "2026-11-09T04:15:02.123Z"];
  }
}

function sampleRegex(n: RegexNode, rng: Rng, ignoreCase: boolean): string {
  switch (n.type) {
    case "Alternation":
      return sampleRegex(rng.pick(n.branches), rng, ignoreCase);
    case "Sequence":
      return n.items.map((i) => sampleRegex(i, rng, ignoreCase)).join("");
    case "Group":
      return sampleRegex(n.node, rng, ignoreCase);
    case "Repeat": {
      const times = n.min + rng.int(Math.min(n.max ?? n.min + 3, n.min + 3) - n.min + 1);
      let out = "";
      for (let i = 0; i < times; i++) out += sampleRegex(n.node, rng, ignoreCase);
      return out;
    }
    case "Literal":
      return ignoreCase && rng.chance(0.5) ? n.char.toUpperCase() : n.char;
    case "AnyChar":
      return rng.pick(["a", "\n", ".", "\\", "İ"]);
    case "Class": {
      if (n.negated) return rng.pick(["#", "a", "\n", "Z", "9"]);
      const item = rng.pick(n.items);
      if (item.type === "Char") return item.char;
      if (item.type === "Range") return String.fromCodePoint(item.from.codePointAt(0)! + rng.int(item.to.codePointAt(0)! - item.from.codePointAt(0)! + 1));
      if (item.type === "Re2Only") return "a";
      return { d: "7", D: "x", s: " ", S: "x", w: "q", W: "-" }[item.name];
    }
    case "Perl":
      return rng.pick({ d: ["7", "0"], D: ["x", "-"], s: [" ", " ", "\t", "\v"], S: ["x", "."], w: ["q", "_", "q", "é"], W: ["-", " "] }[n.name]);
    case "Assertion":
      return "";
    case "Re2Only":
      return rng.pick(["a", " ", "é"]);
  }
}

function addressNear(network: Cidr, rng: Rng): string {
  if (network.version === 4) {
    const hostBits = 32 - network.prefix;
    const inside = (network.base + (hostBits === 0 ? 0 : rng.int(2 ** Math.min(hostBits, 30)))) >>> 0;
    const outside = (network.base ^ (1 << (31 - Math.max(0, network.prefix - 1)))) >>> 0;
    const value = rng.chance(0.6) ? inside : outside;
    const text = [24, 16, 8, 0].map((s) => (value >>> s) & 255).join(".");
    return rng.chance(0.2) ? `::ffff:${text}` : text;
  }
  const words = [...network.words];
  if (rng.chance(0.4)) {
    const w = Math.min(7, Math.floor(network.prefix / 16));
    words[w] = (words[w]! ^ 0x8000) & 0xffff;
  } else {
    words[7] = (words[7]! | rng.int(0x10)) & 0xffff;
  }
  const text = words.map((w) => w.toString(16)).join(":");
  return parseCidr(text).ok ? text : "::1";
}

function setPath(event: EventObject, path: string, value: FieldValue): void {
  const parts = path.split(".");
  let at: EventObject = event;
  for (const p of parts.slice(0, -1)) {
    const next = at[p];
    if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next)) at[p] = {};
    at = at[p] as EventObject;
  }
  at[parts[parts.length - 1]!] = value;
}

function eventFor(plan: Plan, rng: Rng): EcsEvent {
  const event: EventObject = { "@timestamp": "2026-11-09T10:15:02.123Z" };
  const ecs = plan.definition.ecs;
  const selectors = Array.isArray(plan.definition.windows) ? (plan.definition.windows as readonly WindowsSelector[]) : [];
  if (selectors.length > 0 && (!ecs || rng.chance(0.5))) {
    // A Windows event log record: its channel and event code decide (Vigil's normalizer and
    // Elastic's integrations give it the category of its logsource).
    const selector = rng.pick(selectors);
    setPath(event, "host.os.type", "windows");
    setPath(event, "winlog.channel", selector.channels && rng.chance(0.85) ? flipCase(rng.pick(selector.channels), rng) : "Application");
    setPath(event, "event.code", selector.eventIds && rng.chance(0.85) ? String(rng.pick(selector.eventIds)) : "9999");
    if (selector.where) setPath(event, `winlog.event_data.${selector.where.field}`, rng.chance(0.85) ? rng.pick(selector.where.values) : "Other");
    if (ecs?.category) setPath(event, "event.category", [...ecs.category]);
    if (ecs) setPath(event, "event.type", [rng.pick([...(ecs.type ?? []), ...OTHER_TYPES])]);
  } else if (ecs) {
    if (ecs.os) setPath(event, "host.os.type", rng.chance(0.85) ? ecs.os : rng.pick(OTHER_OS));
    const categories = ecs.category ?? [];
    const category = categories.length > 0 && rng.chance(0.85) ? rng.pick(categories) : rng.pick(OTHER_CATEGORIES);
    setPath(event, "event.category", rng.chance(0.2) ? [rng.pick(OTHER_CATEGORIES), category] : [category]);
    const types = ecs.type ?? [];
    const type = types.length > 0 && rng.chance(0.85) ? rng.pick(types) : rng.pick(OTHER_TYPES);
    setPath(event, "event.type", rng.chance(0.2) ? [type, rng.pick(OTHER_TYPES)] : [type]);
  }
  for (const [path, pool] of plan.pools) {
    if (rng.chance(0.2)) continue;
    // Vigil's logsource cache keys an empty classification value like a missing one (reported
    // with this issue); events never carry an empty channel, provider, code, module or OS type.
    const classification = CLASSIFICATION.has(path);
    const numeric = ecsType(path) !== "keyword";
    const draw = () => (plan.scalarOnly.has(path) || numeric || rng.chance(0.85) ? rng.pick(pool) : rng.pick(JUNK));
    const value = !plan.scalarOnly.has(path) && rng.chance(0.12) ? [draw(), draw()] : draw();
    if (classification && (value === "" || Array.isArray(value))) continue;
    setPath(event, path, plan.scalarOnly.has(path) && typeof value !== "string" ? String(value) : value);
  }
  return event;
}
