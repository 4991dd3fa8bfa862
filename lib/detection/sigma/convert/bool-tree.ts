/**
 * The boolean shape a Sigma rule converts into before it is printed in a target language: and /
 * or / not over target-specific leaves, plus the constructs the target has no counterpart for.
 * Pure data; both targets share the walk over the rule (convert-detection.ts) and this module's
 * rule for leaving unsupported constructs out.
 */
import { assertNever } from "../condition-ast";
import type { UnsupportedConstruct } from "./types";

export type BoolTree<L> =
  | { type: "And"; operands: BoolTree<L>[] }
  | { type: "Or"; operands: BoolTree<L>[] }
  | { type: "Not"; operand: BoolTree<L> }
  | { type: "Const"; value: boolean }
  | { type: "Leaf"; leaf: L }
  | { type: "Unsupported"; problem: UnsupportedConstruct };

export const TRUE = { type: "Const", value: true } as const satisfies BoolTree<never>;
export const FALSE = { type: "Const", value: false } as const satisfies BoolTree<never>;

export const bool = {
  and<L>(operands: BoolTree<L>[]): BoolTree<L> {
    return operands.length === 1 ? operands[0]! : { type: "And", operands };
  },
  or<L>(operands: BoolTree<L>[]): BoolTree<L> {
    return operands.length === 1 ? operands[0]! : { type: "Or", operands };
  },
  not<L>(operand: BoolTree<L>): BoolTree<L> {
    return { type: "Not", operand };
  },
  leaf<L>(leaf: L): BoolTree<L> {
    return { type: "Leaf", leaf };
  },
  unsupported<L>(problem: UnsupportedConstruct): BoolTree<L> {
    return { type: "Unsupported", problem };
  },
};

/** Every unsupported construct in the tree, in order, each once. */
export function problemsOf<L>(tree: BoolTree<L>): UnsupportedConstruct[] {
  const out: UnsupportedConstruct[] = [];
  const seen = new Set<string>();
  const walk = (t: BoolTree<L>): void => {
    switch (t.type) {
      case "And":
      case "Or":
        t.operands.forEach(walk);
        return;
      case "Not":
        walk(t.operand);
        return;
      case "Unsupported": {
        const key = problemKey(t.problem);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(t.problem);
        }
        return;
      }
      case "Const":
      case "Leaf":
        return;
      default:
        assertNever(t);
    }
  };
  walk(tree);
  return out;
}

export function problemKey(p: UnsupportedConstruct): string {
  return JSON.stringify([p.construct, p.reason, p.selection ?? null, p.location?.start ?? null]);
}

/**
 * The tree with every unsupported construct replaced by the constant that widens the query:
 * `true` where it sits under an even number of `not`s, `false` under an odd number. A query with
 * an unconvertible piece thus matches a superset of the rule's events (never a silent subset),
 * and the constants are simplified away.
 *
 * Why widen rather than narrow: a converted rule is used to hunt, and a hunt that misses what the
 * rule would have caught is the failure an analyst cannot see; extra results are visible, and the
 * page lists what was not checked.
 */
export function settle<L>(tree: BoolTree<L>, positive = true): Exclude<BoolTree<L>, { type: "Unsupported" }> {
  switch (tree.type) {
    case "Unsupported":
      return positive ? TRUE : FALSE;
    case "Const":
    case "Leaf":
      return tree;
    case "Not": {
      const inner = settle(tree.operand, !positive);
      if (inner.type === "Const") return inner.value ? FALSE : TRUE;
      if (inner.type === "Not") return inner.operand as Exclude<BoolTree<L>, { type: "Unsupported" }>;
      return { type: "Not", operand: inner };
    }
    case "And":
    case "Or": {
      const neutral = tree.type === "And";
      const operands: BoolTree<L>[] = [];
      const seen = new Set<string>();
      const push = (t: BoolTree<L>) => {
        // `a or a` is `a`: the same selection twice (`1 of sel*` and `sel1`) is written once.
        const key = JSON.stringify(t);
        if (!seen.has(key)) {
          seen.add(key);
          operands.push(t);
        }
      };
      for (const o of tree.operands) {
        const s = settle(o, positive);
        if (s.type === "Const") {
          if (s.value === neutral) continue;
          return s; // `false` in an and, `true` in an or
        }
        // Same-operator children merge: `a and (b and c)` is `a and b and c`.
        if (s.type === tree.type) s.operands.forEach(push);
        else push(s);
      }
      if (operands.length === 0) return neutral ? TRUE : FALSE;
      if (operands.length === 1) return operands[0] as Exclude<BoolTree<L>, { type: "Unsupported" }>;
      return { type: tree.type, operands };
    }
    default:
      return assertNever(tree);
  }
}

/** Render a settled tree bottom-up. */
export function foldTree<L, R>(
  tree: BoolTree<L>,
  visit: { and(operands: R[]): R; or(operands: R[]): R; not(operand: R): R; constant(value: boolean): R; leaf(leaf: L): R },
): R {
  switch (tree.type) {
    case "And":
      return visit.and(tree.operands.map((o) => foldTree(o, visit)));
    case "Or":
      return visit.or(tree.operands.map((o) => foldTree(o, visit)));
    case "Not":
      return visit.not(foldTree(tree.operand, visit));
    case "Const":
      return visit.constant(tree.value);
    case "Leaf":
      return visit.leaf(tree.leaf);
    case "Unsupported":
      throw new Error("settle() the tree before rendering it");
    default:
      return assertNever(tree);
  }
}
