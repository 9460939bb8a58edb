/// The dashboard's one page: HTML, CSS and plain JavaScript compiled into the binary. It
/// loads nothing from anywhere else; the daemon serves it after login.
enum DashboardPage {
    /// Only the page's own inline script and style (by nonce) run, and it talks only to
    /// the listener it came from.
    static func contentSecurityPolicy(nonce: String) -> String {
        "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// The page, with the CSRF token its POSTs must carry and the nonce its CSP allows.
    static func html(csrf: String, nonce: String) -> [UInt8] {
        Array("""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="procd-csrf" content="\(csrf)">
        <title>procd</title>
        <link rel="icon" href="data:,">
        <style nonce="\(nonce)">\(style)</style>
        </head>
        <body>
        \(body)
        <script nonce="\(nonce)">\(script)</script>
        </body>
        </html>
        """.utf8)
    }

    /// What a request without a valid login gets: how to log in, and no data.
    static func loginNeeded(_ message: String, nonce: String) -> [UInt8] {
        let text = message.replacingHTMLSpecials()
        return Array("""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><title>procd: log in</title>
        <style nonce="\(nonce)">body{font:16px system-ui,sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem}
        code{font-family:ui-monospace,monospace}</style></head>
        <body><h1>procd</h1><p>\(text).</p>
        <p>On the server, <code>procctl web</code> prints the address to open, with its login token.</p></body>
        </html>
        """.utf8)
    }

    static let body = """
    <header>
      <h1>procd</h1>
      <span id="summary" aria-live="polite"></span>
      <span id="live" class="live" title="live updates">connecting…</span>
    </header>
    <main>
      <section id="list-panel" aria-label="Processes">
        <table id="processes">
          <thead><tr>
            <th scope="col">id</th><th scope="col">name</th><th scope="col">status</th>
            <th scope="col" class="wide">pid</th><th scope="col">uptime</th><th scope="col" title="restarts">↺</th>
            <th scope="col">cpu</th><th scope="col">memory</th>
          </tr></thead>
          <tbody id="rows"></tbody>
        </table>
        <p id="empty" hidden>No processes. Start one with <code>procctl start</code>.</p>
        <p class="keys">Keys: <kbd>↑</kbd><kbd>↓</kbd> select · <kbd>t</kbd> start · <kbd>s</kbd> stop ·
          <kbd>r</kbd> restart · <kbd>l</kbd> reload · <kbd>/</kbd> search the log · <kbd>f</kbd> follow · <kbd>p</kbd> pause</p>
      </section>
      <section id="detail-panel" aria-label="Selected process" hidden>
        <h2 id="detail-title"></h2>
        <div class="actions" role="toolbar" aria-label="Actions">
          <button type="button" data-action="start" id="action-start">Start</button>
          <button type="button" data-action="stop" id="action-stop">Stop</button>
          <button type="button" data-action="restart" id="action-restart">Restart</button>
          <button type="button" data-action="reload" id="action-reload">Reload</button>
          <label class="scale">instances <input id="scale-count" type="number" min="1" max="1024" value="1"></label>
          <button type="button" data-action="scale" id="action-scale">Scale</button>
          <button type="button" data-action="flush" id="action-flush">Flush logs</button>
        </div>
        <p id="notice" role="status" aria-live="polite"></p>
        <dl id="details"></dl>
        <details id="stderr-box"><summary>Last stderr lines before the last exit</summary><pre id="stderr-tail"></pre></details>
        <div class="log-head">
          <h3>Log</h3>
          <label><input type="checkbox" id="follow" checked> follow</label>
          <button type="button" id="pause" aria-pressed="false">Pause</button>
          <input type="search" id="search" placeholder="search the log" aria-label="Search the log">
          <span id="log-count"></span>
        </div>
        <div id="log" role="log" aria-label="Log lines" tabindex="0"></div>
      </section>
    </main>
    <dialog id="confirm">
      <form method="dialog">
        <p id="confirm-text"></p>
        <menu><button value="cancel" id="confirm-cancel">Cancel</button><button value="ok" id="confirm-ok">Confirm</button></menu>
      </form>
    </dialog>
    """
}

extension String {
    /// The text with `& < > " '` written as character references, safe inside HTML.
    func replacingHTMLSpecials() -> String {
        escaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
    }
}
