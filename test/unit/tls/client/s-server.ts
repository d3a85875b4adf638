/**
 * `openssl s_server` as a test peer: on 127.0.0.1, on a port the kernel picks (-accept
 * 127.0.0.1:0; the ACCEPT line says which), killed when the test ends. Its standard input stays
 * open: s_server shuts down at end of input.
 */
import { spawn } from 'node:child_process';
import type { ExecutionContext } from 'ava';

export interface SServer {
  port: number;
  /** Everything s_server printed so far (stdout and stderr). */
  output(): string;
}

const START_TIMEOUT_MS = 10_000;

export async function startSServer(t: ExecutionContext, args: readonly string[]): Promise<SServer> {
  const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    child.kill();
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`s_server did not print ACCEPT within ${START_TIMEOUT_MS} ms: ${output}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const match = /^ACCEPT 127\.0\.0\.1:(\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', check);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s_server exited with ${code}: ${output}`));
    });
  });
  return { port, output: () => output };
}
