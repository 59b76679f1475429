// Reads the text back out of an UNCOMPRESSED pdfkit PDF: one string per page content stream.
// pdfkit writes text as hex strings in TJ arrays (`[<48656c6c6f> 0] TJ`) in WinAnsi encoding.
export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  for (const m of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    const content = m[1]!;
    if (!/\bTJ\b/.test(content)) continue;
    const lines: string[] = [];
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    }
    pages.push(lines.join('\n'));
  }
  return pages;
}
