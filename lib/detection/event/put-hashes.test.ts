import { describe, expect, it } from "vitest";
import { putHashes } from "./put-hashes";
import type { EventObject } from "./types";

describe("putHashes", () => {
  it("splits Sysmon's Hashes into hash.* and pe.imphash, lower-cased", () => {
    const process: EventObject = { pe: { original_file_name: "reg.exe" } };
    putHashes(process, "SHA1=E65FAA18,MD5=EB20E119,SHA256=C6A168C8,IMPHASH=E23A24F7");
    expect(process).toEqual({
      hash: { sha1: "e65faa18", md5: "eb20e119", sha256: "c6a168c8" },
      pe: { original_file_name: "reg.exe", imphash: "e23a24f7" },
    });
  });

  it("skips all-zero hashes (Sysmon's IMPHASH of a non-PE file), unknown names and junk", () => {
    const file: EventObject = {};
    expect(putHashes(file, "SHA256=AB,IMPHASH=00000000000000000000000000000000,CRC=1,junk,=x,MD5=")).toBe(true);
    expect(file).toEqual({ hash: { sha256: "ab" } });
    expect(putHashes({}, "constructor=1,__proto__=2")).toBe(false);
  });
});
