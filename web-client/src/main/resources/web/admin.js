// The admin page: list accounts, add one (its one-time password is shown once), disable,
// enable, reset a password, change roles (/api/accounts); the platform's retention periods
// (/api/retention). Both need the administrator role; this page only shows what the server answers.

import { whoAmI, postJson } from './session.js';
import { t, initPage, roleName } from './i18n.js';
import { retentionBody, retentionNote } from './archive-model.js';

const $ = (id) => document.getElementById(id);

function say(text) {
  $('admin-message').textContent = text;
}

async function answer(res) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    say(body.error || t('common.refused', { status: String(res.status) }));
    return null;
  }
  return body;
}

function button(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button secondary';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

async function load() {
  const res = await fetch('/api/accounts');
  const body = await answer(res);
  if (!body) {
    return;
  }
  const rows = body.accounts.map((a) => {
    const tr = document.createElement('tr');
    tr.dataset.username = a.username;
    const cells = [a.username, a.displayName, a.roles.map(roleName).join(', '), a.source,
      a.disabled ? t('admin.disabled') : t('admin.active')];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      td.translate = i > 1; // a username and a name are the person's, in no language (translate="no")
      tr.append(td);
    });
    const actions = document.createElement('td');
    const path = `/api/accounts/${encodeURIComponent(a.username)}`;
    actions.append(button(a.disabled ? t('admin.enable') : t('admin.disable'), async () => {
      if (await answer(await postJson(`${path}/${a.disabled ? 'enable' : 'disable'}`, {}))) {
        load();
      }
    }));
    const roles = document.createElement('input');
    roles.value = a.roles.join(',');
    roles.size = 18;
    roles.setAttribute('aria-label', t('admin.rolesOf', { username: a.username }));
    roles.className = 'roles-input';
    actions.append(roles, button(t('admin.saveRoles'), async () => {
      const wanted = roles.value.split(',').map((r) => r.trim()).filter((r) => r);
      if (await answer(await postJson(`${path}/roles`, { roles: wanted }))) {
        say(t('admin.rolesSaved', { username: a.username, roles: wanted.join(', ') || t('admin.none') }));
        load();
      }
    }));
    if (a.source === 'local') {
      actions.append(button(t('admin.reset'), async () => {
        const r = await answer(await postJson(`${path}/reset-password`, {}));
        if (r) {
          say(t('admin.newPassword', { username: a.username, password: r.password }));
        }
      }));
    }
    tr.append(actions);
    return tr;
  });
  document.querySelector('#accounts tbody').replaceChildren(...rows);
}

/** The platform's periods: what applies now, and the inputs filled with those set here (empty: configured). */
async function loadRetention() {
  const body = await answer(await fetch('/api/retention'));
  if (!body) {
    return;
  }
  const c = body.configured;
  $('retention-help').textContent = t('admin.retentionHelp', {
    max: String(body.maxDays), recordings: String(c.recordingsDays), transcripts: String(c.transcriptsDays),
  });
  $('retention-now').textContent = retentionNote(body.platform, 'admin.retentionNow');
  $('retention-recordings').value = body.platform.recordingsFrom === 'platform' ? String(body.platform.recordingsDays) : '';
  $('retention-transcripts').value = body.platform.transcriptsFrom === 'platform' ? String(body.platform.transcriptsDays) : '';
}

async function boot() {
  initPage();
  const who = await whoAmI();
  if (!who.signedIn) {
    location.assign('/login?next=/admin');
    return;
  }
  $('add-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const roles = [...document.querySelectorAll('input[name=role]:checked')].map((i) => i.value);
    const r = await answer(await postJson('/api/accounts', {
      username: $('new-username').value, displayName: $('new-name').value || $('new-username').value, roles,
    }));
    if (r) {
      say(t('admin.created', { username: r.username, password: r.password }));
      load();
    }
  });
  $('retention-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (await answer(await postJson('/api/retention', retentionBody($('retention-recordings').value, $('retention-transcripts').value)))) {
      say(t('retention.saved'));
      loadRetention();
    }
  });
  $('meeting-retention-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const id = $('meeting-retention-id').value.trim();
    const r = await answer(await postJson(`/api/meetings/${encodeURIComponent(id)}/retention`,
      retentionBody($('meeting-retention-recordings').value, $('meeting-retention-transcripts').value)));
    if (r) {
      say(retentionNote(r, 'admin.meetingRetentionNow', { meeting: r.meetingId }));
    }
  });
  await load();
  await loadRetention();
  $('app').setAttribute('data-booted', 'true');
}

boot();
