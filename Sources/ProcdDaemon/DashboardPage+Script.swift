extension DashboardPage {
    /// The page's behaviour. Every change arrives over Server-Sent Events (`/api/events`
    /// for the table, `/api/logs` for the selected process's log); the page never polls.
    /// Text from the daemon is only ever set as text, never parsed as HTML.
    static let script = #"""
    "use strict";
    const csrf = document.querySelector('meta[name="procd-csrf"]').content;
    const $ = (id) => document.getElementById(id);
    const HISTORY = 60, MAX_LOG = 2000;
    const rows = new Map(), history = new Map();
    let order = [], selected = null, events = null, logSource = null, paused = false, held = [];
    const destructive = { stop: true, restart: true, flush: true, scale: true };

    function bytes(n) {
      if (!n) return "0 B";
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let i = 0;
      while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
      return (i ? n.toFixed(1) : String(n)) + " " + units[i];
    }
    function uptime(ms) {
      if (ms == null) return "–";
      const s = Math.floor(ms / 1000);
      if (s < 60) return s + "s";
      if (s < 3600) return Math.floor(s / 60) + "m";
      if (s < 86400) return Math.floor(s / 3600) + "h" + String(Math.floor(s % 3600 / 60)).padStart(2, "0");
      return Math.floor(s / 86400) + "d";
    }
    function duration(ms) {
      if (ms == null) return "–";
      if (ms < 1000) return ms + " ms";
      const s = ms / 1000;
      return (Number.isInteger(s) ? s : s.toFixed(1)) + " s";
    }
    // The detail panel's rows: a label a person reads, and the value with its unit.
    const fields = [
      ["status", "Status"], ["pid", "PID"], ["namespace", "Namespace"], ["instance", "Instance"],
      ["restarts", "Restarts"], ["unstable_restarts", "Unstable restarts"],
      ["uptime_ms", "Uptime", (p) => p.status === "online" ? uptime(p.uptime_ms) : null],
      ["cpu", "CPU", (p) => p.cpu == null ? null : p.cpu.toFixed(1) + " %"],
      ["memory", "Memory", (p) => bytes(p.memory)],
      ["exit_code", "Exit code"], ["exit_signal", "Exit signal"], ["ready_signal", "Readiness"], ["ipc", "IPC"],
      ["ports", "Ports"], ["reason", "Reason"], ["status_text", "Status text"], ["command", "Command"], ["cwd", "Working directory"],
      ["out_log", "Output log"], ["err_log", "Error log"], ["started_at", "Started at"], ["outside_group", "Outside its group"],
    ];
    const appFields = [
      ["exec_mode", "Exec mode"], ["instances", "Instances"], ["autorestart", "Restart on exit", (v) => v ? "yes" : "no"],
      ["max_restarts", "Max restarts"], ["min_uptime", "Min uptime", duration], ["kill_timeout", "Kill timeout", duration],
    ];
    // The fields every processes update changes, refreshed in place between describes.
    const live = new Set(["status", "pid", "restarts", "unstable_restarts", "uptime_ms", "cpu", "memory"]);
    let describing = 0;
    function spark(values) {
      const ns = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(ns, "svg");
      svg.setAttribute("class", "spark");
      svg.setAttribute("viewBox", "0 0 70 18");
      svg.setAttribute("aria-hidden", "true");
      const line = document.createElementNS(ns, "polyline");
      const max = Math.max(...values, 1e-9);
      const step = values.length > 1 ? 70 / (HISTORY - 1) : 0;
      const start = 70 - step * (values.length - 1);
      line.setAttribute("points", values.map((v, i) => (start + i * step).toFixed(1) + "," + (17 - v / max * 16).toFixed(1)).join(" "));
      svg.appendChild(line);
      return svg;
    }
    function cell(tr, name, cls) {
      let td = tr.querySelector("td." + name);
      if (!td) { td = document.createElement("td"); td.className = name + (cls ? " " + cls : ""); tr.appendChild(td); }
      return td;
    }
    function metric(td, text, values) {
      td.replaceChildren();
      const wrap = document.createElement("div");
      wrap.className = "metric";
      const label = document.createElement("span");
      label.textContent = text;
      wrap.append(label, spark(values));
      td.appendChild(wrap);
    }

    function showProcesses(list) {
      const seen = new Set();
      const body = $("rows");
      order = list.map((p) => p.id);
      for (const p of list) {
        seen.add(p.id);
        const h = history.get(p.id) || { cpu: [], mem: [] };
        h.cpu.push(p.cpu || 0); h.mem.push(p.memory || 0);
        if (h.cpu.length > HISTORY) { h.cpu.shift(); h.mem.shift(); }
        history.set(p.id, h);
        let tr = rows.get(p.id);
        if (!tr) {
          tr = document.createElement("tr");
          tr.dataset.id = p.id;
          tr.tabIndex = 0;
          tr.setAttribute("aria-selected", "false");
          tr.addEventListener("click", () => select(p.id));
          tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(p.id); } });
          rows.set(p.id, tr);
        }
        body.appendChild(tr);
        const before = tr.dataset.row;
        tr.dataset.row = JSON.stringify([p.pid, p.restarts, p.status]);
        cell(tr, "id", "num").textContent = p.id;
        cell(tr, "name").textContent = p.name + (p.namespace && p.namespace !== "default" ? " (" + p.namespace + ")" : "");
        const st = cell(tr, "status");
        st.textContent = p.status;
        st.className = "status " + p.status;
        cell(tr, "pid", "num wide").textContent = p.pid == null ? "–" : p.pid;
        cell(tr, "uptime", "num").textContent = p.status === "online" ? uptime(p.uptime_ms) : "–";
        cell(tr, "restarts", "num").textContent = p.restarts;
        metric(cell(tr, "cpu", "num"), (p.cpu || 0).toFixed(1) + "%", h.cpu);
        metric(cell(tr, "memory", "num"), bytes(p.memory), h.mem);
        if (p.id === selected) before !== tr.dataset.row ? describe(p.id) : refreshDetails(p);
      }
      for (const [id, tr] of rows) if (!seen.has(id)) { tr.remove(); rows.delete(id); history.delete(id); }
      $("empty").hidden = list.length > 0;
      const online = list.filter((p) => p.status === "online").length;
      $("summary").textContent = online + " of " + list.length + " online";
      if (selected != null && !rows.has(selected)) unselect();
    }

    function select(id) {
      if (selected === id) return;
      selected = id;
      for (const [rid, tr] of rows) tr.setAttribute("aria-selected", rid === id ? "true" : "false");
      $("detail-panel").hidden = false;
      $("notice").textContent = "";
      describe(id);
      openLog(id);
    }
    function unselect() {
      selected = null;
      $("detail-panel").hidden = true;
      if (logSource) { logSource.close(); logSource = null; }
    }

    // Only the latest describe is shown: an older answer arriving late would be stale.
    async function describe(id) {
      const ticket = ++describing;
      const response = await fetch("/api/describe?target=" + encodeURIComponent(id), { credentials: "same-origin" });
      if (response.status === 401) return loggedOut();
      if (!response.ok || id !== selected || ticket !== describing) return;
      const [p] = await response.json();
      if (!p || ticket !== describing) return;
      $("detail-title").textContent = p.name + " · id " + p.id;
      $("scale-count").value = (p.app && p.app.instances) || 1;
      const dl = $("details");
      dl.replaceChildren();
      const add = (key, label, value) => {
        if (value == null || value === "" || (Array.isArray(value) && !value.length) || typeof value === "object" && !Array.isArray(value)) return;
        const dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = label;
        dd.dataset.key = key;
        if (wide.has(key)) { dt.className = "full"; dd.className = "full"; }
        dd.textContent = Array.isArray(value) ? value.map((v) => typeof v === "object" ? JSON.stringify(v) : v).join(" ") : String(value);
        dl.append(dt, dd);
      };
      const wide = new Set(["command", "cwd", "out_log", "err_log", "reason", "status_text", "outside_group", "started_at"]);
      for (const [key, label, format] of fields) add(key, label, format ? format(p) : p[key]);
      if (p.app) {
        for (const [key, label, format] of appFields) add("app." + key, label, format && p.app[key] != null ? format(p.app[key]) : p.app[key]);
        const env = p.app.env;
        if (env && typeof env === "object") add("app.env", "Environment", Object.keys(env).length + " variables");
      }
      const tail = p.stderr_tail || [];
      $("stderr-tail").textContent = tail.length ? tail.join("\n") : "(nothing)";
      $("stderr-box").open = tail.length > 0 && p.status === "errored";
    }

    // The live fields of the selected process, from a processes update: uptime keeps
    // counting and the figures stay current without asking the daemon again.
    function refreshDetails(p) {
      for (const [key, , format] of fields) {
        if (!live.has(key)) continue;
        const dd = document.querySelector('#details dd[data-key="' + key + '"]');
        const value = format ? format(p) : p[key];
        if (dd && value != null) dd.textContent = String(value);
      }
    }

    function openLog(id) {
      if (logSource) logSource.close();
      $("log").replaceChildren();
      held = [];
      updateCount();
      logSource = new EventSource("/api/logs?target=" + encodeURIComponent(id));
      logSource.addEventListener("log", (e) => {
        const entry = JSON.parse(e.data);
        if (paused) { held.push(entry); if (held.length > MAX_LOG) held.shift(); updateCount(); return; }
        appendLines([entry]);
      });
      logSource.addEventListener("failure", (e) => notice(JSON.parse(e.data).error, true));
    }
    function lineElement(entry) {
      const div = document.createElement("div");
      div.className = "line" + (entry.stream === "err" ? " err" : "");
      div.dataset.text = entry.line;
      paint(div, $("search").value);
      return div;
    }
    function appendLines(entries) {
      const log = $("log");
      for (const entry of entries) log.appendChild(lineElement(entry));
      while (log.childElementCount > MAX_LOG) log.firstElementChild.remove();
      if ($("follow").checked) log.scrollTop = log.scrollHeight;
      updateCount();
    }
    function paint(div, query) {
      const text = div.dataset.text;
      const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
      div.hidden = !!query && at < 0;
      if (at < 0) { div.textContent = text; return; }
      const mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + query.length);
      div.replaceChildren(text.slice(0, at), mark, text.slice(at + query.length));
    }
    function updateCount() {
      const shown = $("log").childElementCount;
      $("log-count").textContent = shown + " lines" + (held.length ? " · " + held.length + " held while paused" : "");
    }
    function setPaused(value) {
      paused = value;
      $("pause").setAttribute("aria-pressed", String(paused));
      $("pause").textContent = paused ? "Resume" : "Pause";
      if (!paused && held.length) { const waiting = held; held = []; appendLines(waiting); }
      updateCount();
    }

    function notice(text, bad) {
      $("notice").textContent = text;
      $("notice").className = bad ? "bad" : "";
    }
    function confirmAction(text) {
      return new Promise((resolve) => {
        const dialog = $("confirm");
        $("confirm-text").textContent = text;
        dialog.returnValue = "";
        dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
        dialog.showModal();
        $("confirm-cancel").focus();
      });
    }
    async function act(action) {
      if (selected == null) return;
      const tr = rows.get(selected);
      const name = tr ? tr.querySelector("td.name").textContent.replace(/ \(.*\)$/, "") : String(selected);
      const body = { action, target: action === "scale" ? name : String(selected) };
      if (action === "scale") body.count = Number($("scale-count").value);
      const what = action === "scale" ? "scale " + name + " to " + body.count + " instances" : action + " " + name + " (id " + selected + ")";
      if (destructive[action] && !(await confirmAction("Really " + what + "?"))) return;
      notice(action + "…");
      const response = await fetch("/api/action", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Procd-CSRF": csrf },
        body: JSON.stringify(body),
      });
      if (response.status === 401) return loggedOut();
      const result = await response.json().catch(() => ({}));
      if (response.status === 403 && /CSRF/.test(result.error || "")) {
        // The daemon restarted since this page loaded: a fresh page carries the new token.
        notice("procd restarted; reloading the page…", true);
        return location.reload();
      }
      notice(response.ok ? "done: " + what : "failed: " + (result.error || response.statusText), !response.ok);
    }
    function loggedOut() {
      if (events) events.close();
      if (logSource) logSource.close();
      $("live").className = "live off";
      $("live").textContent = "logged out";
      notice("Logged out: open the address 'procctl web' prints.", true);
    }

    function connect() {
      events = new EventSource("/api/events");
      events.addEventListener("open", () => { $("live").className = "live on"; $("live").textContent = "live"; });
      events.addEventListener("processes", (e) => showProcesses(JSON.parse(e.data)));
      events.addEventListener("event", (e) => {
        const ev = JSON.parse(e.data);
        if (ev.id === selected && ["exit", "errored", "online", "restart", "stopped"].includes(ev.event)) describe(selected);
      });
      events.addEventListener("error", async () => {
        $("live").className = "live off";
        $("live").textContent = "reconnecting…";
        const probe = await fetch("/api/processes", { credentials: "same-origin" }).catch(() => null);
        if (probe && probe.status === 401) loggedOut();
      });
    }

    for (const button of document.querySelectorAll("button[data-action]")) {
      button.addEventListener("click", () => act(button.dataset.action));
    }
    $("pause").addEventListener("click", () => setPaused(!paused));
    $("follow").addEventListener("change", () => { if ($("follow").checked) $("log").scrollTop = $("log").scrollHeight; });
    $("search").addEventListener("input", () => {
      const query = $("search").value;
      for (const div of $("log").children) paint(div, query);
    });
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || $("confirm").open) return;
      const typing = e.target instanceof HTMLInputElement;
      if (typing) { if (e.key === "Escape") e.target.blur(); return; }
      const at = order.indexOf(selected);
      const move = (to) => { if (to >= 0 && to < order.length) { select(order[to]); rows.get(order[to]).focus(); } };
      switch (e.key) {
        case "ArrowDown": case "j": move(at < 0 ? 0 : at + 1); break;
        case "ArrowUp": case "k": move(at < 0 ? 0 : at - 1); break;
        case "t": act("start"); break;
        case "s": act("stop"); break;
        case "r": act("restart"); break;
        case "l": act("reload"); break;
        case "/": $("search").focus(); break;
        case "f": $("follow").checked = !$("follow").checked; break;
        case "p": setPaused(!paused); break;
        case "Escape": unselect(); break;
        default: return;
      }
      e.preventDefault();
    });
    connect();
    """#
}
