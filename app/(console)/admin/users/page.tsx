import type { Metadata } from "next";
import { CreateUserForm, UserRowActions } from "@/components/user-admin";
import { requireUser } from "@/lib/auth/guard";
import { isRole, ROLE_LABELS } from "@/lib/auth/roles";
import { listUsers } from "@/lib/db/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const me = await requireUser("admin");
  const users = await listUsers();
  return (
    <div className="mx-auto max-w-6xl space-y-6 px-4 py-5">
      <div>
        <h1 className="text-lg font-semibold">Users</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Viewers read; analysts triage alerts; admins manage rules, exceptions, users and tokens.</p>
      </div>
      <CreateUserForm />
      <table className="w-full border-collapse text-sm" aria-label="Users">
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            <th scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">Account</th>
            <th scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">Role</th>
            <th scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">State</th>
            <th scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">Last active</th>
            <th scope="col" className="border-b border-zinc-200 py-2 font-medium dark:border-zinc-800">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b border-zinc-100 align-top dark:border-zinc-900">
              <td className="py-2 pr-3">
                <div className="font-medium">{u.name}</div>
                <div className="text-xs text-zinc-500">{u.email}</div>
              </td>
              <td className="py-2 pr-3">{isRole(u.role) ? ROLE_LABELS[u.role] : u.role}</td>
              <td className="py-2 pr-3">{u.banned ? <span className="text-red-700 dark:text-red-400">Disabled</span> : "Active"}</td>
              <td className="py-2 pr-3 font-mono text-xs text-zinc-500">{u.lastSeenAt ? u.lastSeenAt.toISOString().replace("T", " ").slice(0, 16) : "never"}</td>
              <td className="py-2">
                <UserRowActions userId={u.id} email={u.email} role={u.role} disabled={u.banned} self={u.id === me.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
