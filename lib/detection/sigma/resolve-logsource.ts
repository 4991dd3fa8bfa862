import { compilePathGetter, fieldAccess, isPrototypeName, perEvent, type FieldAccess } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import type { FieldGetter } from "../event/fields";
import type { EcsEvent, EventObject, FieldValue } from "../event/types";
import { LOGSOURCES, UNSUPPORTED_LOGSOURCES, type EcsSelector, type FieldSource, type LogsourceDefinition, type WindowsSelector } from "./logsources";

/**
 * A rule's logsource turned into what the compiler needs: for each logsource definition the rule
 * covers, a memoized scope test ("is this event one the rule may see?") and a resolver from Sigma
 * field names to FieldAccess objects (logsources.ts describes the data).
 */
export interface LogsourceBinding {
  /** Stable key shared by every rule of the same definition (the rule index groups by it). */
  readonly key: string;
  readonly definition: LogsourceDefinition;
  /** Cheap to call repeatedly for one event: the verdict is kept per event class (and memoized per event where it also reads fields). */
  readonly scope: (event: EcsEvent) => boolean;
  field(name: string): FieldAccess;
}

export type LogsourceResolution = { ok: true; bindings: LogsourceBinding[] } | { ok: false; reason: string };

export interface RuleLogsource {
  category?: string;
  product?: string;
  service?: string;
}

const bindingCache = new Map<LogsourceDefinition, LogsourceBinding>();

/**
 * The definitions a rule's logsource covers. `category` and `service` must be equal (both absent
 * counts as equal); `product` must be equal when the rule names one, and a rule without a product
 * covers every product that has the category (`category: process_creation` alone runs on Windows,
 * Linux and macOS process starts, each with its own field mapping). Comparison ignores case.
 */
export function resolveLogsource(logsource: RuleLogsource): LogsourceResolution {
  const want = {
    category: logsource.category?.toLowerCase(),
    product: logsource.product?.toLowerCase(),
    service: logsource.service?.toLowerCase(),
  };
  const describe = Object.entries(want)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const known = UNSUPPORTED_LOGSOURCES.find(
    (u) => u.category === want.category && u.service === want.service && (want.product === undefined || u.product === want.product),
  );
  if (known) return { ok: false, reason: `logsource ${describe} is not supported: ${known.reason}` };
  const definitions = LOGSOURCES.filter(
    (d) => d.category === want.category && d.service === want.service && (want.product === undefined || d.product === want.product),
  );
  if (definitions.length === 0) {
    return {
      ok: false,
      reason: `logsource ${describe} is not supported: Vigil has no events of that kind (it reads Windows event logs incl. Sysmon, and ECS endpoint events from Windows, Linux and macOS)`,
    };
  }
  return { ok: true, bindings: definitions.map(bindingFor) };
}

function bindingFor(definition: LogsourceDefinition): LogsourceBinding {
  let binding = bindingCache.get(definition);
  if (binding) return binding;
  const key = `sigma:${definition.product ?? "*"}/${definition.category ?? "*"}/${definition.service ?? "*"}`;
  const fields = new Map<string, FieldAccess>();
  binding = {
    key,
    definition,
    scope: compileScope(definition),
    field(name) {
      let access = fields.get(name);
      if (!access) {
        access = accessFor(definition, name);
        fields.set(name, access);
      }
      return access;
    },
  };
  bindingCache.set(definition, binding);
  return binding;
}

/**
 * What every logsource test looks at (folded). A Windows event is selected the Windows way when
 * it carries a channel, a provider or an event id (`windowsNative`).
 */
interface Envelope {
  os: readonly string[];
  channel: readonly string[];
  provider: readonly string[];
  module: readonly string[];
  /** `event.code`, else `winlog.event_id`. */
  code: readonly string[];
  category: readonly string[];
  type: readonly string[];
  windowsNative: boolean;
}

/**
 * Events fall into few classes as far as logsources are concerned (Sysmon 1 on Windows, an
 * Elastic Defend Linux process start, …). Each event's class is found with a handful of property
 * reads and a comparison with the last classes seen (a map lookup when none fits); the class
 * remembers each logsource's verdict, so a rule set with 40 logsources costs the same per event
 * as one with a single logsource.
 */
interface EventClass {
  /** The raw values the class was built from (see classOf). */
  osType: FieldValue | undefined;
  channel: FieldValue | undefined;
  provider: FieldValue | undefined;
  module: FieldValue | undefined;
  code: FieldValue | undefined;
  eventId: FieldValue | undefined;
  category: FieldValue | undefined;
  type: FieldValue | undefined;
  envelope: Envelope;
  /** Per definition index: 0 not computed, 1 selected, 2 not selected. */
  verdicts: Uint8Array;
}

