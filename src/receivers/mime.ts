// Just enough RFC 5322 / MIME reading for tests to assert on what an SMTP receiver got: unfolded
// headers, RFC 2047 encoded words, and the decoded text/plain and text/html parts.
export type ParsedMail = {
  /** Header names lower-cased, values unfolded (not decoded). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  header(name: string): string | undefined;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
};

function splitHeaderBody(raw: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(raw);
  return m ? [raw.slice(0, m.index), raw.slice(m.index + m[0].length)] : [raw, ''];
}

export function parseHeaderBlock(block: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = out.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    out.set(name, list);
  }
  return out;
}

/** Decodes `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words (adjacent words join without the space). */
export function decodeEncodedWords(v: string): string {
  return v.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

export function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeBody(body: string, headers: Map<string, string[]>): string {
  const cte = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

function walk(headers: Map<string, string[]>, body: string, found: { text?: string; html?: string }): void {
  const ct = headers.get('content-type')?.[0] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (/^multipart\//i.test(ct) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const [h, b] = splitHeaderBody(part.replace(/^\r?\n/, ''));
      walk(parseHeaderBlock(h), b.replace(/\r?\n$/, ''), found);
    }
    return;
  }
  if (/^text\/html/i.test(ct)) found.html ??= decodeBody(body, headers);
  else if (/^text\/plain/i.test(ct)) found.text ??= decodeBody(body, headers);
}

export function parseMail(raw: string): ParsedMail {
  const [h, body] = splitHeaderBody(raw);
  const headers = parseHeaderBlock(h);
  const found: { text?: string; html?: string } = {};
  walk(headers, body, found);
  return {
    headers,
    header: (name) => headers.get(name.toLowerCase())?.[0],
    subject: decodeEncodedWords(headers.get('subject')?.[0] ?? ''),
    ...(found.text !== undefined ? { text: found.text } : {}),
    ...(found.html !== undefined ? { html: found.html } : {}),
  };
}
