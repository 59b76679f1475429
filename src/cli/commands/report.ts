// `driftwarden report …` and `driftwarden verify`: compliance reports rendered from the store,
// and the check of the evidence chain they rest on.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command, type CommandContext } from '../command.ts';
import { loadConfigFor, reportDir, selectOrgs, stateDir } from '../session.ts';
import { openStore, storeLocation } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import type { Config } from '../../config/config.ts';
import { EXIT, fail } from '../../model/errors.ts';
import { EVIDENCE_CODES, loadOrCreateSigningKey, readVerifyingKey, verifyEvidence, type VerifyingKey, type VerifyResult } from '../../evidence/index.ts';
import { loadReportModel, renderReport, REPORT_FORMATS, type ReportFormat, type ReportScope } from '../../report/index.ts';
import { verificationLine } from '../../report/model.ts';

const KEY_OPTION = { 'public-key': { type: 'string' } } as const;
const KEY_HELP = { 'public-key': 'trusted Ed25519 public key (PEM) to verify with (default: the one beside the store)' } as const;

/** The store must already exist: verifying or reporting on a store we just created would pass vacuously. */
async function withExistingStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  // A PostgreSQL store (`store.url`, when configured) exists or fails to connect; a SQLite file
  // that is missing would otherwise be created empty.
  const location = storeLocation(config.store);
  if (!/^postgres(ql)?:\/\//.test(location) && !existsSync(location)) fail(EVIDENCE_CODES.noStore, 'bad-input', `no run history at ${location}: run \`driftwarden check\` first, or point --config at the right workspace`);
  const store = await openStore(location);
  try { return await fn(store); } finally { await store.close(); }
}

function trustedKey(ctx: CommandContext, config: Config): VerifyingKey {
  const file = ctx.values['public-key'] as string | undefined;
  return file ? readVerifyingKey(resolve(ctx.cwd, file)) : loadOrCreateSigningKey(stateDir(config));
}

function printVerification(ctx: CommandContext, v: VerifyResult): void {
  ctx.out.line(v.valid ? ctx.out.paint('green', verificationLine({ ...v, publicKeyPem: '' })) : ctx.out.paint('red', `evidence chain TAMPERED: ${v.problems.length} problem(s) in ${v.records} record(s)`));
  for (const p of v.problems) ctx.out.line(`  position ${p.position || '-'}${p.runId ? ` (run ${p.runId})` : ''}: ${p.code} ${p.message}`);
}

export const verifyCommand: Command = {
  name: ['verify'],
  summary: 'check the evidence chain: hashes, signatures, order, run rows, findings and snapshots',
  usage: 'driftwarden verify [--config FILE] [--public-key FILE] [--json]',
  details: [
    'Walks every evidence record in order and checks that its text still hashes to its stored hash,',
    'that its Ed25519 signature is valid for the trusted public key, that it points at the record',
    'before it, and that the run row, the redacted findings and every retained snapshot document it',
    'pins still match their digests. Each edited, removed or reordered record is reported with its',
    'position in the chain.',
    'Exit codes: 0 the chain is intact, 1 tampered, 2 bad input (no store, unreadable key).',
  ].join('\n'),
  options: { config: CONFIG_OPTIONS.config, ...KEY_OPTION, ...COMMON_OPTIONS },
  optionHelp: { config: CONFIG_HELP.config, ...KEY_HELP, ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    return withExistingStore(config, async (store) => {
      const result = await verifyEvidence(store, trustedKey(ctx, config));
      printVerification(ctx, result);
      ctx.out.result(result);
      return result.valid ? EXIT.clean : EXIT.drift;
    });
  },
};

