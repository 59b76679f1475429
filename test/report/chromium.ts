// Headless Chromium (Debian's `chromium`, installed by .ci/run) for checking HTML reports: does
// the page render, what does it print to the console, and a screenshot for a human to review.
// No test downloads a browser. Chromium logs every console message (any level) to stderr as
// `INFO:CONSOLE:<line>] "<text>", source: …` with --enable-logging=stderr --v=0.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.DRIFTWARDEN_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function run(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve({ stdout, stderr });
    });
  });
}

export type ChromiumCheck = { readonly dom: string; readonly console: readonly string[]; readonly screenshot: string; readonly screenshotBytes: number };

/** Loads `htmlFile`, returns its DOM and console messages, and writes `<screenshot>`. */
export async function checkInChromium(htmlFile: string, screenshot: string, windowSize = '1200,1800'): Promise<ChromiumCheck> {
  const profile = await mkdtemp(join(tmpdir(), 'dw-chromium-'));
  try {
    const url = pathToFileURL(htmlFile).href;
    const dump = await run([...BASE_FLAGS, `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', url]);
    const consoleLines = dump.stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
    await run([...BASE_FLAGS, `--user-data-dir=${profile}`, `--screenshot=${screenshot}`, `--window-size=${windowSize}`, url]);
    return { dom: dump.stdout, console: consoleLines, screenshot, screenshotBytes: (await stat(screenshot)).size };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
