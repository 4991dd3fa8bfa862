/**
 * A rule's source with syntax highlighting and line numbers. Safe by construction: the source is
 * split into typed tokens (lib/rules/highlight-source.ts) and every token is a React text child,
 * escaped like any text; there is no dangerouslySetInnerHTML. Server-compatible (no hooks).
 */
import { highlightSource, type SourceLanguage, type TokenKind } from "@/lib/rules/highlight-source";

const TOKEN_CLASS: Record<TokenKind, string | undefined> = {
  plain: undefined,
  comment: "italic text-zinc-500 dark:text-zinc-500",
  key: "text-sky-800 dark:text-sky-300",
  modifier: "text-violet-700 dark:text-violet-300",
  string: "text-emerald-800 dark:text-emerald-300",
  number: "text-amber-700 dark:text-amber-300",
  literal: "text-amber-700 dark:text-amber-300",
  punctuation: "text-zinc-500 dark:text-zinc-400",
  header: "font-semibold text-sky-900 dark:text-sky-200",
  meta: "text-rose-700 dark:text-rose-300",
};

/**
 * `startLine` numbers the lines as in the file the source came from (a rule in a multi-document
 * file starts further down); `highlightLines` (in that numbering) get a red background.
 */
export function SourceView({
  source,
  language,
  label,
  startLine = 1,
  highlightLines = [],
}: {
  source: string;
  language: SourceLanguage;
  label: string;
  startLine?: number;
  highlightLines?: readonly number[];
}) {
  const lines = highlightSource(source, language);
  const marked = new Set(highlightLines);
  const gutter = `${String(startLine + lines.length).length + 1}ch`;
  return (
    <pre aria-label={label} data-language={language} className="max-h-[40rem] overflow-auto rounded border border-zinc-200 bg-zinc-50 py-2 font-mono text-xs leading-5 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
      <code className="block min-w-max">
        {lines.map((tokens, i) => (
          <span key={i} className={`flex min-h-5 pr-3 ${marked.has(startLine + i) ? "bg-red-100/70 dark:bg-red-950/60" : ""}`}>
            <span aria-hidden className="mr-3 shrink-0 select-none border-r border-zinc-200 pr-2 text-right text-zinc-400 dark:border-zinc-800 dark:text-zinc-600" style={{ width: gutter }}>
              {startLine + i}
            </span>
            <span className="whitespace-pre">
              {tokens.map((t, j) =>
                TOKEN_CLASS[t.kind] ? (
                  <span key={j} className={TOKEN_CLASS[t.kind]}>
                    {t.text}
                  </span>
                ) : (
                  t.text
                ),
              )}
            </span>
          </span>
        ))}
      </code>
    </pre>
  );
}
