// Baselines: `<dir>/<org>/<surface>.json`, canonical JSON, versioned in git. Every change is a
// commit that names who made it, so the baseline history is the audit trail of accepted drift.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fail, locate } from '../model/errors.ts';
import type { Json, JsonObject } from '../model/findings.ts';
import { canonicalJson } from '../normalize/canonical-json.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
import { git, gitRaw, hasCommits, repoRoot, withGitLock, type GitIdentity } from './git.ts';
import { parseDriftPathText, isKeyed, type EditSegment } from './path-text.ts';
import { deleteAt, getAt, setAt } from './path-edit.ts';

export const BASELINE_CODES = {
  malformedJson: 'DW2101',  // a baseline file is not valid JSON
  notAnObject: 'DW2102',    // a baseline document is not a JSON object
  badName: 'DW2103',        // org or surface id unusable as a file name
  git: 'DW2104',            // git failed (see git.ts)
  badPath: 'DW2105',        // drift path text cannot be parsed
  cannotApply: 'DW2106',    // drift path does not fit the baseline document
  noCurrent: 'DW2107',      // accepting a path of a surface the current snapshot lacks
  badAuthor: 'DW2108',      // author name/email unusable in a commit
  io: 'DW2109',             // cannot read or write a baseline file
} as const;

export type BaselineAuthor = GitIdentity;
export type Baseline = { readonly surfaces: Readonly<Record<string, JsonObject>>; readonly commit: string | null };
/** `sha` is HEAD of the baseline repo after the call (null only for a repo without commits). */
export type BaselineCommit = { readonly sha: string | null; readonly changed: boolean };
export type BaselineHistoryEntry = { readonly sha: string; readonly author: BaselineAuthor; readonly date: string; readonly message: string };
export type AcceptedPath = { readonly surface: string; readonly pathText: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

function checkName(kind: 'org' | 'surface', name: string): void {
  if (!NAME.test(name) || name.length > 128) fail(BASELINE_CODES.badName, 'bad-input', `${kind} id "${name}" cannot name a baseline file; use letters, digits, "-", "_" and single dots`);
}

function checkAuthor(a: BaselineAuthor): void {
  // git refuses or mangles these; a newline would also let a name forge extra commit headers.
  const bad = (s: string) => s.trim() === '' || /[<>\n\r\0]/.test(s);
  if (bad(a.name) || bad(a.email)) fail(BASELINE_CODES.badAuthor, 'bad-input', `author "${a.name} <${a.email}>" is not usable in a commit; give a non-empty name and email without <, > or newlines`);
}

/** Parses one baseline file; malformed JSON or a non-object names file:line:col. */
export function parseBaselineFile(text: string, file: string): JsonObject {
  let value: unknown;
  try { value = JSON.parse(text); } catch {
    const e = findJsonSyntaxError(text) ?? { offset: 0, message: 'invalid JSON' };
    const { line, col, sourceLine } = locate(text, e.offset);
    return fail(BASELINE_CODES.malformedJson, 'bad-input', `invalid JSON: ${e.message}; fix the file or restore it from git`, { file, line, col }, sourceLine);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const offset = text.length - text.trimStart().length;
    const { line, col, sourceLine } = locate(text, offset);
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return fail(BASELINE_CODES.notAnObject, 'bad-input', `expected an object, found ${found}`, { file, line, col }, sourceLine);
  }
  return value as JsonObject;
}

const orgDir = (dir: string, org: string) => join(dir, org);
const surfaceFile = (dir: string, org: string, surface: string) => join(dir, org, `${surface}.json`);
const toGitPath = (p: string) => p.split(sep).join('/') || '.';

function readSurfaces(dir: string, org: string): Record<string, JsonObject> {
  const folder = orgDir(dir, org);
  if (!existsSync(folder)) return {};
  const out: Record<string, JsonObject> = {};
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const file = join(folder, name);
    let text: string;
    try { text = readFileSync(file, 'utf8'); }
    catch (e) { return fail(BASELINE_CODES.io, 'internal', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
    out[name.slice(0, -'.json'.length)] = parseBaselineFile(text, file);
  }
  return out;
}

/** The repo holding `dir` (created as a new repo rooted at `dir` when there is none), and the
 *  org folder's path inside it, in git's `/` form. */
async function openRepo(dir: string, org: string): Promise<{ root: string; orgPath: string }> {
  mkdirSync(dir, { recursive: true });
  let root = await repoRoot(dir);
  if (root === null) {
    await git(dir, ['-c', 'init.defaultBranch=main', 'init', '-q']);
    root = await repoRoot(dir);
    if (root === null) return fail(BASELINE_CODES.git, 'internal', `git init in ${dir} did not create a repository`);
  }
  // Compare real paths: tmp folders are often reached through symlinks.
  return { root, orgPath: toGitPath(relative(realpathSync(root), join(realpathSync(dir), org))) };
}

async function lastCommit(root: string, orgPath: string): Promise<string | null> {
  if (!(await hasCommits(root))) return null;
  const sha = (await git(root, ['log', '-1', '--format=%H', '--', orgPath])).trim();
  return sha || null;
}

async function head(root: string): Promise<string | null> {
  return (await hasCommits(root)) ? (await git(root, ['rev-parse', 'HEAD'])).trim() : null;
}

/** Reads every surface of an org's baseline, and the last commit that touched it. */
export async function readBaseline(dir: string, org: string): Promise<Baseline> {
  checkName('org', org);
  const surfaces = readSurfaces(dir, org);
  if (!existsSync(dir)) return { surfaces, commit: null };
  const root = await repoRoot(dir);
  if (root === null) return { surfaces, commit: null };
  return { surfaces, commit: await lastCommit(root, toGitPath(relative(realpathSync(root), join(realpathSync(dir), org)))) };
}

export type WriteBaselineOptions = {
  readonly message: string;
  readonly author: BaselineAuthor;
  /** Also delete this org's surfaces that are not in `surfaces` (default: leave them). */
  readonly replace?: boolean;
};

/** Writes the given surfaces in canonical form and commits them (only the org's folder, only
 *  when something changed). Initialises a repository in `dir` when it is in none. */
export async function writeBaseline(dir: string, org: string, surfaces: Readonly<Record<string, Json>>, opts: WriteBaselineOptions): Promise<BaselineCommit> {
  checkName('org', org);
  checkAuthor(opts.author);
  const docs = Object.entries(surfaces).map(([surface, doc]) => {
    checkName('surface', surface);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(BASELINE_CODES.notAnObject, 'bad-input', `surface "${surface}" of org "${org}": a baseline must be a JSON object`);
    return [surface, doc] as const;
  });
  return withGitLock(async () => {
    const { root, orgPath } = await openRepo(dir, org);
    writeSurfaceFiles(dir, org, docs, opts.replace === true);
    return commitOrg(root, orgPath, opts.message, opts.author);
  });
}

function writeSurfaceFiles(dir: string, org: string, docs: readonly (readonly [string, Json])[], replace: boolean): void {
  const folder = orgDir(dir, org);
  try {
    mkdirSync(folder, { recursive: true });
    for (const [surface, doc] of docs) {
      const file = surfaceFile(dir, org, surface);
      const text = canonicalJson(doc, { pretty: true });
      if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
      // Write-then-rename: a crash never leaves a half-written baseline behind.
      const tmp = join(folder, `.${surface}.json.${process.pid}.tmp`);
      writeFileSync(tmp, text);
      renameSync(tmp, file);
    }
    if (replace) {
      const keep = new Set(docs.map(([s]) => `${s}.json`));
      for (const name of readdirSync(folder)) if (name.endsWith('.json') && !name.startsWith('.') && !keep.has(name)) rmSync(join(folder, name));
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'DwFailure') throw e;
    fail(BASELINE_CODES.io, 'internal', `cannot write baselines in ${folder}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Stages and commits only `orgPath`; other staged work in the repo is left as it was. */
async function commitOrg(root: string, orgPath: string, message: string, author: BaselineAuthor): Promise<BaselineCommit> {
  await git(root, ['add', '-A', '--', orgPath]);
  const staged = await gitRaw(root, ['diff', '--cached', '--quiet', '--', orgPath]);
  if (staged.code === 0) return { sha: await head(root), changed: false };
  await git(root, ['commit', '-q', '--no-verify', '--only', '-m', message, '--', orgPath], author);
  return { sha: await head(root), changed: true };
}

export type AcceptOptions = { readonly author: BaselineAuthor; /** Why, recorded in the commit. */ readonly reason?: string };

/** Takes only the chosen drift into the baseline: each path gets the current value, or is
 *  deleted when the current document no longer has it. One commit naming the paths and the person. */
export async function acceptPaths(dir: string, org: string, current: Readonly<Record<string, Json>>, paths: readonly AcceptedPath[], opts: AcceptOptions): Promise<BaselineCommit> {
  checkName('org', org);
  checkAuthor(opts.author);
  const parsed = paths.map((p) => {
    checkName('surface', p.surface);
    const r = parseDriftPathText(p.pathText);
    if (!r.ok) return fail(BASELINE_CODES.badPath, 'bad-input', `${p.surface}: cannot accept "${p.pathText}": ${r.message}`);
    if (!Object.hasOwn(current, p.surface)) return fail(BASELINE_CODES.noCurrent, 'bad-input', `${p.surface}: the current snapshot has no data for this surface, so "${p.pathText}" cannot be accepted`);
    return { ...p, segments: r.segments };
  });
  return withGitLock(async () => {
    // Read (and validate) and apply in memory before touching anything: a malformed baseline or
    // a path that does not fit aborts with nothing written.
    const baseline = readSurfaces(dir, org);
    const updated = new Map<string, Json>();
    const edits = parsed.map((p) => {
      const now = getAt(current[p.surface], p.segments);
      return { ...p, isSet: now.found, value: now.found ? now.value : null };
    });
    for (const p of orderForApply(edits)) {
      const doc = updated.get(p.surface) ?? baseline[p.surface] ?? {};
      const r = p.isSet ? setAt(doc, p.segments, p.value) : deleteAt(doc, p.segments);
      if (!r.ok) return fail(BASELINE_CODES.cannotApply, 'bad-input', `${p.surface}: cannot accept "${p.pathText}": ${r.message}`);
      if (r.doc === null || typeof r.doc !== 'object' || Array.isArray(r.doc)) return fail(BASELINE_CODES.notAnObject, 'bad-input', `${p.surface}: accepting "${p.pathText}" would make the baseline a non-object`);
      updated.set(p.surface, r.doc);
    }
    const { root, orgPath } = await openRepo(dir, org);
    writeSurfaceFiles(dir, org, [...updated], false);
    return commitOrg(root, orgPath, acceptMessage(org, paths, opts), opts.author);
  });
}

/** Sets before deletes; sets in ascending path order (parents before children, appends line up),
 *  deletes in descending order so removing an array element never shifts one still to remove. */
function orderForApply<T extends { readonly segments: readonly EditSegment[]; readonly isSet: boolean }>(items: readonly T[]): readonly T[] {
  const sets = items.filter((p) => p.isSet).sort((a, b) => compareSegments(a.segments, b.segments));
  const deletes = items.filter((p) => !p.isSet).sort((a, b) => compareSegments(b.segments, a.segments));
  return [...sets, ...deletes];
}

/** A total order on paths: segment by segment (numbers < keys < keyed elements), prefix first. */
function compareSegments(a: readonly EditSegment[], b: readonly EditSegment[]): number {
  const rank = (s: EditSegment) => (typeof s === 'number' ? 0 : typeof s === 'string' ? 1 : 2);
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k]!, y = b[k]!;
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    if (typeof x === 'number' && typeof y === 'number') { if (x !== y) return x - y; continue; }
    const xs = isKeyed(x) ? `${x.key}\0${canonicalJson(x.value)}` : String(x);
    const ys = isKeyed(y) ? `${y.key}\0${canonicalJson(y.value)}` : String(y);
    if (xs !== ys) return xs < ys ? -1 : 1;
  }
  return a.length - b.length;
}

function acceptMessage(org: string, paths: readonly AcceptedPath[], opts: AcceptOptions): string {
  const who = `${opts.author.name} <${opts.author.email}>`;
  const n = paths.length;
  const lines = [
    `baseline(${org}): accept ${n} drift path${n === 1 ? '' : 's'} by ${opts.author.name}`,
    '',
    `Accepted by: ${who}`,
    ...(opts.reason ? [`Reason: ${opts.reason}`] : []),
    '',
    ...paths.map((p) => `- ${p.surface}: ${p.pathText === '' ? '(whole surface)' : p.pathText}`),
  ];
  return lines.join('\n') + '\n';
}

/** Commits that touched the org's baseline, newest first. */
export async function baselineHistory(dir: string, org: string, limit?: number): Promise<readonly BaselineHistoryEntry[]> {
  checkName('org', org);
  if (!existsSync(dir)) return [];
  const root = await repoRoot(dir);
  if (root === null || !(await hasCommits(root))) return [];
  const orgPath = toGitPath(relative(realpathSync(root), join(realpathSync(dir), org)));
  const out = await git(root, ['log', ...(limit ? [`-${limit}`] : []), '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e', '--', orgPath]);
  return out.split('\x1e').map((r) => r.replace(/^\n/, '')).filter((r) => r.trim() !== '').map((r) => {
    const [sha, name, email, date, message] = r.split('\x1f');
    return { sha: sha!, author: { name: name!, email: email! }, date: date!, message: (message ?? '').trimEnd() };
  });
}
