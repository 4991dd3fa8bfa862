/**
 * The KQL (Kibana Query Language, `language = "kuery"`) AST: a public, versioned data structure
 * (README "AST is a public API"). Plain JSON-serialisable objects, discriminated on `type`, every
 * node with `location` (0-based offsets into the query, end exclusive). No closures: compiled
 * predicates are a separate type (STYLE F2.6).
 *
 * The node kinds follow Kibana's grammar (kbn-es-query grammar.peggy) but are explicit instead of
 * Kibana's generic `function` node, and value lists keep their shape (`field:(a or b)` stays one
 * FieldMatch) so the printer can write the query back the way rules are written.
 */

export interface Location {
  start: number;
  end: number;
}

/**
 * A field or value as text between wildcards: `segments.join("*")` with every join an unescaped
 * `*`. A plain value has one segment; `*.exe` is ["", ".exe"]; a lone `*` is ["", ""]. Quoted
 * text never has wildcards (one segment). Escapes are already resolved: `\*` is a literal `*`
 * inside a segment.
 */
interface Segmented {
  segments: string[];
  /** Written in double quotes: a phrase, never a wildcard. */
  quoted: boolean;
  location: Location;
}

export interface KqlField extends Segmented {
  type: "Field";
}

export interface KqlValue extends Segmented {
  type: "Value";
}

/** `a or b`, `a and b` inside a value list: `field:(a or b and not c)`. */
export interface KqlValueLogical {
  type: "ValueLogical";
  operator: "and" | "or";
  operands: KqlValueExpression[];
  location: Location;
}

export interface KqlValueNot {
  type: "ValueNot";
  operand: KqlValueExpression;
  location: Location;
}

export type KqlValueExpression = KqlValueLogical | KqlValueNot | KqlValue;

export interface KqlLogical {
  type: "LogicalExpression";
  operator: "and" | "or";
  operands: KqlNode[];
  location: Location;
}

export interface KqlNot {
  type: "NotExpression";
  operand: KqlNode;
  location: Location;
}

/** `field:value` or `field:(value list)`. */
export interface KqlFieldMatch {
  type: "FieldMatch";
  field: KqlField;
  value: KqlValueExpression;
  location: Location;
}

/** `field:*`: the field has a value. */
export interface KqlExists {
  type: "Exists";
  field: KqlField;
  location: Location;
}

export type KqlRangeOperator = "<" | "<=" | ">" | ">=";

export interface KqlRange {
  type: "Range";
  field: KqlField;
  operator: KqlRangeOperator;
  value: KqlValue;
  location: Location;
}

/** `path:{ query }`: the inner query holds within one element of `path`. */
export interface KqlNested {
  type: "Nested";
  field: KqlField;
  query: KqlNode;
  location: Location;
}

/** A value with no field: searched in every field (README "KQL free text"). */
export interface KqlFreeText {
  type: "FreeText";
  value: KqlValue;
  location: Location;
}

/** The empty query, which Kibana reads as "everything". */
export interface KqlMatchAll {
  type: "MatchAll";
  location: Location;
}

export type KqlNode = KqlLogical | KqlNot | KqlFieldMatch | KqlExists | KqlRange | KqlNested | KqlFreeText | KqlMatchAll;

export type KqlAst = KqlNode;

const NO_LOCATION: Location = Object.freeze({ start: 0, end: 0 }) as Location;

/** Split builder text on `*` (builders write wildcards as `*`; use `kql.literal` for a literal `*`). */
function segmentsOf(text: string): string[] {
  return text.split("*");
}

function field(name: string | KqlField): KqlField {
  if (typeof name !== "string") return name;
  return { type: "Field", segments: segmentsOf(name), quoted: false, location: NO_LOCATION };
}

function valueOf(v: string | KqlValueExpression): KqlValueExpression {
  return typeof v === "string" ? kql.value(v) : v;
}

