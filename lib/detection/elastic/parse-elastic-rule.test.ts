import { describe, expect, it } from "vitest";
import { RuleValidationError } from "../errors";
import { parseElasticRule } from "./parse-elastic-rule";

const full = `[metadata]
creation_date = "2025/12/02"
integration = ["endpoint"]
maturity = "production"
min_stack_version = "8.13.0"
updated_date = "2026/06/01"
future_metadata_key = 7

[rule]
author = ["Elastic"]
building_block_type = "default"
data_view_id = "dv-1"
description = "A rule."
exceptions_list = [{id = "endpoint_list", list_id = "endpoint_list", namespace_type = "agnostic", type = "endpoint"}]
false_positives = ["Admins."]
from = "now-9m"
index = ["logs-endpoint.events.process*"]
interval = "5m"
language = "kuery"
license = "Elastic License v2"
max_signals = 100
name = "New terms rule"
references = ["https://example.com"]
risk_score = 47
rule_id = "11111111-2222-3333-4444-555555555555"
rule_name_override = "process.name"
setup = "Enable Elastic Defend."
severity = "medium"
tags = ["OS: Linux"]
timestamp_override = "event.ingested"
timestamp_override_fallback_disabled = true
type = "new_terms"
version = 3
some_future_key = { nested = true }
query = '''
event.category:process and process.name:bash
'''

[rule.alert_suppression]
group_by = ["host.id"]
missing_fields_strategy = "suppress"
[rule.alert_suppression.duration]
unit = "m"
value = 5

[rule.investigation_fields]
field_names = ["process.command_line", "host.name"]

[[rule.risk_score_mapping]]
field = "x"
operator = "equals"
value = ""

[rule.new_terms]
field = "new_terms_fields"
value = ["process.command_line", "host.id"]
[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-14d"
`;

describe("parseElasticRule", () => {
  it("reads every documented key into the model and keeps unknown keys", () => {
    const { model, errors } = parseElasticRule({ path: "r.toml", text: full });
    expect(errors).toEqual([]);
    expect(model).toMatchObject({
      ruleId: "11111111-2222-3333-4444-555555555555",
      name: "New terms rule",
      type: "new_terms",
      language: "kuery",
      query: "event.category:process and process.name:bash\n",
      severity: "medium",
      riskScore: 47,
      index: ["logs-endpoint.events.process*"],
      dataViewId: "dv-1",
      from: "now-9m",
      interval: "5m",
      maxSignals: 100,
      version: 3,
      timestampOverride: "event.ingested",
      timestampOverrideFallbackDisabled: true,
      buildingBlockType: "default",
      ruleNameOverride: "process.name",
      setup: "Enable Elastic Defend.",
      license: "Elastic License v2",
      investigationFields: { fieldNames: ["process.command_line", "host.name"] },
      newTerms: { fields: ["process.command_line", "host.id"], historyWindowStart: "now-14d", historyWindowMs: 14 * 86_400_000 },
      alertSuppression: { groupBy: ["host.id"], duration: { value: 5, unit: "m" }, missingFieldsStrategy: "suppress" },
      extra: { some_future_key: { nested: true } },
      metadata: { maturity: "production", integration: ["endpoint"], minStackVersion: "8.13.0", creationDate: "2025/12/02" },
    });
    expect(model!.exceptionsList).toEqual([{ id: "endpoint_list", list_id: "endpoint_list", namespace_type: "agnostic", type: "endpoint" }]);
    expect(model!.riskScoreMapping).toHaveLength(1);
    expect(model!.metadata.raw.future_metadata_key).toBe(7);
  });

  /** 1-based line of the first line of `text` that starts with `prefix`. */
  const lineOf = (text: string, prefix: string) => text.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;

  it.each<[string, string, string, string]>([
    ['rule_id = "11111111-2222-3333-4444-555555555555"\n', "", "elastic_missing_key", "[rule]"],
    ['severity = "medium"', 'severity = "urgent"', "elastic_invalid_severity", "severity ="],
    ["risk_score = 47", "risk_score = 147", "elastic_invalid_risk_score", "risk_score ="],
    ['tags = ["OS: Linux"]', 'tags = "OS: Linux"', "elastic_invalid_key", "tags ="],
    ['value = "now-14d"', 'value = "2026-01-01"', "elastic_invalid_new_terms", 'value = "2026-01-01"'],
    ['field = "new_terms_fields"', 'field = "fields"', "elastic_invalid_new_terms", "[rule.new_terms]"],
    ['group_by = ["host.id"]', 'group_by = "host.id"', "elastic_invalid_key", "[rule.alert_suppression]"],
  ])("reports a broken key at its line: %s → %s", (from, to, code, anchor) => {
    const text = full.replace(from, to);
    const { model, errors } = parseElasticRule({ path: "r.toml", text });
    expect(model).toBeUndefined();
    const e = errors.find((x) => x.code === code);
    expect(e, JSON.stringify(errors.map((x) => x.message))).toBeInstanceOf(RuleValidationError);
    expect(e!.source).toMatchObject({ file: "r.toml", line: lineOf(text, anchor), column: 1 });
  });

  it("a TOML syntax error carries smol-toml's line and column and a caret", () => {
    const { errors } = parseElasticRule({ path: "bad.toml", text: '[rule]\nname = "x"\ntags = [1,\n' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe("toml_syntax");
    expect(errors[0]!.source).toMatchObject({ file: "bad.toml", line: 4, column: 1 });
    expect(errors[0]!.message).toMatch(/^bad\.toml:4:1: invalid TOML/);
  });

  it("rejects unsafe keys instead of building objects from them", () => {
    const { errors } = parseElasticRule({ path: "p.toml", text: '[rule]\n__proto__ = "x"\n' });
    expect(errors[0]!.code).toBe("toml_syntax");
  });

  it("a file without [rule] is not an Elastic rule", () => {
    const { errors } = parseElasticRule({ path: "m.toml", text: '[metadata]\nmaturity = "production"\n' });
    expect(errors.map((e) => e.code)).toEqual(["elastic_missing_rule_table"]);
  });

  it("collects every problem, not only the first", () => {
    const { errors } = parseElasticRule({ path: "r.toml", text: '[rule]\nname = "x"\ntype = "query"\n' });
    expect(errors.map((e) => e.code).sort()).toEqual(
      // rule_id, description, severity, query, language missing; risk_score missing.
      ["elastic_invalid_risk_score", "elastic_missing_key", "elastic_missing_key", "elastic_missing_key", "elastic_missing_key", "elastic_missing_key"].sort(),
    );
  });
});
