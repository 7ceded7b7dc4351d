// Who is signed in, and the CSRF token state-changing requests must carry.
// The session itself is an HttpOnly cookie this script never sees.

let me = null;

/** { signedIn, oidc, username?, displayName?, roles?, csrfToken? }; asked once per page. */
export async function whoAmI(fetchFn = fetch) {
  if (me) {
    return me;
  }
  try {
    const res = await fetchFn('/api/me', { headers: { accept: 'application/json' } });
    me = res.ok ? await res.json() : { signedIn: false, oidc: false };
  } catch (e) {
    me = { signedIn: false, oidc: false };
  }
  return me;
}

/** Forgets what whoAmI learnt (after signing in or out). */
export function forget() {
  me = null;
}

/** POSTs JSON with the page's CSRF token when signed in. */
export async function postJson(path, body, fetchFn = fetch) {
  const who = await whoAmI(fetchFn);
  const headers = { 'content-type': 'application/json' };
  if (who.csrfToken) {
    headers['x-csrf-token'] = who.csrfToken;
  }
  return fetchFn(path, { method: 'POST', headers, body: JSON.stringify(body) });
}
