/// The Node programs of `procbench cluster` and the cluster tests: the server every setup
/// runs, Node's own cluster primary (what pm2 users get today), and the load client that
/// measures.
public enum ClusterScripts {
    /// An unchanged Node HTTP server: answers its pid.
    public static let server = """
        require('http').createServer((req, res) => res.end(String(process.pid)))
          .listen(Number(process.env.PORT), '127.0.0.1');

        """

    /// Node's cluster module with N workers running `server`; NODE_CLUSTER_SCHED_POLICY
    /// picks rr (the default on Linux) or none.
    public static let nodeCluster = """
        const cluster = require('cluster');
        if (cluster.isPrimary) {
          for (let i = 0; i < Number(process.env.WORKERS); i++) cluster.fork();
          process.on('SIGTERM', () => { for (const id in cluster.workers) cluster.workers[id].kill(); process.exit(0); });
        } else {
          require(process.env.SERVER);
        }

        """

    /// `node client.js PORT keepalive|new CONNECTIONS REQUESTS|0 SECONDS`: CONNECTIONS
    /// clients, each sending REQUESTS requests one after another (or for SECONDS when
    /// REQUESTS is 0), on one keep-alive connection each or a new connection per request.
    /// Prints one JSON object: ok, failed, hung (no answer in 5 s), requests per pid,
    /// connections per pid (the pid of each connection's first answer), ms.
    public static let client = """
        const http = require('http');
        const [port, mode, clients, requests, seconds] = process.argv.slice(2);
        const perPid = {}, connPid = {};
        let ok = 0, failed = 0, hung = 0;
        const until = Date.now() + Number(seconds) * 1000;
        const more = (n) => Number(requests) > 0 ? n < Number(requests) : Date.now() < until;
        const one = (agent) => new Promise((resolve) => {
          let settled = false;
          const done = (pid) => { if (!settled) { settled = true; resolve(pid); } };
          const req = http.get({ host: '127.0.0.1', port: Number(port), path: '/', agent }, (res) => {
            let body = '';
            res.on('data', (d) => { body += d; });
            res.on('end', () => { ok++; perPid[body] = (perPid[body] || 0) + 1; done(body); });
            res.on('error', () => { failed++; done(null); });
          });
          req.setTimeout(5000, () => { hung++; req.destroy(); done(null); });
          req.on('error', () => { if (!settled) failed++; done(null); });
        });
        const client = async () => {
          const agent = new http.Agent({ keepAlive: mode === 'keepalive', maxSockets: 1 });
          for (let n = 0; more(n); n++) {
            const pid = await one(agent);
            if (pid && (n === 0 || mode !== 'keepalive')) connPid[pid] = (connPid[pid] || 0) + 1;
          }
          agent.destroy();
        };
        const start = Date.now();
        Promise.all(Array.from({ length: Number(clients) }, client)).then(() => {
          console.log(JSON.stringify({ ok, failed, hung, ms: Date.now() - start, perPid, connPid }));
        });

        """
}
