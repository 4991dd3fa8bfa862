import Link from "next/link";
import { MainNav, type NavItem } from "@/components/nav";
import { SeverityCounts } from "@/components/severity-counts";
import { requireUser } from "@/lib/auth/guard";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { signOut } from "@/lib/actions/session";
import { countOpenAlertsBySeverity } from "@/lib/db/alerts";

export const dynamic = "force-dynamic";

const NAV: readonly NavItem[] = [
  { href: "/alerts", label: "Queue" },
  { href: "/rules", label: "Rules" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/coverage", label: "Coverage" },
  { href: "/ingest", label: "Ingest" },
];
const ADMIN_NAV: readonly NavItem[] = [
  { href: "/audit", label: "Audit", group: true },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "Tokens" },
];

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser("read");
  const counts = await countOpenAlertsBySeverity();
  const isAdmin = user.scopes.includes("admin");
  return (
    <div className="flex min-h-screen flex-col">
      {/* One fixed-height row: nothing in it (current page, counts, names) can change its height. */}
      <header className="sticky top-0 z-20 h-11 shrink-0 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="flex h-full items-center gap-4 px-4">
          <Link href="/alerts" className="flex shrink-0 items-center gap-2 text-sm font-semibold tracking-tight">
            <span aria-hidden className="inline-block size-2.5 rounded-full bg-emerald-500" />
            Vigil
          </Link>
          <MainNav items={isAdmin ? [...NAV, ...ADMIN_NAV] : NAV} />
          <div className="ml-auto flex shrink-0 items-center gap-4">
            <div className="hidden whitespace-nowrap lg:block">
              <SeverityCounts counts={counts} />
            </div>
            <div className="flex items-center gap-2 border-l border-zinc-200 pl-4 text-xs whitespace-nowrap dark:border-zinc-800">
              <span className="max-w-40 truncate text-zinc-700 dark:text-zinc-300" title={user.email}>
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
