import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { currentUser } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await currentUser()) redirect("/alerts");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <span aria-hidden className="inline-block size-3 rounded-full bg-emerald-500" />
          <span className="text-lg font-semibold tracking-tight">Vigil</span>
        </div>
        <h1 className="mb-4 text-sm font-medium text-zinc-600 dark:text-zinc-400">Sign in to the alert console</h1>
        <SignInForm />
      </div>
    </main>
  );
}
