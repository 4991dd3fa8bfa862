import { getField } from "../event/fields";
import type { EcsEvent, FieldValue } from "../event/types";

/**
 * "What happened" templates: text with `{{ field.path }}` placeholders filled from the alert's
 * event (`The web server process executed the command \`{{ process.name }}\``). A placeholder is
 * an ECS path (blanks inside the braces optional); `{{` without a closing `}}`, or braces around
 * anything but a path, is an error at load time, never a silently literal text.
 */

export type GuideTemplatePart = { kind: "text"; text: string } | { kind: "field"; field: string; start: number; end: number };

export interface GuideTemplateError {
  summary: string;
  /** Offset into the template text. */
  offset: number;
  length: number;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/y;
const FIELD_PATH = /^[A-Za-z_@][A-Za-z0-9_@-]*(?:\.[A-Za-z0-9_@-]+)*$/;

/** Split a template into text and placeholders; errors carry offsets into the template. */
export function parseGuideTemplate(template: string): { parts: GuideTemplatePart[]; errors: GuideTemplateError[] } {
  const parts: GuideTemplatePart[] = [];
  const errors: GuideTemplateError[] = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open < 0) {
      text += template.slice(i);
      break;
    }
    text += template.slice(i, open);
    PLACEHOLDER.lastIndex = open;
    const m = PLACEHOLDER.exec(template);
    if (!m) {
      errors.push({ summary: "`{{` opens a placeholder that is never closed with `}}` (write a field path: {{ process.name }})", offset: open, length: 2 });
      text += "{{";
      i = open + 2;
      continue;
    }
    const field = m[1]!;
    if (!FIELD_PATH.test(field)) {
      errors.push({ summary: `\`${m[0]}\` is not a field placeholder: expected a field path such as {{ process.name }}`, offset: open, length: m[0].length });
      text += m[0];
    } else {
      if (text) parts.push({ kind: "text", text });
      text = "";
      parts.push({ kind: "field", field, start: open, end: open + m[0].length });
    }
    i = open + m[0].length;
  }
  if (text) parts.push({ kind: "text", text });
  return { parts, errors };
}

/**
 * Fill a template from an event: a field's values in their text form, several joined with ", ";
 * a missing field renders as `(none)`. The result is plain text (markdown is rendered, safely, by
 * the console).
 */
export function renderGuideTemplate(template: string, event: EcsEvent): string {
  return parseGuideTemplate(template)
    .parts.map((p) => (p.kind === "text" ? p.text : renderValue(getField(event, p.field))))
    .join("");
}

function renderValue(value: FieldValue | undefined): string {
  const leaves: string[] = [];
  const visit = (v: FieldValue | undefined) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object") leaves.push(JSON.stringify(v));
    else leaves.push(String(v));
  };
  visit(value);
  return leaves.length === 0 ? "(none)" : leaves.join(", ");
}
