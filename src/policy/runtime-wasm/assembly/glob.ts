// glob.match with the syntax of gobwas/glob (what OPA uses): `*` (any run of non-delimiter
// characters), `**` (any run), `?` (one non-delimiter character), `[abc]`, `[a-z]`,
// `[!abc]`, `{alt1,alt2}` (nested allowed), `\` escapes. Works on code points.
import { toCodePoints } from "./strings";

const T_LIT = 0, T_ANY = 1, T_STAR = 2, T_SUPER = 3, T_CLASS = 4, T_ALT = 5;

class GTok {
  kind: i32 = 0;
  cp: i32 = 0;
  neg: bool = false;
  ranges: Array<i32> = new Array<i32>();
  alts: Array<Array<GTok>> = new Array<Array<GTok>>();
}

class GParser {
  pos: i32 = 0;
  ok: bool = true;
  constructor(public p: Array<i32>) {}

  /** Parses until end, or (inside braces) until `,` / `}`. */
  seq(inAlt: bool): Array<GTok> {
    let out = new Array<GTok>();
    let p = this.p;
    while (this.pos < p.length) {
      let c = p[this.pos];
      if (inAlt && (c == 0x2c || c == 0x7d)) return out;
      let t = new GTok();
      if (c == 0x5c) {
        this.pos++;
        if (this.pos >= p.length) {
          this.ok = false;
          return out;
        }
        t.kind = T_LIT;
        t.cp = p[this.pos++];
      } else if (c == 0x2a) {
        this.pos++;
        if (this.pos < p.length && p[this.pos] == 0x2a) {
          this.pos++;
          t.kind = T_SUPER;
        } else t.kind = T_STAR;
      } else if (c == 0x3f) {
        this.pos++;
        t.kind = T_ANY;
      } else if (c == 0x5b) {
        this.pos++;
        t.kind = T_CLASS;
        if (this.pos < p.length && p[this.pos] == 0x21) {
          t.neg = true;
          this.pos++;
        }
        let closed = false;
        while (this.pos < p.length) {
          let x = p[this.pos];
          if (x == 0x5d) {
            this.pos++;
            closed = true;
            break;
          }
          if (x == 0x5c && this.pos + 1 < p.length) {
            this.pos++;
            x = p[this.pos];
          }
          this.pos++;
          let hi = x;
          if (this.pos + 1 < p.length && p[this.pos] == 0x2d && p[this.pos + 1] != 0x5d) {
            hi = p[this.pos + 1];
            this.pos += 2;
          }
          t.ranges.push(x);
          t.ranges.push(hi);
        }
        if (!closed) {
          this.ok = false;
          return out;
        }
      } else if (c == 0x7b) {
        this.pos++;
        t.kind = T_ALT;
        while (true) {
          t.alts.push(this.seq(true));
          if (!this.ok) return out;
          if (this.pos >= p.length) {
            this.ok = false;
            return out;
          }
          let x = p[this.pos++];
          if (x == 0x7d) break;
        }
      } else {
        this.pos++;
        t.kind = T_LIT;
        t.cp = c;
      }
      out.push(t);
    }
    return out;
  }
}

function isDelim(c: i32, delims: Array<i32>): bool {
  return delims.includes(c);
}

function matchAt(toks: Array<GTok>, ti: i32, s: Array<i32>, si: i32, delims: Array<i32>): bool {
  while (ti < toks.length) {
    let t = toks[ti];
    switch (t.kind) {
      case T_LIT:
        if (si >= s.length || s[si] != t.cp) return false;
        si++;
        ti++;
        break;
      case T_ANY:
        if (si >= s.length || isDelim(s[si], delims)) return false;
        si++;
        ti++;
        break;
      case T_CLASS: {
        if (si >= s.length) return false;
        let c = s[si];
        let inClass = false;
        for (let i = 0; i < t.ranges.length; i += 2) {
          if (c >= t.ranges[i] && c <= t.ranges[i + 1]) {
            inClass = true;
            break;
          }
        }
        if (inClass == t.neg) return false;
        si++;
        ti++;
        break;
      }
      case T_STAR: {
        let k = si;
        while (true) {
          if (matchAt(toks, ti + 1, s, k, delims)) return true;
          if (k < s.length && !isDelim(s[k], delims)) k++;
          else return false;
        }
        return false;
      }
      case T_SUPER: {
        for (let k = si; k <= s.length; k++) if (matchAt(toks, ti + 1, s, k, delims)) return true;
        return false;
      }
      case T_ALT: {
        let rest = toks.slice(ti + 1);
        for (let i = 0; i < t.alts.length; i++) {
          let combined = t.alts[i].concat(rest);
          if (matchAt(combined, 0, s, si, delims)) return true;
        }
        return false;
      }
    }
  }
  return si == s.length;
}

/** 1 match, 0 no match, -1 invalid pattern. */
export function globMatch(pattern: string, delims: Array<i32>, text: string): i32 {
  let parser = new GParser(toCodePoints(pattern));
  let toks = parser.seq(false);
  if (!parser.ok) return -1;
  return matchAt(toks, 0, toCodePoints(text), 0, delims) ? 1 : 0;
}
