"use strict";
const token = document.querySelector('meta[name="omsync-token"]').content;
const $ = (id) => document.getElementById(id);
const S = { rules: "", names: [], texts: {}, saved: {}, current: null, samples: [], orders: [], summary: null,
            selected: { batch: 0, index: null }, state: null, diagnostics: [], seq: 0, shown: 0, ledger: false,
            lastFields: null, lastKey: "", tabEscape: false, timer: null };
// Written by the server from the Swift enums (Action, PreviewEngine.StateChoice; ServePage.swift), so they cannot drift.
const ACTIONS = /*{{ACTIONS}}*/[];
const STATE_LABELS = /*{{STATE_LABELS}}*/{};
const STATE_TITLES = /*{{STATE_TITLES}}*/{};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(method, path, body) {
  const headers = { "X-OMSync-Token": token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) { const error = new Error(data.error || response.statusText); error.status = response.status; error.data = data; throw error; }
  return data;
}

function setStatus(text, kind) { const s = $("status"); s.textContent = text; s.className = "pill " + (kind || ""); }

// ---- files and editor ----
function fileOf(path) { const prefix = S.rules + "/"; return path && path.startsWith(prefix) ? path.slice(prefix.length) : path; }
function dirty(name) { return S.texts[name] !== S.saved[name]; }

function renderTabs() {
  const nav = $("files"); nav.replaceChildren();
  for (const name of S.names) {
    const errors = S.diagnostics.filter((d) => d.file === name && d.severity === "error").length;
    nav.append(el("button", { role: "tab", "aria-selected": name === S.current ? "true" : "false", onclick: () => openFile(name) },
      name, dirty(name) ? el("span", { class: "dirty", title: "unsaved" }, " ●") : null,
      errors ? el("span", { class: "sev-error" }, " " + errors) : null));
  }
  $("save").disabled = !S.current || !dirty(S.current);
}

function openFile(name, line, column, selectLine) {
  S.current = name;
  const text = $("text");
  text.value = S.texts[name];
  renderTabs(); renderEditor();
  text.focus({ preventScroll: true });
  if (line) moveCaret(line, column || 1, selectLine); else { text.setSelectionRange(0, 0); text.scrollTop = 0; syncScroll(); caretInfo(); }
}

function moveCaret(line, column, selectLine) {
  const text = $("text"); const lines = text.value.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
  offset += Math.max(0, Math.min(column - 1, (lines[line - 1] || "").length));
  const end = selectLine ? offset + (lines[line - 1] || "").length - Math.max(0, column - 1) : offset;
  text.setSelectionRange(offset, end);
  const lineHeight = 20;
  text.scrollTop = Math.max(0, (line - 5) * lineHeight);
  syncScroll(); caretInfo();
}

function fileDiagnostics() { return S.diagnostics.filter((d) => d.file === S.current && d.line); }

function renderEditor() {
  const text = $("text").value; const lines = text.split("\n");
  const marks = new Map();
  for (const d of fileDiagnostics()) { if (!marks.has(d.line)) marks.set(d.line, []); marks.get(d.line).push(d); }
  const gutter = $("gutter"); gutter.replaceChildren();
  const backdrop = $("backdrop"); backdrop.replaceChildren();
  lines.forEach((line, i) => {
    const found = marks.get(i + 1) || [];
    const worst = found.some((d) => d.severity === "error") ? "e" : found.length ? "w" : "";
    gutter.append(el("div", { class: worst, title: found.map((d) => `${d.severity}[${d.code}] ${d.message}`).join("\n") || undefined },
      (worst ? "● " : "") + (i + 1)));
    const row = el("span", { class: worst ? "line-" + worst : undefined });
    if (found.length) {
      const column = Math.max(1, Math.min(found[0].column || 1, line.length + 1));
      const rest = line.slice(column - 1); const word = (rest.match(/^\S+/) || [rest.slice(0, 1) || " "])[0];
      row.append(line.slice(0, column - 1), el("mark", { class: worst === "w" ? "w" : undefined }, word), rest.slice(word.length));
    } else row.append(line);
    backdrop.append(row, "\n");
  });
  backdrop.append(" ");
  syncScroll(); caretInfo();
}

