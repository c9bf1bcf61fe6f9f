// Region fields of the popup and the options page: the list of regions comes from the core (via
// the service worker), and so does the verdict on what was typed. A malformed region is an error
// next to the field; a well-formed one the core does not list is kept, with a warning (AWS opens
// new regions before SSO Bridge knows them).
import { t } from './i18n.js';
import { ask } from './ui.js';

/** Where a region field shows its verdict. @typedef {{ field: string, warning: Element | null, error: Element | null }} RegionSlots */

/**
 * Fills a `<datalist>` with the regions the core knows.
 * @param {HTMLDataListElement} list
 */
export async function fillRegionList(list) {
  const { regions } = await ask({ type: 'regions' });
  list.replaceChildren(...regions.map((/** @type {string} */ r) => Object.assign(document.createElement('option'), { value: r })));
}

/**
 * Checks what is typed into a region field and shows the verdict in the field's slots.
 * @param {HTMLInputElement} input
 * @param {RegionSlots} slots
 * @returns {Promise<'ok' | 'unknown' | 'invalid' | 'empty'>}
 */
export async function checkRegionField(input, slots) {
  const value = input.value.trim();
  const show = (/** @type {string} */ warning, /** @type {string} */ error) => {
    if (slots.warning) slots.warning.textContent = warning;
    if (slots.error) slots.error.textContent = error;
    input.setAttribute('aria-invalid', String(!!error));
  };
  if (!value) {
    show('', '');
    return 'empty';
  }
  try {
    const r = await ask({ type: 'checkRegion', field: slots.field, value });
    if (input.value.trim() !== value) return 'ok'; // typed on meanwhile: the next check answers
    show(r.known ? '' : t('regionUnknown', [r.region]), '');
    return r.known ? 'ok' : 'unknown';
  } catch {
    if (input.value.trim() !== value) return 'ok';
    show('', t('regionInvalid'));
    return 'invalid';
  }
}

/**
 * Checks the field whenever it changes (on input, shortly after typing stops).
 * @param {HTMLInputElement} input
 * @param {RegionSlots} slots
 */
export function watchRegionField(input, slots) {
  let timer = 0;
  const run = () => {
    clearTimeout(timer);
    void checkRegionField(input, slots);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  input.addEventListener('change', run);
}
