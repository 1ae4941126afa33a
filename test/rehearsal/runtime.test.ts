import { createServer } from 'node:net';
import { requireJava } from '../../lib/rehearsal/artifacts';
import { ProcessRegistry, RehearsalError, requireFree } from '../../lib/rehearsal/runtime';
import { join } from 'node:path';

describe('rehearsal runtime: bad input gets a coded message, nothing is left running', () => {
  test('a port in use is refused with port-in-use, naming the address and the fix', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(requireFree('127.0.0.1', port, 'the load balancer')).rejects.toThrow(RehearsalError);
      await expect(requireFree('127.0.0.1', port, 'the load balancer')).rejects.toThrow(new RegExp(`\\[port-in-use\\] 127\\.0\\.0\\.1:${port} \\(the load balancer\\) is already in use.*Fix:`));
    } finally {
      server.close();
    }
    await expect(requireFree('127.0.0.1', port, 'the load balancer')).resolves.toBeUndefined();
  });

  test('no Java is java-missing with the install hint', () => {
    expect(() => requireJava(join(__dirname, 'no-such-jdk'))).toThrow(/\[java-missing\].*Fix: install OpenJDK 17\+/);
  });

  test('stopAll ends every process group it started (no server outlives the rehearsal)', async () => {
    const registry = new ProcessRegistry();
    const child = registry.start('sleeper', 'sh', ['-c', 'sleep 60 & sleep 60'], { logFile: '/dev/null' });
    const pid = child.child.pid as number;
    await registry.stopAll();
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // Killed children may take a moment to be reaped.
    for (let i = 0; i < 20 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });
});
