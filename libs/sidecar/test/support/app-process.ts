import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A tiny echo app in a process of its own, so a test can SIGKILL it as a crashed app would die. */
const ECHO_APP = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ pid: process.pid, method: req.method, url: req.url, body: Buffer.concat(chunks).toString() }));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));
`;

export interface AppProcess {
  port: number;
  process: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startAppProcess(): Promise<AppProcess> {
  const child = spawn(process.execPath, ['-e', ECHO_APP], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /listening (\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`echo app exited with ${code}`)));
  });
  return {
    port,
    process: child,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
