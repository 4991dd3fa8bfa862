/** Next.js calls register() once per server start, before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ready } = await import("@/lib/server/startup");
  try {
    await ready();
  } catch (error) {
    // Keep serving: /api/v1/health reports the problem and requests retry start-up.
    console.error(JSON.stringify({ level: "error", msg: "start-up failed", error: String((error as Error).message) }));
  }
}
