// The sign-in page: a local account's username and password, or the organisation's identity
// provider when one is configured.

import { whoAmI, forget } from './session.js';

async function boot(doc) {
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
        error.textContent = body.error || `Sign-in failed (${res.status}).`;
        return;
      }
      forget();
      const next = new URLSearchParams(doc.location.search).get('next');
      // Only a path of this site: never an open redirect.
      doc.location.assign(next && /^\/[a-z0-9/_-]*$/i.test(next) && !next.startsWith('//') ? next : '/');
    } catch (e) {
      error.textContent = 'The server cannot be reached. Check your connection and try again.';
    } finally {
      button.disabled = false;
    }
  });
  doc.getElementById('app').setAttribute('data-booted', 'true');
}

boot(document);
