extension DashboardPage {
    /// Light by default, dark when the system prefers it; one column on a phone.
    static let style = """
    :root{--bg:#fafafa;--fg:#1d1f21;--muted:#62666d;--line:#dcdfe3;--panel:#fff;--sel:#e3ecfb;--accent:#2457c5;
    --ok:#1b7f3b;--warn:#a15c00;--bad:#c0262d;--log:#f3f4f6;--err:#b3261e;--spark:#2457c5;--mark:#ffe58a}
    @media (prefers-color-scheme: dark){:root{--bg:#14161a;--fg:#e3e5e8;--muted:#9aa0a8;--line:#2c3036;--panel:#1b1e23;
    --sel:#23324d;--accent:#7aa7ff;--ok:#4cc276;--warn:#e0a84a;--bad:#ff6b6b;--log:#101215;--err:#ff8a80;--spark:#7aa7ff;--mark:#6b5a14}}
    *{box-sizing:border-box}
    html,body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}
    header{display:flex;gap:1rem;align-items:baseline;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
    header h1{font-size:1.1rem;margin:0}
    #summary{color:var(--muted)}
    .live{margin-left:auto;font-size:.85rem;color:var(--muted)}
    .live.on::before{content:"●";color:var(--ok);margin-right:.3rem}
    .live.off::before{content:"●";color:var(--bad);margin-right:.3rem}
    main{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1rem;padding:1rem}
    @media (max-width:900px){main{grid-template-columns:minmax(0,1fr);padding:.5rem}.wide{display:none}}
    @media (max-width:600px){th,td{padding:.3rem .25rem}svg.spark{width:32px}.metric span{min-width:3.4rem}.keys{display:none}}
    #list-panel{overflow-x:auto}
    section{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.75rem;min-width:0}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:.35rem .45rem;border-bottom:1px solid var(--line);white-space:nowrap}
    th{font-weight:600;color:var(--muted);font-size:.85rem}
    td.num{font-variant-numeric:tabular-nums}
    tbody tr{cursor:pointer}
    tbody tr:hover{background:var(--sel)}
    tbody tr[aria-selected="true"]{background:var(--sel);box-shadow:inset 3px 0 var(--accent)}
    tbody tr:focus{outline:2px solid var(--accent);outline-offset:-2px}
    .name{overflow:hidden;text-overflow:ellipsis;max-width:14rem}
    .status{font-weight:600}
    .status.online{color:var(--ok)}
    .status.launching,.status.waiting,.status.stopping{color:var(--warn)}
    .status.errored{color:var(--bad)}
    .status.stopped{color:var(--muted)}
    .metric{display:flex;align-items:center;gap:.4rem}
    .metric span{min-width:4.2rem;font-variant-numeric:tabular-nums}
    svg.spark{width:70px;height:18px;flex:none}
    svg.spark polyline{fill:none;stroke:var(--spark);stroke-width:1.5}
    .keys{color:var(--muted);font-size:.8rem}
    kbd{border:1px solid var(--line);border-radius:3px;padding:0 .3rem;font-size:.8rem;background:var(--bg)}
    h2{font-size:1.05rem;margin:.1rem 0 .5rem}
    h3{font-size:.95rem;margin:0}
    .actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
    button{font:inherit;padding:.3rem .7rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);cursor:pointer}
    button:hover{border-color:var(--accent)}
    button:focus-visible,input:focus-visible,#log:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
    button[data-action="stop"],button[data-action="flush"]{color:var(--bad)}
    button[aria-pressed="true"]{background:var(--sel)}
    input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.25rem .4rem}
    .scale input{width:4.5rem}
    #notice{min-height:1.3em;margin:.4rem 0;color:var(--muted)}
    #notice.bad{color:var(--bad)}
    dl{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:.15rem .8rem;margin:.4rem 0}
    dt.full{grid-column-start:1}
    dd.full{grid-column:span 3}
    @media (max-width:600px){dl{grid-template-columns:max-content minmax(0,1fr)}dd.full{grid-column:auto}}
    dt{color:var(--muted)}
    dd{margin:0;overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
    pre,#log{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--log);border-radius:4px;padding:.5rem;margin:.3rem 0;overflow:auto}
    #stderr-tail{max-height:12rem;color:var(--err)}
    .log-head{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin-top:.6rem}
    .log-head input[type=search]{flex:1;min-width:8rem}
    #log-count{color:var(--muted);font-size:.8rem}
    #log{height:22rem;white-space:pre-wrap;overflow-wrap:anywhere}
    #log .err{color:var(--err)}
    #log mark{background:var(--mark);color:inherit}
    dialog{border:1px solid var(--line);border-radius:6px;background:var(--panel);color:var(--fg);max-width:28rem}
    dialog::backdrop{background:rgba(0,0,0,.35)}
    menu{display:flex;justify-content:flex-end;gap:.5rem;padding:0;margin:1rem 0 0}
    #confirm-ok{border-color:var(--bad);color:var(--bad)}
    code{font-family:ui-monospace,monospace}
    """
}
