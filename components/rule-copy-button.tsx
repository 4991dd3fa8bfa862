"use client";

import { useState } from "react";
import { smallButtonClass } from "./ui";

/** Copies a rule's source (or a converted query) to the clipboard, exactly as stored. */
export function RuleCopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<"" | "copied" | "failed">("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone("copied");
    } catch {
      setDone("failed");
    }
    setTimeout(() => setDone(""), 2000);
  };
  return (
    <button type="button" className={smallButtonClass} onClick={copy} aria-label={label}>
      {done === "copied" ? "Copied" : done === "failed" ? "Copy failed" : "Copy"}
    </button>
  );
}
