/// The page `omsync serve` serves: plain HTML, CSS and JavaScript compiled into the binary
/// (nothing from a registry, nothing from the network). The per-run token is written into a
/// meta tag, where only a script of this origin can read it.
enum ServePage {
    /// The page, with `token` in `<meta name="omsync-token">` (hex, so it needs no escaping).
    static func html(token: String) -> String {
        let safe = String(token.unicodeScalars.filter { $0.properties.isASCIIHexDigit })
        return page.replacingOccurrences(of: "{{TOKEN}}", with: safe)
    }

    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="omsync-token" content="{{TOKEN}}">
    <title>omsync rules</title>
    <link rel="stylesheet" href="/app.css">
    <script src="/app.js" defer></script>
    </head>
    <body>
    <header class="bar">
      <h1>omsync <span>rules</span></h1>
      <span id="folder" class="muted"></span>
      <span id="status" class="pill" role="status" aria-live="polite">loading…</span>
      <span class="grow"></span>
      <label class="picker">Sample <select id="sample" aria-label="Sample order"></select></label>
      <fieldset id="states" class="states" aria-label="Order state">
        <legend>State</legend>
      </fieldset>
      <button id="save" type="button" title="Save the file (Ctrl+S)" disabled>Save</button>
    </header>
    <main class="panes">
      <section class="pane editor-pane" aria-label="Rule files">
        <nav id="files" class="tabs" role="tablist" aria-label="Rule files"></nav>
        <div class="editor" id="editor">
          <div class="gutter" id="gutter" aria-hidden="true"></div>
          <div class="code">
            <pre class="backdrop" id="backdrop" aria-hidden="true"></pre>
            <textarea id="text" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
              aria-label="Rule file text" aria-describedby="caretinfo"></textarea>
          </div>
        </div>
        <div id="caretinfo" class="caretinfo" aria-live="polite"></div>
        <div class="diagnostics" aria-label="Diagnostics">
          <h2>Diagnostics <span id="diagcount" class="muted"></span></h2>
          <ol id="diagnostics"></ol>
        </div>
      </section>
      <section class="pane preview-pane" aria-label="Preview">
        <nav class="tabs" role="tablist" aria-label="Views">
          <button role="tab" data-view="order" aria-selected="true">Order</button>
          <button role="tab" data-view="list" aria-selected="false">All orders <span id="listcount"></span></button>
          <button role="tab" data-view="log" aria-selected="false" hidden>Log</button>
          <button role="tab" data-view="customers" aria-selected="false" hidden>Customers</button>
        </nav>
        <div class="view" id="view-order">
          <div id="order-head" class="order-head"></div>
          <ul id="problems" class="problems"></ul>
          <div id="ledger" class="ledger" hidden></div>
          <div id="diff" class="diffbox" aria-live="polite" hidden></div>
          <div class="split">
            <table class="fields" id="fields"><thead><tr><th>Field</th><th>Value</th></tr></thead><tbody></tbody></table>
            <aside id="why" class="why" aria-live="polite"><p class="muted">Hover or click a field to see where its value came from.</p></aside>
          </div>
          <h3>Lines</h3>
          <table class="lines" id="lines"><thead><tr><th>#</th><th>Product</th><th>Qty</th><th>Unit price</th><th>Line total</th><th>Tax</th><th>Tax code</th></tr></thead><tbody></tbody></table>
          <div id="extra" class="extra"></div>
        </div>
        <div class="view" id="view-list" hidden>
          <div id="counts" class="counts"></div>
          <h3>Invalid orders</h3>
          <ul id="invalid" class="invalid"></ul>
          <table class="orders" id="orders"><thead><tr><th>Order</th><th>Action</th><th>Why</th></tr></thead><tbody></tbody></table>
        </div>
        <div class="view" id="view-log" hidden>
          <form id="logform" class="filters">
            <label>Order <input name="order" placeholder="OM10452"></label>
            <label>Since <input name="since" type="date"></label>
            <label><input name="errors" type="checkbox"> errors only</label>
            <button type="submit">Filter</button>
          </form>
          <table class="log" id="log"><thead><tr><th>Time</th><th>Order</th><th>Action</th><th>Outcome</th><th>HTTP</th><th>Message</th></tr></thead><tbody></tbody></table>
        </div>
        <div class="view" id="view-customers" hidden>
          <table class="customers" id="customers"><thead><tr><th>Ordermentum customer</th><th>Name</th><th>Unleashed code</th><th>Set by</th><th></th></tr></thead><tbody></tbody></table>
        </div>
      </section>
    </main>
    <div id="drop" class="drop" hidden>Drop a batch file to preview its orders</div>
    <footer class="keys muted">Ctrl+S save · Alt+↑/↓ previous/next order · F8 next diagnostic · Esc then Tab leaves the editor · drop a batch file anywhere</footer>
    </body>
    </html>

    """#
}
