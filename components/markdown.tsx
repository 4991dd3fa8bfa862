/**
 * Renders untrusted Markdown (rule investigation guides, analysts' notes) as React elements built
 * from lib/markdown's AST. Safe by construction: every piece of source text ends up as a React
 * text child (escaped), links carry only the parser's vetted http(s) hrefs and open in a new tab
 * without referrer or opener, and there is no dangerouslySetInnerHTML. Server-compatible: no
 * hooks, no client code.
 */
import type { ReactNode } from "react";
import { parseMarkdown, type Block, type HeadingBlock, type HeadingLevel, type Inline } from "@/lib/markdown/parse-markdown";

const ROOT = "space-y-2 break-words text-sm leading-6 text-zinc-700 dark:text-zinc-300";
const HEADING: Record<HeadingLevel, string> = {
  3: "pt-1 text-sm font-semibold text-zinc-900 dark:text-zinc-100",
  4: "pt-1 text-sm font-medium text-zinc-800 dark:text-zinc-200",
  5: "pt-1 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400",
  6: "text-xs font-medium text-zinc-500 dark:text-zinc-400",
};
const LIST = "space-y-1 pl-5 marker:text-zinc-400 dark:marker:text-zinc-500";
const ITEM = "space-y-1 pl-0.5";
const PRE = "overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs leading-5 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
const CODE = "rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
const QUOTE = "space-y-2 border-l-2 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400";
const RULE = "border-zinc-200 dark:border-zinc-800";
const LINK = "text-zinc-900 underline decoration-zinc-400 underline-offset-2 hover:decoration-zinc-700 dark:text-zinc-100 dark:decoration-zinc-500 dark:hover:decoration-zinc-300";
const STRONG = "font-semibold text-zinc-900 dark:text-zinc-100";

export function Markdown({ source, className }: { source: string; className?: string }) {
  return <div className={className ? `${ROOT} ${className}` : ROOT}>{renderBlocks(parseMarkdown(source))}</div>;
}

function renderBlocks(blocks: Block[]): ReactNode[] {
  return blocks.map(renderBlock);
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.type) {
    case "paragraph":
      return <p key={key}>{renderInlines(block.children)}</p>;
    case "heading":
      return renderHeading(block, key);
    case "list":
      return renderList(block, key);
    case "code":
      return (
        <pre key={key} className={PRE}>
          <code data-language={block.language ?? undefined}>{block.value}</code>
        </pre>
      );
    case "blockquote":
      return (
        <blockquote key={key} className={QUOTE}>
          {renderBlocks(block.children)}
        </blockquote>
      );
    case "rule":
      return <hr key={key} className={RULE} />;
  }
}

/** Level 3 is the page's h3; everything deeper is an h4, told apart by style only. */
function renderHeading(block: HeadingBlock, key: number): ReactNode {
  const children = renderInlines(block.children);
  const className = HEADING[block.level];
  return block.level === 3 ? (
    <h3 key={key} className={className}>
      {children}
    </h3>
  ) : (
    <h4 key={key} className={className}>
      {children}
    </h4>
  );
}

function renderList(block: Extract<Block, { type: "list" }>, key: number): ReactNode {
  const items = block.items.map((item, i) => (
    <li key={i} className={ITEM}>
      {renderBlocks(item.children)}
    </li>
  ));
  return block.ordered ? (
    <ol key={key} start={block.start === 1 ? undefined : block.start} className={`list-decimal ${LIST}`}>
      {items}
    </ol>
  ) : (
    <ul key={key} className={`list-disc ${LIST}`}>
      {items}
    </ul>
  );
}

function renderInlines(inlines: Inline[]): ReactNode[] {
  return inlines.map(renderInline);
}

function renderInline(inline: Inline, key: number): ReactNode {
  switch (inline.type) {
    case "text":
      return inline.value;
    case "code":
      return (
        <code key={key} className={CODE}>
          {inline.value}
        </code>
      );
    case "strong":
      return (
        <strong key={key} className={STRONG}>
          {renderInlines(inline.children)}
        </strong>
      );
    case "em":
      return <em key={key}>{renderInlines(inline.children)}</em>;
    case "link":
      return (
        <a key={key} href={inline.href} title={inline.title} target="_blank" rel="noopener noreferrer nofollow" className={LINK}>
          {renderInlines(inline.children)}
        </a>
      );
    case "break":
      return <br key={key} />;
  }
}