const definitionIndex = new Map<LogsourceDefinition, number>(LOGSOURCES.map((d, i) => [d, i]));
const classes = new Map<string, EventClass>();
const MAX_CLASSES = 10_000;

/**
 * The last classes seen, replaced round-robin: a mixed stream cycles through a few classes, and
 * comparing with each of them costs less than keeping them in recency order (which moved the
 * array on nearly every event) or building a key for the map.
 */
const RECENT = 8;
const recent: EventClass[] = [];
let nextRecent = 0;

const classOf = perEvent((event: EcsEvent): EventClass => {
  // Fixed names as plain property reads: a helper taking the name reads it through V8's
  // generic keyed path, one site for every name.
  const hostValue = event.host;
  const host = isObject(hostValue) ? hostValue : undefined;
  const eventValue = event.event;
  const ev = isObject(eventValue) ? eventValue : undefined;
  const winlogValue = event.winlog;
  const winlog = isObject(winlogValue) ? winlogValue : undefined;
  const osValue = host === undefined ? undefined : host.os;
  const os = isObject(osValue) ? osValue : undefined;
  const osType = os === undefined ? undefined : os["type"];
  const channel = winlog === undefined ? undefined : winlog["channel"];
  const provider = winlog === undefined ? undefined : winlog["provider_name"];
  const eventModule = ev === undefined ? undefined : ev["module"];
  const code = ev === undefined ? undefined : ev["code"];
  const eventId = winlog === undefined ? undefined : winlog["event_id"];
  const category = ev === undefined ? undefined : ev["category"];
  const type = ev === undefined ? undefined : ev["type"];
  // String equality compares contents without hashing, so a hit here is cheaper than a map lookup.
  for (let i = 0; i < recent.length; i++) {
    const c = recent[i]!;
    if (
      c.osType === osType &&
      c.channel === channel &&
      c.provider === provider &&
      c.module === eventModule &&
      c.code === code &&
      c.eventId === eventId &&
      sameValue(c.category, category) &&
      sameValue(c.type, type)
    ) {
      return c;
    }
  }
  const raw = [osType, channel, provider, eventModule, code, eventId, category, type];
  let key = "";
  for (const v of raw) key += `${keyPart(v)}\u0001`;
  let found = classes.get(key);
  if (found === undefined) {
    if (classes.size >= MAX_CLASSES) classes.clear();
    const [osTypes, channels, providers, modules, codes, eventIds, categories, types] = raw.map(folded);
    found = {
      osType,
      channel,
      provider,
      module: eventModule,
      code,
      eventId,
      category,
      type,
      envelope: {
        os: osTypes!,
        channel: channels!,
        provider: providers!,
        module: modules!,
        code: codes!.length > 0 ? codes! : eventIds!,
        category: categories!,
        type: types!,
        windowsNative: channels!.length > 0 || providers!.length > 0 || eventIds!.length > 0,
      },
      verdicts: new Uint8Array(LOGSOURCES.length),
    };
    classes.set(key, found);
  }
  if (recent.length < RECENT) recent.push(found);
  else recent[nextRecent] = found;
  nextRecent = (nextRecent + 1) % RECENT;
  return found;
});

/** Equal values, arrays compared element by element (`event.category` is a fresh array per event). */
function sameValue(x: FieldValue | undefined, y: FieldValue | undefined): boolean {
  if (x === y) return true;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  return true;
}

/** Tagged by type, so a missing value, null, "" and 1 / "1" never share a class. */
function keyPart(v: FieldValue | undefined): string {
  if (v === undefined) return "u";
  if (v === null) return "n";
  if (typeof v === "string") return `s${v}`;
  if (typeof v !== "object") return `${typeof v}${String(v)}`;
  return Array.isArray(v) ? `a${v.map(keyPart).join("\u0002")}` : "o";
}

const NONE: readonly string[] = Object.freeze([]);

function folded(v: FieldValue | undefined): readonly string[] {
  if (v === undefined || v === null) return NONE;
  if (typeof v === "string") return [foldCase(v)];
  if (typeof v === "number" || typeof v === "boolean") return [String(v)];
  if (!Array.isArray(v)) return NONE;
  return v.flatMap((item) => folded(item));
}

/**
 * The scope test of a definition, memoized per event. A definition without a residual test
 * needs no memo of its own: its verdict is a read of the event class's (memoized) verdicts.
 */
