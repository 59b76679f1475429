// Credentials from a private (mode 0600) JSON/YAML file, re-read on every run so a rotated file
// is picked up without a restart.
import { loadCredentialsFile } from '../credentials.ts';
import type { CredentialProvider } from './provider.ts';

export function fileProvider(path: string): CredentialProvider {
  return { source: `file ${path}`, get: async () => loadCredentialsFile(path) };
}
