import net from 'node:net';

/** Fails at once, naming the port, its purpose and the variable to change, when something else listens there. */
export async function assertPortFree(
  host: string,
  port: number,
  what: string,
  envVar: string,
): Promise<void> {
  const inUse = await new Promise<boolean>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(true);
      else reject(err);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
  if (inUse) {
    throw new Error(
      `port ${port} on ${host} (${what}) is already in use: stop whatever listens there ` +
        `(is another 'npm run stack' running?) or choose another port with ${envVar}`,
    );
  }
}

/**
 * Ports handed out below the kernel's ephemeral range: a port picked there stays free until its
 * server binds it, while an ephemeral one (port 0) can meanwhile become the local end of any
 * outgoing connection on the machine, and the server then fails with EADDRINUSE.
 */
const pickRange = { from: 15_000, to: 32_000 };
const handedOut = new Set<number>();

/** A port that is free right now on host, outside the ephemeral range, never the same one twice. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = pickRange.from + Math.floor(Math.random() * (pickRange.to - pickRange.from));
    if (handedOut.has(port) || !(await bindable(host, port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port on ${host} between ${pickRange.from} and ${pickRange.to} after 200 tries`);
}

function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Resolves true when a TCP connection to host:port succeeds. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
