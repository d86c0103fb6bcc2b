// The usermesh dashboard: a static page that reads and acts only through the admin API with the
// token the user types. Every value from the API is put in the page as text, never as HTML:
// names and messages come from WordPress sites and must not run as markup. The chart is drawn
// with DOM calls too (SVG elements and attributes), so the page needs nothing but its own files.
"use strict";

const TOKEN_KEY = "usermesh.token";
const SVG = "http://www.w3.org/2000/svg";
// stacked bottom to top in this order, coloured by app.css
const STATUSES = ["success", "skipped", "conflict", "failed", "dead"];

// the user the Users section shows, searched again on every refresh
let userQuery = "";
// when an action last said how it went: the timed refresh leaves that message standing a while
let reportedAt = 0;

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function say(text) {
  document.getElementById("status").textContent = text;
}

// What an action answered (or why it failed), kept on screen over the next timed refreshes.
function report(text) {
  say(text);
  reportedAt = Date.now();
}

async function api(method, path, json) {
  const headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch("/api" + path, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body && body.error) || ("HTTP " + response.status));
  }
  return body;
}

function text(value) {
  return value === null || value === undefined ? "" : String(value);
}

function element(parent, tag, value, className) {
  const e = document.createElement(tag);
  e.textContent = text(value);
  if (className) {
    e.className = className;
  }
  parent.appendChild(e);
  return e;
}

function cell(row, value, className) {
  return element(row, "td", value, className);
}

// A button that runs an action, then refreshes the page and says what the action answered.
function button(parent, label, action, confirmText) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", async () => {
    if (confirmText && !window.confirm(confirmText)) {
      return;
    }
    b.disabled = true;
    try {
      const done = await action();
      await refresh(false);
      report(done);
    } catch (e) {
      report(label + ": " + e.message);
    } finally {
      b.disabled = false;
    }
  });
  parent.appendChild(b);
  return b;
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

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "";
}

function duration(seconds) {
  if (!seconds) {
    return "none";
  }
  if (seconds < 60) {
    return seconds + " s";
  }
  if (seconds < 3600) {
    return Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
  }
  return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
}

function queuedText(r) {
  return r.queued + " change(s) queued";
}

// Alerts raised (a site down too long, changes waiting too long, dead letters waiting) and those
// resolved in the last day; and whether the last edit of sites.yaml was applied or refused.
async function loadAlerts() {
  const [alerts, reload] = await Promise.all([api("GET", "/alerts"), api("GET", "/reload")]);
  const list = document.getElementById("alerts");
  list.replaceChildren();
  const active = alerts.filter(a => !a.resolvedAt);
  if (active.length === 0) {
    element(list, "li", "No active alerts.", "quiet");
  }
  active.forEach(a => element(list, "li", a.message + " (since " + time(a.raisedAt) + ")", "alert"));
  alerts.filter(a => a.resolvedAt).forEach(a =>
    element(list, "li", "Resolved " + time(a.resolvedAt) + ": " + a.message, "resolved"));
  const state = document.getElementById("config-state");
  if (reload.status === "refused") {
    state.textContent = "sites.yaml was not reloaded, the running configuration stays: " + reload.error;
    state.className = "alert";
  } else {
    state.textContent = "sites.yaml: " + (reload.status === "started" ? "as read at start" : "last reload "
      + reload.status + " at " + time(reload.at));
    state.className = "quiet";
  }
}

