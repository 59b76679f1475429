// A Redacted<T> can only be made by the redact stage: every value in it is masked or proven safe.
// Notifiers, log lines and reports accept nothing else, so an unredacted finding cannot leave.
declare const redacted: unique symbol;
export type Redacted<T> = T & { readonly [redacted]: true };

/** Only the redact stage may call this; it is the single place the brand is applied. */
export function markRedacted<T>(value: T): Redacted<T> {
  return value as Redacted<T>;
}