/**
 * Builders for expected trees in tests (STYLE F3, Kibana's node_builder). Locations are zeroed;
 * compare against parsed trees with `stripLocations`.
 */
export const kql = {
  /** An unquoted value; `*` in `text` is a wildcard. */
  value(text: string): KqlValue {
    return { type: "Value", segments: segmentsOf(text), quoted: false, location: NO_LOCATION };
  },
  /** A quoted phrase: exact text, `*` is literal. */
  quoted(text: string): KqlValue {
    return { type: "Value", segments: [text], quoted: true, location: NO_LOCATION };
  },
  /** An unquoted value from explicit segments (a literal `*` inside a segment). */
  literal(segments: string[]): KqlValue {
    return { type: "Value", segments, quoted: false, location: NO_LOCATION };
  },
  field,
  quotedField(name: string): KqlField {
    return { type: "Field", segments: [name], quoted: true, location: NO_LOCATION };
  },
  or(...operands: KqlNode[]): KqlLogical {
    return { type: "LogicalExpression", operator: "or", operands, location: NO_LOCATION };
  },
  and(...operands: KqlNode[]): KqlLogical {
    return { type: "LogicalExpression", operator: "and", operands, location: NO_LOCATION };
  },
  not(operand: KqlNode): KqlNot {
    return { type: "NotExpression", operand, location: NO_LOCATION };
  },
  /** `field:value`; a string value is unquoted (so `*` is a wildcard). */
  is(name: string | KqlField, value: string | KqlValueExpression): KqlFieldMatch {
    return { type: "FieldMatch", field: field(name), value: valueOf(value), location: NO_LOCATION };
  },
  /** `field:"text"`. */
  phrase(name: string | KqlField, text: string): KqlFieldMatch {
    return kql.is(name, kql.quoted(text));
  },
  anyOf(...values: (string | KqlValueExpression)[]): KqlValueLogical {
    return { type: "ValueLogical", operator: "or", operands: values.map(valueOf), location: NO_LOCATION };
  },
  allOf(...values: (string | KqlValueExpression)[]): KqlValueLogical {
    return { type: "ValueLogical", operator: "and", operands: values.map(valueOf), location: NO_LOCATION };
  },
  none(value: string | KqlValueExpression): KqlValueNot {
    return { type: "ValueNot", operand: valueOf(value), location: NO_LOCATION };
  },
  exists(name: string | KqlField): KqlExists {
    return { type: "Exists", field: field(name), location: NO_LOCATION };
  },
  range(name: string | KqlField, operator: KqlRangeOperator, value: string | KqlValue): KqlRange {
    return {
      type: "Range",
      field: field(name),
      operator,
      value: typeof value === "string" ? kql.value(value) : value,
      location: NO_LOCATION,
    };
  },
  nested(name: string | KqlField, query: KqlNode): KqlNested {
    return { type: "Nested", field: field(name), query, location: NO_LOCATION };
  },
  text(value: string | KqlValue): KqlFreeText {
    return { type: "FreeText", value: typeof value === "string" ? kql.value(value) : value, location: NO_LOCATION };
  },
  matchAll(): KqlMatchAll {
    return { type: "MatchAll", location: NO_LOCATION };
  },
};

/** A deep copy without `location` keys, for comparing parsed trees with built ones. */
export function stripLocations<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripLocations) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== "location") out[k] = stripLocations(v);
  return out as T;
}

/** A field's name when it has no wildcard, else undefined. */
export function plainFieldName(f: KqlField): string | undefined {
  return f.segments.length === 1 ? f.segments[0] : undefined;
}

/** Whether a value is a lone unquoted `*` (exists, in a value list). */
export function isLoneWildcard(v: KqlValue): boolean {
  return !v.quoted && v.segments.length === 2 && v.segments[0] === "" && v.segments[1] === "";
}

/** Exhaustiveness guard for switches over node kinds (STYLE F3). */
export function assertNever(x: never): never {
  throw new Error(`unexpected node ${JSON.stringify(x)}`);
}
