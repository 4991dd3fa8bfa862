import type { Metadata } from "next";
import { CreateTokenForm, RevokeTokenButton } from "@/components/token-admin";
import { requireUser } from "@/lib/auth/guard";
import { listApiTokens } from "@/lib/db/tokens";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) : "never");

export default async function TokensPage() {
  await requireUser("admin");
  const tokens = await listApiTokens();
  return (
    <div className="mx-auto max-w-6xl space-y-6 px-4 py-5">
      <div>
        <h1 className="text-lg font-semibold">API tokens</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Bearer tokens for shippers and automation. Vigil stores only a hash: a token is shown once, when created. Environment tokens
          (VIGIL_INGEST_TOKEN, VIGIL_ADMIN_TOKEN) are not listed here.
        </p>
      </div>
      <CreateTokenForm />
      <table className="w-full border-collapse text-sm" aria-label="API tokens">
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            {["Name", "Token", "Scopes", "Created", "Last used", "State", ""].map((h) => (
              <th key={h} scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-b border-zinc-100 dark:border-zinc-900">
              <td className="py-2 pr-3 font-medium">{t.name}</td>
              <td className="py-2 pr-3 font-mono text-xs text-zinc-500">{t.prefix}…</td>
              <td className="py-2 pr-3">{t.scopes.join(", ")}</td>
              <td className="py-2 pr-3 text-xs text-zinc-500">
                {when(t.createdAt)} by {t.createdBy}
              </td>
              <td className="py-2 pr-3 font-mono text-xs text-zinc-500">{when(t.lastUsedAt)}</td>
              <td className="py-2 pr-3">{t.revokedAt ? <span className="text-zinc-500">Revoked {when(t.revokedAt)}</span> : "Active"}</td>
              <td className="py-2">{!t.revokedAt && <RevokeTokenButton tokenId={t.id} name={t.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
