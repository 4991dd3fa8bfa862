/**
 * Who may do what. People have a role; API tokens have scopes; both resolve to scopes, and every
 * page, server action and API route asks for the scope it needs (the UI hides what a role cannot
 * do, but the server is the guard).
 */
export const ROLES = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ["ingest", "read", "triage", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** viewer reads; analyst triages (status, notes, checklists, exception proposals); admin runs Vigil. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: ["read"],
  analyst: ["read", "triage"],
  admin: ["read", "triage", "admin"],
};

export const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", analyst: "Analyst", admin: "Admin" };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}

/** Scopes of a role string as stored (an unknown role gets nothing). */
export function scopesOfRole(role: string | null | undefined): readonly Scope[] {
  return isRole(role) ? ROLE_SCOPES[role] : [];
}
