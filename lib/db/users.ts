import { db } from "./client";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  banned: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** Every account, with when it was last active (its newest session). */
export async function listUsers(): Promise<UserRow[]> {
  const users = await db().user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, banned: true, createdAt: true, sessions: { select: { updatedAt: true }, orderBy: { updatedAt: "desc" }, take: 1 } },
  });
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, banned: u.banned === true, createdAt: u.createdAt, lastSeenAt: u.sessions[0]?.updatedAt ?? null }));
}

export async function findUser(id: string) {
  return db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, banned: true } });
}

export async function countAdmins(): Promise<number> {
  return db().user.count({ where: { role: "admin", banned: { not: true } } });
}
