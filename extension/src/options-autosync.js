// "Keep profiles up to date" (issue 12's background sync), opt-in per portal: off, tell me when
// roles are new, or also add their profiles. The worker checks the value with the core, saves it
// and schedules the next background listing; removing a profile always waits for a review.
import { t, errorText } from './i18n.js';
import { byId, ask, el } from './ui.js';
import { loadPortals } from './background/settings.js';

/** The choices, in the order shown, with their labels. */
const CHOICES = [
  ['off', 'optAutoSyncOff'],
  ['notify', 'optAutoSyncNotify'],
  ['add', 'optAutoSyncAdd'],
];

/** @param {{ sessionName: string, autoSync?: string }} portal */
function row(portal) {
  let saved = portal.autoSync ?? 'off';
  const select = /** @type {HTMLSelectElement} */ (
    el('select', { name: 'autoSync', 'data-session': portal.sessionName }, CHOICES.map(([value, key]) => el('option', { value }, [t(key)])))
  );
  select.value = saved;
  const status = el('small', { class: 'muted', role: 'status' });
  select.addEventListener('change', async () => {
    status.textContent = '';
    try {
      await ask({ type: 'setAutoSync', sessionName: portal.sessionName, autoSync: select.value });
      saved = select.value;
      status.textContent = t('saved');
    } catch (e) {
      select.value = saved;
      status.textContent = errorText(e);
    }
  });
  return el('li', { 'data-session': portal.sessionName }, [
    el('label', {}, [el('span', {}, [portal.sessionName]), select]),
    status,
  ]);
}

/** The portals shown, by name: a change of a portal's choice (this page's own save) keeps the rows. */
let shown = '';

async function render() {
  const portals = await loadPortals();
  const names = JSON.stringify(portals.map((p) => p.sessionName));
  if (names === shown) return;
  shown = names;
  byId('autosync-list').replaceChildren(...portals.map(row));
  byId('autosync-none').hidden = portals.length > 0;
}

export async function initAutoSync() {
  await render();
  // A portal added or removed in the popup while this page is open.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'portals' in changes) void render();
  });
}
