// The vault as one object: `deposit` for the pipeline (inside the run's transaction), and the
// access workflow for the CLI — request, approve (another person), reveal (the requester, once,
// within the window). Every step and every refusal is appended to the hash-chained vault log;
// a refusal is committed to the log first and then thrown as a DwFailure (exit 2).
import { randomBytes } from 'node:crypto';
import { DwFailure, dwError, type DwCode, type DwError } from '../model/errors.ts';
import type { Json, RunRecord } from '../model/findings.ts';
import type { SealedSecret } from '../redact/seal-secrets.ts';
import type { SecretVault } from '../pipeline/stages.ts';
import type { SqlExecutor, Store } from '../store/store.ts';
import { VAULT_CODES } from './codes.ts';
import { openValue } from './cipher.ts';
import { bindingOf, depositSecrets, entriesByFingerprint, getStoredEntry, listEntries, publicEntry, type VaultEntry } from './entries.ts';
import type { FindingLookup } from './finding-lookup.ts';
import { getRequest, insertRequest, markApproved, markRevealed, samePerson, type VaultRequest } from './requests.ts';
import { appendLog, crossCheckLog, readLog, verifyLog, type LogRow, type LogVerdict, type StateFact, type VaultAction } from './vault-log.ts';
import type { VaultKey } from './vault-key.ts';

export type VaultOptions = {
  readonly store: Store;
  /** Called when a value is sealed or opened (not for list/request/approve/log). */
  readonly key: () => VaultKey;
  readonly revealWindowMinutes: number;
  readonly now?: () => Date;
  /** Resolves finding ids named in `request`; without it only entry ids are accepted. */
  readonly findings?: FindingLookup;
  readonly newRequestId?: () => string;
};

export type RevealResult = { readonly request: VaultRequest; readonly entry: VaultEntry; readonly value: Json };

export interface Vault extends SecretVault {
  list(filter?: { readonly org?: string }): Promise<readonly VaultEntry[]>;
  /** `subject` = a vault entry id or a finding id. */
  request(input: { readonly subject: string; readonly as: string; readonly reason: string }): Promise<VaultRequest>;
  /** Returns the approved request and the entry it opens (so the approver sees what they approved). */
  approve(input: { readonly requestId: string; readonly as: string }): Promise<{ readonly request: VaultRequest; readonly entry: VaultEntry | null }>;
  reveal(input: { readonly requestId: string; readonly as: string }): Promise<RevealResult>;
  log(): Promise<readonly LogRow[]>;
  verifyLog(): Promise<LogVerdict>;
}

type Decision<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DwError };
const refuse = <T>(code: DwCode, message: string): Decision<T> => ({ ok: false, error: dwError(code, 'bad-input', message) });
const settle = <T>(d: Decision<T>): T => { if (!d.ok) throw new DwFailure(d.error); return d.value; };

const MAX_PERSON = 200;
const MAX_REASON = 2000;

