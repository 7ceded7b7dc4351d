// Tests for the pure logic of status.js, with node's built-in runner (no npm dependencies).
// Run by `mvn test` in this module, or by hand: cd src/test/js && node --test

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  summarize,
  errorModel,
  describeError,
  fetchReadyz,
  renderStatus,
  startStatusPanel,
  ReadyzFormatError,
  ReadyzHttpError,
  ReadyzTimeoutError,
} from '../../main/resources/web/status.js';

const READY = {
  status: 'ready',
  components: [
    { name: 's3', ready: true, detail: 'bucket steno reachable' },
    { name: 'models', ready: true, detail: 'in-process' },
  ],
};

const NOT_READY = {
  status: 'not-ready',
  components: [
    { name: 's3', ready: true, detail: 'bucket steno reachable' },
    { name: 'models', ready: false, detail: 'loading ASR model' },
    { name: 'index', ready: false },
  ],
};

/**
 * Just enough of the DOM for renderStatus: elements with attributes, children and text.
 * Only textContent exists (no innerHTML), so a test passes only if rendering never parses markup.
 */
class FakeElement {
  constructor(tag, id) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.text = '';
    this.hidden = false;
    this.className = '';
    if (id) this.attributes.set('id', id);
  }
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  append(...nodes) {
    for (const node of nodes) this.children.push(typeof node === 'string' ? { textContent: node } : node);
  }
  replaceChildren(...nodes) { this.children = []; this.append(...nodes); }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(''); }
  set textContent(value) { this.text = String(value); this.children = []; }
  querySelector(selector) {
    for (const child of this.children) {
      if (!(child instanceof FakeElement)) continue;
      if (selector === `#${child.getAttribute('id')}`) return child;
      const found = child.querySelector(selector);
      if (found) return found;
    }
    return null;
  }
}

function fakeDocument() {
  const listeners = new Map();
  return {
    visibilityState: 'visible',
    createElement: (tag) => new FakeElement(tag),
    addEventListener: (type, fn) => listeners.set(type, fn),
    removeEventListener: (type) => listeners.delete(type),
    listeners,
  };
}

/** The #status panel as index.html has it. */
function fakePanel() {
  const root = new FakeElement('section', 'status');
  root.setAttribute('data-state', 'loading');
  const list = new FakeElement('ul', 'status-list');
  list.hidden = true;
  root.append(
    new FakeElement('h2'),
    new FakeElement('p', 'status-summary'),
    list,
    new FakeElement('time', 'status-updated'),
  );
  return root;
}

/** A stand-in for fetch: answers with the given status and body (object, or raw text). */
function fakeFetch(status, body, calls = []) {
  return async (url, init) => {
    calls.push({ url, init });
    return {
      status,
      async json() {
        return typeof body === 'string' ? JSON.parse(body) : body;
      },
    };
  };
}

test('summarize: a ready body gives one ready item per component, in order', () => {
  const model = summarize(READY, 200);
  assert.equal(model.state, 'ready');
  assert.equal(model.summary, 'Ready: all 2 components ready.');
  assert.deepEqual(model.items, [
    { name: 's3', ready: true, badge: 'Ready', detail: 'bucket steno reachable' },
    { name: 'models', ready: true, badge: 'Ready', detail: 'in-process' },
  ]);
});

test('summarize: a not-ready body names the components it waits for', () => {
  const model = summarize(NOT_READY, 503);
  assert.equal(model.state, 'not-ready');
  assert.equal(model.summary, 'Not ready: waiting for models, index (1 of 3 components ready).');
  assert.deepEqual(model.items.map((i) => [i.name, i.ready, i.badge]), [
    ['s3', true, 'Ready'],
    ['models', false, 'Not ready'],
    ['index', false, 'Not ready'],
  ]);
  assert.equal(model.items[2].detail, '', 'a missing detail becomes an empty string');
});

test('summarize: only the boolean true counts as ready', () => {
  const model = summarize({
    status: 'not-ready',
    components: [
      { name: 'a', ready: 'true' },
      { name: 'b', ready: 1 },
      { name: 'c' },
      { name: 'd', ready: true },
    ],
  });
  assert.deepEqual(model.items.map((i) => i.ready), [false, false, false, true]);
});

test('summarize: a "ready" body on a non-2xx response is not ready', () => {
  const model = summarize({ status: 'ready', components: [{ name: 's3', ready: true }] }, 503);
  assert.equal(model.state, 'not-ready');
  assert.equal(model.summary, 'Not ready, although all 1 component report ready.');
});

test('summarize: no components is allowed', () => {
  assert.deepEqual(summarize({ status: 'ready' }), { state: 'ready', summary: 'Ready.', items: [] });
  assert.equal(summarize({ status: 'not-ready', components: [] }).summary, 'Not ready.');
});

test('summarize: anything but the agreed shape is a ReadyzFormatError', () => {
  for (const bad of [
    null,
    'ready',
    [],
    {},
    { status: 'ok', components: [] },
    { status: 'ready', components: {} },
    { status: 'ready', components: [null] },
    { status: 'ready', components: [{ ready: true }] },
    { status: 'ready', components: [{ name: ' ', ready: true }] },
  ]) {
    assert.throws(() => summarize(bad), ReadyzFormatError, JSON.stringify(bad));
  }
});

