import Link from "next/link";
import { SeverityCounts } from "@/components/severity-counts";
import { countOpenAlertsBySeverity } from "@/lib/db/alerts";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await ready();
  const counts = await countOpenAlertsBySeverity();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="flex h-11 items-center gap-6 px-4">
          <Link href="/alerts" className="flex items-center gap-2 text-sm font-semibold tracking-tight">
            <span aria-hidden className="inline-block size-2.5 rounded-full bg-emerald-500" />
            Vigil
          </Link>
          <nav aria-label="Main" className="flex items-center gap-4 text-sm">
            <Link href="/alerts" className="text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white">
              Alerts
            </Link>
          </nav>
          <div className="ml-auto">
            <SeverityCounts counts={counts} />
          </div>
        </div>
      </header>
      <main className="flex-1">{children}</main>
    </div>
  );
}
