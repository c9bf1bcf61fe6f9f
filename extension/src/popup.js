// The popup is a view: it asks the service worker for state and renders it.
import { localize, t } from './i18n.js';

localize(document);
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
chrome.runtime.sendMessage({ type: 'status' }).then(
  (reply) => {
    status.textContent = reply?.ok ? t('popupCoreVersion', [reply.result.coreVersion]) : t('popupWorkerError', [reply?.error?.message ?? '']);
    status.dataset.state = reply?.ok ? 'ready' : 'error';
  },
  (e) => {
    status.textContent = t('popupWorkerError', [String(e)]);
    status.dataset.state = 'error';
  },
);
