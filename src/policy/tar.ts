// A minimal ustar writer: enough for OPA bundles (regular files only), deterministic bytes
// (fixed mtime/owner) so the same bundle always has the same digest.
import { gzipSync } from 'node:zlib';

export type TarEntry = { readonly name: string; readonly data: Uint8Array };

function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) {
    // ustar prefix field for long names: split at a '/' so both parts fit.
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new RangeError(`tar entry name too long: ${name}`);
    h.write(name.slice(cut + 1), 0, 100, 'utf8');
    h.write(name.slice(0, cut), 345, 155, 'utf8');
  } else h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 8, 'ascii');           // mode
  h.write('0000000\0', 108, 8, 'ascii');           // uid
  h.write('0000000\0', 116, 8, 'ascii');           // gid
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  h.write('00000000000\0', 136, 12, 'ascii');      // mtime 0: reproducible
  h.write('        ', 148, 8, 'ascii');            // checksum placeholder
  h.write('0', 156, 1, 'ascii');                   // regular file
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.name, e.data.length), Buffer.from(e.data));
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

/** Reads back what tarGz wrote (regular files), for tests and `policy build --verify`. */
export function untar(tar: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const cstr = (a: number, n: number) => { const s = h.subarray(a, a + n); const z = s.indexOf(0); return s.subarray(0, z < 0 ? n : z).toString('utf8'); };
    const prefix = cstr(345, 155);
    const name = prefix ? `${prefix}/${cstr(0, 100)}` : cstr(0, 100);
    const size = parseInt(cstr(124, 12).trim() || '0', 8);
    out.push({ name, data: tar.subarray(off + 512, off + 512 + size) });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