function compileScope(definition: LogsourceDefinition): (event: EcsEvent) => boolean {
  const index = definitionIndex.get(definition)!;
  const byClass = compileClassTest(definition);
  const residual = compileResidual(definition);
  const verdictOf = (event: EcsEvent): EventClass | undefined => {
    const cls = classOf(event);
    let verdict = cls.verdicts[index]!;
    if (verdict === 0) cls.verdicts[index] = verdict = byClass(cls.envelope) ? 1 : 2;
    return verdict === 1 ? cls : undefined;
  };
  if (residual === undefined) return (event) => verdictOf(event) !== undefined;
  return perEvent((event) => {
    const cls = verdictOf(event);
    return cls !== undefined && residual(event, cls.envelope);
  });
}

/** The part of a logsource's selection that depends on the event's class only. */
function compileClassTest(definition: LogsourceDefinition): (env: Envelope) => boolean {
  const ecs = definition.ecs ? compileEcsSelector(definition.ecs) : undefined;
  if (definition.windows === undefined) return ecs ?? (() => false);
  const windows = definition.windows === "any" ? "any" : definition.windows.map(compileWindowsSource);
  return (env) => {
    if (env.os.length > 0 && !env.os.includes("windows")) return false;
    if (env.windowsNative) return windows === "any" || windows.some((test) => test(env));
    return ecs ? ecs(env) : false;
  };
}

function compileWindowsSource(selector: WindowsSelector): (env: Envelope) => boolean {
  const channels = new Set((selector.channels ?? []).map(foldCase));
  const providers = new Set((selector.providers ?? []).map(foldCase));
  const modules = new Set((selector.modules ?? []).map(foldCase));
  const ids = selector.eventIds ? new Set(selector.eventIds.map(String)) : undefined;
  return (env) => {
    // The channel decides when present, then the provider; flat events that name neither are
    // recognised by the module the normalizer inferred from their shape.
    const source =
      env.channel.length > 0
        ? env.channel.some((c) => channels.has(c))
        : env.provider.length > 0
          ? env.provider.some((p) => providers.has(p))
          : env.module.some((m) => modules.has(m));
    return source && (ids === undefined || env.code.some((c) => ids.has(c)));
  };
}

function compileEcsSelector(selector: EcsSelector): (env: Envelope) => boolean {
  const os = selector.os;
  const categories = selector.category ? new Set(selector.category) : undefined;
  const types = selector.type ? new Set(selector.type) : undefined;
  return (env) => {
    if (os !== undefined && !env.os.includes(os)) return false;
    if (categories && !env.category.some((c) => categories.has(c))) return false;
    if (types && !env.type.some((t) => types.has(t))) return false;
    return true;
  };
}

/**
 * What a logsource needs beyond the event's class, checked per event: a Windows selector's
 * extra field (Sysmon 12 split by EventType) and ECS fields that must be present.
 */
function compileResidual(definition: LogsourceDefinition): ((event: EcsEvent, env: Envelope) => boolean) | undefined {
  const exists = (definition.ecs?.exists ?? []).map((f) => fieldAccess(f));
  const selectors = Array.isArray(definition.windows) ? (definition.windows as readonly WindowsSelector[]) : [];
  const wheres = selectors.filter((s) => s.where !== undefined);
  if (exists.length === 0 && wheres.length === 0) return undefined;
  const whereTests = selectors.map((s) => {
    const source = compileWindowsSource(s);
    const where = s.where ? { access: eventDataAccess(s.where.field), values: new Set(s.where.values.map(foldCase)) } : undefined;
    return (event: EcsEvent, env: Envelope) => source(env) && (where === undefined || where.access.folded(event).some((v) => where.values.has(v)));
  });
  return (event, env) => {
    if (env.windowsNative && definition.windows !== undefined) return wheres.length === 0 || whereTests.some((t) => t(event, env));
    for (const access of exists) if (access.scalars(event) === undefined) return false;
    return true;
  };
}

/** The sources a Sigma field is read from under a definition, in order (logsources.ts). */
export function fieldSources(definition: LogsourceDefinition, name: string): FieldSource[] {
  const stripped = name.replace(/\s+/g, "");
  // A data table keyed by rule text: only own entries count (`constructor` is not a mapping).
  const own = (key: string) => (Object.hasOwn(definition.fields, key) ? definition.fields[key] : undefined);
  const mapped = own(name) ?? own(stripped) ?? [];
  const sources: FieldSource[] = [];
  if (definition.windowsFields) sources.push(`winlog.event_data.${stripped}`, `winlog.user_data.${stripped}`);
  sources.push(...mapped);
  if (name.includes(".") || (!definition.windowsFields && mapped.length === 0)) sources.push(name);
  return sources.filter((s, i) => sources.findIndex((t) => JSON.stringify(t) === JSON.stringify(s)) === i);
}

