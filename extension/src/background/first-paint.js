// A reopened popup's first paint: the first accounts of the remembered listing, laid out by the
// core here, where it is loaded already. The whole listing (1 MB for 1,000 accounts × 5 roles)
// and the popup's own copy of the core take the popup longer to load than the 100 ms a
// reopening may take; they follow (the listing with the fresh listing's start).
import * as core from './core.js';
import { pickerRows } from '../picker-rows.js';

/** Accounts in the preview: more than the popup's list shows before it is scrolled (~24). */
const PREVIEW_GROUPS = 40;

/**
 * The preview of `listing` and the core's view of it, as `{ listing, view }` (the view a plain
 * array: it crosses the port as JSON).
 * @param {import('./listing-view.js').ListingView} listing
 */
export function firstPaint(listing) {
  const { rows, rowsText } = pickerRows(listing);
  // As the popup opens: no search, nothing selected (an empty mask).
  const whole = core.pickerView(rowsText, '', new Uint8Array(0), false);
  const out = core.pickerPreview(whole, PREVIEW_GROUPS);
  const kept = Array.from(out.subarray(1, 1 + out[0]), (i) => rows[i]);
  return {
    listing: {
      ...listing,
      accounts: kept.flatMap((r) => (r.role ? [] : [/** @type {any} */ (r.account)])),
      roles: kept.flatMap((r) => (r.role ? [r.role] : [])),
      preview: true,
    },
    view: Array.from(out.subarray(1 + out[0])),
  };
}