async function loadSites() {
  const sites = await api("GET", "/sites");
  fill("sites", sites, (tr, s) => {
    tr.dataset.site = s.id;
    cell(tr, s.name === s.id ? s.id : s.id + " (" + s.name + ")");
    cell(tr, s.url);
    const status = cell(tr, s.status + (s.pausedBy ? " (" + s.pausedBy + ")" : ""), s.status);
    if (s.autoSync === false) {
      element(status, "span", "manual mode", "manual")
        .title = "autoSync: false: not polled, pushes ignored; only sync, reconcile and this dashboard move its users";
    }
    cell(tr, s.health + (s.problem ? ": " + s.problem : ""), s.health);
    cell(tr, s.companion || "unknown");
    cell(tr, s.lastPoll ? time(s.lastPoll) : (s.autoSync === false ? "not polled" : "not yet"), "last-poll");
    cell(tr, s.pending, "pending");
    cell(tr, duration(s.lagSeconds), s.lagSeconds > 60 ? "lag late" : "lag");
    cell(tr, s.dead, s.dead > 0 ? "dead-count dead" : "dead-count");
    cell(tr, s.concurrency ? s.concurrency.current + " / " + s.concurrency.max : "", "concurrency");
    const actions = cell(tr, "");
    const site = encodeURIComponent(s.id);
    button(actions, "Check", async () => {
      const r = await api("POST", "/sites/" + site + "/check");
      return s.id + ": " + (r.problem ? "DOWN: " + r.problem : "all checks pass");
    });
    if (s.status === "active") {
      button(actions, "Pause", async () => (await api("POST", "/sites/" + site + "/pause")).id + " paused");
      button(actions, "Sync all", async () => s.id + ": " + queuedText(await api("POST", "/sites/" + site + "/sync")),
        "Sync every user of " + s.id + " with its linked sites now?");
    } else if (s.pausedBy === "api") {
      button(actions, "Resume", async () => (await api("POST", "/sites/" + site + "/resume")).id + " resumed");
    }
  });
}

// The reconciliation's dry run: what each target would get, then "apply" plans again and queues.
async function previewReconcile() {
  const plan = await api("POST", "/reconcile?dryRun=true");
  const counts = plan.targets.map(t => t.target + ": " + t.create + " to create, " + t.update + " to update, "
    + t.delete + " to delete, " + t.skipped + " skipped");
  document.getElementById("reconcile-summary").textContent = "Dry run " + plan.runId + ": "
    + (counts.length ? counts.join("; ") : "nothing to do") + (plan.notes.length ? " (" + plan.notes.join("; ") + ")" : "")
    + (plan.items.length > 100 ? " First 100 of " + plan.items.length + " lines:" : "");
  fill("reconcile-plan", plan.items.slice(0, 100), (tr, i) => {
    cell(tr, i.target);
    cell(tr, i.action);
    cell(tr, i.user);
    cell(tr, i.source + " #" + i.sourceUserId);
    cell(tr, (i.groups || []).join(", "));
    cell(tr, i.reason, "message");
  });
  document.getElementById("reconcile-plan").hidden = plan.items.length === 0;
  document.getElementById("reconcile-apply").hidden = plan.items.length === 0;
  return "reconciliation planned (dry run): " + plan.items.length + " line(s)";
}

async function applyReconcile() {
  const plan = await api("POST", "/reconcile");
  document.getElementById("reconcile-apply").hidden = true;
  document.getElementById("reconcile-summary").textContent = "Run " + plan.runId + ": " + queuedText(plan) + ".";
  return "reconciliation applied: " + queuedText(plan);
}

