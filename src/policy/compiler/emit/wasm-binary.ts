// A minimal WebAssembly binary reader/writer: LEB128, the section list, and the few
// sections the policy emitter edits (imports, globals, exports, data). Everything else is
// carried through byte for byte.

export const SECTION = {
  custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12,
} as const;

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

export type Section = { readonly id: number; readonly payload: Uint8Array };

/** Cursor over bytes with LEB128 helpers. */
export class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('wasm: unexpected end of input');
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error('wasm: bad LEB128');
    }
  }
  /** Signed LEB128 (i32 range). */
  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) result |= -1 << shift;
    return result | 0;
  }
  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new Error('wasm: unexpected end of input');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string {
    return new TextDecoder().decode(this.take(this.u32()));
  }
}

/** Growable byte sink (small writes buffered, large byte runs kept as slices). */
export class Writer {
  private parts: Uint8Array[] = [];
  private pending: number[] = [];
  byte(b: number): this {
    this.pending.push(b & 0xff);
    return this;
  }
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`wasm: bad u32 ${v}`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  bytes(data: Uint8Array): this {
    this.flush();
    this.parts.push(data);
    return this;
  }
  name(s: string): this {
    const enc = new TextEncoder().encode(s);
    return this.u32(enc.length).bytes(enc);
  }
  private flush(): void {
    if (this.pending.length > 0) {
      this.parts.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
  }
  finish(): Uint8Array<ArrayBuffer> {
    this.flush();
    return concatBytes(this.parts);
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function readSections(bytes: Uint8Array): Section[] {
  for (let i = 0; i < MAGIC_AND_VERSION.length; i++) {
    if (bytes[i] !== MAGIC_AND_VERSION[i]) throw new Error('wasm: not a WebAssembly 1.0 binary');
  }
  const r = new Reader(bytes);
  r.pos = 8;
  const sections: Section[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, payload: r.take(size) });
  }
  return sections;
}

export function writeSections(sections: readonly Section[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [Uint8Array.from(MAGIC_AND_VERSION)];
  for (const s of sections) {
    parts.push(new Writer().byte(s.id).u32(s.payload.length).finish(), s.payload);
  }
  return concatBytes(parts);
}

// ---- imports

export type Limits = { readonly min: number; readonly max?: number };
export type Import =
  | { readonly module: string; readonly name: string; readonly kind: 'func'; readonly type: number }
  | { readonly module: string; readonly name: string; readonly kind: 'memory'; readonly limits: Limits }
  | { readonly module: string; readonly name: string; readonly kind: 'other'; readonly raw: Uint8Array };

function readLimits(r: Reader): Limits {
  const flags = r.byte();
  const min = r.u32();
  return flags & 1 ? { min, max: r.u32() } : { min };
}

function writeLimits(w: Writer, l: Limits): void {
  if (l.max === undefined) w.byte(0).u32(l.min);
  else w.byte(1).u32(l.min).u32(l.max);
}

/** Skips one constant init expression (i32/i64/f32/f64.const, global.get, ref.*) up to `end`. */
function skipInitExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    switch (op) {
      case 0x0b: return;
      case 0x41: r.s32(); break;
      case 0x42: while (r.byte() & 0x80); break;
      case 0x43: r.take(4); break;
      case 0x44: r.take(8); break;
      case 0x23: r.u32(); break;
      case 0xd0: r.byte(); break;
      case 0xd2: r.u32(); break;
      case 0xfd: r.u32(); r.take(16); break;
      default: throw new Error(`wasm: unsupported init opcode 0x${op.toString(16)}`);
    }
  }
}

