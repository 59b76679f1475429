// `driftwarden vault …`: the encrypted audit vault. Listing shows where and when secrets were
// seen, never values; a value is revealed only through request → approve (another person) →
// reveal (the requester, once, within the window). Every step lands in the hash-chained log.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command, type CommandContext } from '../command.ts';
import { loadConfigFor, reportDir, stateDir, withStore } from '../session.ts';
import { createVault, findingsFromReports, loadVaultKey, VAULT_CODES, type Vault, type VaultKey } from '../../vault/index.ts';
import { EXIT, fail } from '../../model/errors.ts';

const CONFIG_ONLY = { config: CONFIG_OPTIONS.config } as const;
const CONFIG_ONLY_HELP = { config: CONFIG_HELP.config } as const;
const AS = { as: { type: 'string' } } as const;

async function withVault<T>(ctx: CommandContext, fn: (vault: Vault) => Promise<T>): Promise<T> {
  const config = loadConfigFor(ctx);
  return withStore(config, async (store) => {
    // Loaded only by a reveal: listing, requesting and approving never touch key material.
    let key: VaultKey | undefined;
    const vault = createVault({
      store, key: () => (key ??= loadVaultKey(stateDir(config), ctx.env)),
      revealWindowMinutes: config.vault.revealWindowMinutes,
      findings: findingsFromReports(reportDir(config)),
    });
    return fn(vault);
  });
}

function onePositional(ctx: CommandContext, what: string, usage: string): string {
  if (ctx.positionals.length !== 1) fail(VAULT_CODES.missingArgument, 'bad-input', `name exactly one ${what}: ${usage}`);
  return ctx.positionals[0]!;
}

const vaultListCommand: Command = {
  name: ['vault', 'list'],
  summary: 'list the secrets held in the encrypted vault (where and when seen, never values)',
  usage: 'driftwarden vault list [--org ID] [--json]',
  options: { ...CONFIG_OPTIONS, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, org: 'only entries of this org', ...COMMON_HELP },
  async run(ctx) {
    return withVault(ctx, async (vault) => {
      const entries = await vault.list(ctx.values.org ? { org: ctx.values.org as string } : {});
      for (const e of entries) {
        ctx.out.line(`${e.id}  ${e.org}  ${e.surface}:${e.pathText}  ${e.fingerprint}  first ${e.firstSeen}  last ${e.lastSeen} (${e.seenCount} run${e.seenCount === 1 ? '' : 's'})`);
      }
      if (entries.length === 0) ctx.out.line('the vault holds no secrets yet');
      ctx.out.result({ entries });
      return EXIT.clean;
    });
  },
};

