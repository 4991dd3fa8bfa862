import { IngestRejection } from "./parse-body";

/**
 * Reads a request body up to `maxBytes`, refusing early on a declared Content-Length past the
 * limit and stopping the stream as soon as the limit is crossed (never buffering a 20 MiB body
 * to find out it was too big).
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(maxBytes: number): IngestRejection {
  return new IngestRejection(
    "body_too_large",
    `the request body is larger than ${maxBytes} bytes (VIGIL_MAX_BODY_BYTES): split it into smaller batches`,
  );
}