export function readImports(payload: Uint8Array): Import[] {
  const r = new Reader(payload);
  const n = r.u32();
  const out: Import[] = [];
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    if (kind === 0) out.push({ module, name, kind: 'func', type: r.u32() });
    else if (kind === 2) out.push({ module, name, kind: 'memory', limits: readLimits(r) });
    else {
      const start = r.pos;
      if (kind === 1) {
        r.byte();
        readLimits(r);
      } else if (kind === 3) {
        r.byte();
        r.byte();
      } else throw new Error(`wasm: unsupported import kind ${kind}`);
      out.push({ module, name, kind: 'other', raw: concatBytes([Uint8Array.of(kind), payload.slice(start, r.pos)]) });
    }
  }
  return out;
}

export function writeImports(imports: readonly Import[]): Uint8Array {
  const w = new Writer().u32(imports.length);
  for (const imp of imports) {
    w.name(imp.module).name(imp.name);
    if (imp.kind === 'func') w.byte(0).u32(imp.type);
    else if (imp.kind === 'memory') {
      w.byte(2);
      writeLimits(w, imp.limits);
    } else w.bytes(imp.raw);
  }
  return w.finish();
}

// ---- globals

export type Global = { readonly type: number; readonly mutable: boolean; readonly init: Uint8Array };

export function readGlobals(payload: Uint8Array): Global[] {
  const r = new Reader(payload);
  const n = r.u32();
  const out: Global[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.byte();
    const mutable = r.byte() === 1;
    const start = r.pos;
    skipInitExpr(r);
    out.push({ type, mutable, init: payload.slice(start, r.pos) });
  }
  return out;
}

export function writeGlobals(globals: readonly Global[]): Uint8Array {
  const w = new Writer().u32(globals.length);
  for (const g of globals) w.byte(g.type).byte(g.mutable ? 1 : 0).bytes(g.init);
  return w.finish();
}

export function i32ConstExpr(v: number): Uint8Array {
  return new Writer().byte(0x41).s32(v).byte(0x0b).finish();
}

// ---- exports

export type Export = { readonly name: string; readonly kind: number; readonly index: number };
export const EXPORT_KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;

export function readExports(payload: Uint8Array): Export[] {
  const r = new Reader(payload);
  const n = r.u32();
  const out: Export[] = [];
  for (let i = 0; i < n; i++) out.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  return out;
}

export function writeExports(exports: readonly Export[]): Uint8Array {
  const w = new Writer().u32(exports.length);
  for (const e of exports) w.name(e.name).byte(e.kind).u32(e.index);
  return w.finish();
}

// ---- data

export type DataSegment =
  | { readonly mode: 'active'; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly mode: 'raw'; readonly raw: Uint8Array };

export function readData(payload: Uint8Array): DataSegment[] {
  const r = new Reader(payload);
  const n = r.u32();
  const out: DataSegment[] = [];
  for (let i = 0; i < n; i++) {
    const start = r.pos;
    const flags = r.u32();
    if (flags === 0) {
      const op = r.byte();
      if (op !== 0x41) throw new Error('wasm: data segment offset is not i32.const');
      const offset = r.s32();
      if (r.byte() !== 0x0b) throw new Error('wasm: bad data segment offset');
      const len = r.u32();
      out.push({ mode: 'active', offset: offset >>> 0, bytes: r.take(len) });
    } else if (flags === 1) {
      const len = r.u32();
      r.take(len);
      out.push({ mode: 'raw', raw: payload.slice(start, r.pos) });
    } else if (flags === 2) {
      r.u32();
      skipInitExpr(r);
      const len = r.u32();
      r.take(len);
      out.push({ mode: 'raw', raw: payload.slice(start, r.pos) });
    } else throw new Error(`wasm: unsupported data segment flags ${flags}`);
  }
  return out;
}

export function writeData(segments: readonly DataSegment[]): Uint8Array {
  const w = new Writer().u32(segments.length);
  for (const s of segments) {
    if (s.mode === 'raw') w.bytes(s.raw);
    else w.u32(0).byte(0x41).s32(s.offset | 0).byte(0x0b).u32(s.bytes.length).bytes(s.bytes);
  }
  return w.finish();
}