function syncScroll() { const t = $("text"); $("backdrop").scrollTop = t.scrollTop; $("backdrop").scrollLeft = t.scrollLeft; $("gutter").scrollTop = t.scrollTop; }

function caretLine() { const t = $("text"); const before = t.value.slice(0, t.selectionStart); const line = before.split("\n").length; return [line, before.length - before.lastIndexOf("\n")]; }

function caretInfo() {
  const [line, column] = caretLine(); const info = $("caretinfo"); info.replaceChildren();
  const here = fileDiagnostics().filter((d) => d.line === line);
  if (!here.length) { info.append(el("span", { class: "muted" }, `${S.current || ""} line ${line}, column ${column}`)); return; }
  for (const d of here) info.append(el("div", { class: d.severity }, `${d.line}:${d.column} ${d.severity}[${d.code}] ${d.message}`, d.hint ? el("span", { class: "hint" }, "hint: " + d.hint) : null));
}

function renderDiagnostics() {
  const list = $("diagnostics"); list.replaceChildren();
  const errors = S.diagnostics.filter((d) => d.severity === "error").length, warnings = S.diagnostics.length - errors;
  $("diagcount").textContent = S.diagnostics.length ? `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` : "none";
  for (const d of S.diagnostics) {
    const where = d.file ? `${d.file}:${d.line || "?"}:${d.column || "?"}` : "(rules)";
    const go = () => { if (d.file && S.names.includes(d.file)) openFile(d.file, d.line, d.column); };
    list.append(el("li", { tabindex: 0, onclick: go, onkeydown: (e) => { if (e.key === "Enter") go(); } },
      el("code", {}, where), " ", el("span", { class: "sev-" + d.severity }, `${d.severity}[${d.code}]`), " ", d.message,
      d.hint ? el("span", { class: "hint" }, "hint: " + d.hint) : null));
  }
}

function nextDiagnostic() {
  const [line] = caretLine();
  const all = S.diagnostics.filter((d) => d.file && d.line && S.names.includes(d.file));
  if (!all.length) return;
  const order = (d) => S.names.indexOf(d.file) * 1e6 + d.line;
  const now = S.names.indexOf(S.current) * 1e6 + line;
  const next = all.slice().sort((a, b) => order(a) - order(b)).find((d) => order(d) > now) || all[0];
  openFile(next.file, next.line, next.column);
}

function edited() {
  S.texts[S.current] = $("text").value;
  renderTabs(); renderEditor();
  setStatus("checking…", "busy");
  clearTimeout(S.timer); S.timer = setTimeout(refresh, 250);
}

// ---- check and preview ----
async function refresh() {
  const seq = ++S.seq;
  const body = { files: S.texts, state: S.state };
  if (S.selected.index !== null) { body.batch = S.selected.batch; body.index = S.selected.index; }
  let result;
  try { result = await api("POST", "/api/preview", body); } catch (error) { if (seq === S.seq) setStatus(error.message, "bad"); return; }
  if (seq < S.shown) return;
  S.shown = seq;
  S.diagnostics = result.diagnostics;
  renderTabs(); renderEditor(); renderDiagnostics();
  if (!result.ok) {
    setStatus(`${result.errors} error${result.errors === 1 ? "" : "s"} in the rules: preview paused`, "bad");
    document.querySelector(".preview-pane").classList.add("stale");
    return;
  }
  document.querySelector(".preview-pane").classList.remove("stale");
  const warnings = result.warnings ? `, ${result.warnings} warning${result.warnings === 1 ? "" : "s"}` : "";
  setStatus(`✓ rules check clean${warnings} · ${result.summary.orders} orders in ${result.timing.checkMs + result.timing.planMs} ms`, "ok");
  S.orders = result.orders; S.summary = result.summary;
  if (S.selected.index === null && S.orders.length) { S.selected = { batch: S.orders[0].batch, index: S.orders[0].index }; return refresh(); }
  renderPicker(); renderList(); renderOrder(result.selected);
}

