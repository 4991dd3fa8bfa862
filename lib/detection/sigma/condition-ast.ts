/**
 * The Sigma condition AST: a discriminated union on `type` (STYLE F3), every node with its span
 * in the condition text. Builders (`cond.*`) let tests state expected trees without positions.
 */

export interface Span {
  start: number;
  end: number;
}

export type ConditionNode = LogicalExpression | NotExpression | Identifier | OfExpression;

/** `a and b and c` is one node with three operands; parentheses start a new node. */
export interface LogicalExpression {
  type: "LogicalExpression";
  operator: "and" | "or";
  operands: ConditionNode[];
  location: Span;
}

export interface NotExpression {
  type: "NotExpression";
  operand: ConditionNode;
  location: Span;
}

export interface Identifier {
  type: "Identifier";
  name: string;
  location: Span;
}

/** `1 of selection_*`, `any of them`, `all of filter*`. `1` and `any` mean the same. */
export interface OfExpression {
  type: "OfExpression";
  quantifier: "1" | "any" | "all";
  target: { type: "Them" } | { type: "Pattern"; pattern: string };
  location: Span;
}

const NO_SPAN: Span = { start: 0, end: 0 };

export const cond = {
  and: (...operands: ConditionNode[]): LogicalExpression => ({ type: "LogicalExpression", operator: "and", operands, location: NO_SPAN }),
  or: (...operands: ConditionNode[]): LogicalExpression => ({ type: "LogicalExpression", operator: "or", operands, location: NO_SPAN }),
  not: (operand: ConditionNode): NotExpression => ({ type: "NotExpression", operand, location: NO_SPAN }),
  id: (name: string): Identifier => ({ type: "Identifier", name, location: NO_SPAN }),
  of: (quantifier: OfExpression["quantifier"], target: string): OfExpression => ({
    type: "OfExpression",
    quantifier,
    target: target === "them" ? { type: "Them" } : { type: "Pattern", pattern: target },
    location: NO_SPAN,
  }),
};

/** The tree without positions, for comparing a parse against builders. */
export function withoutLocations(node: ConditionNode): ConditionNode {
  switch (node.type) {
    case "LogicalExpression":
      return { ...node, operands: node.operands.map(withoutLocations), location: NO_SPAN };
    case "NotExpression":
      return { ...node, operand: withoutLocations(node.operand), location: NO_SPAN };
    case "Identifier":
    case "OfExpression":
      return { ...node, location: NO_SPAN };
    default:
      return assertNever(node);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected node ${JSON.stringify(value)}`);
}
