import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** The accounts and tokens playwright.config.ts starts the app with. */
export const ADMIN = { email: process.env.VIGIL_ADMIN_EMAIL ?? "admin@e2e.test", password: process.env.VIGIL_ADMIN_PASSWORD ?? "e2e-admin-password-0123" };
export const INGEST_TOKEN = process.env.VIGIL_INGEST_TOKEN ?? "e2e-ingest-token-0123456789abcdef";
export const ADMIN_TOKEN = process.env.VIGIL_ADMIN_TOKEN ?? "e2e-admin-token-0123456789abcdef";
export const ingestAuth = { authorization: `Bearer ${INGEST_TOKEN}` };
export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export function postEvents(request: APIRequestContext, data: string | Buffer, headers: Record<string, string> = {}) {
  return request.post("/api/v1/events", { data, headers: { ...ingestAuth, "content-type": "application/x-ndjson", ...headers } });
}

/** Signs in through the sign-in page, as a person would, and waits for the queue. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/alerts/);
}