function renderPicker() {
  const select = $("sample"); select.replaceChildren();
  S.samples.forEach((sample, b) => {
    const group = el("optgroup", { label: sample.name + (sample.dropped ? ` (first ${sample.orders})` : "") });
    for (const o of S.orders.filter((o) => o.batch === b)) {
      group.append(el("option", { value: `${b}:${o.index}`, selected: b === S.selected.batch && o.index === S.selected.index },
        `${o.number || "(no number)"} · ${o.action}`));
    }
    select.append(group);
  });
}

function select(batch, index, view) {
  S.selected = { batch, index }; S.lastFields = null;
  if (view) showView(view);
  refresh();
}

function step(delta) {
  const at = S.orders.findIndex((o) => o.batch === S.selected.batch && o.index === S.selected.index);
  const next = S.orders[Math.max(0, Math.min(S.orders.length - 1, at + delta))];
  if (next) select(next.batch, next.index);
}

function explainFor(plan, path) {
  const explain = plan.explain || {};
  return explain[path] || explain[path.replace(/^SalesOrderLines\[\d+\]/, "SalesOrderLines[]")] || null;
}

function showWhy(plan, path, row) {
  document.querySelectorAll(".fields tr.on, .lines tr.on").forEach((r) => r.classList.remove("on"));
  if (row) row.classList.add("on");
  const why = $("why"); why.replaceChildren(el("h4", {}, path));
  const entry = explainFor(plan, path);
  if (!entry) { why.append(el("p", { class: "muted" }, "No rule sets this field.")); return; }
  if (entry.rule) {
    const match = entry.rule.match(/^(.*):(\d+):(\d+)$/);
    const file = match ? fileOf(match[1]) : entry.rule;
    why.append(el("p", {}, "From ", el("a", { tabindex: 0, onclick: () => match && openFile(file, +match[2], +match[3], true),
      onkeydown: (e) => { if (e.key === "Enter" && match) openFile(file, +match[2], +match[3], true); } }, `${file}:${match ? match[2] : ""}`)));
  } else why.append(el("p", { class: "muted" }, "Computed by omsync"));
  why.append(el("p", {}, el("code", {}, entry.expression)));
  if (entry.sources && entry.sources.length) why.append(el("ul", {}, entry.sources.map((s) => el("li", {}, s))));
}

