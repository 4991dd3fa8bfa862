/**
 * The console's few control styles, in one place so every page's buttons and fields look and
 * behave alike (light and dark).
 */
const buttonBase =
  "rounded border border-zinc-300 bg-white font-medium text-zinc-800 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";
const fieldBase = "rounded border border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900";

/** A secondary button, page size. */
export const buttonClass = `${buttonBase} px-2.5 py-1 text-sm`;
/** A secondary button in dense places (table rows, toolbars). */
export const smallButtonClass = `${buttonBase} px-2 py-0.5 text-xs`;
/** The primary action of a form. */
export const primaryButtonClass = "rounded bg-zinc-900 px-2.5 py-1 text-sm font-medium text-white hover:bg-zinc-800 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white";
/** Inputs, selects and text areas. */
export const fieldClass = `${fieldBase} px-2 py-1 text-sm`;
/** Inputs and selects in dense places. */
export const smallFieldClass = `${fieldBase} px-1.5 py-1 text-xs`;
