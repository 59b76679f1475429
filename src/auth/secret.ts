// Credentials and tokens are held in the project's one secret type: util.inspect, JSON.stringify,
// String() and template literals all show a mask; only an explicit `reveal()` yields the value.
export { SecretString as Secret } from '../redact/secret-string.ts';
