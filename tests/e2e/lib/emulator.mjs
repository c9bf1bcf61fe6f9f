// Starts the idc-emulator binary on a free port for one test and stops it afterwards.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { required } from './chromium.mjs';

/** @param {object} [config] written to a JSON file and passed with --config */
export async function startEmulator(config) {
  const args = ['--port', '0'];
  if (config) {
    const file = join(mkdtempSync(join(tmpdir(), 'ssobridge-emu-')), 'config.json');
    writeFileSync(file, JSON.stringify(config));
    args.push('--config', file);
  }
  // The emulator logs every request on stderr; shown only when asked for, to keep test output readable.
  const stderr = process.env.SSOBRIDGE_E2E_VERBOSE ? 'inherit' : 'ignore';
  const proc = spawn(required('IDC_EMULATOR'), args, { stdio: ['ignore', 'pipe', stderr] });
  const lines = createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', (line) => {
      const m = line.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line from idc-emulator: ${line}`));
    });
    proc.once('exit', (code) => reject(new Error(`idc-emulator exited (${code})`)));
  });
  lines.on('line', () => {});
  /** @param {string} path @param {object} [body] */
  const admin = async (path, body) => {
    const res = await fetch(`${url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    admin,
    async stop() {
      proc.kill();
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    },
  };
}