/** `2026-11-25` (a whole UTC day) or a full ISO time. `end` turns a day into the next midnight. */
export function parseReportDate(text: string, end: boolean): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = day ? Date.parse(`${text}T00:00:00.000Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(t)) return fail(EVIDENCE_CODES.badDate, 'bad-input', `"${text}" is not a date: use YYYY-MM-DD (a UTC day) or an ISO time such as 2026-11-25T08:00:00Z`);
  return new Date(day && end ? t + 86_400_000 : t).toISOString();
}

export const reportCommand: Command = {
  name: ['report'],
  summary: 'compliance report (html, pdf, json, sarif, junit, oscal) from the run history and its evidence',
  usage: 'driftwarden report --format html|pdf|json|sarif|junit|oscal [--run ID | --from DATE --to DATE] [--org ID] [-o FILE]',
  details: [
    'Renders the runs in scope from the store: the newest completed run of each org is the',
    'assessment (summary, coverage, findings by severity and framework, lifecycle, waivers,',
    'attribution, details); every run in scope is listed in the history. Without --org the report',
    'covers the whole fleet. Every report states the tool version, policy bundle digest, baseline',
    'commit, config digest and snapshot digests it rests on, and the result of `verify`.',
    'DATE is YYYY-MM-DD (a UTC day; --to includes that day) or an ISO time.',
    'Without -o the report is written to stdout.',
    'Exit codes: 0 written and the evidence chain is intact, 1 written but the chain is tampered,',
    '2 bad input (options, unknown run, no store).',
  ].join('\n'),
  options: {
    ...CONFIG_OPTIONS,
    run: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    format: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' },
    ...KEY_OPTION, ...COMMON_OPTIONS,
  },
  optionHelp: {
    ...CONFIG_HELP,
    run: 'report on this run only', from: 'first day (or time) of runs to include', to: 'last day (or time) of runs to include',
    format: `one of ${REPORT_FORMATS.join(', ')}`, output: 'write the report to FILE (default: stdout)',
    ...KEY_HELP, ...COMMON_HELP,
  },
  async run(ctx) {
    const format = ctx.values.format as string | undefined;
    if (!format) fail(EVIDENCE_CODES.badOption, 'bad-input', `--format is required: one of ${REPORT_FORMATS.join(', ')}`);
    if (!(REPORT_FORMATS as readonly string[]).includes(format!)) fail(EVIDENCE_CODES.badOption, 'bad-input', `unknown --format "${format}": use one of ${REPORT_FORMATS.join(', ')}`);
    const runId = ctx.values.run as string | undefined;
    const fromText = ctx.values.from as string | undefined;
    const toText = ctx.values.to as string | undefined;
    if (runId && (fromText || toText)) fail(EVIDENCE_CODES.badOption, 'bad-input', '--run selects one run; drop --from/--to, or drop --run to report on a period');
    const from = fromText ? parseReportDate(fromText, false) : null;
    const to = toText ? parseReportDate(toText, true) : null;
    if (from && to && from >= to) fail(EVIDENCE_CODES.badDate, 'bad-input', `--from ${fromText} is not before --to ${toText}`);

    const config = loadConfigFor(ctx);
    const org = ctx.values.org ? selectOrgs(config, ctx.values.org as string)[0]!.id : null;
    const scope: ReportScope = { org, runId: runId ?? null, from, to };
    return withExistingStore(config, async (store) => {
      const key = trustedKey(ctx, config);
      const verification = { ...(await verifyEvidence(store, key)), publicKeyPem: key.publicPem };
      const model = await loadReportModel(store, { scope, verification, now: new Date(), reportDir: reportDir(config) });
      if (runId === undefined && model.runs.length === 0) fail(EVIDENCE_CODES.noRuns, 'bad-input', `no runs${org ? ` of ${org}` : ''}${from || to ? ` between ${from ?? 'the start'} and ${to ?? 'now'}` : ''} in the run history`);
      let bytes: Buffer;
      try {
        bytes = await renderReport(model, format as ReportFormat);
      } catch (e) {
        return fail(EVIDENCE_CODES.renderFailed, 'internal', `rendering the ${format} report failed: ${(e as Error).message}`);
      }
      const output = ctx.values.output as string | undefined;
      if (output) {
        const file = resolve(ctx.cwd, output);
        try {
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, bytes);
        } catch (e) {
          fail(EVIDENCE_CODES.writeFailed, 'bad-input', `cannot write the report to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        ctx.out.line(`${format} report of ${model.runs.length} run(s) written to ${file}`);
        printVerification(ctx, verification);
        ctx.out.result({ file, format, runs: model.runs.length, assessed: model.assessed, verification: { valid: verification.valid, records: verification.records, head: verification.head, problems: verification.problems } });
      } else {
        process.stdout.write(bytes);
      }
      return verification.valid ? EXIT.clean : EXIT.drift;
    });
  },
};

export const reportCommands: readonly Command[] = [reportCommand, verifyCommand];
