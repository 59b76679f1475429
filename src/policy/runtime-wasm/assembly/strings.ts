// Code-point helpers: Rego string builtins index and count Unicode code points, while AS
// strings are UTF-16.

export function toCodePoints(s: string): Array<i32> {
  let out = new Array<i32>();
  for (let i = 0, n = s.length; i < n; i++) {
    let c = <i32>s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      let d = <i32>s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

export function fromCodePoints(cps: Array<i32>, start: i32 = 0, end: i32 = -1): string {
  if (end < 0) end = cps.length;
  let parts = new Array<string>();
  for (let i = start; i < end; i++) parts.push(String.fromCodePoint(cps[i]));
  return parts.join("");
}

/** Code-point index of the UTF-16 index `u` in s. */
export function cpIndexOf(s: string, u: i32): i32 {
  let n = 0;
  for (let i = 0; i < u; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < u) {
      let d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) i++;
    }
    n++;
  }
  return n;
}

export function isSpace(c: i32): bool {
  // Go's unicode.IsSpace.
  return c == 0x20 || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/** UTF-8 bytes of s (no NUL). */
export function utf8Bytes(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s, false));
}

/** String from bytes. Like Go ranging over a string, each byte of an invalid UTF-8
 *  sequence becomes one U+FFFD (so code-point counts match OPA's). */
export function bytesToString(b: Uint8Array): string {
  let n = b.length;
  let buf = new StaticArray<u16>(n * 2);
  let o = 0;
  let i = 0;
  while (i < n) {
    let c = <u32>b[i];
    if (c < 0x80) {
      buf[o++] = <u16>c;
      i++;
      continue;
    }
    let need = 0;
    let cp: u32 = 0;
    let lo: u32 = 0x80;
    let hi: u32 = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0f;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    }
    let ok = need > 0 && i + need < n + 1 && i + need <= n - 0;
    if (ok) {
      for (let k = 1; k <= need; k++) {
        if (i + k >= n) {
          ok = false;
          break;
        }
        let d = <u32>b[i + k];
        let l = k == 1 ? lo : 0x80;
        let h = k == 1 ? hi : 0xbf;
        if (d < l || d > h) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (d & 0x3f);
      }
    }
    if (!ok) {
      buf[o++] = 0xfffd;
      i++;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      buf[o++] = <u16>(0xd800 | (cp >> 10));
      buf[o++] = <u16>(0xdc00 | (cp & 0x3ff));
    } else {
      buf[o++] = <u16>cp;
    }
    i += need + 1;
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(buf), <usize>o << 1);
}