function accessFor(definition: LogsourceDefinition, name: string): FieldAccess {
  const sources = fieldSources(definition, name);
  const key = `sigma-field:${JSON.stringify(sources)}`;
  const readers = sources.map(compileSource);
  return fieldAccess(key, {
    get: (event) => {
      for (let i = 0; i < readers.length; i++) {
        const v = readers[i]!.get(event);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    pathOf: (event) => readers.find((r) => r.get(event) !== undefined)?.path,
  });
}

interface SourceReader {
  path: string;
  get: FieldGetter;
}

function compileSource(source: FieldSource): SourceReader {
  if (typeof source === "string") {
    const m = /^winlog\.(event_data|user_data)\.(.+)$/.exec(source);
    if (m) return { path: source, get: blankInsensitiveGetter(m[1]!, m[2]!) };
    return { path: source, get: compilePathGetter(source) };
  }
  if ("join" in source) {
    const parts = source.join.map((p) => compilePathGetter(p));
    return {
      path: source.join.join(`+${JSON.stringify(source.separator)}+`),
      get: (event) => {
        const present = parts.map((g) => firstString(g(event))).filter((s): s is string => s !== undefined && s !== "");
        return present.length === 0 ? undefined : present.join(source.separator);
      },
    };
  }
  if ("hashes" in source) {
    const parts = source.hashes.map(([label, path]) => [label, compilePathGetter(path)] as const);
    return {
      path: source.hashes.map(([, p]) => p).join("+"),
      get: (event) => {
        const present: string[] = [];
        for (const [label, g] of parts) {
          const v = firstString(g(event));
          if (v !== undefined && v !== "") present.push(`${label}=${v}`);
        }
        return present.length === 0 ? undefined : present.join(",");
      },
    };
  }
  const getter = compilePathGetter(source.path);
  const table = new Map(Object.entries(source.values).map(([k, v]) => [foldCase(k), v]));
  return {
    path: source.path,
    get: (event) => {
      const v = firstString(getter(event));
      if (v === undefined) return undefined;
      return table.get(foldCase(v)) ?? v;
    },
  };
}

function firstString(v: FieldValue | undefined): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === "string") return first;
  if (typeof first === "number" || typeof first === "boolean") return String(first);
  return undefined;
}

/**
 * `winlog.event_data.<Name>`, also finding keys written with blanks ("Threat Name" for
 * `ThreatName`, spec "Field Usage" 2). Normalizers add blank-less aliases; this keeps the
 * engine right for events that come without them. The scan runs only when the exact key misses.
 */
function blankInsensitiveGetter(section: string, name: string): FieldGetter {
  const ownOnly = isPrototypeName(name);
  const lookup = (data: EventObject): FieldValue | undefined => {
    const direct = ownOnly && !Object.hasOwn(data, name) ? undefined : data[name];
    if (direct !== undefined) return direct;
    const key = blankKeys(data).get(name);
    return key === undefined ? undefined : data[key];
  };
  // The section as a fixed property name (one getter per section), read for every Windows field.
  if (section === "event_data") {
    return (event) => {
      const winlog = event.winlog;
      if (!isObject(winlog)) return undefined;
      const data = winlog.event_data;
      return isObject(data) ? lookup(data) : undefined;
    };
  }
  return (event) => {
    const winlog = event.winlog;
    if (!isObject(winlog)) return undefined;
    const data = winlog[section];
    return isObject(data) ? lookup(data) : undefined;
  };
}

const NO_BLANK_KEYS = new Map<string, string>();

/**
 * The keys of `data` that contain blanks, by their blank-less form; scanned once per object.
 * Remembered for the last object only: the fields of one rule set are read event by event, so
 * every miss of one event asks about the same object (a WeakMap entry per event cost more
 * than the scan it saved).
 */
let lastData: EventObject | undefined;
let lastBlankKeys: Map<string, string> = NO_BLANK_KEYS;
function blankKeys(data: EventObject): Map<string, string> {
  if (data === lastData) return lastBlankKeys;
  let keys = NO_BLANK_KEYS;
  for (const key in data) {
    if (hasWhitespace(key)) {
      if (keys === NO_BLANK_KEYS) keys = new Map();
      keys.set(key.replace(/\s+/g, ""), key);
    }
  }
  lastData = data;
  lastBlankKeys = keys;
  return keys;
}

/** `/\s/.test(key)` without the RegExp machinery for the usual key of letters. */
function hasWhitespace(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= 32 || c >= 127) return /\s/.test(key);
  }
  return false;
}

function eventDataAccess(name: string): FieldAccess {
  const getter = blankInsensitiveGetter("event_data", name);
  return fieldAccess(`sigma-event-data:${name}`, { get: getter, pathOf: () => `winlog.event_data.${name}` });
}

function isObject(v: FieldValue | undefined): v is EventObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
