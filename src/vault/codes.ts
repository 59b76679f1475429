// Stable error codes of the vault (DW6100–DW6199). Every refusal names one, so an operator and
// a log reader can tell "not approved yet" from "window expired" without parsing sentences.
export const VAULT_CODES = {
  badKey: 'DW6101',            // DRIFTWARDEN_VAULT_KEY / vault.key is not base64 of 32 bytes
  keyMismatch: 'DW6102',       // entry sealed under another key id (key rotated or replaced)
  authFailed: 'DW6103',        // ciphertext fails GCM authentication: tampered or moved to another row
  badRow: 'DW6104',            // a vault row cannot be read back
  unknownSubject: 'DW6110',    // request names neither a vault entry nor a finding that maps to one
  ambiguousFinding: 'DW6111',  // a finding maps to several entries: name the entry id instead
  badPerson: 'DW6112',         // --as missing, empty or not printable
  badReason: 'DW6113',         // --reason missing or empty
  unknownRequest: 'DW6120',    // no such request id
  selfApproval: 'DW6121',      // approver is the requester
  alreadyApproved: 'DW6122',   // request approved before
  notRequester: 'DW6130',      // only the requester may reveal
  notApproved: 'DW6131',       // reveal before approval
  alreadyRevealed: 'DW6132',   // a request reveals once
  windowExpired: 'DW6133',     // approval older than vault.revealWindowMinutes
  logTampered: 'DW6140',       // vault log hash chain broken (reported by `vault log --verify`)
  missingArgument: 'DW6150',   // a command needs an id it was not given
} as const;
