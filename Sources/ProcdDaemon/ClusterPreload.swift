/// The preload script `--require`d by cluster-mode Node apps (see Daemon+ClusterListen).
enum ClusterPreload {
    static let script = #"""
'use strict';
// procd's cluster mode: listen() on a port asks the procd daemon over the IPC channel.
// With balance "shared" the daemon sends the listening socket it holds for the app and
// address, and every instance accepts on it. Otherwise (round-robin, least-connections)
// the daemon accepts and sends each connection to one instance, as Node's cluster
// primary does; the server here gets a stand-in handle that takes those connections.
// Loaded with --require; does nothing outside procd.
const net = require('net');
if (typeof process.send === 'function' && process.env.PROCD_CLUSTER === '1' && !process.env.NODE_UNIQUE_ID) {
  const listen = net.Server.prototype.listen;
  // Dealt connections enter through Node's own listen path with a stand-in handle; a Node
  // without it gets the shared socket instead.
  const canTakeDealt = typeof net.Server.prototype._listen2 === 'function';
  const pending = new Map();
  // Servers whose connections the daemon deals, by the key it gave: { server, handle, host, port }.
  const dealt = new Map();
  let next = 0;
  let draining = false;
  const tell = (message) => { try { process.send(message); } catch (_) { /* channel gone */ } };
  process.on('internalMessage', (message, handle) => {
    if (!message || typeof message.cmd !== 'string') return;
    if (message.cmd === 'NODE_PROCD_CONN') return take(message, handle);
    if (message.cmd === 'NODE_PROCD_RESYNC') return resync();
    if (message.cmd !== 'NODE_PROCD_LISTEN') return;
    const done = pending.get(message.seq);
    if (!done) {
      if (handle) handle.close();
      return;
    }
    pending.delete(message.seq);
    done.answer(message, handle);
  });
  // A connection the daemon chose this instance for; refused while closing, or past
  // maxConnections, so the daemon gives it to another instance.
  const take = (message, handle) => {
    const entry = dealt.get(message.key);
    const server = entry && entry.server;
    let accepted = !!handle && !!entry && !draining && typeof entry.handle.onconnection === 'function';
    if (accepted && server.maxConnections != null && server._connections >= server.maxConnections) accepted = false;
    tell({ cmd: 'NODE_PROCD_ACK', seq: message.seq, accepted });
    if (!accepted) {
      if (handle) handle.close();
      return;
    }
    if (entry.counts) {
      server.prependOnceListener('connection', (socket) => {
        socket.once('close', () => tell({ cmd: 'NODE_PROCD_DONE', key: message.key }));
      });
    }
    entry.handle.onconnection(0, handle);
  };
  // A new daemon (after a crash or an update) knows nothing of this instance's servers:
  // each is told again, and a listen() the old daemon never answered is asked again.
  const resync = () => {
    for (const [key, entry] of dealt) tell({ cmd: 'NODE_PROCD_REJOIN', key, port: entry.asked, host: entry.host === undefined ? null : entry.host });
    for (const [seq, item] of pending) tell({ cmd: 'NODE_PROCD_LISTEN', seq, port: item.port, host: item.host, dealt: canTakeDealt });
  };
  // What a dealt server's handle must answer for net.Server: it never accepts itself.
  const standIn = (key, answer) => {
    let keep = setInterval(() => {}, 1 << 30);
    return {
      listen() { return 0; },
      close(callback) {
        if (dealt.get(key) && dealt.get(key).handle === this) {
          dealt.delete(key);
          tell({ cmd: 'NODE_PROCD_UNLISTEN', key });
        }
        if (keep) clearInterval(keep);
        keep = null;
        if (typeof callback === 'function') process.nextTick(callback);
      },
      getsockname(out) {
        out.address = answer.address || '::';
        out.family = out.address.includes(':') ? 'IPv6' : 'IPv4';
        out.port = answer.port;
        return 0;
      },
      ref() { if (keep) keep.ref(); },
      unref() { if (keep) keep.unref(); },
    };
  };
  const portOf = (value) => {
    if (value === undefined || value === null) return 0;
    const port = Number(value);
    return Number.isInteger(port) && port >= 0 && port <= 65535 && String(value).trim() !== '' ? port : -1;
  };
  // The port, host and callback of a listen() that binds a TCP port; null for anything
  // else (a Unix socket path, a handle, an fd, exclusive), which keeps Node's own listen.
  const request = (args) => {
    const list = Array.from(args);
    const callback = typeof list[list.length - 1] === 'function' ? list.pop() : undefined;
    const first = list[0];
    let port, host;
    if (first === undefined || first === null) {
      port = 0;
    } else if (typeof first === 'object') {
      if (first.path !== undefined || first.fd !== undefined || first.handle !== undefined || first._handle !== undefined || first.exclusive) return null;
      port = portOf(first.port);
      host = first.host;
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\s*\d+\s*$/.test(first))) {
      port = portOf(first);
      if (typeof list[1] === 'string') host = list[1];
    } else {
      return null;
    }
    if (port < 0) return null;
    return { port, host: typeof host === 'string' && host !== '' ? host : undefined, callback };
  };
  // A reload or stop sends SIGTERM, which ends Node at once, cutting requests in flight.
  // Unless the app handles SIGTERM itself, its servers stop taking connections (the other
  // instances take the new ones), answer what reaches them with "Connection: close" so
  // keep-alive clients move on, and the process exits when the last connection is gone
  // (or at the kill timeout). Connections are never cut here: one accepted a moment ago
  // may be about to send its request.
  const servers = new Set();
  process.on('SIGTERM', () => {
    if (process.listenerCount('SIGTERM') > 1) return;
    draining = true;
    let open = servers.size;
    if (open === 0) process.exit(0);
    for (const server of servers) {
      server.prependListener('request', (request, response) => { response.shouldKeepAlive = false; });
      net.Server.prototype.close.call(server, () => { if (--open === 0) process.exit(0); });
    }
  });
  const listening = (server) => {
    servers.add(server);
    server.once('close', () => servers.delete(server));
  };
  net.Server.prototype.listen = function (...args) {
    const wanted = request(args);
    if (!wanted) return listen.apply(this, args);
    const server = this;
    const seq = ++next;
    let resolved;
    // Keeps the event loop alive while the daemon answers.
    const keep = setInterval(() => {}, 1 << 30);
    const fail = (error) => process.nextTick(() => server.emit('error', error));
    const answer = (message, handle) => {
      clearInterval(keep);
      if (message.error) {
        if (handle) handle.close();
        const error = new Error(`listen ${message.code || 'EADDRINUSE'}: ${message.error} ${wanted.host || '::'}:${wanted.port}`);
        error.code = message.code || 'EADDRINUSE';
        error.syscall = 'listen';
        error.port = wanted.port;
        return fail(error);
      }
      if (typeof message.key === 'string') {
        // Dealt: the daemon accepts; Node's own listen path takes the stand-in handle.
        const handle = standIn(message.key, message);
        dealt.set(message.key, { server, handle, asked: wanted.port, host: resolved, counts: message.balance === 'least-connections' });
        listening(server);
        if (wanted.callback) server.once('listening', wanted.callback);
        server._handle = handle;
        server._listen2(null, -1, -1, 511);
        return;
      }
      if (!handle) return fail(Object.assign(new Error('listen: no socket from procd'), { code: 'EADDRINUSE', syscall: 'listen' }));
      listening(server);
      if (wanted.callback) listen.call(server, handle, wanted.callback);
      else listen.call(server, handle);
    };
    // The daemon takes numeric addresses only (a name lookup there could block it): names
    // are looked up here first, as Node's own listen() does.
    const ask = (host) => {
      resolved = host === null ? undefined : host;
      pending.set(seq, { answer, port: wanted.port, host });
      tell({ cmd: 'NODE_PROCD_LISTEN', seq, port: wanted.port, host, dealt: canTakeDealt });
    };
    if (wanted.host === undefined || net.isIP(wanted.host)) {
      ask(wanted.host === undefined ? null : wanted.host);
    } else {
      require('dns').lookup(wanted.host, (error, address) => {
        if (error) {
          clearInterval(keep);
          return fail(error);
        }
        ask(address);
      });
    }
    return this;
  };
}
"""#
}
