/**
 * The walk over a Sigma rule's detection shared by every conversion target: conditions, search
 * identifiers, `1 of` / `all of`, maps and lists, detection items with their linking (`|all`) and
 * negation (`|neq`), expansions (`|windash`, `|base64offset`) and placeholders (`|expand`). A
 * target only says how one field matches a list of alternatives (README "Sigma conversion").
 */
import { parseSigmaString } from "../sigma-string";
import { assertNever, type ConditionNode } from "../condition-ast";
import { resolveOfTargets } from "../condition";
import type { DetectionItem, SearchExpression, SigmaMatchValue, SigmaRule, SigmaStringPart } from "../types";
import { bool, type BoolTree } from "./bool-tree";
import type { ConvertSigmaOptions, UnsupportedConstruct } from "./types";

/** One value alternative after expansions were flattened and placeholders replaced. */
export type Alternative = Exclude<SigmaMatchValue, { type: "Expansion" }>;

/** The detection item being converted, and how to report a construct of it. */
export interface ItemScope {
  readonly item: DetectionItem;
  readonly selection: string;
  /** An unsupported construct of this item; `from` is the index of the raw value it concerns. */
  problem(reason: string, from?: number): UnsupportedConstruct;
}

export interface FieldConversion<L> {
  /** The alternatives OR-ed (`Field: [a, b]`); alternatives without a counterpart become `Unsupported` nodes. */
  anyOf(alternatives: readonly Alternative[], scope: ItemScope): BoolTree<L>;
  /** The field holds a value (for `|neq`, which needs one). */
  hasValue(): BoolTree<L>;
}

export interface DetectionTarget<L> {
  /** How a Sigma field matches in the target, or why it cannot. */
  field(name: string): FieldConversion<L> | { unsupported: string };
  /** The target's name in reasons: "Elastic EQL", "Microsoft Sentinel". */
  readonly label: string;
}

const MAX_PLACEHOLDER_EXPANSION = 4096;

/**
 * The rule's condition as a boolean tree over the target's leaves. A list of conditions is OR-ed
 * (spec "Condition"); search identifiers the condition never references are not converted (and
 * so never reported).
 */
export function convertDetection<L>(rule: SigmaRule, target: DetectionTarget<L>, options: ConvertSigmaOptions = {}): BoolTree<L> {
  const names = rule.detection.searches.map((s) => s.name);
  const expressions = new Map(rule.detection.searches.map((s) => [s.name, s.expression]));
  const converted = new Map<string, BoolTree<L>>();
  const search = (name: string): BoolTree<L> => {
    let t = converted.get(name);
    if (!t) {
      t = convertExpression(expressions.get(name)!, name, target, options);
      converted.set(name, t);
    }
    return t;
  };
  const condition = (node: ConditionNode): BoolTree<L> => {
    switch (node.type) {
      case "LogicalExpression":
        return node.operator === "and" ? bool.and(node.operands.map(condition)) : bool.or(node.operands.map(condition));
      case "NotExpression":
        return bool.not(condition(node.operand));
      case "Identifier":
        return search(node.name);
      case "OfExpression": {
        const targets = resolveOfTargets(node, names).map(search);
        return node.quantifier === "all" ? bool.and(targets) : bool.or(targets);
      }
      default:
        return assertNever(node);
    }
  };
  return bool.or(rule.detection.conditions.map((c) => condition(c.ast)));
}

function convertExpression<L>(expr: SearchExpression, selection: string, target: DetectionTarget<L>, options: ConvertSigmaOptions): BoolTree<L> {
  switch (expr.type) {
    case "AllOf":
      return bool.and(expr.items.map((i) => convertItem(i, selection, target, options)));
    case "AnyOf":
      return bool.or(expr.items.map((i) => convertExpression(i, selection, target, options)));
    case "DetectionItem":
      return convertItem(expr, selection, target, options);
    default:
      return assertNever(expr);
  }
}

