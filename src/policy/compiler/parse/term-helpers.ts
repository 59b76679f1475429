// Small pure helpers over AST terms used by the parser.
import type { RefTerm, RuleHead, Term } from '../ast.ts';

export function appendRef(term: Term, seg: Term): RefTerm {
  if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, seg], pos: term.pos };
  return { type: 'ref', head: term, path: [seg], pos: term.pos };
}

/** `f`, `lib.f`, `data.lib.f` -> their dotted names; anything else cannot be called. */
export function callName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type === 'ref' && t.head.type === 'var') {
    const parts = [t.head.name];
    for (const p of t.path) { if (p.type !== 'string') return undefined; parts.push(p.value); }
    return parts.join('.');
  }
  return undefined;
}

export function containsVar(t: Term): boolean {
  switch (t.type) {
    case 'var': case 'ref': return true;
    case 'array': case 'set': return t.items.some(containsVar);
    case 'object': return t.items.some(([k, v]) => containsVar(k) || containsVar(v));
    case 'call': return t.args.some(containsVar);
    // Comprehension variables are local to the comprehension: OPA accepts them here.
    case 'arraycompr': case 'setcompr': case 'objectcompr': return false;
    default: return false;
  }
}

/** The head as written (`p`, `a.b[x]`, `f(...)`), for messages. */
export function headText(h: RuleHead): string {
  let s = '';
  h.ref.forEach((t, i) => {
    if (t.type === 'string') s += i === 0 ? t.value : /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.value) ? `.${t.value}` : `[${JSON.stringify(t.value)}]`;
    else s += t.type === 'var' ? `[${t.name}]` : '[...]';
  });
  return h.args ? `${s}(...)` : s;
}
