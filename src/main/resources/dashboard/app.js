// The usermesh dashboard: a static page that reads and acts only through the admin API with the
// token the user types. Every value from the API is put in the page as text, never as HTML:
// names and messages come from WordPress sites and must not run as markup.
"use strict";

const TOKEN_KEY = "usermesh.token";

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function say(text) {
  document.getElementById("status").textContent = text;
}

async function api(method, path) {
  const response = await fetch("/api" + path, {
    method,
    headers: { "Authorization": "Bearer " + token(), "Accept": "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body && body.error) || ("HTTP " + response.status));
  }
  return body;
}

function cell(row, value, className) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "" : String(value);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function button(parent, label, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      const done = await action();
      await refresh();
      say(done);
    } catch (e) {
      say(label + ": " + e.message);
    } finally {
      b.disabled = false;
    }
  });
  parent.appendChild(b);
}

function fill(tableId, rows, addRow) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  rows.forEach(item => {
    const tr = document.createElement("tr");
    addRow(tr, item);
    body.appendChild(tr);
  });
}

async function loadSites() {
  const sites = await api("GET", "/sites");
  fill("sites", sites, (tr, s) => {
    cell(tr, s.name === s.id ? s.id : s.id + " (" + s.name + ")");
    cell(tr, s.url);
    cell(tr, s.status + (s.pausedBy ? " (" + s.pausedBy + ")" : ""), s.status);
    cell(tr, s.health + (s.problem ? ": " + s.problem : ""), s.health);
    cell(tr, s.companion || "unknown");
    cell(tr, s.pending);
    const actions = cell(tr, "");
    const site = encodeURIComponent(s.id);
    button(actions, "Check", async () => {
      const r = await api("POST", "/sites/" + site + "/check");
      return s.id + ": " + (r.problem ? "DOWN: " + r.problem : "all checks pass");
    });
    if (s.status === "active") {
      button(actions, "Pause", async () => (await api("POST", "/sites/" + site + "/pause")).id + " paused");
      button(actions, "Sync", async () => {
        const r = await api("POST", "/sites/" + site + "/sync");
        return s.id + ": " + r.queued + " change(s) queued";
      });
    } else if (s.pausedBy === "api") {
      button(actions, "Resume", async () => (await api("POST", "/sites/" + site + "/resume")).id + " resumed");
    }
  });
}

async function loadLogs() {
  const query = new URLSearchParams();
  new FormData(document.getElementById("log-filter")).forEach((value, key) => {
    if (String(value).trim() !== "") {
      query.set(key, String(value).trim());
    }
  });
  const rows = await api("GET", "/logs?" + query.toString());
  fill("logs", rows, (tr, r) => {
    cell(tr, r.loggedAt);
    cell(tr, r.sourceSite);
    cell(tr, r.targetSite);
    cell(tr, r.userKey);
    cell(tr, r.action);
    cell(tr, String(r.status).toLowerCase(), String(r.status).toLowerCase());
    cell(tr, r.httpStatus);
    cell(tr, r.durationMs);
    cell(tr, String(r.origin).toLowerCase());
    cell(tr, r.message, "message");
  });
}

async function loadDeadLetters() {
  const rows = await api("GET", "/dead-letters");
  fill("dead-letters", rows, (tr, d) => {
    cell(tr, d.id);
    cell(tr, d.createdAt);
    cell(tr, d.sourceSite);
    cell(tr, d.targetSite);
    cell(tr, d.userKey);
    cell(tr, d.action);
    cell(tr, d.attempts);
    cell(tr, d.error, "message");
    button(cell(tr, ""), "Replay", async () => {
      const r = await api("POST", "/dead-letters/" + encodeURIComponent(d.id) + "/replay");
      return "dead letter " + r.deadLetter + " queued again";
    });
  });
}

async function refresh() {
  if (!token()) {
    say("Enter the admin token to connect.");
    return;
  }
  try {
    await Promise.all([loadSites(), loadLogs(), loadDeadLetters()]);
    say("Connected. Updated " + new Date().toLocaleTimeString() + ".");
  } catch (e) {
    say(e.message);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("token-form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
    document.getElementById("token").value = "";
    refresh();
  });
  document.getElementById("forget").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    ["sites", "logs", "dead-letters"].forEach(id => fill(id, [], () => {}));
    say("Token forgotten.");
  });
  document.getElementById("log-filter").addEventListener("submit", event => {
    event.preventDefault();
    refresh();
  });
  refresh();
  setInterval(refresh, 15000);
});
