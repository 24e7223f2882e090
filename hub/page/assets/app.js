// Campaign Hub, the account managers' page: a single-page app over /api/v1 (docs/api.md).
// Plain browser JavaScript, no build step. Everything the API answers is provider data and so
// untrusted: it only ever reaches the page as text (el() and textContent), never as HTML.
"use strict";

(function () {
  // ---- Vocabulary -------------------------------------------------------------------------

  const CAMPAIGN_STATUSES = ["active", "scheduled", "testing", "draft", "paused", "completed",
    "cancelled", "failed"];
  const OPPORTUNITY_STATUSES = ["active", "on_hold", "won", "closed", "declined"];
  const TRIAGE_STATES = ["new", "reviewing", "shortlisted", "rejected"];
  const ROLE_RANK = { viewer: 0, contributor: 1, manager: 2 };
  const EXPORTS = { campaigns: "Campaigns", opportunities: "Opportunities, with their triage",
    participants: "Participants", steps: "Participants' steps", metrics: "Metrics snapshots",
    "status-events": "Status history (every status change)", quarantine: "Quarantine" };
  const PAGE = 100; // rows asked per page

  const state = { session: null, instances: new Set() };
  const main = document.getElementById("main");
  const errorBox = document.getElementById("error");

  // ---- Small helpers ----------------------------------------------------------------------

  // el("a", {href: "#/", class: "x", "data-testid": "y", onclick: f}, "text", childNode, ...)
  // Strings become text nodes; null/undefined/false children are skipped.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else if (key === "value") node.value = value;
      else if (key === "style") Object.assign(node.style, value); // CSSOM: allowed by a strict CSP
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // on(form, handler): the handler runs on submit, the browser's own submission never does.
  function on(form, handler) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      handler(event);
    });
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  }

  function can(role) {
    return !!state.session && (ROLE_RANK[state.session.role] ?? -1) >= ROLE_RANK[role];
  }

  // {a: 1, b: "", c: null} -> "?a=1": empty values are not sent.
  function query(params) {
    const kept = Object.entries(params).filter(([, value]) => has(value) && value !== "" && value !== false);
    return kept.length ? "?" + kept.map(([k, v]) => enc(k) + "=" + enc(v)).join("&") : "";
  }

  const enc = encodeURIComponent;
  const has = (v) => v !== null && v !== undefined;
  const num = (n) => (has(n) ? Number(n).toLocaleString("en") : "—");
  const pct = (part, whole) => (has(part) && whole ? (100 * part / whole).toFixed(1) + " %" : "—");
  const words = (s) => (has(s) ? String(s).replace(/_/g, " ") : "—");
  const stamp = (iso) => (iso || "").slice(0, 16).replace("T", " "); // "2026-03-09 20:29"

  // API times are ISO 8601 UTC; show them as "2026-03-09 20:29 UTC", dates as they are.
  function time(iso) {
    if (!iso) return el("span", { class: "muted" }, "—");
    const text = iso.length > 10 ? stamp(iso) + " UTC" : iso;
    return el("time", { datetime: iso, title: iso }, text);
  }

  function ago(iso) {
    if (!iso) return "never";
    const minutes = Math.round((Date.now() - Date.parse(iso)) / 60000);
    if (isNaN(minutes)) return iso;
    if (minutes < 1) return "just now";
    if (minutes < 90) return minutes + " min ago";
    if (minutes < 48 * 60) return Math.round(minutes / 60) + " h ago";
    return Math.round(minutes / 1440) + " days ago";
  }

  // The canonical status as a badge, with the provider's own word beside it.
  function status(canonical, raw) {
    return el("span", { class: "status" },
      el("span", { class: "badge s-" + (canonical || "none") }, words(canonical)),
      raw && raw !== canonical ? el("span", { class: "raw", title: "the provider's status" }, raw) : null);
  }

  function setReady(ready) {
    document.body.dataset.ready = ready ? "1" : "0";
  }

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  // Runs an action that changes the page (load more, save, replay) with the ready flag down and
  // its error shown, at the top and `near` the control when given (the top may be out of view);
  // returns what the action returned, or undefined after an error.
  async function act(action, near) {
    setReady(false);
    showError(null);
    try {
      return await action();
    } catch (error) {
      if (error instanceof LoginNeeded) return undefined;
      showError(error.message);
      if (near) near.replaceChildren(el("span", { class: "error-text" }, error.message));
    } finally {
      setReady(true);
    }
  }

  // ---- API --------------------------------------------------------------------------------

  class LoginNeeded extends Error {}

  // Calls the hub: JSON in and out, the session cookie, the CSRF token on every write. Throws
  // an Error carrying the API's own "error" text, or LoginNeeded after showing the login form.
  async function api(path, method = "GET", body = undefined) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = state.session ? state.session.csrf : "";
      options.body = JSON.stringify(body === undefined ? {} : body);
    }
    const response = await fetch(path, options).catch((error) => {
      throw new Error("The hub did not answer (" + error.message + "). Is it running?");
    });
    if (response.status === 204) return null;
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { /* not JSON: the status line says it */ }
    if (response.status === 401 && path !== "/api/v1/session") {
      renderLogin((data && data.error) || "Your session has ended; please log in again.");
      throw new LoginNeeded("login needed");
    }
    if (!response.ok) {
      const reason = data && data.error ? data.error : response.status + " " + response.statusText;
      const error = new Error(reason);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // ---- Session ----------------------------------------------------------------------------

  function setSession(session) {
    state.session = session;
    document.getElementById("nav").hidden = !session;
    document.getElementById("who").hidden = !session;
    document.getElementById("who-name").textContent = session ? session.name : "";
    document.getElementById("who-role").textContent = session ? session.role : "";
  }

  async function start() {
    setReady(false);
    try {
      setSession(await api("/api/v1/session"));
    } catch (error) {
      if (error.status === 401) return renderLogin(null);
      showError(error.message);
      return setReady(true);
    }
    route();
  }

  function renderLogin(reason) {
    setSession(null);
    main.replaceChildren();
    if (reason) showError(reason);
    const token = el("input", { id: "token", name: "token", type: "password", required: true,
      autocomplete: "current-password", spellcheck: "false" });
    const form = el("form", { class: "login card", "data-testid": "login" },
      el("h1", {}, "Log in"),
      el("p", { class: "muted" }, "Paste the access token your hub administrator gave you."),
      el("label", { for: "token" }, "Access token"), token,
      el("button", { type: "submit", class: "primary" }, "Log in"));
    on(form, async () => {
      const session = await act(() => api("/api/v1/session", "POST", { token: token.value }));
      if (session) {
        setSession(session);
        route();
      }
    });
    main.append(form);
    token.focus();
    setReady(true);
  }

  async function logout() {
    await act(() => api("/api/v1/session", "DELETE"));
    renderLogin(null);
  }

  // ---- Router -----------------------------------------------------------------------------

  const ROUTES = [
    [/^\/$/, viewCampaigns, "campaigns"],
    [/^\/campaign\/([^/]+)\/(.+)$/, viewCampaign, "campaigns"],
    [/^\/runs$/, viewRuns, "runs"],
    [/^\/run\/(\d+)$/, viewRun, "runs"],
    [/^\/changes$/, viewChanges, "changes"],
    [/^\/quarantine$/, viewQuarantine, "quarantine"],
    [/^\/export$/, viewExport, "export"],
  ];

  // "#/path?a=b" -> {path: "/path", params: {a: "b"}}
  function parseHash() {
    const hash = location.hash.startsWith("#/") ? location.hash.slice(1) : "/";
    const [path, search] = hash.split("?");
    return { path, params: Object.fromEntries(new URLSearchParams(search || "")) };
  }

  function go(path, params) {
    location.hash = "#" + path + query(params || {});
  }

  async function route() {
    if (!state.session) return;
    const ticket = (state.ticket = (state.ticket || 0) + 1); // a newer route() wins
    const { path, params } = parseHash();
    setReady(false);
    showError(null);
    main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    const found = ROUTES.find(([pattern]) => pattern.test(path));
    for (const link of document.querySelectorAll("[data-nav]")) {
      if (found && link.dataset.nav === found[2]) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    try {
      if (!found) throw new Error("There is no page at #" + path + ".");
      const match = path.match(found[0]).slice(1).map(decodeURIComponent);
      const view = el("div", { class: "view" });
      await found[1](view, match, params);
      if (ticket !== state.ticket) return;
      main.replaceChildren(view);
    } catch (error) {
      if (error instanceof LoginNeeded || ticket !== state.ticket) return;
      main.replaceChildren(el("p", { class: "muted" }, "This page could not be shown."));
      showError(error.message);
    }
    setReady(true);
  }

  // ---- Shared building blocks -------------------------------------------------------------

  // A table in a box that scrolls sideways on narrow screens; the box keeps its .tbody.
  // columns: [{label, cell(row) -> node or text, num}]; rows: the API's items.
  function table(columns, rows, { label, testid, rowAttrs } = {}) {
    const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null }, c.label)));
    const tbody = el("tbody");
    const box = el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": label || "table" },
      el("table", { "data-testid": testid }, el("thead", {}, head), tbody));
    box.add = (items) => tbody.append(...items.map((row) => tableRow(columns, row, rowAttrs && rowAttrs(row))));
    box.add(rows);
    return box;
  }

  function tableRow(columns, row, attrs) {
    return el("tr", attrs || {}, columns.map((c) => el("td", { class: c.num ? "num" : null }, c.cell(row))));
  }

  // A "Load more" button that fetches the next page with the cursor and hands its rows on.
  // The button is in the page only while there is a next page. Returns {button: its slot, first()}.
  function loadMore(fetchPage, onRows) {
    let cursor = null;
    const slot = el("div", { class: "more-slot" });
    const button = el("button", { type: "button", class: "more", "data-testid": "load-more" }, "Load more");
    const next = async (first) => {
      const page = await fetchPage(first ? null : cursor);
      cursor = page.next_cursor;
      slot.replaceChildren(...(cursor ? [button] : []));
      onRows(page.items || []);
    };
    button.addEventListener("click", () => act(() => next(false)));
    return { button: slot, first: () => next(true) };
  }

  function section(title, ...children) {
    return el("section", { class: "block" }, el("h2", {}, title), children);
  }

  function field(label, control) {
    const id = "f-" + label.toLowerCase().replace(/[^a-z]+/g, "-") + "-" + Math.random().toString(36).slice(2, 7);
    control.id = id;
    return el("div", { class: "field" }, el("label", { for: id }, label), control);
  }

  function select(options, value, attrs) {
    return el("select", attrs || {}, options.map(([v, label]) =>
      el("option", { value: v, selected: v === (value || "") }, label)));
  }

  function instanceSelect(value) {
    const names = new Set(state.instances);
    if (value) names.add(value);
    return select([["", "All instances"], ...[...names].sort().map((n) => [n, n])], value);
  }

  // Instance names for the filters: every instance that ran at least once.
  async function learnInstances() {
    if (state.instances.size) return;
    const runs = await api("/api/v1/runs?limit=1000");
    for (const run of runs.items || []) state.instances.add(run.instance);
  }

  function campaignLink(instance, id, text) {
    return el("a", { href: "#/campaign/" + enc(instance) + "/" + enc(id) }, text || id);
  }

  function runLink(id) {
    return has(id) ? el("a", { href: "#/run/" + id }, "#" + id) : "—";
  }

  // ---- Campaigns: cards grouped by canonical status ---------------------------------------

  async function viewCampaigns(view, _match, params) {
    await learnInstances();
    const kinds = [["", "All kinds"], ["scouting", "Scouting"], ["partner", "Partner"],
      ["email", "E-mail"], ["multichannel", "Multichannel"]];
    const instance = instanceSelect(params.instance);
    const kind = select(kinds, params.kind);
    const search = el("input", { type: "search", value: params.q || "", placeholder: "Campaign name" });
    const filters = el("form", { class: "filters", role: "search" },
      field("Instance", instance), field("Kind", kind), field("Search", search),
      el("button", { type: "submit" }, "Apply"));
    on(filters, () => {
      go("/", { instance: instance.value, kind: kind.value, q: search.value.trim() });
    });

    const campaigns = [];
    const summary = el("p", { class: "muted", "aria-live": "polite" });
    const groups = el("div", { class: "groups" });
    const pager = loadMore(
      (cursor) => api("/api/v1/campaigns" + query({ instance: params.instance, kind: params.kind,
        limit: PAGE, cursor })),
      (items) => {
        campaigns.push(...items);
        renderGroups(groups, summary, campaigns, (params.q || "").toLowerCase());
      });
    await pager.first();
    append(view, el("h1", {}, "Campaigns"), filters, summary, groups, pager.button);
  }

  function renderGroups(groups, summary, campaigns, needle) {
    const shown = campaigns.filter((c) => !needle || (c.name || "").toLowerCase().includes(needle));
    const order = [...CAMPAIGN_STATUSES];
    for (const c of shown) if (!order.includes(c.status)) order.push(c.status);
    groups.replaceChildren();
    for (const name of order) {
      const members = shown.filter((c) => c.status === name);
      if (!members.length) continue;
      groups.append(el("section", { class: "group", "data-testid": "status-group", "data-status": name },
        el("h2", {}, el("span", { class: "badge s-" + name }, words(name)), " ",
          el("span", { class: "count", "data-testid": "group-count" }, String(members.length))),
        el("div", { class: "cards" }, members.map(card))));
    }
    summary.textContent = shown.length === campaigns.length
      ? campaigns.length + " campaigns loaded."
      : shown.length + " of " + campaigns.length + " loaded campaigns match the search.";
    if (!shown.length) groups.append(el("p", {}, "No campaigns to show."));
  }

  function card(c) {
    const owner = c.assigned_owner || c.owner;
    return el("article", { class: "card campaign", "data-testid": "campaign-card",
      "data-instance": c.instance, "data-id": c.external_id, "data-status": c.status },
      el("h3", {}, campaignLink(c.instance, c.external_id, c.name || c.external_id)),
      el("p", { class: "line" }, status(c.status, c.raw_status)),
      el("p", { class: "line muted" }, words(c.kind) + " · " + c.instance),
      el("dl", { class: "facts" },
        fact("Owner", owner ? owner : el("span", { class: "muted" }, "none")),
        c.review_by ? fact("Review by", deadline(c)) : null,
        c.opportunities || c.opportunity_count ? fact("Opportunities", opportunityCount(c)) : null,
        c.participant_count ? fact("Participants", participantLine(c)) : null,
        c.latest_metrics ? fact("Latest metrics", metricsHeadline(c.latest_metrics), "span") : null,
        fact("Last synced", el("span", { title: c.last_synced || "" }, ago(c.last_synced)))));
  }

  function fact(term, value, cls) {
    return el("div", { class: cls || null }, el("dt", {}, term), el("dd", {}, value));
  }

  function deadline(c) {
    const days = c.days_left;
    let note = "";
    let cls = "";
    if (has(days)) {
      if (days < 0) [note, cls] = [-days + " days overdue", "overdue"];
      else if (days === 0) [note, cls] = ["today", "soon"];
      else [note, cls] = ["in " + days + " days", days <= 7 ? "soon" : ""];
    }
    return el("span", { class: cls || null }, c.review_by.slice(0, 10), note ? " (" + note + ")" : "");
  }

  function opportunityCount(c) {
    const held = num(c.opportunities);
    return c.opportunity_count !== null && c.opportunity_count !== c.opportunities
      ? held + " in the hub, provider reports " + num(c.opportunity_count) : held;
  }

  function participantLine(c) {
    const rate = c.participants && c.participants.completion_rate;
    return num(c.participant_count) + (has(rate) ? ", " + (rate * 100).toFixed(0) + " % completed" : "");
  }

  // Rates are over delivered mail; a provider that gives no delivered count (Mailchimp) gets
  // sent minus bounces.
  function delivered(m) {
    if (has(m.delivered)) return m.delivered;
    return has(m.sent) ? m.sent - (m.bounces || 0) : null;
  }

  // One line of what matters in a snapshot: rates for e-mail, responses and spend otherwise.
  function metricsHeadline(m) {
    const parts = [];
    if (delivered(m) && has(m.unique_opens)) parts.push("open rate " + pct(m.unique_opens, delivered(m)));
    if (delivered(m) && has(m.clicks)) parts.push("click rate " + pct(m.clicks, delivered(m)));
    if (!parts.length && has(m.sent)) parts.push(num(m.sent) + " sent");
    if (has(m.responses))
      parts.push(num(m.responses) + (m.expected_responses ? " of " + num(m.expected_responses) : "") + " responses");
    if (has(m.spend))
      parts.push("spend " + num(m.spend) + (m.budget ? " of " + num(m.budget) : ""));
    if (m.deals_won) parts.push(num(m.deals_won) + " deals won");
    return parts.join(" · ") || "no figures";
  }

  // ---- One campaign -----------------------------------------------------------------------

  async function viewCampaign(view, [instance, id]) {
    const detail = await api("/api/v1/campaigns/" + enc(instance) + "/" + enc(id));
    const c = detail.campaign;
    append(view,
      el("p", { class: "crumbs" }, el("a", { href: "#/" }, "Campaigns"), " / ", c.instance),
      el("h1", {}, c.name || c.external_id),
      el("p", { class: "line" }, status(c.status, c.raw_status), " ",
        el("span", { class: "muted" }, words(c.kind) + " campaign · " + c.external_id)),
      campaignFacts(c),
      c.description ? el("p", { class: "description" }, c.description) : null,
      ownerControl(c),
      section("Funnel", funnel(c.funnel || {})),
      section("Status history", history(detail.history || [], c)));
    const opportunities = el("div");
    view.append(section("Opportunities", opportunities));
    await opportunityTable(opportunities, c);
    if (c.participant_count || c.kind === "partner" || c.kind === "multichannel") {
      const box = el("div");
      view.append(section("Participants", box));
      await participantTable(box, c);
    }
    if ((detail.metrics_trend || []).length) view.append(section("Metrics", metricsTrend(detail.metrics_trend)));
    view.append(section("Export this instance",
      el("p", { class: "muted" }, "Everything instance ", c.instance, " holds, as files."),
      el("ul", { class: "export-list" }, ["campaigns", "opportunities", "participants", "metrics"].map((entity) =>
        el("li", {}, EXPORTS[entity] + " ", exportLinks(entity, { instance: c.instance }))))));
  }

  function campaignFacts(c) {
    const money = (v) => (has(v) ? num(v) + (c.currency ? " " + c.currency : "") : null);
    return el("dl", { class: "facts wide" },
      fact("Instance", c.instance),
      fact("Provider's owner", c.owner || "—"),
      c.manager_email ? fact("Provider's manager", c.manager_email) : null,
      c.department ? fact("Department", c.department) : null,
      fact("Start to end", (c.start_at || "?").slice(0, 10) + " to " + (c.end_at || "?").slice(0, 10)),
      c.review_by ? fact("Review by", deadline(c)) : null,
      money(c.budget) ? fact("Budget", money(c.budget)) : null,
      money(c.spend) ? fact("Spend", money(c.spend)) : null,
      fact("Opportunities", opportunityCount(c)),
      c.participant_count ? fact("Participants", participantLine(c)) : null,
      fact("First seen", time(c.first_seen)),
      fact("Last synced", el("span", {}, time(c.last_synced), " ", runLink(c.last_run))));
  }

  // The hub's own owner for a campaign, beside the provider's; contributors may set it.
  function ownerControl(c) {
    const shown = el("span", {}, c.assigned_owner || "none");
    const by = el("span", { class: "muted" },
      c.assigned_by ? " (set by " + c.assigned_by + ", " + stamp(c.assigned_at) + ")" : "");
    const line = el("p", {}, el("strong", {}, "Assigned owner: "), shown, by);
    if (!can("contributor")) return line;
    const input = el("input", { type: "text", value: c.assigned_owner || "", autocomplete: "off" });
    const form = el("form", { class: "inline" }, field("Assign an owner", input),
      el("button", { type: "submit" }, "Save owner"));
    on(form, async () => {
      const owner = input.value.trim() || null;
      const path = "/api/v1/campaigns/" + enc(c.instance) + "/" + enc(c.external_id) + "/owner";
      const done = await act(() => api(path, "PUT", { owner }), by);
      if (done) {
        shown.textContent = done.owner || "none";
        by.textContent = " (set by " + state.session.name + ", just now)";
      }
    });
    return el("div", { class: "owner" }, line, form);
  }

  function funnel(counts) {
    const names = [...OPPORTUNITY_STATUSES, ...Object.keys(counts).filter((s) => !OPPORTUNITY_STATUSES.includes(s))];
    const total = names.reduce((sum, s) => sum + (counts[s] || 0), 0);
    const max = Math.max(1, ...names.map((s) => counts[s] || 0));
    return el("div", { class: "funnel", "data-testid": "funnel" },
      names.map((s) => {
        const n = counts[s] || 0;
        return el("div", { class: "funnel-row", "data-testid": "funnel-row", "data-status": s, "data-count": n },
          el("span", { class: "funnel-label" }, words(s)),
          el("span", { class: "bar-track" },
            el("span", { class: "bar s-" + s, style: { width: (100 * n / max).toFixed(1) + "%" } })),
          el("span", { class: "num" }, num(n)));
      }),
      total ? null : el("p", { class: "muted" }, "The hub holds no opportunities for this campaign."));
  }

  function history(events, c) {
    const list = el("ol", { class: "history", "data-testid": "history" },
      events.map((e) => el("li", { "data-testid": "history-item" },
        e.from_status ? status(e.from_status, e.from_raw_status) : el("span", { class: "muted" }, "first seen"),
        el("span", { "aria-label": "to" }, " → "), status(e.to_status, e.to_raw_status),
        el("span", { class: "muted" }, " · "), time(e.changed_at),
        el("span", { class: "muted" }, " · run "), runLink(e.run_id))));
    if (!events.length) {
      list.append(el("li", { class: "muted" }, "No status change recorded: " + words(c.status) + " since first seen."));
    }
    return list;
  }

  // Opportunities: status/triage/initiative are asked of the API, the text filter and the
  // sorting act on the rows loaded so far.
  async function opportunityTable(box, c) {
    const statusFilter = select([["", "Any status"], ...OPPORTUNITY_STATUSES.map((s) => [s, words(s)])]);
    const triageFilter = select([["", "Any triage"], ...TRIAGE_STATES.map((s) => [s, s])]);
    const initiativeFilter = el("input", { type: "text", placeholder: "exact name", list: "initiatives" });
    const textFilter = el("input", { type: "search", placeholder: "title, organisation, country…" });
    const initiatives = el("datalist", { id: "initiatives" });
    const filters = el("form", { class: "filters" }, field("Status", statusFilter), field("Triage", triageFilter),
      field("Initiative", initiativeFilter), el("button", { type: "submit" }, "Apply"),
      field("Search loaded rows", textFilter), initiatives);
    const columns = opportunityColumns();
    const tbody = el("tbody");
    const heads = columns.map((col) => {
      if (!col.sort) return el("th", { scope: "col" }, col.label);
      const button = el("button", { type: "button", class: "sort" }, col.label);
      const th = el("th", { scope: "col", "aria-sort": "none", class: col.num ? "num" : null }, button);
      button.addEventListener("click", () => sortBy(col, th));
      return th;
    });
    const tableEl = el("table", { "data-testid": "opportunities-table" }, el("thead", {}, el("tr", {}, heads)), tbody);
    const count = el("p", { class: "muted", "aria-live": "polite" });
    let rows = [];
    let sorted = null;

    function sortBy(col, th) {
      const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      for (const other of heads) if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      sorted = { col, dir };
      place();
    }

    // Reorders the existing <tr>s, so a triage being typed in is kept.
    function place() {
      const needle = textFilter.value.trim().toLowerCase();
      let list = [...rows];
      if (sorted) {
        const key = sorted.col.sort;
        list.sort((a, b) => {
          const x = key(a.data), y = key(b.data);
          if (x === y) return 0;
          if (!has(x) || x === "") return 1;
          if (!has(y) || y === "") return -1;
          return (x < y ? -1 : 1) * sorted.dir;
        });
      }
      let visible = 0;
      for (const row of list) {
        const o = row.data;
        const hay = [o.title, o.organisation, o.country, o.contact_name, o.summary, o.external_id].join(" ");
        row.tr.hidden = !!needle && !hay.toLowerCase().includes(needle);
        if (!row.tr.hidden) visible++;
        tbody.append(row.tr);
      }
      count.textContent = rows.length ? visible + " of " + rows.length + " loaded opportunities shown."
        : "No opportunities match.";
      const names = new Set(rows.map((r) => r.data.initiative).filter(Boolean));
      initiatives.replaceChildren(...[...names].sort().map((n) => el("option", { value: n })));
    }

    const pager = loadMore(
      (cursor) => api("/api/v1/opportunities" + query({ instance: c.instance, campaign: c.external_id,
        status: statusFilter.value, triage: triageFilter.value, initiative: initiativeFilter.value.trim(),
        limit: PAGE, cursor })),
      (items) => {
        for (const data of items) rows.push({ data, tr: tableRow(columns, data, { "data-id": data.external_id }) });
        place();
      });
    on(filters, () => {
      act(async () => {
        rows = [];
        tbody.replaceChildren();
        await pager.first();
      });
    });
    textFilter.addEventListener("input", place);
    await pager.first();
    filters.hidden = rows.length === 0; // nothing to filter: the campaign has no opportunities
    if (!rows.length) count.textContent = "The hub holds no opportunities for this campaign.";
    append(box, filters, count,
      el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": "Opportunities" }, tableEl),
      pager.button);
  }

  function opportunityColumns() {
    const lower = (k) => (o) => (o[k] || "").toString().toLowerCase();
    return [
      { label: "Title", sort: lower("title"), cell: (o) => el("span", { class: "title-cell" },
        el("strong", {}, o.title || o.external_id),
        o.summary ? el("span", { class: "summary", title: o.summary }, o.summary) : null) },
      { label: "Organisation", sort: lower("organisation"), cell: (o) => o.organisation || "—" },
      { label: "Country", sort: lower("country"), cell: (o) => o.country || "—" },
      { label: "Status", sort: lower("status"), cell: (o) => status(o.status, o.raw_status) },
      { label: "Amount", num: true, sort: (o) => o.amount,
        cell: (o) => (has(o.amount) ? num(o.amount) + (o.currency ? " " + o.currency : "") : "—") },
      { label: "Submitted", sort: (o) => o.submitted_at, cell: (o) => time(o.submitted_at) },
      { label: "Initiative", sort: lower("initiative"), cell: initiativeCell },
      { label: "Triage", sort: (o) => TRIAGE_STATES.indexOf(o.triage_state), cell: triageCell },
    ];
  }

  // The initiative a person moved it to, with the one the sync gave when they differ.
  function initiativeCell(o) {
    const moved = o.synced_initiative && o.initiative !== o.synced_initiative;
    return el("span", { class: "initiative" }, o.initiative || "—",
      moved ? el("span", { class: "note muted" }, "synced: " + o.synced_initiative) : null);
  }

  // The triage of one opportunity: read-only for viewers, a small form for contributors.
  function triageCell(o) {
    const who = el("span", { class: "who-when muted" }, triagedBy(o));
    if (!can("contributor")) {
      return el("div", { class: "triage" }, el("span", { class: "badge t-" + o.triage_state }, o.triage_state),
        o.triage_note ? el("span", { class: "note" }, o.triage_note) : null, who);
    }
    const label = o.title || o.external_id;
    const stateSelect = select(TRIAGE_STATES.map((s) => [s, s]), o.triage_state,
      { "aria-label": "Triage state of " + label });
    const initiative = el("input", { type: "text", value: o.initiative || "", list: "initiatives",
      "aria-label": "Initiative of " + label, placeholder: "initiative" });
    const note = el("input", { type: "text", value: o.triage_note || "", "aria-label": "Note on " + label,
      placeholder: "note" });
    const form = el("form", { class: "triage" }, stateSelect, initiative, note,
      el("button", { type: "submit" }, "Save"), who);
    on(form, async () => {
      const change = {};
      if (stateSelect.value !== o.triage_state) change.state = stateSelect.value;
      if (initiative.value.trim() !== (o.initiative || "")) change.initiative = initiative.value.trim();
      if (note.value.trim() !== (o.triage_note || "")) change.note = note.value.trim();
      if (!Object.keys(change).length) return (who.textContent = "Nothing changed.");
      const path = "/api/v1/opportunities/" + enc(o.instance) + "/" + enc(o.external_id) + "/triage";
      const saved = await act(() => api(path, "PATCH", change), who);
      if (!saved) return;
      o.triage_state = saved.state || "new";
      o.initiative = saved.initiative || o.synced_initiative;
      o.triage_note = saved.note;
      o.triaged_by = saved.changed_by;
      o.triaged_at = saved.changed_at;
      initiative.value = o.initiative || "";
      form.closest("tr").querySelector(".initiative").replaceWith(initiativeCell(o));
      who.textContent = "Saved. " + triagedBy(o);
    });
    return form;
  }

  function triagedBy(o) {
    return o.triaged_by ? "by " + o.triaged_by + ", " + stamp(o.triaged_at) : "not triaged yet";
  }

  // Participants of a partner or multichannel campaign; a click on one shows its steps.
  async function participantTable(box, c) {
    const steps = el("div", { class: "steps", "aria-live": "polite" });
    const list = table([
      { label: "Participant", cell: (p) => el("button", { type: "button", class: "link",
        onclick: () => act(() => showSteps(steps, p)) }, p.name || p.external_id) },
      { label: "Status", cell: (p) => status(p.status, p.raw_status) },
      { label: "Assignee", cell: (p) => p.assignee || "—" },
      { label: "Started by", cell: (p) => p.started_by || "—" },
      { label: "Started", cell: (p) => time(p.started_at) },
      { label: "Finished", cell: (p) => time(p.finished_at) },
      { label: "Completion", num: true,
        cell: (p) => (has(p.completion) ? (p.completion * 100).toFixed(0) + " %" : "—") },
    ], [], { label: "Participants", testid: "participants-table" });
    let count = 0;
    const pager = loadMore(
      (cursor) => api("/api/v1/participants" + query({ instance: c.instance, campaign: c.external_id,
        limit: PAGE, cursor })),
      (items) => { count += items.length; list.add(items); });
    await pager.first();
    append(box, count ? list : el("p", { class: "muted" }, "The hub holds no participants for this campaign."),
      pager.button, steps);
  }

  async function showSteps(box, p) {
    const page = await api("/api/v1/steps" + query({ instance: p.instance, participant: p.external_id, limit: 1000 }));
    const items = page.items || [];
    box.replaceChildren();
    append(box, el("h3", {}, "Steps of ", p.name || p.external_id),
      items.length ? table([
        { label: "Step", cell: (s) => s.name || s.external_id },
        { label: "Channel", cell: (s) => s.channel || "—" },
        { label: "Status", cell: (s) => status(s.status, s.raw_status) },
        { label: "Due", cell: (s) => time(s.due_at) },
        { label: "Executed", cell: (s) => time(s.executed_at) },
        { label: "Cancelled", cell: (s) => time(s.cancelled_at) },
      ], items, { label: "Steps", testid: "steps-table" })
        : el("p", { class: "muted" }, "The hub holds no steps for this participant."),
      page.next_cursor ? el("p", { class: "muted" }, "Only the first 1000 steps are shown.") : null);
  }

  // Metrics snapshots (newest first in the table) and a sparkline of the open rate, or of the
  // responses where the provider counts no opens. Columns the provider never fills are left out.
  function metricsTrend(rows) {
    const rate = (part, whole) => (has(part) && whole ? part / whole : null);
    const opens = rows.map((m) => rate(m.unique_opens, delivered(m)));
    const responses = rows.map((m) => (has(m.responses) ? m.responses : null));
    const enough = (values) => values.filter(has).length > 1;
    const drawn = enough(opens) ? ["Open rate", opens, (v) => (v * 100).toFixed(1) + " %"]
      : enough(responses) ? ["Responses", responses, num] : null;
    const columns = [
      { label: "Taken", cell: (m) => time(m.taken_at) },
      ...[["sent", "Sent"], ["delivered", "Delivered"], ["unique_opens", "Unique opens"]].map(([k, label]) =>
        ({ key: k, label, num: true, cell: (m) => num(m[k]) })),
      { key: "unique_opens", label: "Open rate", num: true,
        cell: (m) => (has(m.unique_opens) ? pct(m.unique_opens, delivered(m)) : "—") },
      { key: "clicks", label: "Clicks", num: true, cell: (m) => num(m.clicks) },
      { key: "clicks", label: "Click rate", num: true,
        cell: (m) => (has(m.clicks) ? pct(m.clicks, delivered(m)) : "—") },
      ...[["bounces", "Bounces"], ["unsubscribes", "Unsubscribes"], ["abuse_reports", "Abuse reports"]]
        .map(([k, label]) =>
        ({ key: k, label, num: true, cell: (m) => num(m[k]) })),
      { key: "responses", label: "Responses / expected", num: true,
        cell: (m) => num(m.responses) + (m.expected_responses ? " / " + num(m.expected_responses) : "") },
      { key: "deals_won", label: "Deals won", num: true, cell: (m) => num(m.deals_won) },
      { key: "spend", label: "Spend / budget", num: true,
        cell: (m) => num(m.spend) + (m.budget ? " / " + num(m.budget) : "") },
      { label: "Run", cell: (m) => runLink(m.run_id) },
    ].filter((col) => !col.key || rows.some((m) => has(m[col.key])));
    return el("div", {},
      drawn ? el("p", { class: "spark-line" }, drawn[0] + " over " + rows.length + " snapshots ",
        sparkline(drawn[1], drawn[0], drawn[2])) : null,
      table(columns, [...rows].reverse(), { label: "Metrics snapshots", testid: "metrics-table" }));
  }

  function sparkline(values, label, format) {
    const w = 160, h = 32, pad = 3;
    const points = values.map((v, i) => [i, v]).filter(([, v]) => v !== null);
    const max = Math.max(...points.map(([, v]) => v), 0.0001);
    const x = (i) => pad + (values.length > 1 ? i * (w - 2 * pad) / (values.length - 1) : (w - 2 * pad) / 2);
    const y = (v) => h - pad - v / max * (h - 2 * pad);
    const chart = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, class: "spark", role: "img",
      "aria-label": label + ": " + points.map(([, v]) => format(v)).join(", ") });
    const line = points.map(([i, v]) => x(i).toFixed(1) + "," + y(v).toFixed(1)).join(" ");
    chart.append(svg("polyline", { points: line, fill: "none" }));
    const [li, lv] = points[points.length - 1];
    chart.append(svg("circle", { cx: x(li).toFixed(1), cy: y(lv).toFixed(1), r: 2.5 }));
    return chart;
  }

  // ---- Runs, one run, changes -------------------------------------------------------------

  const RUN_COLUMNS = [
    { label: "Run", cell: (r) => runLink(r.id) },
    { label: "Instance", cell: (r) => r.instance },
    { label: "State", cell: (r) => el("span", { class: "badge r-" + r.state }, r.state) },
    { label: "Started", cell: (r) => time(r.started_at) },
    { label: "Took", num: true, cell: (r) => took(r) },
    { label: "Read", num: true, cell: (r) => num(r.records_read) },
    { label: "Inserted", num: true, cell: (r) => num(r.inserted) },
    { label: "Updated", num: true, cell: (r) => num(r.updated) },
    { label: "Unchanged", num: true, cell: (r) => num(r.unchanged) },
    { label: "Quarantined", num: true,
      cell: (r) => (r.quarantined ? el("strong", { class: "warn" }, num(r.quarantined)) : "0") },
    { label: "HTTP (retries)", num: true, cell: (r) => num(r.http_requests) + " (" + num(r.http_retries) + ")" },
    { label: "Error", cell: (r) => (r.error ? el("span", { class: "error-text long" }, r.error) : "—") },
  ];

  function took(r) {
    if (!r.started_at || !r.finished_at) return "—";
    const s = (Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000;
    if (s < 1) return "< 1 s";
    return s < 120 ? s.toFixed(0) + " s" : (s / 60).toFixed(1) + " min";
  }

  async function viewRuns(view, _match, params) {
    await learnInstances();
    const instance = instanceSelect(params.instance);
    const filters = el("form", { class: "filters" }, field("Instance", instance),
      el("button", { type: "submit" }, "Apply"));
    on(filters, () => {
      go("/runs", { instance: instance.value });
    });
    const box = table(RUN_COLUMNS, [], { label: "Runs", testid: "runs-table",
      rowAttrs: (r) => ({ "data-testid": "run-row", "data-state": r.state }) });
    const pager = loadMore(
      (cursor) => api("/api/v1/runs" + query({ instance: params.instance, limit: PAGE, cursor })), box.add);
    await pager.first();
    append(view, el("h1", {}, "Sync runs"),
      el("p", { class: "muted" }, "Newest first. Open a run to see what it changed."),
      filters, box, pager.button);
  }

  async function viewRun(view, [id]) {
    const detail = await api("/api/v1/runs/" + enc(id));
    const r = detail.run;
    const changes = detail.status_changes || [];
    const quarantined = detail.quarantined || [];
    append(view, el("p", { class: "crumbs" }, el("a", { href: "#/runs" }, "Runs"), " / #" + r.id),
      el("h1", {}, "Run #" + r.id + " of " + r.instance),
      el("dl", { class: "facts wide" },
        fact("State", el("span", { class: "badge r-" + r.state }, r.state)),
        fact("Started", time(r.started_at)), fact("Finished", time(r.finished_at)), fact("Took", took(r)),
        fact("Kind", (r.full_refresh ? "full refresh" : "incremental") + (r.dry_run ? ", dry run" : "")),
        fact("Records read", num(r.records_read)), fact("Inserted", num(r.inserted)), fact("Updated", num(r.updated)),
        fact("Unchanged", num(r.unchanged)), fact("Quarantined", num(r.quarantined)),
        fact("HTTP requests", num(r.http_requests) + " (" + num(r.http_retries) + " retries)")),
      r.error ? el("p", { class: "error-text" }, el("strong", {}, "Error: "), r.error) : null,
      can("manager") ? syncButton(r.instance) : null,
      section("Status changes (" + changes.length + ")", changes.length
        ? table(changeColumns(r.instance), changes, { label: "Status changes", testid: "status-changes" })
        : el("p", { class: "muted" }, "This run changed no status.")),
      section("Quarantined (" + quarantined.length + ")", quarantined.length ? quarantineTable(quarantined)
        : el("p", { class: "muted" }, "This run sent nothing to quarantine.")));
  }

  // Status events; inside one run's view (runInstance given) they carry no instance nor run.
  function changeColumns(runInstance) {
    return [
      { label: "When", cell: (e) => time(e.changed_at) },
      runInstance ? null : { label: "Instance", cell: (e) => e.instance },
      { label: "Record", cell: (e) => (e.entity === "campaign"
        ? el("span", {}, "campaign ", campaignLink(e.instance || runInstance, e.external_id))
        : words(e.entity) + " " + e.external_id) },
      { label: "From", cell: (e) => (e.from_status ? status(e.from_status, e.from_raw_status)
        : el("span", { class: "muted" }, "new")) },
      { label: "To", cell: (e) => status(e.to_status, e.to_raw_status) },
      runInstance ? null : { label: "Run", cell: (e) => runLink(e.run_id) },
    ].filter(Boolean);
  }

  // Starts a sync of one instance (only when the hub runs as `serve`).
  function syncButton(instance) {
    const result = el("span", { class: "muted", "aria-live": "polite" });
    const button = el("button", { type: "button", "data-testid": "sync-now" }, "Sync " + instance + " now");
    button.addEventListener("click", async () => {
      const ok = await act(() => api("/instances/" + enc(instance) + "/sync", "POST", {}).then(() => true, (error) => {
        if (error.status !== 404) throw error;
        throw new Error("This hub cannot start syncs: it runs as `campaign-hub ui`, not `serve` ("
          + error.message + ").");
      }), result);
      if (ok) result.textContent = " Sync started; reload the runs list in a moment.";
    });
    return el("p", {}, button, result);
  }

  async function viewChanges(view, _match, params) {
    await learnInstances();
    const sinceRun = el("input", { type: "number", min: "0", value: params.since_run || "", inputmode: "numeric" });
    const since = el("input", { type: "text", value: params.since || "", placeholder: "2026-03-01T00:00:00Z" });
    const instance = instanceSelect(params.instance);
    const form = el("form", { class: "filters" }, field("Since run", sinceRun), el("span", { class: "or" }, "or"),
      field("Since time (UTC)", since), field("Instance", instance), el("button", { type: "submit" }, "Show changes"));
    on(form, () => {
      const run = sinceRun.value.trim();
      go("/changes", { since_run: run, since: run ? "" : since.value.trim(), instance: instance.value });
    });
    append(view, el("h1", {}, "What changed"), form);
    if (!params.since_run && !params.since) {
      view.append(el("p", { class: "muted" }, "Give a run number (changes written after it) or a time."));
      return;
    }
    const data = await api("/api/v1/changes" + query({ since_run: params.since_run, since: params.since,
      instance: params.instance }));
    const written = data.records_written || {};
    append(view,
      section("Records written", el("dl", { class: "facts wide" },
        Object.keys(written).map((k) => fact(words(k), num(written[k]))))),
      section("Runs (" + (data.runs || []).length + ")", table(RUN_COLUMNS, data.runs || [], { label: "Runs" })),
      section("Status changes (" + (data.status_changes || []).length + ")",
        data.truncated ? el("p", { class: "warn" }, "More changes happened than are listed; narrow the range.") : null,
        table(changeColumns(""), data.status_changes || [], { label: "Status changes", testid: "status-changes" })));
  }

  // ---- Quarantine -------------------------------------------------------------------------

  function quarantineTable(rows) {
    return table([
      { label: "Reason", cell: (q) => el("span", { class: "reason" }, q.reason) },
      { label: "Field", cell: (q) => (q.field ? el("code", {}, q.field) : "—") },
      { label: "Record", cell: (q) => words(q.entity) + " " + (q.external_id || "(no id)") },
      { label: "Instance", cell: (q) => q.instance },
      { label: "Run", cell: (q) => el("span", {}, runLink(q.run_id),
        q.last_run_id && q.last_run_id !== q.run_id ? el("span", {}, " … ", runLink(q.last_run_id)) : null) },
      { label: "Syncs", num: true, cell: (q) => num(q.syncs) },
      { label: "Last seen", cell: (q) => time(q.last_seen) },
      { label: "Replayed", cell: (q) => (q.replayed_run_id ? el("span", {}, "in ", runLink(q.replayed_run_id))
        : "no") },
    ], rows, { label: "Quarantined records", testid: "quarantine-table",
      rowAttrs: (q) => ({ "data-testid": "quarantine-row", "data-id": q.id }) });
  }

  async function viewQuarantine(view, _match, params) {
    await learnInstances();
    const instance = instanceSelect(params.instance);
    const run = el("input", { type: "number", min: "1", value: params.run || "", inputmode: "numeric" });
    const replayed = el("input", { type: "checkbox", checked: params.include_replayed === "true" });
    const form = el("form", { class: "filters" }, field("Instance", instance), field("Run", run),
      el("div", { class: "field check" }, el("label", {}, replayed, " include replayed")),
      el("button", { type: "submit" }, "Apply"));
    on(form, () => {
      go("/quarantine", { instance: instance.value, run: run.value.trim(),
        include_replayed: replayed.checked ? "true" : "" });
    });
    const list = el("div");
    // (Re)loads the list in place, so that a replay's result stays on the page beside it.
    const load = async () => {
      const box = quarantineTable([]);
      const pager = loadMore((cursor) => api("/api/v1/quarantine" + query({ instance: params.instance,
        run: params.run, include_replayed: params.include_replayed, limit: PAGE, cursor })), box.add);
      await pager.first();
      const empty = !box.querySelector("tbody tr");
      list.replaceChildren(empty ? el("p", {}, "Nothing is in quarantine for this choice.") : box, pager.button);
    };
    await load();
    append(view, el("h1", {}, "Quarantine"),
      el("p", { class: "muted" }, "Records the hub could not store, with the reason. "
        + "Fix the provider's data or the instance's status_overrides, then replay them."),
      form, replayControl(params, load), list);
  }

  // Replays quarantined records (of one run, when the view is filtered to one), managers only;
  // then reloads the list.
  function replayControl(params, reload) {
    const result = el("div", { class: "replay-result", "data-testid": "replay-result", "aria-live": "polite" });
    if (!can("manager")) {
      const note = el("p", { class: "muted" }, "Replaying quarantined records needs the manager role.");
      return el("div", {}, note, result);
    }
    const label = params.run ? "Replay run #" + params.run + "'s quarantine" : "Replay all quarantined records";
    const button = el("button", { type: "button", class: "primary", "data-testid": "replay" }, label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      const body = params.run ? { run: Number(params.run) } : {};
      const answer = await act(() => api("/api/v1/quarantine/replay", "POST", body), result);
      button.disabled = false;
      if (!answer) return;
      const results = answer.results || [];
      result.replaceChildren();
      append(result, el("h2", {}, "Replay results"), results.length ? el("ul", {}, results.map((x) =>
        el("li", { "data-testid": "replay-line" }, el("strong", {}, x.instance), " (run ", runLink(x.run_id), "): ",
          num(x.examined) + " examined, " + num(x.stored) + " stored, " + num(x.still_quarantined)
          + " still in quarantine", x.error ? el("span", { class: "error-text" }, ". Error: ", x.error) : null)))
        : el("p", {}, "There was nothing to replay."));
      await act(reload);
    });
    return el("div", { class: "replay" }, button, result);
  }

  // ---- Export -----------------------------------------------------------------------------

  function exportHref(entity, format, params) {
    return "/api/v1/export/" + entity + query({ format, instance: params.instance, raw: params.raw ? "true" : "" });
  }

  function exportLinks(entity, params) {
    return el("span", { class: "exports" }, ["csv", "json"].map((format) => el("a", { class: "button",
      href: exportHref(entity, format, params), download: "", "data-testid": "export-" + entity + "-" + format,
      "aria-label": EXPORTS[entity] + " as " + format.toUpperCase() }, format.toUpperCase())));
  }

  // Download links; the choices change the links in place (no reload).
  async function viewExport(view, _match, params) {
    await learnInstances();
    const instance = instanceSelect(params.instance);
    const raw = el("input", { type: "checkbox" });
    const rows = el("tbody");
    const fill = () => rows.replaceChildren(...Object.keys(EXPORTS).map((entity) => el("tr", {},
      el("th", { scope: "row" }, EXPORTS[entity]),
      el("td", {}, exportLinks(entity, { instance: instance.value,
        raw: raw.checked && entity !== "status-events" })))));
    instance.addEventListener("change", fill);
    raw.addEventListener("change", fill);
    fill();
    append(view, el("h1", {}, "Export"),
      el("p", { class: "muted" }, "Download what the hub holds, as CSV for spreadsheets or as JSON."),
      el("div", { class: "filters" }, field("Instance", instance),
        can("manager") ? el("div", { class: "field check" },
          el("label", {}, raw, " with the provider's raw payloads")) : null),
      el("div", { class: "scroll narrow" }, el("table", { class: "export-table", "data-testid": "exports" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "What"), el("th", { scope: "col" }, "Download"))),
        rows)),
      can("manager") ? null
        : el("p", { class: "muted" }, "Exports with the provider's raw payloads need the manager role."));
  }

  // ---- Start ------------------------------------------------------------------------------

  document.getElementById("logout").addEventListener("click", logout);
  document.querySelector(".skip").addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener("hashchange", route);
  start();
})();
