// Interning tables of an IrPolicy's `static` section (strings, files, constants, builtins).
import type { IrPolicy } from '../ir/types.ts';

export class Statics {
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly consts: string[] = [];
  private readonly constIndex = new Map<string, number>();
  private readonly builtins: { name: string; arity: number }[] = [];
  private readonly builtinIndex = new Map<string, number>();

  private mockIds = 0;
  /** Numbers for `with` values parked in the data document (unique per policy). */
  nextMockId(): number { return this.mockIds++; }

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) { i = this.strings.length; this.strings.push(s); this.stringIndex.set(s, i); }
    return i;
  }

  file(f: string): number {
    let i = this.fileIndex.get(f);
    if (i === undefined) { i = this.files.length; this.files.push(f); this.fileIndex.set(f, i); }
    return i;
  }

  constant(json: string): number {
    let i = this.constIndex.get(json);
    if (i === undefined) { i = this.consts.length; this.consts.push(json); this.constIndex.set(json, i); }
    return i;
  }

  builtin(name: string, arity: number): void {
    if (this.builtinIndex.has(name)) return;
    this.builtinIndex.set(name, this.builtins.length);
    this.builtins.push({ name, arity });
  }

  toStatic(): IrPolicy['static'] {
    return { strings: [...this.strings], files: [...this.files], consts: [...this.consts], builtins: this.builtins.map((b) => ({ ...b })) };
  }
}
