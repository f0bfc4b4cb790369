import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostExit } from '../../host/channel.js';
import type { HostToMain, MainToHost } from '../../host/protocol.js';
import { spawnUtilityHost } from '../../electron/utility-host.js';
import { fake, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

function start(options: Parameters<typeof spawnUtilityHost>[1] = {}) {
  const host = spawnUtilityHost('/opt/shotglass/.vite/build/host.js', options)();
  const fork = fake.forks.at(-1)!;
  return { host, child: fork.child, fork };
}

describe('spawnUtilityHost', () => {
  beforeEach(() => resetFakeElectron());

  it('forks the host entry as a utility process with piped output', () => {
    const { fork } = start();
    expect(fake.utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(fork.modulePath).toBe('/opt/shotglass/.vite/build/host.js');
    expect(fork.options.stdio).toEqual(['ignore', 'pipe', 'pipe']);
    expect(fork.options.serviceName).toMatch(/Shotglass/);
  });

  it('sends with postMessage and receives parentPort messages', () => {
    const { host, child } = start();
    const call: MainToHost = { kind: 'call', id: 7, method: 'ping', params: {} };
    host.send(call);
    expect(child.postMessage).toHaveBeenCalledWith(call);

    const received: HostToMain[] = [];
    host.onMessage((m) => received.push(m));
    const ready: HostToMain = { kind: 'ready', pid: 4242 };
    child.emit('message', ready);
    expect(received).toEqual([ready]);
    expect(host.pid).toBe(4242);
  });

  it('reports the exit with the stderr tail, including output that arrives after the exit', async () => {
    const { host, child } = start();
    const exits: HostExit[] = [];
    host.onExit((e) => exits.push(e));
    child.stderr!.write('llama_model_load: loading\n');
    child.emit('exit', 134);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(exits).toEqual([]); // waits for stderr to finish
    child.stderr!.write('GGML_ASSERT(n_dims <= 4) failed\n');
    child.stderr!.end();
    await vi.waitFor(() => expect(exits).toHaveLength(1));
    expect(exits[0]).toEqual({
      code: 134,
      signal: null,
      stderrTail: 'llama_model_load: loading\nGGML_ASSERT(n_dims <= 4) failed\n',
    });
  });

  it('does not wait for stderr forever', async () => {
    const { host, child } = start({ stderrDrainMs: 10 });
    const exit = new Promise<HostExit>((resolve) => host.onExit(resolve));
    child.stderr!.write('partial');
    child.emit('exit', 1);
    await expect(exit).resolves.toMatchObject({ code: 1, signal: null, stderrTail: 'partial' });
  });

  it('drops messages after the exit and kills only a live process', async () => {
    const { host, child } = start({ stderrDrainMs: 1 });
    host.kill();
    expect(child.kill).toHaveBeenCalledTimes(1);
    child.emit('exit', 0);
    host.send({ kind: 'call', id: 1, method: 'ping', params: {} });
    expect(child.postMessage).not.toHaveBeenCalled();
    host.kill();
    expect(child.kill).toHaveBeenCalledTimes(1);
  });

  it('keeps only the last part of a long stderr', async () => {
    const { host, child } = start();
    const exit = new Promise<HostExit>((resolve) => host.onExit(resolve));
    child.stderr!.write('x'.repeat(20_000));
    child.stderr!.write('THE END');
    child.stderr!.end();
    child.emit('exit', 6);
    const { stderrTail } = await exit;
    expect(stderrTail.endsWith('THE END')).toBe(true);
    expect(stderrTail.length).toBeLessThanOrEqual(8192);
  });
});
