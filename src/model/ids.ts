// Branded ids: things that must never be mixed up are distinct types at compile time.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type OrgId = Brand<string, 'OrgId'>;
export type RunId = Brand<string, 'RunId'>;
export type FindingId = Brand<string, 'FindingId'>;
export type SurfaceId = Brand<string, 'SurfaceId'>;
export type RuleId = Brand<string, 'RuleId'>;

export const orgId = (s: string): OrgId => s as OrgId;
export const runId = (s: string): RunId => s as RunId;
export const findingId = (s: string): FindingId => s as FindingId;
export const surfaceId = (s: string): SurfaceId => s as SurfaceId;
export const ruleId = (s: string): RuleId => s as RuleId;
