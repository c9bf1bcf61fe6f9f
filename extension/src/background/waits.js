// A wait for AWS's first answer, ended by the core's limit (`waitLimitMs`). What the person then
// reads is the core's choice of code (`waitOutcome`): no answer at all (a proxy or firewall
// swallowing traffic, the portal not answering), an unreachable endpoint (a wrong region, a
// blocked host), or the call's own error.
import * as core from './core.js';
import { CodedError } from './host.js';

const TIMED_OUT = Symbol('timed out');
const KINDS = { signIn: core.WaitKind.SignIn, listing: core.WaitKind.Listing };

/**
 * Runs `start` and waits until it settles or calls `answered` (the first answer came; the rest
 * may take as long as it takes), at most the core's limit for `kind`.
 * @template T
 * @param {'signIn' | 'listing'} kind
 * @param {(answered: () => void) => Promise<T>} start
 * @returns {Promise<T>}
 */
export async function withinWait(kind, start) {
  /** @type {(reason: unknown) => void} */
  let timeOut = () => {};
  const limit = new Promise((_, reject) => (timeOut = reject));
  const timer = setTimeout(() => timeOut(TIMED_OUT), core.waitLimitMs(KINDS[kind]));
  try {
    return await Promise.race([start(() => clearTimeout(timer)), /** @type {Promise<never>} */ (limit)]);
  } catch (e) {
    throw waitError(kind, e);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error a wait ends with, coded by the core; an error without a code stays as it is.
 * @param {'signIn' | 'listing'} kind @param {unknown} e
 */
export function waitError(kind, e) {
  const err = /** @type {any} */ (e);
  if (e !== TIMED_OUT && typeof err?.code !== 'string') return e;
  const code = core.waitOutcome(KINDS[kind], e === TIMED_OUT ? '' : err.code);
  if (e !== TIMED_OUT && code === err.code) return e;
  return new CodedError(code, e === TIMED_OUT ? `${kind}: no answer within ${core.waitLimitMs(KINDS[kind])} ms` : `${kind}: ${err.message}`);
}
