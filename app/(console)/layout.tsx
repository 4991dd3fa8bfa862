import Link from "next/link";
import { SeverityCounts } from "@/components/severity-counts";
import { requireUser } from "@/lib/auth/guard";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { signOut } from "@/lib/actions/session";
import { countOpenAlertsBySeverity } from "@/lib/db/alerts";

export const dynamic = "force-dynamic";

const navLink = "text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser("read");
  const counts = await countOpenAlertsBySeverity();
  const isAdmin = user.scopes.includes("admin");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="flex h-11 items-center gap-6 px-4">
          <Link href="/alerts" className="flex items-center gap-2 text-sm font-semibold tracking-tight">
            <span aria-hidden className="inline-block size-2.5 rounded-full bg-emerald-500" />
            Vigil
          </Link>
          <nav aria-label="Main" className="flex items-center gap-4 text-sm">
            <Link href="/alerts" className={navLink}>
              Alerts
            </Link>
            <Link href="/exceptions" className={navLink}>
              Exceptions
            </Link>
            {isAdmin && (
              <>
                <Link href="/audit" className={navLink}>
                  Audit
                </Link>
                <Link href="/admin/users" className={navLink}>
                  Users
                </Link>
                <Link href="/admin/tokens" className={navLink}>
                  Tokens
                </Link>
              </>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-5">
            <SeverityCounts counts={counts} />
            <div className="flex items-center gap-2 border-l border-zinc-200 pl-4 text-xs dark:border-zinc-800">
              <span className="text-zinc-700 dark:text-zinc-300" title={user.email}>
                {user.name}
              </span>
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">{user.role ? ROLE_LABELS[user.role] : "no role"}</span>
              <form action={signOut}>
                <button type="submit" className="text-zinc-600 hover:text-zinc-950 hover:underline dark:text-zinc-400 dark:hover:text-white">
                  Sign out
                </button>
              </form>
            </div>
          </div>
        </div>
      </header>
      <main className="flex-1">{children}</main>
    </div>
  );
}
