// The "System status" panel: fetches /readyz and shows each component with a badge.
//
// The logic is pure and needs no DOM, so node:test can check it (src/test/js/):
//   summarize(json, httpStatus) -> view model       errorModel(err) -> view model
//   fetchReadyz({fetchImpl})    -> view model, or throws a Readyz*Error
// renderStatus() writes a view model into the page; startStatusPanel() polls and renders.
//
// View model: { state: 'ready' | 'not-ready' | 'error',
//               summary: string,
//               items: [{ name, ready, badge, detail }] }
//
// Automation hooks (stable, see README): #status[data-state], #status-summary, #status-list,
// li[data-component="<name>"][data-ready="true|false"], #status-updated.

import { t, formatTime } from './i18n.js';

export const READYZ_URL = '/readyz';
export const REFRESH_MS = 5000;
export const FETCH_TIMEOUT_MS = 4000;

/** /readyz answered something that is not the agreed JSON shape. */
export class ReadyzFormatError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ReadyzFormatError';
  }
}

/** /readyz answered with an HTTP status other than 200 (ready) or 503 (not ready). */
export class ReadyzHttpError extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.name = 'ReadyzHttpError';
    this.status = status;
  }
}

/** /readyz did not answer in time. */
export class ReadyzTimeoutError extends Error {
  constructor(timeoutMs) {
    super(`no answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'ReadyzTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Turns a /readyz body into a view model.
 *
 * The body's "status" decides the overall state; a "ready" body on a non-2xx response
 * counts as not ready, so the page never claims more than the server does. A component
 * is ready only when its "ready" is the boolean true.
 *
 * @param {unknown} json the parsed body
 * @param {number} [httpStatus] the response's HTTP status, when known
 * @throws {ReadyzFormatError} when the body is not the agreed shape
 */
export function summarize(json, httpStatus) {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ReadyzFormatError('the body is not a JSON object');
  }
  if (json.status !== 'ready' && json.status !== 'not-ready') {
    throw new ReadyzFormatError(`unknown status ${JSON.stringify(json.status)}`);
  }
  const components = json.components ?? [];
  if (!Array.isArray(components)) {
    throw new ReadyzFormatError('"components" is not a list');
  }
  const items = components.map((component, index) => {
    if (component === null || typeof component !== 'object'
        || typeof component.name !== 'string' || component.name.trim() === '') {
      throw new ReadyzFormatError(`component ${index + 1} has no name`);
    }
    const ready = component.ready === true;
    return {
      name: component.name,
      ready,
      badge: ready ? t('status.badge.ready') : t('status.badge.notReady'),
      detail: typeof component.detail === 'string' ? component.detail : '',
    };
  });

  const httpOk = httpStatus === undefined || (httpStatus >= 200 && httpStatus < 300);
  const ready = json.status === 'ready' && httpOk;
  return { state: ready ? 'ready' : 'not-ready', summary: summaryText(ready, items), items };
}

function summaryText(ready, items) {
  const total = items.length;
  if (ready) {
    return total === 0 ? t('status.ready') : t('status.allReady', { count: total });
  }
  const waiting = items.filter((item) => !item.ready).map((item) => item.name);
  if (waiting.length === 0) {
    return total === 0 ? t('status.notReady') : t('status.notReadyAlthough', { count: total });
  }
  return t('status.waitingFor', { names: waiting.join(', '), ready: total - waiting.length, count: total });
}

/** The view model shown when the status could not be fetched or read. */
export function errorModel(error, refreshMs = REFRESH_MS) {
  return {
    state: 'error',
    summary: t('status.unavailable', { why: describeError(error), every: formatSeconds(refreshMs) }),
    items: [],
  };
}

/** One sentence a person can act on, for any error fetchReadyz can throw. */
export function describeError(error) {
  if (error instanceof ReadyzHttpError) {
    return t('status.error.http', { status: String(error.status) });
  }
  if (error instanceof ReadyzFormatError) {
    return t('status.error.format', { detail: error.message });
  }
  if (error instanceof ReadyzTimeoutError) {
    return t('status.error.timeout', { within: formatSeconds(error.timeoutMs) });
  }
  if (error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return t('status.error.aborted');
  }
  if (error instanceof TypeError) {
    // What fetch throws when the network fails ("Failed to fetch", "fetch failed").
    return t('status.error.network');
  }
  const message = error && error.message ? error.message : String(error);
  return t('status.error.other', { detail: message });
}

function formatSeconds(ms) {
  if (ms < 1000) return t('unit.ms', { n: Math.round(ms) });
  return t('unit.s', { n: Number.parseFloat((ms / 1000).toFixed(1)) });
}

/**
 * Fetches /readyz once and returns its view model. 503 is an answer (not ready), not a failure.
 *
 * @throws {ReadyzHttpError | ReadyzFormatError | ReadyzTimeoutError | TypeError}
 */
export async function fetchReadyz({
  fetchImpl = globalThis.fetch,
  url = READYZ_URL,
  timeoutMs = FETCH_TIMEOUT_MS,
} = {}) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response;
    try {
      response = await fetchImpl(url, {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch (error) {
      throw timedOut ? new ReadyzTimeoutError(timeoutMs) : error;
    }
    if (response.status !== 200 && response.status !== 503) {
      throw new ReadyzHttpError(response.status);
    }
    let json;
    try {
      json = await response.json();
    } catch (error) {
      if (timedOut) throw new ReadyzTimeoutError(timeoutMs);
      throw new ReadyzFormatError('the body is not JSON');
    }
    return summarize(json, response.status);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Writes a view model into the panel. Only #status-summary is a live region, and it is
 * rewritten only when its text changes, so screen readers hear changes, not every poll.
 *
 * @param {Document} doc
 * @param {Element} root the #status element
 */
export function renderStatus(doc, root, model, now = new Date()) {
  root.setAttribute('data-state', model.state);
  root.setAttribute('aria-busy', 'false');

  const summary = root.querySelector('#status-summary');
  if (summary && summary.textContent !== model.summary) {
    summary.textContent = model.summary;
  }

  const list = root.querySelector('#status-list');
  if (list) {
    list.replaceChildren(...model.items.map((item) => renderItem(doc, item)));
    list.hidden = model.items.length === 0;
  }

  const updated = root.querySelector('#status-updated');
  if (updated) {
    updated.setAttribute('datetime', now.toISOString());
    updated.textContent = formatTime(now);
  }
}

/** One component as an <li>; text only (textContent), never markup from the server. */
export function renderItem(doc, item) {
  const li = doc.createElement('li');
  li.className = 'component';
  li.setAttribute('data-component', item.name);
  li.setAttribute('data-ready', String(item.ready));

  const name = doc.createElement('span');
  name.className = 'component-name';
  name.textContent = item.name;

  const badge = doc.createElement('span');
  badge.className = `badge ${item.ready ? 'badge-ready' : 'badge-not-ready'}`;
  const icon = doc.createElement('span');
  icon.className = 'badge-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = item.ready ? '\u2713' : '\u2715';
  badge.append(icon, ` ${item.badge}`);

  li.append(name, badge);
  if (item.detail) {
    const detail = doc.createElement('span');
    detail.className = 'component-detail';
    detail.textContent = item.detail;
    li.append(detail);
  }
  return li;
}

/**
 * Polls /readyz and keeps the panel current: one request at a time, the next one
 * refreshMs after the previous answer, and at once when the tab becomes visible again.
 *
 * @param {Element} root the #status element
 * @returns {{ refresh: () => Promise<void>, stop: () => void }}
 */
export function startStatusPanel(root, {
  doc = root.ownerDocument,
  fetchImpl = globalThis.fetch.bind(globalThis),
  refreshMs = REFRESH_MS,
  timeoutMs = FETCH_TIMEOUT_MS,
} = {}) {
  let timer;
  let inFlight = null;
  let stopped = false;

  function schedule() {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(refresh, refreshMs);
  }

  function refresh() {
    if (stopped) return Promise.resolve();
    if (inFlight) return inFlight;
    clearTimeout(timer);
    root.setAttribute('aria-busy', 'true');
    inFlight = fetchReadyz({ fetchImpl, timeoutMs })
      .catch((error) => errorModel(error, refreshMs))
      .then((model) => {
        if (!stopped) renderStatus(doc, root, model);
      })
      .finally(() => {
        inFlight = null;
        schedule();
      });
    return inFlight;
  }

  function onVisibilityChange() {
    if (doc.visibilityState === 'visible') refresh();
  }

  doc.addEventListener('visibilitychange', onVisibilityChange);
  refresh();

  return {
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
      doc.removeEventListener('visibilitychange', onVisibilityChange);
    },
  };
}
