/**
 * The alert lifecycle. An alert is worked (open ⇄ acknowledged ⇄ escalated) until it is closed
 * with a disposition; a closed alert can only be reopened (or its disposition corrected).
 */
export const ALERT_STATUSES = ["open", "acknowledged", "escalated", "closed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const DISPOSITIONS = ["true_positive", "benign_positive", "false_positive", "undetermined"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface StatusChange {
  status: AlertStatus;
  disposition?: Disposition | null;
}

/** Statuses an alert may move to `to` from (the same status is an idempotent no-op, not a move). */
export function allowedFrom(to: AlertStatus): AlertStatus[] {
  switch (to) {
    case "open":
      return ["acknowledged", "escalated", "closed"];
    case "acknowledged":
    case "escalated":
      return ["open", "acknowledged", "escalated"].filter((s) => s !== to) as AlertStatus[];
    case "closed":
      // closed → closed corrects the disposition.
      return ["open", "acknowledged", "escalated", "closed"];
  }
}

/** Why a change is refused whatever the alert's current status, or null. */
export function changeProblem(change: StatusChange): string | null {
  const { status: to, disposition } = change;
  if (to === "closed" && !disposition) {
    return `closing an alert needs a disposition: one of ${DISPOSITIONS.join(", ")}`;
  }
  if (to !== "closed" && disposition) {
    return `a disposition is set only when closing (status "closed"), not with status "${to}"`;
  }
  return null;
}

/** Why a change is refused from status `from`, or null when it is valid. */
export function transitionProblem(from: AlertStatus, change: StatusChange): string | null {
  const problem = changeProblem(change);
  if (problem) return problem;
  const to = change.status;
  if (from === to && to !== "closed") return null; // no-op
  if (!allowedFrom(to).includes(from)) {
    return from === "closed"
      ? `the alert is closed: reopen it (status "open") before setting it ${to}`
      : `an alert cannot go from ${from} to ${to}`;
  }
  return null;
}
