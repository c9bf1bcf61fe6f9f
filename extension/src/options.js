// The options page is a view over the settings the service worker keeps and validates.
import { localize, t, errorText, fieldErrorText } from './i18n.js';
import { byId, ask, el } from './ui.js';
import { fillRegionList, checkRegionField, watchRegionField } from './region-field.js';
import { addPortalDomain, removePortalDomain, loadPortalDomains } from './background/domains.js';
import { loadSettings as loadAllSettings, saveSettings as saveSomeSettings } from './background/settings.js';
import { initTargets } from './options-targets.js';
import { initAutoSync } from './options-autosync.js';

localize(document);
const form = /** @type {HTMLFormElement} */ (byId('options'));
/** @param {string} name */
const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

const settings = await ask({ type: 'getSettings' });
field('nameTemplate').value = settings.nameTemplate;
field('defaultRegion').value = settings.defaultRegion;
field('defaultOutput').value = settings.defaultOutput;
/** @type {HTMLInputElement} */ (form.querySelector(`input[name="loginFlow"][value="${settings.loginFlow}"]`)).checked = true;
field('pruneDefault').checked = settings.pruneDefault;
field('dualStack').checked = settings.dualStack === true;
void fillRegionList(/** @type {HTMLDataListElement} */ (byId('known-regions'))).catch(() => {});
// Empty is allowed here: each portal's own region. Unknown but well-formed: a warning only.
const defaultRegionSlots = {
  field: 'defaultRegion',
  warning: form.querySelector('.field-warning[data-field="defaultRegion"]'),
  error: form.querySelector('.field-error[data-field="defaultRegion"]'),
};
watchRegionField(field('defaultRegion'), defaultRegionSlots);
if (settings.defaultRegion) void checkRegionField(field('defaultRegion'), defaultRegionSlots);
field('oidc').value = settings.endpoints?.oidc ?? '';
field('portal').value = settings.endpoints?.portal ?? '';

// A field's error goes as soon as the person changes the field.
for (const slot of form.querySelectorAll('.field-error[data-field]')) {
  const name = (slot.getAttribute('data-field') ?? '').replace(/^endpoints\./, '');
  if (name === 'defaultRegion') continue; // the region check clears and sets its own slot
  field(name)?.addEventListener('input', () => (slot.textContent = ''));
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  for (const small of form.querySelectorAll('.field-error')) small.textContent = '';
  byId('saved').textContent = '';
  if ((await checkRegionField(field('defaultRegion'), defaultRegionSlots)) === 'invalid') return;
  const oidc = field('oidc').value.trim();
  const portal = field('portal').value.trim();
  const next = {
    nameTemplate: field('nameTemplate').value.trim(),
    defaultRegion: field('defaultRegion').value.trim(),
    defaultOutput: field('defaultOutput').value,
    loginFlow: /** @type {HTMLInputElement} */ (form.querySelector('input[name="loginFlow"]:checked')).value,
    pruneDefault: field('pruneDefault').checked,
    dualStack: field('dualStack').checked,
    endpoints: oidc || portal ? { oidc, portal } : null,
  };
  try {
    await ask({ type: 'saveSettings', settings: next });
    byId('saved').textContent = t('saved');
  } catch (e) {
    const err = /** @type {any} */ (e);
    const slot = err.field && form.querySelector(`.field-error[data-field="${err.field}"]`);
    if (slot) slot.textContent = fieldErrorText(err.field, err);
    else byId('saved').textContent = errorText(err);
  }
});

// ---- Custom portal domains and the device-code option (content scripts, issue 6) ----------
// These are saved here, in the page: the browser asks for a domain's permission only from the
// person's click, and the content scripts for it are registered right away (domains.js).

async function renderDomains() {
  const domains = await loadPortalDomains();
  byId('domain-list').replaceChildren(
    ...domains.map((d) => {
      const remove = el('button', { type: 'button', 'data-origin': d.origin }, [t('remove')]);
      remove.addEventListener('click', () => {
        removePortalDomain(d.origin).then(renderDomains, (e) => (byId('domain-error').textContent = domainError(e)));
      });
      return el('li', { 'data-origin': d.origin }, [el('span', { class: 'url' }, [d.origin]), d.region ? ` · ${d.region} ` : ' ', remove]);
    }),
  );
}

/** @param {any} e */
const domainError = (e) => errorText(e);

const domainForm = /** @type {HTMLFormElement} */ (byId('domain-form'));
domainForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = /** @type {HTMLInputElement} */ (domainForm.elements.namedItem('domain'));
  const region = /** @type {HTMLInputElement} */ (domainForm.elements.namedItem('domainRegion'));
  byId('domain-error').textContent = '';
  // No await before this call: the permission prompt needs the click.
  addPortalDomain(input.value, region.value).then(
    () => {
      input.value = '';
      region.value = '';
      return renderDomains();
    },
    (e) => (byId('domain-error').textContent = domainError(e)),
  );
});

const autoConfirm = /** @type {HTMLInputElement} */ (byId('auto-confirm'));
autoConfirm.checked = (await loadAllSettings()).autoConfirmDevice === true;
autoConfirm.addEventListener('change', async () => {
  await saveSomeSettings({ autoConfirmDevice: autoConfirm.checked });
  byId('auto-confirm-saved').textContent = t('saved');
});
await renderDomains();
await initAutoSync();
await initTargets();
