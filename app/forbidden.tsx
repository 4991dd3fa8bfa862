import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <p className="text-sm font-medium text-zinc-500">403</p>
      <h1 className="mt-2 text-lg font-semibold">Your role does not allow this</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Ask an administrator for the analyst or admin role if you need it.</p>
      <Link href="/alerts" className="mt-6 inline-block text-sm text-zinc-900 underline dark:text-zinc-100">
        Back to the alert queue
      </Link>
    </main>
  );
}
