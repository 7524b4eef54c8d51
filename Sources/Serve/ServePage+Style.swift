extension ServePage {
    /// The page's style: two panes that fit 1280×800, system fonts, clear contrast.
    static let style = #"""
    :root { --ink: #1b2330; --muted: #5d6778; --line: #d8dde6; --bg: #f4f6f9; --panel: #fff; --accent: #2457c5;
            --error: #b42318; --warning: #a15c00; --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
           color: var(--ink); background: var(--bg); }
    .muted { color: var(--muted); }
    button, select, input { font: inherit; }
    button { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: .3rem .8rem; cursor: pointer; }
    button:focus-visible, select:focus-visible, input:focus-visible, textarea:focus-visible, [tabindex]:focus-visible { outline: 3px solid #8fb0f5; outline-offset: 1px; }
    #save { background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
    #save:disabled { background: #c9d2e3; border-color: #c9d2e3; cursor: default; }
    .bar { display: flex; align-items: center; gap: .6rem; padding: .5rem 1rem; background: var(--panel); border-bottom: 1px solid var(--line); }
    .bar > * { white-space: nowrap; }
    .bar h1 { font-size: 1.05rem; margin: 0; } .bar h1 span { font-weight: 400; color: var(--muted); }
    .grow { flex: 1; }
    .pill { border-radius: 999px; padding: .1rem .7rem; font-size: .85rem; background: #e8ecf3; }
    .pill.ok { background: #dcf3e3; color: #14532d; } .pill.bad { background: #fde2df; color: var(--error); } .pill.busy { background: #fff3cd; }
    .picker select { max-width: 13rem; }
    .states { display: flex; gap: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0; margin: 0; overflow: hidden; }
    .states legend { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .states label { padding: .25rem .6rem; cursor: pointer; border-right: 1px solid var(--line); font-size: .9rem; }
    .states label:last-child { border-right: 0; }
    .states input { position: absolute; opacity: 0; }
    .states input:checked + span { font-weight: 600; color: var(--accent); }
    .states label:has(input:checked) { background: #e6edfb; }
    .states label:has(input:focus-visible) { outline: 3px solid #8fb0f5; outline-offset: -3px; }
    .panes { flex: 1; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0; min-height: 0; }
    .pane { display: flex; flex-direction: column; min-height: 0; background: var(--panel); }
    .editor-pane { border-right: 1px solid var(--line); }
    .tabs { display: flex; gap: .25rem; padding: .4rem .6rem 0; border-bottom: 1px solid var(--line); background: #f9fafc; }
    .tabs button { border-radius: 6px 6px 0 0; border-bottom: 0; background: transparent; }
    .tabs button[aria-selected="true"] { background: var(--panel); border-color: var(--line); font-weight: 600; margin-bottom: -1px; }
    .tabs button .dirty { color: var(--warning); }
    .editor { flex: 1; display: flex; min-height: 0; overflow: hidden; font: 13px/20px var(--mono); position: relative; }
    .gutter { width: 3.6rem; flex: none; text-align: right; padding: 8px 8px 8px 0; color: #8a93a3; background: #f7f8fa;
              border-right: 1px solid var(--line); overflow: hidden; white-space: pre; user-select: none; }
    .gutter .e { color: var(--error); font-weight: 700; } .gutter .w { color: var(--warning); font-weight: 700; }
    .code { position: relative; flex: 1; min-width: 0; }
    .backdrop, textarea { position: absolute; inset: 0; margin: 0; padding: 8px 12px; border: 0; font: inherit; white-space: pre;
                          tab-size: 2; overflow: auto; letter-spacing: normal; }
    .backdrop { color: transparent; pointer-events: none; overflow: hidden; }
    .backdrop .line-e { background: #fdecea; } .backdrop .line-w { background: #fff6e0; }
    .backdrop mark { color: transparent; background: none; border-bottom: 2px wavy var(--error); }
    .backdrop mark.w { border-bottom-color: var(--warning); }
    textarea { background: transparent; color: var(--ink); resize: none; outline: none; caret-color: var(--ink); }
    .caretinfo { min-height: 1.6rem; padding: .2rem .8rem; font-size: .85rem; border-top: 1px solid var(--line); background: #fbfbfd; }
    .caretinfo .error { color: var(--error); } .caretinfo .warning { color: var(--warning); }
    .diagnostics { max-height: 30%; overflow: auto; border-top: 1px solid var(--line); padding: .3rem .8rem; }
    .diagnostics h2 { font-size: .9rem; margin: .2rem 0; }
    .diagnostics ol { list-style: none; padding: 0; margin: 0; }
    .diagnostics li { padding: .25rem .4rem; border-radius: 4px; cursor: pointer; }
    .diagnostics li:hover, .diagnostics li:focus { background: #eef2fb; }
    .diagnostics code { font: 12px var(--mono); }
    .sev-error { color: var(--error); font-weight: 600; } .sev-warning { color: var(--warning); font-weight: 600; }
    .hint { color: var(--muted); display: block; padding-left: 1rem; }
    .view { flex: 1; overflow: auto; padding: .75rem 1rem; }
    .order-head { display: flex; align-items: baseline; gap: .6rem; flex-wrap: wrap; }
    .order-head h2 { margin: 0; font-size: 1.15rem; }
    .action { border-radius: 4px; padding: .05rem .5rem; color: #fff; font-weight: 600; font-size: .85rem; }
    .a-create { background: #1f7a3a; } .a-replace { background: #9a6400; } .a-supersede { background: #0b6e7f; }
    .a-skip { background: #6b7280; } .a-block { background: #8a2f8f; } .a-invalid { background: var(--error); }
    .problems { padding-left: 1.2rem; margin: .4rem 0; } .problems .error { color: var(--error); } .problems .warning { color: var(--warning); }
    .ledger { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .7rem; margin: .4rem 0; background: #f8fafc; }
    .ledger .changed { color: var(--warning); font-weight: 600; } .ledger .same { color: #14532d; font-weight: 600; }
    .split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: .75rem; align-items: start; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: .2rem .45rem; border-bottom: 1px solid var(--line); }
    th { font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
    td code, .why code { font: 12.5px var(--mono); overflow-wrap: anywhere; }
    .fields tbody tr, .lines tbody tr, .orders tbody tr { cursor: pointer; }
    .fields tbody tr:hover, .fields tbody tr.on, .lines tbody tr:hover, .orders tbody tr:hover, .orders tbody tr.on { background: #eef2fb; }
    .fields tr.changed td:last-child { background: #fff3cd; }
    .diffbox h3 { margin: .6rem 0 .3rem; } .diffbox .same { color: #14532d; font-weight: 600; }
    table.diff { border-collapse: collapse; width: 100%; margin-bottom: .5rem; }
    table.diff th, table.diff td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.diff td:nth-child(2) { background: #fdecec; } table.diff td:nth-child(3) { background: #e9f7ef; }
    table.diff td.absent { color: #6b7280; font-style: italic; background: transparent; }
    .why { overflow-wrap: anywhere; position: sticky; top: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; background: #fbfcfe; min-height: 6rem; }
    .why h4 { margin: 0 0 .3rem; } .why ul { padding-left: 1.1rem; margin: .3rem 0; }
    .why a, .invalid a { color: var(--accent); cursor: pointer; text-decoration: underline; }
    .counts { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .5rem; }
    .counts .action { font-size: .95rem; padding: .2rem .7rem; } .counts .zero { opacity: .45; }
    .invalid li { margin: .25rem 0; } .invalid ul { color: var(--error); margin: .1rem 0; }
    .log td, .orders td, .customers td { overflow-wrap: anywhere; }
    .log td:not(:last-child) { white-space: nowrap; overflow-wrap: normal; } .log td:first-child { font-size: .85em; }
    .filters { display: flex; gap: .75rem; align-items: center; margin-bottom: .5rem; }
    .extra p { margin: .3rem 0; }
    .drop { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; font-size: 1.4rem;
            background: rgba(36, 87, 197, .12); border: 4px dashed var(--accent); color: var(--accent); pointer-events: none; }
    .preview-pane.stale .view { opacity: .55; }
    .keys { padding: .25rem 1rem; font-size: .8rem; border-top: 1px solid var(--line); background: var(--panel); }

    """#
}
