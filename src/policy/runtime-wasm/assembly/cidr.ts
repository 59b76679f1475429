// net.cidr_contains for IPv4 and IPv6 (addresses as 16 bytes; IPv4 as v4-mapped).

class Net {
  addr: Uint8Array = new Uint8Array(16);
  bits: i32 = 128;
  v4: bool = false;
}

function parseV4(s: string, out: Uint8Array, at: i32): bool {
  let parts = s.split(".");
  if (parts.length != 4) return false;
  for (let i = 0; i < 4; i++) {
    let p = parts[i];
    if (p.length == 0 || p.length > 3) return false;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      let c = p.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return false;
      v = v * 10 + (c - 0x30);
    }
    if (v > 255 || (p.length > 1 && p.charCodeAt(0) == 0x30)) return false;
    out[at + i] = <u8>v;
  }
  return true;
}

function hexGroup(p: string): i32 {
  if (p.length == 0 || p.length > 4) return -1;
  let v = 0;
  for (let j = 0; j < p.length; j++) {
    let c = p.charCodeAt(j);
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function parseV6(s: string, out: Uint8Array): bool {
  let dbl = s.indexOf("::");
  let head = dbl >= 0 ? s.substring(0, dbl) : s;
  let tail = dbl >= 0 ? s.substring(dbl + 2) : "";
  if (dbl >= 0 && tail.indexOf("::") >= 0) return false;
  let groups = new Array<i32>();
  let tailGroups = new Array<i32>();
  let targets = [head, tail];
  for (let t = 0; t < 2; t++) {
    let part = targets[t];
    if (part.length == 0) continue;
    let items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      let it = items[i];
      let list = t == 0 ? groups : tailGroups;
      if (it.indexOf(".") >= 0 && i == items.length - 1) {
        let b = new Uint8Array(4);
        if (!parseV4(it, b, 0)) return false;
        list.push((<i32>b[0] << 8) | b[1]);
        list.push((<i32>b[2] << 8) | b[3]);
        continue;
      }
      let g = hexGroup(it);
      if (g < 0) return false;
      list.push(g);
    }
  }
  let total = groups.length + tailGroups.length;
  if (dbl < 0 && total != 8) return false;
  if (dbl >= 0 && total > 7) return false;
  let all = new Array<i32>(8);
  for (let i = 0; i < groups.length; i++) all[i] = groups[i];
  for (let i = 0; i < tailGroups.length; i++) all[8 - tailGroups.length + i] = tailGroups[i];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = <u8>(all[i] >> 8);
    out[2 * i + 1] = <u8>(all[i] & 0xff);
  }
  return true;
}

function parseNet(s: string, requirePrefix: bool): Net | null {
  let n = new Net();
  let slash = s.indexOf("/");
  let ip = slash >= 0 ? s.substring(0, slash) : s;
  if (requirePrefix && slash < 0) return null;
  if (ip.indexOf(":") >= 0) {
    if (!parseV6(ip, n.addr)) return null;
    n.bits = 128;
  } else {
    n.v4 = true;
    n.addr[10] = 0xff;
    n.addr[11] = 0xff;
    if (!parseV4(ip, n.addr, 12)) return null;
    n.bits = 32;
  }
  if (slash >= 0) {
    let p = s.substring(slash + 1);
    if (p.length == 0 || p.length > 3) return null;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      let c = p.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return null;
      v = v * 10 + (c - 0x30);
    }
    if (v > n.bits) return null;
    n.bits = v;
  }
  return n;
}

/** 1 contained, 0 not, -1 invalid input. */
export function cidrContains(cidr: string, other: string): i32 {
  let a = parseNet(cidr, true);
  let b = parseNet(other, false);
  if (a === null || b === null) return -1;
  if (a.v4 != b.v4) return 0;
  let offset = a.v4 ? 96 : 0;
  let abits = a.bits + offset;
  let bbits = b.bits + offset;
  if (bbits < abits) return 0;
  for (let i = 0; i < abits; i++) {
    let byte = i >> 3;
    let mask = <u8>(0x80 >> <u8>(i & 7));
    if ((a.addr[byte] & mask) != (b.addr[byte] & mask)) return 0;
  }
  return 1;
}