export function createVault(opts: VaultOptions): Vault {
  const now = opts.now ?? (() => new Date());
  const newRequestId = opts.newRequestId ?? (() => `vr-${randomBytes(8).toString('hex')}`);
  const windowMs = opts.revealWindowMinutes * 60_000;

  const logRefusal = (db: SqlExecutor, action: VaultAction, actor: string, subject: string, error: DwError) =>
    appendLog(db, { at: now().toISOString(), actor, action, subject, detail: { code: error.code, refused: error.message } });

  /** Runs `decide` in a transaction; a refusal is logged in that same transaction, then thrown. */
  const step = async <T>(action: VaultAction, actor: string, subject: string, decide: (tx: Store) => Promise<Decision<T>>): Promise<T> =>
    settle(await opts.store.transaction(async (tx) => {
      let d: Decision<T>;
      try { d = await decide(tx); } catch (e) {
        // Crypto failures (wrong key, tampered ciphertext) are refusals too: recorded, not swallowed.
        if (e instanceof DwFailure && e.error.code.startsWith('DW61')) d = { ok: false, error: e.error };
        else throw e;
      }
      if (!d.ok) await logRefusal(tx, action, actor, subject, d.error);
      return d;
    }));

  async function resolveSubject(db: SqlExecutor, subject: string): Promise<Decision<VaultEntry>> {
    const direct = await getStoredEntry(db, subject);
    if (direct) return { ok: true, value: publicEntry(direct) };
    const finding = opts.findings ? await opts.findings(subject) : null;
    if (!finding) return refuse(VAULT_CODES.unknownSubject, `"${subject}" is neither a vault entry id nor a finding id found in the run reports; see \`driftwarden vault list\``);
    for (const fps of [finding.newFingerprints, finding.oldFingerprints]) {
      const candidates = await entriesByFingerprint(db, finding.org, finding.surface, fps);
      const exact = candidates.filter((e) => e.pathText === finding.pathText);
      const pick = exact.length === 1 ? exact : candidates;
      if (pick.length === 1) return { ok: true, value: pick[0]! };
      if (pick.length > 1) return refuse(VAULT_CODES.ambiguousFinding, `finding ${subject} refers to ${pick.length} vault entries (${pick.map((e) => `${e.id} ${e.surface}:${e.pathText}`).join(', ')}); request one of them by entry id`);
    }
    return refuse(VAULT_CODES.unknownSubject, `finding ${subject} (${finding.surface}:${finding.pathText}) refers to no secret held in the vault`);
  }

  return {
    async deposit(tx: Store, run: RunRecord, secrets: readonly SealedSecret[]): Promise<void> {
      if (secrets.length === 0) return;
      await depositSecrets(tx, opts.key(), run, secrets, now());
    },

    list: (filter = {}) => listEntries(opts.store, filter),

    async request({ subject, as, reason }) {
      const actor = checkPerson(as);
      const why = checkReason(reason);
      return step('refuse-request', actor, subject, async (tx) => {
        const entry = await resolveSubject(tx, subject);
        if (!entry.ok) return entry;
        const request: VaultRequest = {
          id: newRequestId(), entryId: entry.value.id, subject, requestedBy: actor, reason: why,
          requestedAt: now().toISOString(), approvedBy: null, approvedAt: null, revealedAt: null,
        };
        await insertRequest(tx, request);
        await appendLog(tx, { at: request.requestedAt, actor, action: 'request', subject: request.id, detail: { entry: request.entryId, named: subject, reason: why } });
        return { ok: true, value: request };
      });
    },

    async approve({ requestId, as }) {
      const actor = checkPerson(as);
      return step('refuse-approve', actor, requestId, async (tx) => {
        const r = await getRequest(tx, requestId);
        if (!r) return refuse(VAULT_CODES.unknownRequest, `no vault request ${requestId}`);
        if (samePerson(actor, r.requestedBy)) return refuse(VAULT_CODES.selfApproval, `${actor} requested ${requestId} and cannot approve it; a different person must approve`);
        const at = now().toISOString();
        if (r.approvedAt !== null || !(await markApproved(tx, r.id, actor, at))) return refuse(VAULT_CODES.alreadyApproved, `request ${requestId} was already approved by ${r.approvedBy ?? 'someone else'}`);
        await appendLog(tx, { at, actor, action: 'approve', subject: r.id, detail: { entry: r.entryId, requestedBy: r.requestedBy } });
        const stored = await getStoredEntry(tx, r.entryId);
        return { ok: true, value: { request: { ...r, approvedBy: actor, approvedAt: at }, entry: stored ? publicEntry(stored) : null } };
      });
    },

    async reveal({ requestId, as }) {
      const actor = checkPerson(as);
      return step('refuse-reveal', actor, requestId, async (tx) => {
        const r = await getRequest(tx, requestId);
        if (!r) return refuse(VAULT_CODES.unknownRequest, `no vault request ${requestId}`);
        if (!samePerson(actor, r.requestedBy)) return refuse(VAULT_CODES.notRequester, `only the requester (${r.requestedBy}) may reveal ${requestId}`);
        if (r.approvedAt === null) return refuse(VAULT_CODES.notApproved, `request ${requestId} is not approved yet; another person must run \`driftwarden vault approve ${requestId} --as <name>\``);
        if (r.revealedAt !== null) return refuse(VAULT_CODES.alreadyRevealed, `request ${requestId} was already revealed at ${r.revealedAt}; a value is revealed once per request, file a new request`);
        // The tables alone are not trusted for this: the log must show the approval and no reveal.
        const trail = await tx.query<{ action: string; actor: string; at: string }>(`SELECT action, actor, at FROM vault_log WHERE subject = ? AND action IN ('approve', 'reveal')`, [r.id]);
        if (trail.some((t) => t.action === 'reveal')) return refuse(VAULT_CODES.alreadyRevealed, `the vault log shows request ${requestId} was already revealed; file a new request`);
        const logged = trail.find((t) => t.action === 'approve' && t.actor === r.approvedBy);
        if (!logged) return refuse(VAULT_CODES.notApproved, `the vault log has no approval of ${requestId} by ${r.approvedBy}; the request row was edited, nothing is revealed`);
        const at = now();
        // The window runs from the earlier of the two approval times: moving the table's time
        // forward does not extend it.
        const elapsed = at.getTime() - Math.min(Date.parse(r.approvedAt), Date.parse(logged.at));
        if (!(elapsed <= windowMs)) return refuse(VAULT_CODES.windowExpired, `the approval of ${requestId} (${r.approvedAt}) is older than the reveal window of ${opts.revealWindowMinutes} minute(s); file a new request`);
        const stored = await getStoredEntry(tx, r.entryId);
        if (!stored) return refuse(VAULT_CODES.unknownSubject, `vault entry ${r.entryId} of request ${requestId} no longer exists`);
        // Opened before the request is consumed: a failed authentication does not use it up.
        const value = JSON.parse(openValue(opts.key(), bindingOf(stored), stored.sealed, stored.id)) as Json;
        if (!(await markRevealed(tx, r.id, at.toISOString()))) return refuse(VAULT_CODES.alreadyRevealed, `request ${requestId} was already revealed`);
        await appendLog(tx, { at: at.toISOString(), actor, action: 'reveal', subject: r.id, detail: { entry: stored.id, approvedBy: r.approvedBy } });
        return { ok: true, value: { request: { ...r, revealedAt: at.toISOString() }, entry: publicEntry(stored), value } };
      });
    },

    log: () => readLog(opts.store),
    async verifyLog() {
      const rows = await readLog(opts.store);
      return crossCheckLog(rows, await stateFacts(opts.store), verifyLog(rows));
    },
  };
}

