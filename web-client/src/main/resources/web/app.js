// Entry point of the Steno browser app (plain ES module, no build step).
// The home page: "Start a meeting" and the system status panel. The meeting page itself is
// room.html/room.js (served at /m/<id>); captions, recordings and search arrive with their issues.

import { startStatusPanel } from './status.js';
import { wireStartButton, showMyMeetings } from './meetings.js';
import { whoAmI, postJson, forget } from './session.js';
import { t, initPage, roleName } from './i18n.js';

/** The account bar: who is signed in and a way out, or the way in. */
async function showAccount(doc) {
  const who = await whoAmI();
  const bar = doc.getElementById('account');
  const start = doc.getElementById('start-meeting');
  const note = doc.getElementById('start-meeting-note');
  if (!who.signedIn) {
    bar.innerHTML = '';
    const a = doc.createElement('a');
    a.href = '/login';
    a.id = 'sign-in-link';
    a.className = 'button';
    a.textContent = t('home.signIn');
    bar.append(a);
    if (start && note) {
      start.hidden = true;
      note.textContent = t('home.signInToStart');
    }
    return who;
  }
  const name = doc.createElement('span');
  name.id = 'signed-in-as';
  name.textContent = t('home.signedInAs', { name: who.displayName, roles: who.roles.map(roleName).join(', ') });
  const out = doc.createElement('button');
  out.type = 'button';
  out.id = 'sign-out';
  out.className = 'button secondary';
  out.textContent = t('home.signOut');
  out.addEventListener('click', async () => {
    const res = await postJson('/auth/logout', {});
    const body = await res.json().catch(() => ({}));
    forget();
    doc.location.assign(body.logoutUrl || '/login');
  });
  bar.replaceChildren(name, out);
  if (['agent', 'auditor', 'admin'].some((r) => who.roles.includes(r))) {
    const search = doc.createElement('a');
    search.href = '/search';
    search.id = 'search-link';
    search.textContent = t('home.search');
    bar.append(search);
  }
  if (who.roles.includes('admin')) {
    const admin = doc.createElement('a');
    admin.href = '/admin';
    admin.id = 'admin-link';
    admin.textContent = t('home.accounts');
    bar.append(admin);
  }
  return who;
}

async function boot(doc) {
  initPage(doc);
  doc.getElementById('start-meeting-note').textContent = t('common.loading');
  doc.getElementById('status-summary').textContent = t('status.checking');
  doc.getElementById('status-updated').textContent = t('status.never');
  const app = doc.getElementById('app');
  const status = doc.getElementById('status');
  if (status) {
    startStatusPanel(status);
  }
  const who = await showAccount(doc);
  const start = doc.getElementById('start-meeting');
  const note = doc.getElementById('start-meeting-note');
  const mayStart = who.signedIn && (who.roles.includes('agent') || who.roles.includes('admin'));
  const levels = doc.getElementById('access-level');
  if (levels) {
    levels.hidden = !mayStart;
  }
  const my = doc.getElementById('my-meetings');
  if (my && who.signedIn) {
    showMyMeetings(my, doc.getElementById('my-meetings-list')); // not awaited: the start button does not wait for the list
  }
  if (start && note && who.signedIn && !mayStart) {
    start.hidden = true;
    note.textContent = t('home.mayNotStart');
  }
  if (start && note && mayStart) {
    wireStartButton(start, note, (path) => {
      doc.location.assign(path);
    }, fetch, () => {
      const chosen = doc.querySelector('input[name="access-level"]:checked');
      return chosen ? chosen.value : 'trusted';
    });
  }
  if (app) {
    // Automation hook: tests wait for #app[data-booted="true"] before reading the page.
    app.setAttribute('data-booted', 'true');
  }
}

// Module scripts run after the document is parsed, so the DOM is ready here.
boot(document);
