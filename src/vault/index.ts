// The encrypted audit vault: see README.md.
export { createVault, type Vault, type VaultOptions, type RevealResult } from './vault.ts';
export { loadVaultKey, vaultKeyFromBase64, vaultKeyFile, VaultKey, VAULT_KEY_ENV } from './vault-key.ts';
export { findingsFromReports, type FindingLookup, type FindingRef } from './finding-lookup.ts';
export { vaultEntryId, type VaultEntry } from './entries.ts';
export { verifyLog, logRowHash, GENESIS_HASH, type LogRow, type LogVerdict, type VaultAction } from './vault-log.ts';
export type { VaultRequest } from './requests.ts';
export { VAULT_CODES } from './codes.ts';
export { VAULT_MIGRATIONS } from './migrations.ts';
