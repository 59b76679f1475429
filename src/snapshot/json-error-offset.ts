// Finds where a JSON text first goes wrong. V8's JSON.parse messages only sometimes carry a
// position ("Unexpected token 'x', ... is not valid JSON" has none), so a small scanner that
// walks the JSON grammar gives every syntax error a line:col.

/** Offset of the first syntax error in `text`, or undefined when the text is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  class At { constructor(readonly offset: number) {} }
  const bad = (at = i): never => { throw new At(at); };

  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) bad();
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return; }
      if (c < 0x20) bad();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) bad(i + 1); i += 6; }
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else bad(i + 1);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') bad();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') bad();
        string(); ws();
        if (text[i] !== ':') bad();
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        bad();
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        bad();
      }
    }
    if (c === '"') return string();
    for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) { i += lit.length; return; }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    bad();
  };
  try {
    value(); ws();
    if (i < text.length) bad();
    return undefined;
  } catch (e) {
    if (e instanceof At) return Math.min(e.offset, text.length);
    throw e;
  }
}
