// Entry point of the Steno browser app (plain ES module, no build step).
// The home page: "Start a meeting" and the system status panel. The meeting page itself is
// room.html/room.js (served at /m/<id>); captions, recordings and search arrive with their issues.

import { startStatusPanel } from './status.js';
import { wireStartButton } from './meetings.js';

function boot(doc) {
  const app = doc.getElementById('app');
  const status = doc.getElementById('status');
  if (status) {
    startStatusPanel(status);
  }
  const start = doc.getElementById('start-meeting');
  const note = doc.getElementById('start-meeting-note');
  if (start && note) {
    wireStartButton(start, note, (path) => {
      doc.location.assign(path);
    });
  }
  if (app) {
    // Automation hook: tests wait for #app[data-booted="true"] before reading the page.
    app.setAttribute('data-booted', 'true');
  }
}

// Module scripts run after the document is parsed, so the DOM is ready here.
boot(document);
