// JobManagement dashboard: plain JavaScript, no framework, no build step, nothing fetched from elsewhere.
// It reads the job endpoints (JSON, server-sent events) and writes through them with the page's token.
"use strict";

(() => {
  const meta = name => document.querySelector(`meta[name="${name}"]`).content;
  const BASE = meta("jm-base");
  const API = meta("jm-api");
  const TOKEN = meta("jm-csrf");
  const STATUSES = ["created", "running", "compensating", "succeeded", "failed", "aborted"];
  const REFRESH_MS = 2000;
  const app = document.getElementById("app");
  const live = document.getElementById("live");
  let teardown = () => {};

  // ---- DOM helpers (text only: nothing from the server is ever parsed as HTML) ----
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "className") el.className = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  const section = (title, ...body) => h("section", { className: "card" }, h("h2", {}, title), ...body);
  const badge = status => h("span", { className: `badge s-${status}`, "data-status": status }, status);
  const jobLink = id => h("a", { href: `${BASE}/job/${encodeURIComponent(id)}`, "data-nav": true }, id);
  const json = value => h("pre", { className: "json" }, JSON.stringify(value, null, 2));
  const empty = text => h("p", { className: "muted" }, text);

  function time(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return h("time", { datetime: iso, title: iso }, d.toLocaleString(undefined, { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0"));
  }
  function duration(ms) {
    if (ms === null || ms === undefined || isNaN(ms)) return "";
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    const m = Math.floor(ms / 60000), s = Math.round((ms % 60000) / 1000);
    return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
  }
  const between = (from, to) => from && to ? duration(new Date(to) - new Date(from)) : "";
  const ref = r => h("a", { href: `#e-${r.sequence}`, className: "ref", title: r.eventId }, `#${r.sequence}`);

  // ---- HTTP ----
  async function problemText(response) {
    try {
      const p = await response.json();
      return p.detail || p.title || `${response.status}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }
  async function get(path) {
    const response = await fetch(API + path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error(await problemText(response));
    return response.json();
  }
  async function post(path, body) {
    const response = await fetch(API + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-JobManagement-Csrf": TOKEN },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(await problemText(response));
    return response.json();
  }
  const requestId = what => `dashboard-${what}-${crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2)}`;

  // ---- routing: {base}/ is the list, {base}/job/{id} a job ----
  function route() {
    teardown();
    teardown = () => {};
    setLive("");
    const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "/";
    const match = /^\/job\/(.+)$/.exec(path);
    if (match) jobPage(decodeURIComponent(match[1]));
    else listPage(new URLSearchParams(location.search));
  }
  function navigate(url) {
    history.pushState(null, "", url);
    route();
    window.scrollTo(0, 0);
  }
  document.addEventListener("click", e => {
    const a = e.target.closest("a[data-nav]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(a.getAttribute("href"));
  });
  window.addEventListener("popstate", route);
  function setLive(state) {
    live.className = `live ${state}`;
    live.textContent = state === "on" ? "live" : state === "ended" ? "final" : state === "off" ? "reconnecting…" : "";
  }

  // ---- the list: counts by status, filters, jobs newest first ----
  function listPage(query) {
    document.title = "Jobs";
    const filters = {
      type: query.get("type") || "",
      status: query.get("status") || "",
      batch: query.get("batch") || "",
      createdFrom: query.get("createdFrom") || "",
      createdTo: query.get("createdTo") || "",
    };
    const counts = h("div", { className: "counts", "data-testid": "counts" });
    const rows = h("tbody");
    const more = h("button", { type: "button", hidden: true }, "Load more");
    const error = h("p", { className: "error", hidden: true });
    const types = h("datalist", { id: "jm-types" });
    const knownTypes = new Set();
    let cursor = null;
    let pagedBeyondFirst = false;

    const field = (label, input) => h("label", {}, h("span", {}, label), input);
    const input = (name, attrs) => h("input", { name, value: filters[name], ...attrs });
    const form = h("form", { className: "filters", onsubmit: e => { e.preventDefault(); apply(); } },
      field("Type", input("type", { list: "jm-types", placeholder: "any", size: 18 })),
      field("Status", h("select", { name: "status" }, h("option", { value: "" }, "any"),
        STATUSES.map(s => h("option", { value: s, selected: s === filters.status }, s)))),
      field("Batch", input("batch", { placeholder: "any", size: 14 })),
      field("Created from", input("createdFrom", { type: "datetime-local", step: 1 })),
      field("to", input("createdTo", { type: "datetime-local", step: 1 })),
      h("button", { type: "submit" }, "Apply"),
      h("button", { type: "button", className: "link", onclick: () => navigate(`${BASE}/`) }, "Clear"),
      types);
    form.addEventListener("change", e => { if (e.target.tagName === "SELECT" || e.target.type === "datetime-local") apply(); });

    function apply() {
      const data = new FormData(form);
      const q = new URLSearchParams();
      for (const [k, v] of data) if (v) q.set(k, v);
      navigate(`${BASE}/${q.size ? "?" + q : ""}`);
    }
    function apiQuery(extra) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) {
        if (!v) continue;
        q.set(k, k.startsWith("created") ? new Date(v).toISOString() : v);
      }
      for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
      return q;
    }
    function statusLink(status, count) {
      const q = new URLSearchParams(location.search);
      if (status) q.set("status", status); else q.delete("status");
      return h("a", {
        className: `count s-${status || "total"}${filters.status === status ? " selected" : ""}`,
        href: `${BASE}/${q.size ? "?" + q : ""}`, "data-nav": true, "data-testid": `count-${status || "total"}`,
      }, h("strong", {}, count), h("span", {}, status || "all"));
    }
    function row(job) {
      if (!knownTypes.has(job.jobType)) { knownTypes.add(job.jobType); types.append(h("option", { value: job.jobType })); }
      return h("tr", { "data-job": job.jobId },
        h("td", {}, jobLink(job.jobId)),
        h("td", {}, job.jobType),
        h("td", {}, badge(job.status)),
        h("td", { className: "num" }, job.attempts || ""),
        h("td", {}, time(job.createdAt)),
        h("td", {}, time(job.startedAt)),
        h("td", {}, time(job.completedAt)),
        h("td", {}, job.completedAt ? between(job.startedAt || job.createdAt, job.completedAt) : job.waitingSince ? h("span", { className: "muted" }, "waiting since ", time(job.waitingSince)) : job.runAt ? h("span", { className: "muted" }, "runs at ", time(job.runAt)) : ""));
    }
    async function refresh(initial) {
      try {
        const summary = await get(`/summary${filters.type ? "?type=" + encodeURIComponent(filters.type) : ""}`);
        counts.replaceChildren(statusLink("", summary.total), ...STATUSES.map(s => statusLink(s, summary[s])));
        if (initial || !pagedBeyondFirst) {
          const page = await get(`/jobs?${apiQuery({ limit: 50 })}`);
          rows.replaceChildren(...page.jobs.map(row));
          if (!page.jobs.length) rows.append(h("tr", {}, h("td", { colspan: 8, className: "muted" }, "No jobs match.")));
          cursor = page.nextCursor || null;
          more.hidden = !cursor;
        }
        error.hidden = true;
        setLive("on");
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        setLive("off");
      }
    }
    more.addEventListener("click", async () => {
      const page = await get(`/jobs?${apiQuery({ limit: 50, cursor })}`);
      rows.append(...page.jobs.map(row));
      cursor = page.nextCursor || null;
      more.hidden = !cursor;
      pagedBeyondFirst = true;
    });

    app.replaceChildren(
      counts,
      section("Jobs", form, error,
        h("table", { className: "jobs" },
          h("thead", {}, h("tr", {}, ["Job", "Type", "Status", "Attempts", "Created", "Started", "Completed", "Took / waits"].map(t => h("th", {}, t)))),
          rows),
        more),
      deadLetters());
    refresh(true);
    const timer = setInterval(() => { if (!document.hidden) refresh(false); }, REFRESH_MS);
    teardown = () => clearInterval(timer);
  }

  function deadLetters() {
    const body = h("div", {}, empty("Loading…"));
    get("/dead-letters?limit=20").then(list => {
      body.replaceChildren(list.length
        ? h("table", {}, h("thead", {}, h("tr", {}, ["Job", "Type", "Failed at", "Attempts", "Why"].map(t => h("th", {}, t)))),
          h("tbody", {}, list.map(d => h("tr", {},
            h("td", {}, jobLink(d.jobId)), h("td", {}, d.jobType), h("td", {}, time(d.completedAt)),
            h("td", { className: "num" }, d.attempts), h("td", {}, d.failure ? failureLine(d.failure) : "")))))
        : empty("None: no job has run out of retries."));
    }, e => body.replaceChildren(h("p", { className: "error" }, e.message)));
    return section("Dead letters", body);
  }
  const failureLine = f => f.error ? `${f.error.type}: ${f.error.message}` : f.reason;

  // ---- a job: its story, live ----
  function jobPage(id) {
    document.title = `Job ${id}`;
    const path = `/jobs/${encodeURIComponent(id)}`;
    let state = null;
    let entries = [];
    let source = null;
    let closed = false;
    let loadingHistory = null;
    app.replaceChildren(empty("Loading…"));

    async function loadHistory() {
      let from = entries.length ? entries[entries.length - 1].sequence + 1 : 1;
      while (from) {
        const page = await get(`${path}/history?from=${from}&limit=1000`);
        entries = entries.concat(page.entries);
        from = page.nextFrom || null;
      }
    }
    async function update(next) {
      if (closed || (state && next.version < state.version)) return;
      state = next;
      const last = entries.length ? entries[entries.length - 1].sequence : 0;
      if (last < state.version) {
        loadingHistory = loadingHistory || loadHistory().finally(() => { loadingHistory = null; });
        await loadingHistory;
      }
      if (!closed && state === next) render();
    }
    function render() {
      const open = new Set([...app.querySelectorAll("details[open][data-key]")].map(d => d.dataset.key));
      app.replaceChildren(...story(state, entries, { abort, replay }).filter(Boolean));
      for (const d of app.querySelectorAll("details[data-key]")) if (open.has(d.dataset.key)) d.open = true;
    }
    function watch() {
      source = new EventSource(`${API}${path}/events`);
      source.addEventListener("open", () => setLive("on"));
      source.addEventListener("state", e => {
        const next = JSON.parse(e.data);
        if (next.isTerminal) { source.close(); setLive("ended"); } // the server ends the stream; do not reconnect
        update(next);
      });
      source.addEventListener("error", () => { if (source.readyState !== EventSource.CLOSED) setLive("off"); });
    }
    async function abort() {
      const reason = prompt(`Abort job ${id}? It stops at once and never runs again (compensation, if any, still runs).\n\nReason:`);
      if (!reason || !reason.trim()) return;
      try { await update((await post(`${path}/abort`, { reason: reason.trim(), requestId: requestId("abort") })).state); }
      catch (e) { alert(`Abort failed: ${e.message}`); }
    }
    async function replay() {
      if (!confirm(`Replay dead-lettered job ${id} as a new job linked to it?`)) return;
      try { navigate(`${BASE}/job/${encodeURIComponent((await post(`${path}/replay`, { requestId: requestId("replay") })).jobId)}`); }
      catch (e) { alert(`Replay failed: ${e.message}`); }
    }

    get(path).then(s => update(s).then(() => { if (!closed && !s.isTerminal) watch(); else if (s.isTerminal) setLive("ended"); }),
      e => app.replaceChildren(h("p", { className: "error" }, e.message), h("p", {}, h("a", { href: `${BASE}/`, "data-nav": true }, "All jobs"))));
    teardown = () => { closed = true; if (source) source.close(); };
  }

  function story(s, entries, actions) {
    const transitionAt = new Map(s.transitions.map(t => [t.causedBy.sequence, t]));
    const satisfies = new Map();
    for (const e of s.expectations) {
      for (const r of e.satisfiedBy) (satisfies.get(r.sequence) || satisfies.set(r.sequence, []).get(r.sequence)).push(e.name);
      for (const r of e.surplus) (satisfies.get(r.sequence) || satisfies.set(r.sequence, []).get(r.sequence)).push(`${e.name} (surplus)`);
    }
    const moved = s.transitions.length ? s.transitions[s.transitions.length - 1] : null;
    return [
      h("p", { className: "crumbs" }, h("a", { href: `${BASE}/`, "data-nav": true }, "All jobs"), " / ", s.jobType),
      h("section", { className: "card head" },
        h("div", { className: "title" },
          h("h1", {}, s.jobId),
          h("span", { "data-testid": "job-status" }, badge(s.status)),
          s.isDeadLettered ? h("span", { className: "badge s-failed" }, "dead-lettered") : null,
          h("span", { className: "actions" },
            !s.isTerminal ? h("button", { type: "button", className: "danger", onclick: actions.abort, "data-testid": "abort" }, "Abort…") : null,
            s.isDeadLettered ? h("button", { type: "button", onclick: actions.replay, "data-testid": "replay" }, "Replay") : null)),
        moved ? h("p", { className: "why" }, `${s.status} since `, time(moved.at), " — moved by entry ", ref(moved.causedBy), ` ${moved.eventType}`) : null,
        facts(s)),
      s.failure ? failure(s.failure) : null,
      s.abortReason ? section("Aborted", h("p", {}, s.abortReason)) : null,
      progress(s),
      expectations(s),
      section("Transitions", s.transitions.length ? h("ol", { className: "transitions" }, s.transitions.map(t => h("li", {},
        t.from ? badge(t.from) : h("span", { className: "muted" }, "(new)"), " → ", badge(t.to), " by ", ref(t.causedBy), ` ${t.eventType} at `, time(t.at)))) : empty("None yet.")),
      attempts(s),
      s.children.length ? section("Children", h("ul", {}, s.children.map(c => h("li", {}, jobLink(c.childJobId), " ", c.status ? badge(c.status) : h("span", { className: "muted" }, "running"))))) : null,
      s.compensation ? section("Compensation", facts({ compensation: s.compensation.name, cause: s.compensation.cause, outcome: s.compensation.outcome, detail: s.compensation.detail, runs: s.compensation.runs }, true)) : null,
      s.result !== undefined && s.result !== null ? section("Result", json(s.result)) : null,
      timeline(entries, transitionAt, satisfies),
      s.input !== undefined && s.input !== null ? h("details", { className: "card", "data-key": "input" }, h("summary", {}, "Input"), json(s.input)) : null,
    ];
  }

  function facts(s, plain) {
    const rows = plain ? Object.entries(s) : [
      ["type", s.jobType],
      ["created", time(s.createdAt)],
      ["started", time(s.startedAt)],
      ["completed", s.completedAt ? [time(s.completedAt), ` (took ${between(s.startedAt || s.createdAt, s.completedAt)})`] : null],
      ["correlation", Object.keys(s.correlation || {}).length ? Object.entries(s.correlation).map(([k, v]) => h("code", { className: "chip" }, `${k}=${v}`)) : null],
      ["run at", time(s.runAt)],
      ["next attempt", time(s.nextAttemptAt)],
      ["priority", s.priority || null],
      ["batch", s.batchId],
      ["parent", s.parentJobId ? jobLink(s.parentJobId) : null],
      ["replay of", s.replayOf ? jobLink(s.replayOf) : null],
      ["dedupe key", s.dedupeKey],
      ["not matched", s.unmatchedCount || null],
      ["recorded only", s.recordedOnlyCount ? `${s.recordedOnlyCount} (arrived after the end)` : null],
      ["version", s.version],
    ];
    return h("dl", { className: "facts" }, rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  }

  function failure(f) {
    return h("section", { className: "card failure" }, h("h2", {}, "Failure"),
      h("p", {}, f.reason, f.ruleName ? ` (rule ${f.ruleName})` : "", " — entry ", ref(f.causedBy), ` ${f.eventType}`),
      f.error ? error(f.error, "failure") : null);
  }

  function error(e, key) {
    return h("div", { className: "error-box" },
      h("p", {}, h("code", {}, e.type), ": ", e.message),
      e.stackTrace ? h("details", { "data-key": `${key}-stack` }, h("summary", {}, "Stack trace"), h("pre", {}, e.stackTrace)) : null,
      (e.innerCauses || []).map((inner, i) => h("div", { className: "inner" }, h("span", { className: "muted" }, "caused by"), error(inner, `${key}-${i}`))));
  }

  function progress(s) {
    if (!s.progress) return null;
    const p = s.progress;
    const pct = Math.max(0, Math.min(100, p.fraction * 100));
    const fill = h("div", { className: "fill" });
    fill.style.width = `${pct}%`; // through the CSSOM: the content security policy forbids style attributes
    const eta = p.estimatedCompletionAt && !s.isTerminal
      ? [" · ETA ", time(p.estimatedCompletionAt), ` (${duration(new Date(p.estimatedCompletionAt) - Date.now())} from now)`] : [];
    return section("Progress",
      h("div", { className: "bar", role: "progressbar", "aria-valuenow": pct.toFixed(0), "aria-valuemin": 0, "aria-valuemax": 100 }, fill),
      h("p", {}, `${pct.toFixed(0)}%`, p.message ? ` — ${p.message}` : "", " · reported ", time(p.at), ...eta));
  }

  function expectations(s) {
    if (!s.expectations.length) return section("Expectations", empty("None: the handler's success is the job's success."));
    return section("Expectations",
      h("p", { className: "muted" }, `${s.expectations.filter(e => e.isSatisfied).length} of ${s.expectations.length} satisfied`),
      h("table", {}, h("thead", {}, h("tr", {}, ["", "Expectation", "Event type", "Needs", "Count", "Satisfied by", "Surplus"].map(t => h("th", {}, t)))),
        h("tbody", {}, s.expectations.map(e => h("tr", { className: e.isSatisfied ? "ok" : "waiting", "data-expectation": e.name },
          h("td", {}, e.isSatisfied ? h("span", { className: "tick", title: "satisfied" }, "✓") : h("span", { className: "wait", title: "waiting" }, "…")),
          h("td", {}, e.name),
          h("td", {}, h("code", {}, e.eventType)),
          h("td", {}, e.multiplicity.kind === "times" ? `${e.multiplicity.required} times` : e.multiplicity.kind === "atLeastOnce" ? "at least once" : "once"),
          h("td", { className: "num" }, `${e.count}/${e.required}`),
          h("td", {}, e.satisfiedBy.map(r => [ref(r), " "])),
          h("td", {}, e.surplusCount ? [`${e.surplusCount}: `, e.surplus.map(r => [ref(r), " "])] : ""))))));
  }

  function attempts(s) {
    if (!s.attempts.length) return null;
    return section("Attempts",
      h("table", {}, h("thead", {}, h("tr", {}, ["#", "Worker", "Started", "Ended", "Took", "Outcome"].map(t => h("th", {}, t)))),
        h("tbody", {}, s.attempts.map(a => [
          h("tr", { "data-attempt": a.number },
            h("td", { className: "num" }, a.number),
            h("td", {}, a.worker || ""),
            h("td", {}, time(a.startedAt)),
            h("td", {}, time(a.endedAt)),
            h("td", {}, a.endedAt ? between(a.startedAt, a.endedAt) : h("span", { className: "muted" }, "running")),
            h("td", {}, badge(a.outcome === "running" ? "running" : a.outcome === "succeeded" ? "succeeded" : a.outcome === "failed" ? "failed" : "aborted"), a.outcome === "interrupted" ? " interrupted" : "")),
          a.failure ? h("tr", { className: "attempt-error" }, h("td", {}), h("td", { colspan: 5 }, error(a.failure, `attempt-${a.number}`))) : null,
        ]))));
  }

  function timeline(entries, transitionAt, satisfies) {
    return section("Timeline",
      h("p", { className: "muted" }, `${entries.length} journal entries, in sequence order. Marked rows moved the state.`),
      h("table", { className: "timeline" },
        h("thead", {}, h("tr", {}, ["#", "Recorded", "Occurred", "Lane", "Type", "Event id", "Effect"].map(t => h("th", {}, t)))),
        h("tbody", {}, entries.map(e => {
          const t = transitionAt.get(e.sequence);
          const sat = satisfies.get(e.sequence) || [];
          const attrs = Object.entries(e.attributes || {});
          return h("tr", { id: `e-${e.sequence}`, className: t ? "moved" : "", "data-sequence": e.sequence },
            h("td", { className: "num" }, e.sequence),
            h("td", {}, time(e.recordedAt)),
            h("td", {}, new Date(e.occurredAt).getTime() !== new Date(e.recordedAt).getTime() ? time(e.occurredAt) : ""),
            h("td", {}, h("span", { className: `lane l-${e.lane}` }, e.lane)),
            h("td", {}, h("code", {}, e.eventType), e.taskId ? h("span", { className: "muted" }, ` task ${e.taskId}`) : null,
              attrs.length ? h("div", {}, attrs.map(([k, v]) => h("code", { className: "chip" }, `${k}=${v}`))) : null,
              e.payload !== undefined && e.payload !== null ? h("details", { "data-key": `payload-${e.sequence}` }, h("summary", {}, "payload"), json(e.payload)) : null),
            h("td", {}, h("code", { className: "id" }, e.eventId)),
            h("td", {}, t ? h("span", { className: "mark", title: "this entry moved the state" }, "→ ", badge(t.to)) : null,
              sat.map(n => h("span", { className: "sat" }, `satisfies ${n}`))));
        }))));
  }

  route();
})();