// The diff against the payload last pushed (kept in the ledger): one row per field whose
// value differs, with the pushed and the current value side by side.
function renderDiff(l) {
  const box = $("diff");
  if (!l || (!l.diff && !l.diffNote)) { box.hidden = true; box.replaceChildren(); return; }
  box.hidden = false;
  if (!l.diff) { box.replaceChildren(el("h3", {}, "Diff"), el("p", { class: "muted" }, l.diffNote.charAt(0).toUpperCase() + l.diffNote.slice(1) + ".")); return; }
  const d = l.diff;
  const when = d.recordedAt.replace("T", " ").replace("Z", " UTC");
  const head = el("h3", {}, "Diff ", el("span", { class: "muted" }, `against the payload pushed ${when}`));
  if (!d.changes.length) { box.replaceChildren(head, el("p", { class: "same", id: "diff-summary" }, `No field changed (${d.same} the same).`)); return; }
  const cell = (v) => v === null ? el("td", { class: "absent" }, "(none)") : el("td", {}, v);
  box.replaceChildren(head,
    el("p", { id: "diff-summary" }, `${d.changes.length} field${d.changes.length === 1 ? "" : "s"} changed, ${d.same} the same.`),
    el("table", { class: "diff", id: "diff-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, "Pushed"), el("th", {}, "Now"))),
      el("tbody", {}, d.changes.map((c) => el("tr", { "data-path": c.path, class: c.pushed === null ? "added" : c.now === null ? "removed" : undefined },
        el("td", {}, el("code", {}, c.path)), cell(c.pushed), cell(c.now))))));
}

function renderOrder(selected) {
  if (!selected) return;
  const plan = selected.plan;
  const key = `${selected.batch}:${selected.index}`;
  const previous = S.lastKey === key ? S.lastFields : null;
  S.lastKey = key; S.lastFields = new Map(selected.fields);
  $("order-head").replaceChildren(...[el("h2", {}, plan.source.number || "(no number)"),
    el("span", { class: "action a-" + plan.action, id: "action" }, plan.action),
    el("span", { class: "muted" }, `index ${selected.index} · id ${plan.source.id || "none"} · ${S.samples[selected.batch] ? S.samples[selected.batch].name.split("/").pop() : ""}`),
    plan.message && plan.action !== "invalid" ? el("p", { class: "message" }, plan.message) : null].filter(Boolean));
  $("problems").replaceChildren(...plan.problems.map((p) => el("li", { class: p.severity }, `${p.severity}[${p.code}] ${p.message}`,
    p.field ? el("span", { class: "muted" }, ` · ${p.field}`) : null)));
  const ledger = $("ledger");
  if (selected.ledger) {
    const l = selected.ledger;
    ledger.hidden = false;
    ledger.replaceChildren(el("strong", {}, "Ledger: "), `${l.state}${l.unleashedOrderNumber ? " as " + l.unleashedOrderNumber : ""}`,
      l.lastAction ? `, last ${l.lastAction}` : "", l.lastError ? el("span", { class: "sev-error" }, ` (${l.lastError})`) : "", ". ",
      l.payloadChanged === null ? "Nothing of it is live in Unleashed." : l.payloadChanged
        ? el("span", { class: "changed" }, "The payload now differs from the one last pushed.")
        : el("span", { class: "same" }, "The payload is the one last pushed."));
    renderDiff(l);
  } else { ledger.hidden = true; renderDiff(null); }
  const body = $("fields").tBodies[0]; body.replaceChildren();
  const lines = new Map();
  for (const [path, value] of selected.fields) {
    const m = path.match(/^SalesOrderLines\[(\d+)\]\.(.*)$/);
    if (m) { if (!lines.has(m[1])) lines.set(m[1], {}); lines.get(m[1])[m[2]] = value; continue; }
    const changed = previous && previous.get(path) !== value;
    const row = el("tr", { tabindex: 0, class: changed ? "changed" : undefined, "data-path": path, title: whyTitle(plan, path) },
      el("td", {}, el("code", {}, path)), el("td", { "data-value": path }, value));
    row.addEventListener("mouseenter", () => showWhy(plan, path, row));
    row.addEventListener("focus", () => showWhy(plan, path, row));
    row.addEventListener("click", () => showWhy(plan, path, row));
    body.append(row);
  }
  const lineBody = $("lines").tBodies[0]; lineBody.replaceChildren();
  for (const [i, line] of lines) {
    const cells = ["LineNumber", "Product.ProductCode", "OrderQuantity", "UnitPrice", "LineTotal", "LineTax", "LineTaxCode"];
    const row = el("tr", {}, cells.map((c) => {
      const path = `SalesOrderLines[${i}].${c}`;
      const changed = previous && previous.get(path) !== line[c];
      const cell = el("td", { tabindex: 0, title: whyTitle(plan, path), class: changed ? "changed" : undefined }, line[c] ?? "");
      cell.addEventListener("mouseenter", () => showWhy(plan, path, row));
      cell.addEventListener("focus", () => showWhy(plan, path, row));
      cell.addEventListener("click", () => showWhy(plan, path, row));
      return cell;
    }));
    lineBody.append(row);
  }
  const extra = $("extra"); extra.replaceChildren();
  if (plan.customer) extra.append(el("p", {}, el("strong", {}, "Customer created when missing: "), el("code", {}, JSON.stringify(plan.customer))));
  if (plan.freightProduct) extra.append(el("p", {}, el("strong", {}, "Freight product created when missing: "), el("code", {}, JSON.stringify(plan.freightProduct))));
  if (plan.supersede) extra.append(el("p", {}, el("strong", {}, "Supersede the original: "), el("code", {}, JSON.stringify(plan.supersede.set || {})), plan.supersede.rule ? ` (${fileOf(plan.supersede.rule)})` : ""));
}

function whyTitle(plan, path) {
  const e = explainFor(plan, path);
  return e ? `${e.rule ? fileOf(e.rule) + ": " : ""}${e.expression}${e.sources ? "\n" + e.sources.join("\n") : ""}` : undefined;
}

function renderList() {
  $("listcount").textContent = S.summary ? `(${S.summary.orders})` : "";
  $("counts").replaceChildren(...ACTIONS.map((a) => el("span", { class: `action a-${a}${S.summary.actions[a] ? "" : " zero"}`, "data-action": a },
    `${S.summary.actions[a]} ${a}`)));
  const invalid = S.orders.filter((o) => o.action === "invalid");
  $("invalid").replaceChildren(...(invalid.length ? invalid.map((o) => el("li", {},
    el("a", { tabindex: 0, onclick: () => select(o.batch, o.index, "order"), onkeydown: (e) => { if (e.key === "Enter") select(o.batch, o.index, "order"); } },
      `${o.number || "(no number)"} (index ${o.index})`), el("ul", {}, o.reasons.map((r) => el("li", {}, r)))))
    : [el("li", { class: "muted" }, "none")]));
  const body = $("orders").tBodies[0]; body.replaceChildren();
  for (const o of S.orders) {
    const on = o.batch === S.selected.batch && o.index === S.selected.index;
    body.append(el("tr", { tabindex: 0, class: on ? "on" : undefined, onclick: () => select(o.batch, o.index, "order"),
      onkeydown: (e) => { if (e.key === "Enter") select(o.batch, o.index, "order"); } },
      el("td", {}, o.number || "(no number)"), el("td", {}, el("span", { class: "action a-" + o.action }, o.action)),
      el("td", {}, o.reasons.length ? o.reasons.join("; ") : o.message || "")));
  }
}

// ---- save ----
async function save() {
  const name = S.current; if (!name || !dirty(name)) return;
  const text = S.texts[name];
  setStatus("saving…", "busy");
  try {
    const result = await api("POST", "/api/save", { name, text });
    S.saved[name] = text; renderTabs();
    setStatus(`saved ${result.saved}`, "ok");
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

// ---- views ----
function showView(view) {
  document.querySelectorAll(".preview-pane .tabs button").forEach((b) => b.setAttribute("aria-selected", b.dataset.view === view ? "true" : "false"));
  for (const v of ["order", "list", "log", "customers"]) $("view-" + v).hidden = v !== view;
  if (view === "log") loadLog();
  if (view === "customers") loadCustomers();
}

async function loadLog() {
  const form = new FormData($("logform"));
  const query = new URLSearchParams();
  if (form.get("order")) query.set("order", form.get("order"));
  if (form.get("since")) query.set("since", form.get("since"));
  if (form.get("errors")) query.set("errors", "true");
  const body = $("log").tBodies[0];
  try {
    const result = await api("GET", "/api/log?" + query);
    body.replaceChildren(...result.rows.map((r) => el("tr", {}, el("td", {}, r.time), el("td", {}, r.orderNumber || r.orderId || "–"),
      el("td", {}, r.action), el("td", { class: r.outcome === "ok" ? undefined : "sev-error" }, r.outcome), el("td", {}, r.httpStatus ?? "–"), el("td", {}, r.message || ""))));
    if (!result.rows.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "no log rows match")));
  } catch (error) { body.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "sev-error" }, error.message))); }
}

