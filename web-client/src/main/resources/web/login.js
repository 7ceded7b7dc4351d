// The sign-in page: a local account's username and password, or the organisation's identity
// provider when one is configured.

import { whoAmI, forget } from './session.js';
import { t, initPage } from './i18n.js';

async function boot(doc) {
  initPage(doc);
  const who = await whoAmI();
  if (who.oidc) {
    doc.getElementById('oidc-box').hidden = false;
  }
  const form = doc.getElementById('login-form');
  const error = doc.getElementById('login-error');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const button = doc.getElementById('sign-in');
    button.disabled = true;
    try {
      const res = await fetch('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: doc.getElementById('username').value,
          password: doc.getElementById('password').value,
        }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        // A refused password has a sentence of ours; any other refusal (too many attempts…) is the server's.
        error.textContent = res.status === 401 ? t('login.wrong') : (body.error || t('login.failed', { status: String(res.status) }));
        return;
      }
      forget();
      const next = new URLSearchParams(doc.location.search).get('next');
      // Only a path of this site: never an open redirect.
      doc.location.assign(next && /^\/[a-z0-9/_-]*$/i.test(next) && !next.startsWith('//') ? next : '/');
    } catch (e) {
      error.textContent = t('common.unreachable');
    } finally {
      button.disabled = false;
    }
  });
  doc.getElementById('app').setAttribute('data-booted', 'true');
}

boot(document);
