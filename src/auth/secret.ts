// A string that must never be printed: util.inspect, JSON.stringify, String() and template
// literals all show a mask. The value is only reachable through an explicit `reveal()`.
const MASK = '[redacted]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;
  constructor(value: string) { this.#value = value; }
  /** The only way to read the value; grep for `reveal(` to audit every use. */
  reveal(): string { return this.#value; }
  /** True when `other` holds the same value (used to tell which token a 401 rejected). */
  sameAs(other: Secret): boolean { return other.#value === this.#value; }
  toString(): string { return MASK; }
  toJSON(): string { return MASK; }
  [inspectSymbol](): string { return `Secret(${MASK})`; }
}
