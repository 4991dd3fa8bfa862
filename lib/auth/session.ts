import { scopesOfRole, type Role, type Scope } from "./roles";
import { getAuth } from "./auth";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  scopes: readonly Scope[];
}

/** The signed-in person behind a request's session cookie, or null (none, expired, disabled). */
export async function sessionUser(headers: Headers): Promise<SessionUser | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (!session || session.user.banned) return null;
  const role = session.user.role ?? null;
  return {
    id: session.user.id,
    email: session.user.email,
    name: session.user.name,
    role: (role as Role | null) ?? null,
    scopes: scopesOfRole(role),
  };
}

/** The client's address as the trusted proxy header says (first hop), for audit records. */
export function clientAddress(headers: Headers, header: string): string | null {
  const value = headers.get(header);
  return value ? value.split(",")[0]!.trim().slice(0, 100) : null;
}