const vaultRequestCommand: Command = {
  name: ['vault', 'request'],
  summary: 'ask to reveal one secret (needs approval by another person)',
  usage: 'driftwarden vault request <entry-id|finding-id> --as NAME --reason TEXT [--json]',
  details: [
    'Name a vault entry id (from `vault list`) or a finding id (from a check report): a finding is',
    'matched to the entry holding the fingerprint in its redacted value, in its org and surface.',
    'Prints the request id. Exit 2 when the id is unknown or the finding maps to several entries.',
  ].join('\n'),
  options: { ...CONFIG_ONLY, ...AS, reason: { type: 'string' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_ONLY_HELP, as: 'who is asking (required)', reason: 'why the value is needed (required; kept in the vault log)', ...COMMON_HELP },
  async run(ctx) {
    const subject = onePositional(ctx, 'vault entry id or finding id', 'driftwarden vault request <entry-id|finding-id> --as NAME --reason TEXT');
    return withVault(ctx, async (vault) => {
      const r = await vault.request({ subject, as: ctx.values.as as string, reason: ctx.values.reason as string });
      ctx.out.line(r.id);
      ctx.out.error(`request ${r.id} for vault entry ${r.entryId} filed by ${r.requestedBy}; another person approves it with \`driftwarden vault approve ${r.id} --as <name>\``);
      ctx.out.result({ request: r });
      return EXIT.clean;
    });
  },
};

const vaultApproveCommand: Command = {
  name: ['vault', 'approve'],
  summary: 'approve someone else’s reveal request',
  usage: 'driftwarden vault approve <request-id> --as NAME [--json]',
  details: 'Refused (exit 2) when NAME is the requester, or the request is unknown or already approved.',
  options: { ...CONFIG_ONLY, ...AS, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_ONLY_HELP, as: 'who approves (required; must differ from the requester)', ...COMMON_HELP },
  async run(ctx) {
    const requestId = onePositional(ctx, 'request id', 'driftwarden vault approve <request-id> --as NAME');
    return withVault(ctx, async (vault) => {
      const { request: r, entry } = await vault.approve({ requestId, as: ctx.values.as as string });
      const what = entry ? `${entry.org} ${entry.surface}:${entry.pathText} (${entry.id})` : r.entryId;
      ctx.out.line(`request ${r.id} approved by ${r.approvedBy} at ${r.approvedAt}: ${r.requestedBy} asked for ${what} because "${r.reason}"`);
      ctx.out.line(`${r.requestedBy} may reveal it once, within the reveal window, with \`driftwarden vault reveal ${r.id} --as <name>\``);
      ctx.out.result({ request: r, entry });
      return EXIT.clean;
    });
  },
};

const vaultRevealCommand: Command = {
  name: ['vault', 'reveal'],
  summary: 'print the secret of an approved request (requester only, once, within the window)',
  usage: 'driftwarden vault reveal <request-id> --as NAME [--json]',
  details: [
    'Prints the exact value on stdout (a string as is, any other value as JSON) and closes the',
    'request. Refused (exit 2) before approval, after a first reveal, after vault.revealWindowMinutes,',
    'for anyone but the requester, and when the ciphertext fails authentication.',
  ].join('\n'),
  options: { ...CONFIG_ONLY, ...AS, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_ONLY_HELP, as: 'who reveals (required; must be the requester)', ...COMMON_HELP },
  async run(ctx) {
    const requestId = onePositional(ctx, 'request id', 'driftwarden vault reveal <request-id> --as NAME');
    return withVault(ctx, async (vault) => {
      const r = await vault.reveal({ requestId, as: ctx.values.as as string });
      ctx.out.error(`${r.entry.org} ${r.entry.surface}:${r.entry.pathText} (${r.entry.fingerprint}); request ${r.request.id} is now closed`);
      ctx.out.line(typeof r.value === 'string' ? r.value : JSON.stringify(r.value));
      ctx.out.result({ request: r.request, entry: r.entry, value: r.value });
      return EXIT.clean;
    });
  },
};

const vaultLogCommand: Command = {
  name: ['vault', 'log'],
  summary: 'print the hash-chained vault log; --verify recomputes the chain',
  usage: 'driftwarden vault log [--verify] [--json]',
  details: [
    'Every deposit, request, approval, reveal and refusal is a row: hash = sha256(prev hash + row).',
    'With --verify: exit 0 when the chain is intact, exit 1 when a row was edited, deleted or',
    'reordered (the first broken position is reported, DW6140).',
  ].join('\n'),
  options: { ...CONFIG_ONLY, verify: { type: 'boolean' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_ONLY_HELP, verify: 'recompute the hash chain and report the first broken row', ...COMMON_HELP },
  async run(ctx) {
    return withVault(ctx, async (vault) => {
      const rows = await vault.log();
      if (!ctx.values.verify) {
        for (const r of rows) ctx.out.line(`${String(r.seq).padStart(5)}  ${r.at}  ${r.actor.padEnd(16)} ${r.action.padEnd(14)} ${r.subject}  ${r.detail}  ${r.hash.slice(0, 12)}`);
        if (rows.length === 0) ctx.out.line('the vault log is empty');
        ctx.out.result({ rows });
        return EXIT.clean;
      }
      const verdict = await vault.verifyLog();
      if (verdict.valid) {
        ctx.out.line(`vault log intact: ${verdict.rows} row(s), head ${verdict.head}`);
        ctx.out.result({ verify: verdict });
        return EXIT.clean;
      }
      ctx.out.error(`${VAULT_CODES.logTampered} vault log TAMPERED at position ${verdict.position} of ${verdict.rows}: ${verdict.reason}`);
      ctx.out.result({ verify: verdict });
      return EXIT.drift;
    });
  },
};

export const vaultCommands: readonly Command[] = [vaultListCommand, vaultRequestCommand, vaultApproveCommand, vaultRevealCommand, vaultLogCommand];