async function loadCustomers(result) {
  const body = $("customers").tBodies[0];
  try {
    result = result || await api("GET", "/api/customers");
    body.replaceChildren(...result.customers.map((c) => {
      const input = el("input", { value: c.customerCode, "aria-label": `Unleashed code of ${c.customerID}`, maxlength: 50 });
      const correct = async () => {
        try { loadCustomers(await api("POST", "/api/customers", { customerID: c.customerID, customerCode: input.value })); setStatus(`customer ${c.customerID} → ${input.value}`, "ok"); }
        catch (error) { setStatus(error.message, "bad"); }
      };
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") correct(); });
      return el("tr", {}, el("td", {}, el("code", {}, c.customerID)), el("td", {}, c.customerName || ""), el("td", {}, input),
        el("td", {}, c.origin), el("td", {}, el("button", { type: "button", onclick: correct }, "Correct")));
    }));
    if (!result.customers.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "no customer mapped yet")));
  } catch (error) { body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "sev-error" }, error.message))); }
}

// ---- start ----
function applyState(state) {
  S.rules = state.rules; $("folder").textContent = state.rules.split("/").filter(Boolean).pop() + "/"; $("folder").title = state.rules;
  S.samples = state.samples; S.ledger = state.ledger;
  const states = $("states"); states.querySelectorAll("label").forEach((l) => l.remove());
  if (!state.states.includes(S.state)) S.state = state.ledger ? "ledger" : "new";   // with a ledger, its facts by default
  for (const name of state.states) {
    const input = el("input", { type: "radio", name: "state", value: name, checked: name === S.state });
    input.addEventListener("change", () => { S.state = name; S.lastFields = null; refresh(); });
    states.append(el("label", { title: STATE_TITLES[name] }, input, el("span", {}, STATE_LABELS[name] || name)));
  }
  for (const view of ["log", "customers"]) document.querySelector(`[data-view="${view}"]`).hidden = !state.ledger;
}

