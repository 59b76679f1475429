// The lifecycle stage run-check calls: reads what the store remembers (assess, no writes) and
// writes the outcome inside the run's transaction (persist). What is stored for display (path,
// title, who changed it) goes through the same redaction as every other output, because
// `driftwarden findings` prints it.
import type { LifecycleStage } from '../pipeline/stages.ts';
import type { RedactionRules } from '../redact/rules.ts';
import { redactFinding } from '../redact/redact-finding.ts';
import { maskString } from '../redact/mask-text.ts';
import type { Attribution, Finding } from '../model/findings.ts';
import { assessFindings } from './assess.ts';
import { loadFindings, saveAssessment } from './finding-rows.ts';

export function createLifecycle(redaction?: RedactionRules): LifecycleStage {
  const present = redaction ? (f: Finding) => forDisplay(f, redaction) : undefined;
  return {
    async assess(store, org, findings, now) {
      const { current, resolved } = assessFindings(await loadFindings(store, org), findings, now);
      return { current, resolved };
    },
    async persist(tx, run, current, resolved) {
      await saveAssessment(tx, run, current, resolved, present);
    },
  };
}

function forDisplay(f: Finding, rules: RedactionRules): Finding {
  const r = redactFinding(f, rules);
  const mask = (s: string | undefined) => (s === undefined ? undefined : maskString(s, rules, []));
  const a = f.attribution;
  const attribution: Attribution | undefined = a && {
    found: a.found,
    ...opt('user', mask(a.user)), ...opt('client', mask(a.client)), ...opt('remoteIp', mask(a.remoteIp)), ...opt('time', a.time),
    ...opt('action', a.action), ...opt('property', mask(a.property)), ...opt('note', mask(a.note)),
  };
  return { ...f, pathText: r.pathText, title: r.title, ...(attribution ? { attribution } : {}) };
}

const opt = <K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> => (v === undefined ? {} : { [k]: v } as Record<K, string>);