// The chart: one stacked bar per minute, drawn as SVG elements (no markup strings, no library).
async function loadActivity() {
  const activity = await api("GET", "/activity?minutes=60");
  const minutes = activity.perMinute;
  const width = 720;
  const height = 150;
  const top = 14;
  const bottom = 20;
  const left = 34;
  const slot = (width - left) / minutes.length;
  const total = m => STATUSES.reduce((sum, s) => sum + (m.counts[s] || 0), 0);
  const peak = Math.max(1, ...minutes.map(total));
  const scale = (height - top - bottom) / peak;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "deliveries per minute by status over the last hour");
  const svgText = (x, y, value, anchor) => {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", x);
    t.setAttribute("y", y);
    t.setAttribute("text-anchor", anchor);
    t.textContent = value;
    svg.appendChild(t);
  };
  const axis = document.createElementNS(SVG, "line");
  axis.setAttribute("x1", left);
  axis.setAttribute("x2", width);
  axis.setAttribute("y1", height - bottom);
  axis.setAttribute("y2", height - bottom);
  axis.setAttribute("class", "axis");
  svg.appendChild(axis);
  svgText(left - 4, top + 4, String(peak), "end");
  svgText(left - 4, height - bottom, "0", "end");
  svgText(left, height - 4, time(minutes[0].at), "start");
  svgText(width, height - 4, "now", "end");
  const totals = {};
  minutes.forEach((m, i) => {
    const group = document.createElementNS(SVG, "g");
    const title = document.createElementNS(SVG, "title");
    title.textContent = time(m.at) + ": " + (total(m) === 0 ? "nothing"
      : STATUSES.filter(s => m.counts[s]).map(s => m.counts[s] + " " + s).join(", "));
    group.appendChild(title);
    let y = height - bottom;
    STATUSES.forEach(s => {
      const n = m.counts[s] || 0;
      totals[s] = (totals[s] || 0) + n;
      if (n === 0) {
        return;
      }
      const bar = document.createElementNS(SVG, "rect");
      const h = Math.max(1, n * scale);
      y -= h;
      bar.setAttribute("x", (left + i * slot + 1).toFixed(1));
      bar.setAttribute("y", y.toFixed(1));
      bar.setAttribute("width", Math.max(1, slot - 2).toFixed(1));
      bar.setAttribute("height", h.toFixed(1));
      bar.setAttribute("class", "bar " + s);
      group.appendChild(bar);
    });
    svg.appendChild(group);
  });
  document.getElementById("chart").replaceChildren(svg);
  const legend = document.getElementById("chart-legend");
  legend.replaceChildren();
  STATUSES.forEach(s => element(legend, "span", s + " " + totals[s], "key " + s));
}

function yesNo(exists) {
  return exists === true ? "yes" : exists === false ? "no" : "unknown (never polled)";
}

function flagToggle(parent, site, key, user, flag, label) {
  const wrap = element(parent, "label", "", "flag");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = flag;
  box.checked = user[flag] === true;
  wrap.appendChild(box);
  wrap.appendChild(document.createTextNode(" " + label));
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      const r = await api("PUT", "/users/" + encodeURIComponent(site) + "/" + encodeURIComponent(key) + "/flags",
        { [flag]: box.checked });
      await loadUser();
      report(site + ": " + label + " " + (r[flag] ? "on" : "off") + " for " + key + (r.onSite ? " (" + r.onSite + ")" : ""));
    } catch (e) {
      box.checked = !box.checked;
      report(label + ": " + e.message);
    } finally {
      box.disabled = false;
    }
  });
}

// The person on every site, as usermesh last saw them, with the flags and "sync now".
async function loadUser() {
  if (!userQuery) {
    return;
  }
  const found = await api("GET", "/users?q=" + encodeURIComponent(userQuery));
  const siteIds = found.sites.map(s => s.site);
  document.getElementById("user-summary").textContent = "“" + found.query + "”: on "
    + found.sites.filter(s => s.exists === true).length + " of " + found.sites.length + " site(s)";
  fill("user-sites", found.sites, (tr, u) => {
    tr.dataset.site = u.site;
    cell(tr, u.site);
    cell(tr, yesNo(u.exists), "exists " + yesNo(u.exists).split(" ")[0]);
    cell(tr, u.id, "wp-id");
    cell(tr, u.login, "login");
    cell(tr, u.email, "email");
    cell(tr, u.name, "name");
    cell(tr, (u.roles || []).join(", "), "roles");
    cell(tr, u.person, "person");
    cell(tr, time(u.seenAt));
    const flags = cell(tr, "", "flags");
    const sync = cell(tr, "", "sync");
    if (u.exists !== true) {
      return;
    }
    const key = u.email ? u.email.toLowerCase() : u.login;
    flagToggle(flags, u.site, key, u, "propagationOff", "propagation off");
    flagToggle(flags, u.site, key, u, "protected", "protected");
    const from = encodeURIComponent(u.site);
    const user = encodeURIComponent(key);
    button(sync, "to all linked sites", async () => u.site + " → all: "
      + queuedText(await api("POST", "/sites/" + from + "/sync?user=" + user)));
    siteIds.filter(other => other !== u.site).forEach(other => {
      button(sync, "to " + other, async () => u.site + " → " + other + ": "
        + queuedText(await api("POST", "/sites/" + from + "/sync?user=" + user + "&to=" + encodeURIComponent(other))));
    });
  });
  fill("user-rows", found.rows, auditRow);
}

