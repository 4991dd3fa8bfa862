/**
 * Allowlist exceptions: the public API of this folder (lib/detection/index.ts re-exports it).
 * validate untrusted JSON → compile to a predicate → warn about broad or self-defeating drafts.
 */
export { EXCEPTION_LIMITS, EXCEPTION_OPERATORS, isOrGroup } from "./types";
export type {
  ExceptionEntry,
  ExceptionItem,
  ExceptionOperator,
  ExceptionOrGroup,
  ExceptionPredicate,
  ExceptionProblem,
  ExceptionValidation,
} from "./types";
export { validateExceptionEntries } from "./validate";
export { compileException } from "./compile";
export { attackWarning, broadnessWarning } from "./assess";
export { sigmaFilterToExceptions } from "./sigma-filter";
export type { SigmaFilterException, SigmaFilterImport } from "./sigma-filter";
