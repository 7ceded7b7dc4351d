// Entry point of the Steno browser app (plain ES module, no build step).
// Today it is the app shell: the system status panel. Prejoin, room, captions,
// recordings and archive search arrive with their issues.

import { startStatusPanel } from './status.js';

function boot(doc) {
  const app = doc.getElementById('app');
  const status = doc.getElementById('status');
  if (status) {
    startStatusPanel(status);
  }
  if (app) {
    // Automation hook: tests wait for #app[data-booted="true"] before reading the page.
    app.setAttribute('data-booted', 'true');
  }
}

// Module scripts run after the document is parsed, so the DOM is ready here.
boot(document);
