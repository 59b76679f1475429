// Readable text form of an IrPolicy (in the spirit of `opa build --debug`), used in test
// failure messages and by anyone reading what the planner produced.
import type { Block, IrPolicy, Operand, Stmt } from './types.ts';

export function printIr(ir: IrPolicy): string {
  const out: string[] = [];
  const s = ir.static;
  const op = (o: Operand): string => {
    if ('local' in o) return `%${o.local}`;
    if ('bool' in o) return String(o.bool);
    return JSON.stringify(s.strings[o.str] ?? `<str ${o.str}>`);
  };
  const stmt = (x: Stmt, indent: string): void => {
    const loc = x.loc ? `  @${s.files[x.loc[0]] ?? '?'}:${x.loc[1]}:${x.loc[2]}` : '';
    const line = (text: string) => out.push(`${indent}${text}${loc}`);
    switch (x.op) {
      case 'Block':
        line('Block');
        x.blocks.forEach((b, i) => { out.push(`${indent}  block ${i}:`); block(b, indent + '    '); });
        return;
      case 'Not': line('Not'); block(x.block, indent + '  '); return;
      case 'Scan': line(`Scan %${x.source} key=%${x.key} value=%${x.value}`); block(x.block, indent + '  '); return;
      case 'With': line(`With %${x.local}${x.path.map((p) => `.${s.strings[p]}`).join('')} = ${op(x.value)}`); block(x.block, indent + '  '); return;
      case 'Break': line(`Break ${x.index}`); return;
      case 'Nop': line('Nop'); return;
      case 'Call': line(`%${x.result} = Call ${x.func}(${x.args.map(op).join(', ')})`); return;
      case 'CallDynamic': line(`%${x.result} = CallDynamic [${x.path.map(op).join(', ')}](${x.args.map((a) => `%${a}`).join(', ')})`); return;
      case 'ReturnLocal': line(`Return %${x.source}`); return;
      case 'Dot': line(`%${x.target} = Dot ${op(x.source)}[${op(x.key)}]`); return;
      case 'Len': line(`%${x.target} = Len ${op(x.source)}`); return;
      case 'IsArray': case 'IsObject': case 'IsSet': line(`${x.op} ${op(x.source)}`); return;
      case 'IsDefined': case 'IsUndefined': line(`${x.op} %${x.source}`); return;
      case 'Equal': line(`Equal ${op(x.a)} ${op(x.b)}`); return;
      case 'NotEqual': line(`NotEqual ${op(x.a)} ${op(x.b)}`); return;
      case 'AssignVar': line(`%${x.target} = ${op(x.source)}`); return;
      case 'AssignVarOnce': line(`%${x.target} = once ${op(x.source)}`); return;
      case 'AssignInt': line(`%${x.target} = int ${x.value}`); return;
      case 'ResetLocal': line(`Reset %${x.target}`); return;
      case 'MakeNull': line(`%${x.target} = null`); return;
      case 'MakeNumberInt': line(`%${x.target} = number ${x.value}`); return;
      case 'MakeNumberRef': line(`%${x.target} = number ${s.strings[x.index]}`); return;
      case 'MakeConst': line(`%${x.target} = const ${s.consts[x.index]}`); return;
      case 'MakeArray': line(`%${x.target} = []`); return;
      case 'MakeObject': line(`%${x.target} = {}`); return;
      case 'MakeSet': line(`%${x.target} = set()`); return;
      case 'ArrayAppend': line(`ArrayAppend %${x.array} ${op(x.value)}`); return;
      case 'ObjectInsert': line(`ObjectInsert %${x.object}[${op(x.key)}] = ${op(x.value)}`); return;
      case 'ObjectInsertOnce': line(`ObjectInsertOnce %${x.object}[${op(x.key)}] = ${op(x.value)}`); return;
      case 'ObjectMerge': line(`%${x.target} = ObjectMerge %${x.a} %${x.b}`); return;
      case 'SetAdd': line(`SetAdd %${x.set} ${op(x.value)}`); return;
      case 'ResultSetAdd': line(`ResultSetAdd %${x.value}`); return;
    }
  };
  const block = (b: Block, indent: string): void => {
    if (b.length === 0) out.push(`${indent}(empty)`);
    for (const x of b) stmt(x, indent);
  };
  if (s.builtins.length > 0) out.push(`builtins: ${s.builtins.map((b) => `${b.name}/${b.arity}`).join(', ')}`);
  ir.plans.forEach((p, i) => {
    out.push(`plan ${i} ${p.name}`);
    p.blocks.forEach((b, j) => { out.push(`  block ${j}:`); block(b, '    '); });
  });
  for (const f of ir.funcs) {
    out.push(`func ${f.name}(${f.params.map((p) => `%${p}`).join(', ')}) -> %${f.return}  path=${f.path.join('.')}`);
    f.blocks.forEach((b, j) => { out.push(`  block ${j}:`); block(b, '    '); });
  }
  return out.join('\n');
}
