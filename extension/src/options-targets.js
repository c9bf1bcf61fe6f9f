// "Also sync to" (issue 15): per portal, the places besides the local ~/.aws that the host also
// writes: the WSL distributions the host discovered (Windows), and folders and SSH hosts the
// person adds. Each shows its last result. The host checks every target with the core's rules
// when it writes; a bad one shows here as that target's error.
import { t } from './i18n.js';
import { byId, ask, el } from './ui.js';
import { loadPortals, loadTargets, saveTargets } from './background/settings.js';
import { targetKey, loadResults } from './background/targets.js';

/** @typedef {import('./background/settings.js').SyncTarget} SyncTarget */

/** @type {SyncTarget[]} */
let discovered = [];

/** @param {SyncTarget} target */
function label(target) {
  if (target.kind === 'folder') return t('optTargetFolder', [target.path]);
  if (target.kind === 'ssh') return t('optTargetSsh', [target.host]);
  return t('optTargetWsl', [target.distro]);
}

/** @param {import('./background/targets.js').TargetOutcome | undefined} outcome */
function lastResult(outcome) {
  if (!outcome) return t('optTargetNever');
  const when = new Date(outcome.at).toLocaleString();
  if (outcome.ok) return t('optTargetOk', [when]);
  const why = (outcome.code && t(`err_${outcome.code}`)) || outcome.code || '';
  return t('optTargetFailed', [when, why]);
}

/** @param {string} session @param {(list: SyncTarget[]) => SyncTarget[]} change */
async function update(session, change) {
  const list = (await loadTargets())[session] ?? [];
  await saveTargets(session, change(list));
  await render();
}

/** @param {string} session @param {SyncTarget[]} list @param {Record<string, any>} results @param {SyncTarget} target @param {boolean} discoveredOnly */
function row(session, list, results, target, discoveredOnly) {
  const key = targetKey(target);
  const chosen = list.some((x) => targetKey(x) === key);
  const result = el('span', { class: 'muted target-result', role: 'status' }, [chosen ? lastResult(results[key]) : '']);
  if (discoveredOnly) {
    const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', 'data-target-toggle': key }));
    box.checked = chosen;
    box.addEventListener('change', () => void update(session, (l) => (box.checked ? [...l, target] : l.filter((x) => targetKey(x) !== key))));
    return el('li', { 'data-target': key }, [el('label', { class: 'inline' }, [box, ' ', label(target)]), ' ', result]);
  }
  const remove = el('button', { type: 'button', 'data-target-remove': key }, [t('remove')]);
  remove.addEventListener('click', () => void update(session, (l) => l.filter((x) => targetKey(x) !== key)));
  return el('li', { 'data-target': key }, [el('span', { class: 'url' }, [label(target)]), ' ', result, ' ', remove]);
}

/** @param {string} session */
function addForm(session) {
  const kind = /** @type {HTMLSelectElement} */ (el('select', { name: 'targetKind', 'aria-label': t('optTargetKind') }, [
    el('option', { value: 'folder' }, [t('optTargetKindFolder')]),
    el('option', { value: 'ssh' }, [t('optTargetKindSsh')]),
  ]));
  const value = /** @type {HTMLInputElement} */ (el('input', { name: 'targetValue', autocomplete: 'off', spellcheck: 'false', placeholder: '/home/me/devcontainer/.aws', 'aria-label': t('optTargetValue') }));
  kind.addEventListener('change', () => (value.placeholder = kind.value === 'ssh' ? 'me@devbox' : '/home/me/devcontainer/.aws'));
  const error = el('small', { class: 'field-error', role: 'alert' });
  const form = /** @type {HTMLFormElement} */ (el('form', { class: 'target-add', 'data-session': session, novalidate: '' }, [
    kind, ' ', value, ' ', el('button', { type: 'submit' }, [t('optTargetAdd')]), ' ', error,
  ]));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = value.value.trim();
    if (!text) {
      error.textContent = t('optTargetEmpty');
      return;
    }
    /** @type {SyncTarget} */
    const target = kind.value === 'ssh' ? { kind: 'ssh', host: text } : { kind: 'folder', path: text };
    void update(session, (l) => (l.some((x) => targetKey(x) === targetKey(target)) ? l : [...l, target]));
  });
  return form;
}

export async function render() {
  const [portals, targets, results] = await Promise.all([loadPortals(), loadTargets(), loadResults()]);
  byId('target-portals').replaceChildren(
    ...portals.map((p) => {
      const list = targets[p.sessionName] ?? [];
      const mine = results[p.sessionName] ?? {};
      const wsl = discovered.map((d) => row(p.sessionName, list, mine, d, true));
      const added = list.filter((x) => !discovered.some((d) => targetKey(d) === targetKey(x))).map((x) => row(p.sessionName, list, mine, x, false));
      return el('fieldset', { 'data-session': p.sessionName }, [
        el('legend', {}, [p.sessionName]),
        el('ul', { class: 'target-list' }, [...wsl, ...added]),
        addForm(p.sessionName),
      ]);
    }),
  );
  byId('targets-none').hidden = portals.length > 0;
}

export async function initTargets() {
  discovered = await ask({ type: 'discoverTargets' }).then((r) => r.targets ?? [], () => []);
  await render();
  // Results arrive while the page is open (a sign-in or an apply in the popup).
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ('targetResults' in changes || 'portals' in changes || 'syncTargets' in changes)) void render();
  });
}
