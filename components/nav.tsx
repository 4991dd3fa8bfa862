"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
  /** Starts a group (the admin pages): a divider goes before it. */
  group?: boolean;
}

/**
 * The console's main navigation. A client component only to know the current path (the layout
 * is a server component and is not re-rendered on navigation). Every link has the same padding
 * and weight whether current or not, so marking one never moves the others.
 */
export function MainNav({ items }: { items: readonly NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="-mx-1 flex min-w-0 items-center gap-0.5 overflow-x-auto text-sm [scrollbar-width:none]">
      {items.map((item) => {
        const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <span key={item.href} className="flex shrink-0 items-center">
            {item.group && <span aria-hidden className="mx-1.5 h-4 w-px bg-zinc-200 dark:bg-zinc-800" />}
            <Link
              href={item.href}
              aria-current={current ? "page" : undefined}
              className={`rounded px-2 py-1 whitespace-nowrap ${
                current
                  ? "bg-zinc-100 text-zinc-950 dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-950 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-white"
              }`}
            >
              {item.label}
            </Link>
          </span>
        );
      })}
    </nav>
  );
}