async function start() {
  let state;
  try { state = await api("GET", "/api/state"); } catch (error) { setStatus(error.message, "bad"); return; }
  for (const f of state.files) { S.texts[f.name] = f.text; S.saved[f.name] = f.text; }
  S.names = state.files.map((f) => f.name);
  applyState(state);
  const text = $("text");
  text.addEventListener("input", edited);
  text.addEventListener("scroll", syncScroll);
  for (const e of ["keyup", "click", "select"]) text.addEventListener(e, caretInfo);
  text.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { S.tabEscape = true; return; }
    if (e.key === "Tab" && !S.tabEscape && !e.shiftKey) {
      e.preventDefault(); const s = text.selectionStart;
      text.setRangeText("  ", s, text.selectionEnd, "end"); edited();
    }
    if (e.key !== "Tab") S.tabEscape = false;
  });
  $("save").addEventListener("click", save);
  $("sample").addEventListener("change", (e) => { const [b, i] = e.target.value.split(":").map(Number); select(b, i); });
  document.querySelectorAll(".preview-pane .tabs button").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
  $("logform").addEventListener("submit", (e) => { e.preventDefault(); loadLog(); });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
    else if (e.altKey && e.key === "ArrowDown") { e.preventDefault(); step(1); }
    else if (e.altKey && e.key === "ArrowUp") { e.preventDefault(); step(-1); }
    else if (e.key === "F8") { e.preventDefault(); nextDiagnostic(); }
  });
  let depth = 0;
  document.addEventListener("dragenter", (e) => { e.preventDefault(); depth++; $("drop").hidden = false; });
  document.addEventListener("dragleave", () => { if (--depth <= 0) { depth = 0; $("drop").hidden = true; } });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => {
    e.preventDefault(); depth = 0; $("drop").hidden = true;
    const file = e.dataTransfer.files[0]; if (!file) return;
    if (file.size > state.maxBodyBytes) { setStatus(`${file.name} is larger than the ${state.maxBodyBytes >> 20} MiB the page takes`, "bad"); return; }
    try { applyState(await api("POST", "/api/samples", { name: file.name, text: await file.text() })); S.selected = { batch: 0, index: null }; refresh(); }
    catch (error) { setStatus(error.message, "bad"); }
  });
  openFile(S.names[0]);
  refresh();
}

start();
