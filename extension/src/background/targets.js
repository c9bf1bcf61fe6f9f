// "Also sync to" (issue 15): the targets the host also writes a portal's files to, and what
// became of each the last time. Only `ok`, the error code and the time are kept, in
// chrome.storage.local: never a message (it may name a remote path) and never a token.
import { loadTargets, saveTargets } from './settings.js';

/** @typedef {import('./settings.js').SyncTarget} SyncTarget */
/** @typedef {{ ok: boolean, code: string | null, at: number }} TargetOutcome */

/** One string per target, the key of its last result. @param {SyncTarget} t */
export function targetKey(t) {
  return `${t.kind}:${'path' in t ? t.path : 'host' in t ? t.host : t.distro}`;
}

/** @param {string} sessionName @returns {Promise<SyncTarget[]>} */
export async function targetsFor(sessionName) {
  return (await loadTargets())[sessionName] ?? [];
}

/** Extra time a request gets per target (an unreachable SSH host takes its 10 s time-out). */
export const TARGET_TIMEOUT_MS = 30_000;

/** @param {SyncTarget[]} targets */
export const timeoutFor = (targets) => ({ timeoutMs: 20_000 + TARGET_TIMEOUT_MS * targets.length });

/**
 * Keeps each target's outcome from a host reply's `targets`.
 * @param {string} sessionName @param {{ target: SyncTarget, ok: boolean, error?: { code?: string } | null }[] | undefined | null} results
 */
export async function recordResults(sessionName, results) {
  if (!Array.isArray(results) || results.length === 0) return;
  const all = await loadResults();
  const mine = { ...(all[sessionName] ?? {}) };
  for (const r of results) mine[targetKey(r.target)] = { ok: r.ok === true, code: r.ok ? null : String(r.error?.code ?? 'internal'), at: Date.now() };
  await chrome.storage.local.set({ targetResults: { ...all, [sessionName]: mine } });
}

/** @returns {Promise<Record<string, Record<string, TargetOutcome>>>} */
export async function loadResults() {
  const { targetResults } = await chrome.storage.local.get('targetResults');
  return targetResults && typeof targetResults === 'object' ? /** @type {Record<string, Record<string, TargetOutcome>>} */ (targetResults) : {};
}

/** A removed portal leaves no targets or results behind. @param {string} sessionName */
export async function forgetTargets(sessionName) {
  await saveTargets(sessionName, []);
  const { [sessionName]: _gone, ...rest } = await loadResults();
  await chrome.storage.local.set({ targetResults: rest });
}