/** `Field|mod1|mod2` as the rule writes it, or `keywords` for a field-less item. */
export function describeItem(item: DetectionItem): string {
  const mods = item.modifiers.map((m) => `|${m.name}`).join("");
  return item.field === null ? `keywords${mods}` : `${item.field}${mods}`;
}

function itemScope(item: DetectionItem, selection: string): ItemScope {
  return {
    item,
    selection,
    problem(reason, from) {
      const value = from === undefined ? undefined : item.values[from];
      return {
        construct: describeItem(item),
        reason,
        selection,
        ...(item.field !== null && { field: item.field }),
        location: value?.location ?? item.location,
      };
    },
  };
}

function convertItem<L>(item: DetectionItem, selection: string, target: DetectionTarget<L>, options: ConvertSigmaOptions): BoolTree<L> {
  const scope = itemScope(item, selection);
  if (item.field === null) {
    return bool.unsupported(
      scope.problem(
        `keyword search (a value without a field, searched in every field of the event) has no ${target.label} counterpart: ` +
          "name the field the value is expected in",
      ),
    );
  }
  const field = target.field(item.field);
  if ("unsupported" in field) return bool.unsupported(scope.problem(field.unsupported));
  const groups = item.matchValues.map((v) => flatten(v).flatMap((a) => resolvePlaceholders(a, scope, options)));
  let tree: BoolTree<L>;
  if (item.linking === "all") {
    tree = bool.and(groups.map((g) => alternativesOrProblem(g, field, scope)));
  } else {
    tree = alternativesOrProblem(groups.flat(), field, scope);
  }
  // `|neq`: the field holds a value and none of its elements matches (compile-sigma.ts).
  if (item.negated) tree = bool.and([field.hasValue(), bool.not(tree)]);
  return tree;
}

function alternativesOrProblem<L>(alternatives: (Alternative | UnsupportedConstruct)[], field: FieldConversion<L>, scope: ItemScope): BoolTree<L> {
  const ok = alternatives.filter((a): a is Alternative => "type" in a);
  const problems = alternatives.filter((a): a is UnsupportedConstruct => !("type" in a));
  const parts: BoolTree<L>[] = problems.map((p) => bool.unsupported(p));
  if (ok.length > 0) parts.unshift(field.anyOf(ok, scope));
  // An item whose values all vanished (placeholders configured with no values) matches nothing.
  return parts.length === 0 ? { type: "Const", value: false } : bool.or(parts);
}

function flatten(v: SigmaMatchValue): Alternative[] {
  return v.type === "Expansion" ? v.values.flatMap(flatten) : [v];
}

/** `|expand`: each `%name%` becomes every configured value (compile-sigma.ts resolvePlaceholders). */
function resolvePlaceholders(a: Alternative, scope: ItemScope, options: ConvertSigmaOptions): (Alternative | UnsupportedConstruct)[] {
  if (a.type !== "String" || !a.parts.some((p) => p.type === "Placeholder")) return [a];
  const placeholders = options.placeholders ?? {};
  let variants: SigmaStringPart[][] = [[]];
  for (const part of a.parts) {
    if (part.type !== "Placeholder") {
      variants = variants.map((v) => [...v, part]);
      continue;
    }
    const configured = Object.hasOwn(placeholders, part.name) ? placeholders[part.name] : undefined;
    if (!configured) {
      return [scope.problem(`placeholder %${part.name}% has no configured values, so the value it stands for is unknown`, a.from)];
    }
    const replacements = configured.map((c) => parseSigmaString(c));
    variants = variants.flatMap((v) => replacements.map((r) => [...v, ...r]));
    if (variants.length > MAX_PLACEHOLDER_EXPANSION) {
      return [scope.problem(`placeholders expand this value into more than ${MAX_PLACEHOLDER_EXPANSION} alternatives`, a.from)];
    }
  }
  return variants.map((parts) => ({ ...a, parts }));
}
