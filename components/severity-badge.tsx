import type { Severity } from "@/lib/detection";
import { SEVERITY_STYLE } from "./severity";

export function SeverityBadge({ severity, riskScore }: { severity: Severity; riskScore?: number }) {
  const style = SEVERITY_STYLE[severity];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium leading-none ${style.badge}`}
      title={riskScore === undefined ? style.label : `${style.label}, risk score ${riskScore}`}
    >
      {style.label}
      {riskScore !== undefined && <span className="tabular-nums opacity-70">{riskScore}</span>}
    </span>
  );
}
