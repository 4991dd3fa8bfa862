/**
 * The Sigma rule model (spec v2.1): what a rule file says, typed, with the position of every
 * piece in the file. This is pure data, a public and versioned API (README "Sigma"): the
 * compiled form lives in compile-sigma.ts and never hangs closures on these nodes (STYLE F2.6).
 *
 * Positions: `SourceSpan.start`/`end` are 0-based offsets into the rule file, `line`/`column` the
 * 1-based position of `start`. Condition nodes use offsets into the condition text instead
 * (condition-ast.ts), so a condition can be parsed and printed on its own.
 */
import type { Cidr } from "../compile/cidr";
import type { PatternPart } from "../compile/pattern";
import type { RuleGuide } from "../rules/model";
import type { ConditionNode } from "./condition-ast";

export interface SourceSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** How a YAML scalar was written, so positions inside it (a regex, a condition) map to the file. */
export interface ScalarSource {
  /** The scalar's text in the file, quotes included. */
  raw: string;
  style: "plain" | "single" | "double" | "block";
}

export const SIGMA_STATUSES = ["stable", "test", "experimental", "deprecated", "unsupported"] as const;
export type SigmaStatus = (typeof SIGMA_STATUSES)[number];

export const SIGMA_LEVELS = ["informational", "low", "medium", "high", "critical"] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

export interface SigmaLogsource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
  location: SourceSpan;
}

/** A Sigma string: pattern parts plus `%name%` placeholders (only with `|expand`). */
export type SigmaStringPart = PatternPart | { readonly type: "Placeholder"; readonly name: string };

/** A detection value as written in YAML. */
export type SigmaRawValue =
  | { type: "String"; value: string; location: SourceSpan; scalar: ScalarSource }
  | { type: "Number"; value: number; raw: string; location: SourceSpan }
  | { type: "Boolean"; value: boolean; location: SourceSpan }
  | { type: "Null"; location: SourceSpan };

export const TIME_UNITS = ["minute", "hour", "day", "week", "month", "year"] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/**
 * A value after its modifiers were applied (pySigma's SigmaType). `from` is the index of the raw
 * value it came from, for error positions. `Expansion` is an OR of alternatives that one raw value
 * turned into (`windash`, `base64offset`, `expand`).
 */
export type SigmaMatchValue =
  | {
      type: "String";
      from: number;
      parts: readonly SigmaStringPart[];
      cased: boolean;
      /** Set by `utf16*`/`wide`: each character is one byte of the encoded text. */
      binary?: boolean;
    }
  | { type: "Number"; from: number; value: number; raw: string }
  | { type: "Boolean"; from: number; value: boolean }
  | { type: "Null"; from: number }
  | { type: "Regex"; from: number; pattern: string; ignoreCase: boolean; multiline: boolean; dotAll: boolean }
  | { type: "Cidr"; from: number; network: Cidr; text: string }
  | { type: "Compare"; from: number; operator: "lt" | "lte" | "gt" | "gte"; value: number }
  | { type: "Exists"; from: number; exists: boolean }
  | { type: "FieldRef"; from: number; field: string; startsWith: boolean; endsWith: boolean; cased: boolean }
  | { type: "TimePart"; from: number; unit: TimeUnit; value: number }
  | { type: "Expansion"; from: number; values: readonly SigmaMatchValue[] };

export interface ModifierRef {
  name: string;
  location: SourceSpan;
}

/** `Field|mod1|mod2: value(s)`, or a keyword (field `null`) searched over the whole event. */
export interface DetectionItem {
  type: "DetectionItem";
  field: string | null;
  modifiers: ModifierRef[];
  values: SigmaRawValue[];
  /** The values were a YAML list (`|all` needs one with at least two entries). */
  valueIsList: boolean;
  /** `any`: one value must match (default); `all`: every value (the `all` modifier). */
  linking: "any" | "all";
  /** `neq`: the field must be present and match none of the values. */
  negated: boolean;
  /** One entry per raw value, after modifiers. */
  matchValues: SigmaMatchValue[];
  /** The key (`Field|mods`) or, for a plain keyword list, the values. */
  location: SourceSpan;
}

/** A search identifier's body: a map is AND, a list is OR (spec "Lists", "Maps"). */
export type SearchExpression =
  | { type: "AllOf"; items: DetectionItem[]; location: SourceSpan }
  | { type: "AnyOf"; items: SearchExpression[]; location: SourceSpan }
  | DetectionItem;

export interface SearchIdentifier {
  name: string;
  expression: SearchExpression;
  location: SourceSpan;
}

export interface SigmaCondition {
  text: string;
  ast: ConditionNode;
  location: SourceSpan;
  scalar: ScalarSource;
}

export interface SigmaDetection {
  searches: SearchIdentifier[];
  /** A list of conditions is OR-ed (spec "Condition"). */
  conditions: SigmaCondition[];
  timeframe?: string;
  location: SourceSpan;
}

export interface SigmaRelated {
  id: string;
  type: string;
}

export interface SigmaRule {
  type: "SigmaRule";
  title: string;
  id?: string;
  name?: string;
  status?: SigmaStatus;
  description?: string;
  license?: string;
  /** As written; RuleMeta splits it on top-level commas. */
  author?: string;
  references: string[];
  date?: string;
  modified?: string;
  tags: string[];
  /** Where each tag is written, parallel to `tags`. */
  tagLocations: SourceSpan[];
  falsepositives: string[];
  level?: SigmaLevel;
  fields: string[];
  related: SigmaRelated[];
  scope: string[];
  taxonomy?: string;
  logsource: SigmaLogsource;
  detection: SigmaDetection;
  /** Vigil's own `vigil.guide` attribute (README "Sigma"); absent on third-party rules. */
  guide?: RuleGuide;
  /** Top-level attributes the spec does not define, as plain data. */
  custom: Record<string, unknown>;
  /** The rule's document in the file (a multi-document file holds several). */
  location: SourceSpan;
  source: SigmaRuleSource;
}

export interface SigmaRuleSource {
  file?: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** The rule's own text: its document, preceded by the `action: global` document it extends. */
  text: string;
}

/** A correlation rule or meta filter: read for its metadata and reported unsupported. */
export interface SigmaUnsupportedDocument {
  type: "SigmaCorrelation" | "SigmaFilter";
  title: string;
  id?: string;
  level?: SigmaLevel;
  status?: SigmaStatus;
  description?: string;
  author?: string;
  tags: string[];
  tagLocations: SourceSpan[];
  location: SourceSpan;
  source: SigmaRuleSource;
}
