// Finds where a JSON text goes wrong. Node 20's JSON.parse messages often carry no position,
// so after JSON.parse fails this small strict scanner walks the text to the first bad offset.
export type JsonSyntaxError = { readonly offset: number; readonly message: string };

/** First syntax error of `text` as strict JSON (RFC 8259), or null when it is valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const err = (message: string, at = i): JsonSyntaxError => ({ offset: at, message });
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const found = () => (i < text.length ? `"${text[i]}"` : 'end of file');
  // Depth is tracked with an explicit stack so a deeply nested file cannot overflow the JS stack.
  const stack: ('{' | '[')[] = [];

  const scalar = (): JsonSyntaxError | null => {
    const c = text[i];
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) { i += word.length; return null; }
    }
    return err(`expected a value, found ${found()}`);
  };
  const string = (): JsonSyntaxError | null => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return null; }
      if (c < 0x20) return err('control character in string; escape it');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return err('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return err('invalid escape in string');
      } else i++;
    }
    return err('unterminated string');
  };
  const number = (): JsonSyntaxError | null => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') return err('invalid number');
    i += m[0].length;
    return null;
  };

  ws();
  // expectValue: at a value position; afterValue: just finished one (inside a container or at top).
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c); i++; ws();
        if (text[i] === (c === '{' ? '}' : ']')) { stack.pop(); i++; expectValue = false; continue; }
        if (c === '{') {
          if (text[i] !== '"') return err(`expected a property name in double quotes, found ${found()}`);
          const e = string(); if (e) return e;
          ws();
          if (text[i] !== ':') return err(`expected ":" after the property name, found ${found()}`);
          i++;
        }
        continue;
      }
      const e = scalar(); if (e) return e;
      expectValue = false;
      continue;
    }
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) return i < text.length ? err(`unexpected ${found()} after the end of the document`) : null;
    const close = top === '{' ? '}' : ']';
    if (text[i] === close) { stack.pop(); i++; continue; }
    if (text[i] !== ',') return err(`expected "," or "${close}", found ${found()}`);
    i++; ws();
    if (top === '{') {
      if (text[i] !== '"') return err(`expected a property name in double quotes, found ${found()}`);
      const e = string(); if (e) return e;
      ws();
      if (text[i] !== ':') return err(`expected ":" after the property name, found ${found()}`);
      i++;
    }
    expectValue = true;
  }
}