test('summarize: names and details are kept as text, not interpreted', () => {
  const model = summarize({
    status: 'not-ready',
    components: [{ name: '<img src=x>', ready: false, detail: '<b>down</b>' }],
  });
  assert.equal(model.items[0].name, '<img src=x>');
  assert.equal(model.items[0].detail, '<b>down</b>');
});

test('errorModel: an error state with no items and a sentence a person can act on', () => {
  assert.deepEqual(errorModel(new ReadyzHttpError(500)), {
    state: 'error',
    summary: 'Status unavailable: the server answered HTTP 500. Retrying every 5 s.',
    items: [],
  });
  assert.equal(
    errorModel(new TypeError('Failed to fetch'), 2500).summary,
    'Status unavailable: the server cannot be reached. Retrying every 2.5 s.',
  );
});

test('describeError: covers every error fetchReadyz throws', () => {
  assert.equal(describeError(new ReadyzTimeoutError(4000)), 'the server did not answer within 4 s.');
  assert.equal(
    describeError(new ReadyzFormatError('the body is not JSON')),
    "the server's answer could not be read (the body is not JSON).",
  );
  assert.equal(describeError(new Error('boom')), 'unexpected error (boom).');
  assert.equal(describeError('boom'), 'unexpected error (boom).');
});

test('fetchReadyz: asks /readyz for JSON, uncached, and summarizes a 200', async () => {
  const calls = [];
  const model = await fetchReadyz({ fetchImpl: fakeFetch(200, READY, calls) });
  assert.equal(model.state, 'ready');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, '/readyz');
  assert.equal(calls[0].init.headers.Accept, 'application/json');
  assert.equal(calls[0].init.cache, 'no-store');
});

test('fetchReadyz: a 503 is an answer (not ready), not a failure', async () => {
  const model = await fetchReadyz({ fetchImpl: fakeFetch(503, NOT_READY) });
  assert.equal(model.state, 'not-ready');
  assert.equal(model.items.length, 3);
});

test('fetchReadyz: other HTTP statuses throw ReadyzHttpError', async () => {
  await assert.rejects(fetchReadyz({ fetchImpl: fakeFetch(404, 'Not found') }), (error) => {
    assert.ok(error instanceof ReadyzHttpError);
    assert.equal(error.status, 404);
    return true;
  });
});

test('fetchReadyz: a body that is not JSON throws ReadyzFormatError', async () => {
  await assert.rejects(fetchReadyz({ fetchImpl: fakeFetch(503, '<html>busy</html>') }), ReadyzFormatError);
});

test('fetchReadyz: a network failure comes through as is', async () => {
  const fetchImpl = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(fetchReadyz({ fetchImpl }), TypeError);
});

test('fetchReadyz: a server that does not answer in time gives ReadyzTimeoutError', async () => {
  const fetchImpl = (url, { signal }) => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
  await assert.rejects(fetchReadyz({ fetchImpl, timeoutMs: 20 }), (error) => {
    assert.ok(error instanceof ReadyzTimeoutError);
    assert.equal(describeError(error), 'the server did not answer within 20 ms.');
    return true;
  });
});

test('renderStatus: one li per component with the automation hooks', () => {
  const doc = fakeDocument();
  const root = fakePanel();
  renderStatus(doc, root, summarize(NOT_READY, 503), new Date('2030-01-02T03:04:05Z'));

  assert.equal(root.getAttribute('data-state'), 'not-ready');
  assert.equal(root.querySelector('#status-summary').textContent, summarize(NOT_READY).summary);
  assert.equal(root.querySelector('#status-updated').getAttribute('datetime'), '2030-01-02T03:04:05.000Z');

  const list = root.querySelector('#status-list');
  assert.equal(list.hidden, false);
  assert.deepEqual(
    list.children.map((li) => [li.tagName, li.getAttribute('data-component'), li.getAttribute('data-ready')]),
    [['LI', 's3', 'true'], ['LI', 'models', 'false'], ['LI', 'index', 'false']],
  );
  assert.match(list.children[1].textContent, /^models.*Not ready.*loading ASR model$/);
  assert.equal(list.children[2].children.length, 2, 'no detail element when there is no detail');
});

test('renderStatus: an error empties the list and shows the reason', () => {
  const doc = fakeDocument();
  const root = fakePanel();
  renderStatus(doc, root, summarize(READY, 200));
  renderStatus(doc, root, errorModel(new TypeError('Failed to fetch')));

  assert.equal(root.getAttribute('data-state'), 'error');
  assert.equal(root.querySelector('#status-list').children.length, 0);
  assert.equal(root.querySelector('#status-list').hidden, true);
  assert.match(root.querySelector('#status-summary').textContent, /^Status unavailable: the server cannot be reached/);
});

test('startStatusPanel: renders the first answer, polls again, and stops', async () => {
  const doc = fakeDocument();
  const root = fakePanel();
  const answers = [[503, NOT_READY], [200, READY]];
  let calls = 0;
  const fetchImpl = async () => {
    const [status, body] = answers[Math.min(calls++, answers.length - 1)];
    return { status, json: async () => body };
  };

  const panel = startStatusPanel(root, { doc, fetchImpl, refreshMs: 10 });
  await panel.refresh(); // the request started by startStatusPanel
  assert.equal(root.getAttribute('data-state'), 'not-ready');

  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(root.getAttribute('data-state'), 'ready');
  assert.ok(doc.listeners.has('visibilitychange'));

  panel.stop();
  const seen = calls;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, seen, 'no request after stop()');
  assert.ok(!doc.listeners.has('visibilitychange'));
});
