namespace Payments.Workflows.Service.Ops;

/// <summary>
/// The markup, style and script of the /ops page (<see cref="OpsPage"/>), all inline: no build step, no CDN. The script
/// writes data only through textContent and attributes it sets itself, never innerHTML, so nothing a message, a queue or
/// an error text holds can become markup. <c>{{nonce}}</c> is replaced per response.
/// </summary>
internal static class OpsPageHtml
{
    public const string Text = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Payments.Workflows operations</title>
<style nonce="{{nonce}}">
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2329; background: #fafbfc; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; font-size: .9rem; }
th { background: #eef1f4; }
td.mono { font-family: ui-monospace, monospace; word-break: break-all; }
button { margin: 0 .2rem .2rem 0; }
.empty { color: #57606a; font-style: italic; }
.problem { color: #a40e26; }
#status { min-height: 1.2rem; }
dl.counts { display: grid; grid-template-columns: max-content max-content; gap: .2rem 1rem; }
dl.counts dt { font-weight: 600; }
[hidden] { display: none !important; }
</style>
</head>
<body>
<h1>Payments.Workflows operations</h1>
<form id="login">
  <label for="key">Ops API key</label>
  <input id="key" name="key" type="password" autocomplete="off" placeholder="sk_..." required>
  <button id="open" type="submit">Open</button>
</form>
<div id="session" hidden>
  <button id="refresh" type="button">Refresh</button>
  <button id="forget" type="button">Forget key</button>
</div>
<p id="status" role="status" aria-live="polite"></p>
<main id="content" hidden>
  <section aria-labelledby="outbox-title">
    <h2 id="outbox-title">Outbox</h2>
    <div id="outbox"></div>
  </section>
  <section aria-labelledby="quarantined-title">
    <h2 id="quarantined-title">Quarantined outbox rows</h2>
    <div id="quarantined"></div>
  </section>
  <section aria-labelledby="errors-title">
    <h2 id="errors-title">Error queues</h2>
    <div id="error-queues"></div>
  </section>
  <section aria-labelledby="stuck-title">
    <h2 id="stuck-title">Stuck payments (waiting on the service for more than 5 minutes)</h2>
    <div id="stuck"></div>
  </section>
</main>
<script nonce="{{nonce}}">
"use strict";
(function () {
  const storageKey = "payments-ops-key";
  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function status(text, isProblem) {
    const node = $("status");
    node.textContent = text;
    node.className = isProblem ? "problem" : "";
  }

  function key() { return sessionStorage.getItem(storageKey); }

  async function api(method, path, body) {
    const headers = { "Authorization": "Bearer " + key(), "Accept": "application/json" };
    const init = { method: method, headers: headers, cache: "no-store", credentials: "omit" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    const text = await response.text();
    if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
    if (response.status === 401) {
      sessionStorage.removeItem(storageKey);
      showLogin();
      throw new Error("The key was refused (401): enter a valid ops key.");
    }
    if (!response.ok) {
      const detail = data && (data.detail || data.title) ? (data.title || "") + " " + (data.detail || "") : "";
      const problem = new Error(method + " " + path + " answered " + response.status + (detail ? ": " + detail.trim() : ""));
      problem.status = response.status;
      throw problem;
    }
    return data;
  }

  function table(headings, rows, name) {
    const t = el("table");
    if (name) t.setAttribute("aria-label", name);
    const head = el("thead");
    const tr = el("tr");
    headings.forEach((h) => tr.appendChild(el("th", h)));
    head.appendChild(tr);
    t.appendChild(head);
    const bodyNode = el("tbody");
    rows.forEach((r) => bodyNode.appendChild(r));
    t.appendChild(bodyNode);
    return t;
  }

  function cell(text, mono) { return el("td", text === null || text === undefined ? "" : text, mono ? "mono" : ""); }

  function button(label, action) {
    const b = el("button", label);
    b.type = "button";
    b.addEventListener("click", async () => {
      b.disabled = true;
      try {
        const done = await action();
        if (done !== false) await load();
      } catch (e) {
        status(e.message, true);
        b.disabled = false;
      }
    });
    return b;
  }

  function renderOutbox(counts) {
    const node = $("outbox");
    clear(node);
    const dl = el("dl", null, "counts");
    [["Pending", counts.pending], ["Scheduled", counts.scheduled], ["Quarantined", counts.quarantined],
     ["Oldest pending (s)", counts.oldestPendingAgeSeconds], ["Inbox marks", counts.inboxMarks]].forEach(([name, value]) => {
      dl.appendChild(el("dt", name));
      const dd = el("dd", value);
      dd.dataset.count = name;
      dl.appendChild(dd);
    });
    node.appendChild(dl);
  }

  function renderQuarantined(page) {
    const node = $("quarantined");
    clear(node);
    if (page.items.length === 0) { node.appendChild(el("p", "No quarantined rows.", "empty")); return; }
    const rows = page.items.map((r) => {
      const tr = el("tr");
      tr.dataset.sequenceNumber = String(r.sequenceNumber);
      tr.appendChild(cell(r.sequenceNumber));
      tr.appendChild(cell(r.messageType, true));
      tr.appendChild(cell(r.destination, true));
      tr.appendChild(cell(r.deliveryAttempts));
      tr.appendChild(cell(r.lastError));
      tr.appendChild(cell(r.quarantinedAt));
      const actions = el("td");
      actions.appendChild(button("Release", () => api("POST", "/ops/outbox/" + encodeURIComponent(r.sequenceNumber) + "/release")
        .then(() => status("Outbox row #" + r.sequenceNumber + " released."))));
      actions.appendChild(button("Delete", () => {
        if (!window.confirm("Delete outbox row #" + r.sequenceNumber + "? Its message will never be sent.")) return Promise.resolve(false);
        return api("DELETE", "/ops/outbox/" + encodeURIComponent(r.sequenceNumber))
          .then(() => status("Outbox row #" + r.sequenceNumber + " deleted."));
      }));
      tr.appendChild(actions);
      return tr;
    });
    node.appendChild(el("p", page.total + " quarantined row(s)" + (page.total > page.items.length ? ", the oldest " + page.items.length + " shown" : "") + "."));
    node.appendChild(table(["#", "Message type", "Destination", "Attempts", "Last error", "Quarantined at", ""], rows, "Quarantined outbox rows"));
  }

  function renderErrorQueues(queues) {
    const node = $("error-queues");
    clear(node);
    if (queues.length === 0) { node.appendChild(el("p", "No error queues.", "empty")); return; }
    queues.forEach((q) => {
      const section = el("section");
      section.dataset.queue = q.queue;
      section.appendChild(el("h3", q.queue));
      section.appendChild(el("p", q.depth + " message(s)" + (q.truncated ? "; the first " + q.browsed + " are grouped" : "") + "."));
      if (q.groups.length === 0) { section.appendChild(el("p", "Empty.", "empty")); node.appendChild(section); return; }
      const rows = q.groups.map((g) => {
        const tr = el("tr");
        tr.dataset.exceptionType = g.exceptionType;
        tr.appendChild(cell(g.count));
        tr.appendChild(cell(g.exceptionType, true));
        tr.appendChild(cell(g.messageType, true));
        tr.appendChild(cell(g.sample.messageId, true));
        tr.appendChild(cell(g.sample.reason));
        const actions = el("td");
        actions.appendChild(button("Replay group", () => api("POST", "/ops/error-queues/" + encodeURIComponent(q.queue) + "/replay", { exceptionType: g.exceptionType })
          .then((r) => status(r.replayed + " message(s) replayed from " + q.queue + " to " + r.destination + "."))));
        if (g.sample.messageId) {
          actions.appendChild(button("Delete sample", () => {
            if (!window.confirm("Delete message " + g.sample.messageId + " from " + q.queue + "? It cannot be replayed afterwards.")) return Promise.resolve(false);
            return api("POST", "/ops/error-queues/" + encodeURIComponent(q.queue) + "/delete", { messageIds: [g.sample.messageId] })
              .then((r) => status(r.deleted + " message(s) deleted from " + q.queue + "."));
          }));
        }
        tr.appendChild(actions);
        return tr;
      });
      section.appendChild(table(["Count", "Exception type", "Message type", "Sample MessageId", "Reason", ""], rows, q.queue));
      node.appendChild(section);
    });
  }

  function renderStuck(payments) {
    const node = $("stuck");
    clear(node);
    if (payments.length === 0) { node.appendChild(el("p", "No stuck payments.", "empty")); return; }
    const rows = payments.map((p) => {
      const tr = el("tr");
      [p.paymentId, p.merchantId, p.state, p.since, p.waitingSeconds, p.waitingFor].forEach((v, i) => tr.appendChild(cell(v, i < 2)));
      return tr;
    });
    node.appendChild(table(["Payment", "Merchant", "State", "Since", "Waiting (s)", "Waiting for"], rows, "Stuck payments"));
  }

  async function section(target, load, render) {
    try {
      render(await load());
    } catch (e) {
      const node = $(target);
      clear(node);
      node.appendChild(el("p", e.message, "problem"));
      if (!key()) throw e;
    }
  }

  async function load() {
    if (!key()) { showLogin(); return; }
    showSession();
    try {
      await Promise.all([
        section("outbox", () => api("GET", "/ops/outbox"), renderOutbox),
        section("quarantined", () => api("GET", "/ops/outbox/quarantined"), renderQuarantined),
        section("error-queues", () => api("GET", "/ops/error-queues"), renderErrorQueues),
        section("stuck", () => api("GET", "/ops/payments/stuck"), renderStuck),
      ]);
      document.body.dataset.loadedAt = new Date().toISOString();
    } catch (e) {
      status(e.message, true);
    }
  }

  function showLogin() {
    $("login").hidden = false;
    $("session").hidden = true;
    $("content").hidden = true;
  }

  function showSession() {
    $("login").hidden = true;
    $("session").hidden = false;
    $("content").hidden = false;
  }

  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("key").value.trim();
    $("key").value = "";
    if (!value) return;
    sessionStorage.setItem(storageKey, value);
    status("");
    load();
  });
  $("refresh").addEventListener("click", () => { status(""); load(); });
  $("forget").addEventListener("click", () => {
    sessionStorage.removeItem(storageKey);
    ["outbox", "quarantined", "error-queues", "stuck"].forEach((id) => clear($(id)));
    status("Key forgotten.");
    showLogin();
  });
  load();
})();
</script>
</body>
</html>
""";
}