/** What the tables say happened, for the log cross-check. */
async function stateFacts(db: SqlExecutor): Promise<readonly StateFact[]> {
  const entries = await db.query<{ id: string }>('SELECT id FROM vault_entries ORDER BY id');
  const requests = await db.query<{ id: string; approved_at: string | null; revealed_at: string | null }>('SELECT id, approved_at, revealed_at FROM vault_requests ORDER BY requested_at, id');
  return [
    ...entries.map((e) => ({ action: 'deposit' as const, subject: e.id, inState: true })),
    ...requests.flatMap((r) => [
      { action: 'request' as const, subject: r.id, inState: true },
      { action: 'approve' as const, subject: r.id, inState: r.approved_at !== null },
      { action: 'reveal' as const, subject: r.id, inState: r.revealed_at !== null },
    ]),
  ];
}

/** A person's name as given (trimmed): required, printable, bounded. */
function checkPerson(name: string | undefined): string {
  const n = (name ?? '').normalize('NFKC').trim();
  if (n === '' || n.length > MAX_PERSON || /[\p{Cc}\p{Cf}]/u.test(n)) {
    throw new DwFailure(dwError(VAULT_CODES.badPerson, 'bad-input', `name who you are with --as <name> (printable, at most ${MAX_PERSON} characters)`));
  }
  return n;
}

function checkReason(reason: string | undefined): string {
  const r = (reason ?? '').trim();
  if (r === '' || r.length > MAX_REASON) throw new DwFailure(dwError(VAULT_CODES.badReason, 'bad-input', `give the reason for the request with --reason <text> (at most ${MAX_REASON} characters)`));
  return r;
}