// One sync_log row, in the sync log and in the Users section alike.
function auditRow(tr, r) {
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
}

async function loadLogs() {
  const query = new URLSearchParams();
  new FormData(document.getElementById("log-filter")).forEach((value, key) => {
    if (String(value).trim() !== "") {
      query.set(key, String(value).trim());
    }
  });
  const rows = await api("GET", "/logs?" + query.toString());
  fill("logs", rows, auditRow);
}

async function loadDeadLetters() {
  const rows = await api("GET", "/dead-letters");
  const perTarget = new Map();
  rows.forEach(d => perTarget.set(d.targetSite, (perTarget.get(d.targetSite) || 0) + 1));
  const targets = document.getElementById("replay-targets");
  targets.replaceChildren();
  if (rows.length === 0) {
    targets.textContent = "No dead letters wait for replay.";
  }
  perTarget.forEach((count, target) => {
    button(targets, "Replay all " + count + " for " + target, async () => {
      const r = await api("POST", "/dead-letters/replay?target=" + encodeURIComponent(target));
      return r.replayed + " dead letter(s) for " + r.target + " queued again";
    });
  });
  fill("dead-letters", rows, (tr, d) => {
    tr.dataset.id = d.id;
    cell(tr, d.id);
    cell(tr, d.createdAt);
    cell(tr, d.eventId, "event");
    cell(tr, d.sourceSite);
    cell(tr, d.targetSite);
    cell(tr, d.userKey, "user");
    cell(tr, d.action);
    cell(tr, d.httpStatus);
    cell(tr, d.attempts);
    cell(tr, d.error, "message");
    button(cell(tr, ""), "Replay", async () => {
      const r = await api("POST", "/dead-letters/" + encodeURIComponent(d.id) + "/replay");
      return "dead letter " + r.deadLetter + " queued again";
    });
  });
}

// Reads everything again. {@code announce}: say so (the Refresh button, connecting); the timed
// refresh and the one after an action stay quiet while an action's outcome is recent.
async function refresh(announce) {
  if (!token()) {
    say("Enter the admin token to connect.");
    return;
  }
  if (announce) {
    say("Refreshing…");
  }
  try {
    await Promise.all([loadAlerts(), loadSites(), loadActivity(), loadUser(), loadLogs(), loadDeadLetters()]);
    if (announce || Date.now() - reportedAt > 60000) {
      say("Connected. Updated " + new Date().toLocaleTimeString() + ".");
    }
  } catch (e) {
    say(e.message);
  }
}

// Runs an action of a control that is not a table's button, saying what came of it.
function act(id, action) {
  document.getElementById(id).addEventListener("click", async event => {
    event.target.disabled = true;
    try {
      report(await action());
    } catch (e) {
      report(event.target.textContent + ": " + e.message);
    } finally {
      event.target.disabled = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("token-form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
    document.getElementById("token").value = "";
    refresh(true);
  });
  document.getElementById("forget").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    userQuery = "";
    ["sites", "logs", "dead-letters", "user-sites", "user-rows", "reconcile-plan"].forEach(id => fill(id, [], () => {}));
    ["chart", "chart-legend", "replay-targets", "user-summary", "reconcile-summary"].forEach(id =>
      document.getElementById(id).replaceChildren());
    say("Token forgotten.");
  });
  document.getElementById("refresh").addEventListener("click", () => refresh(true));
  document.getElementById("log-filter").addEventListener("submit", event => {
    event.preventDefault();
    refresh(true);
  });
  document.getElementById("user-search").addEventListener("submit", async event => {
    event.preventDefault();
    userQuery = document.getElementById("user-q").value.trim();
    try {
      await loadUser();
      report("Searched " + userQuery + ".");
    } catch (e) {
      report("Search: " + e.message);
    }
  });
  act("reconcile-preview", previewReconcile);
  act("reconcile-apply", async () => {
    if (!window.confirm("Plan the reconciliation again and queue every change it finds?")) {
      return "reconciliation not applied";
    }
    const done = await applyReconcile();
    await refresh(false);
    return done;
  });
  refresh(true);
  setInterval(() => refresh(false), 15000);
});
