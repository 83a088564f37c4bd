import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { processExists, startCommand, startNpmStart } from '../helpers/processes.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const UNIT_FILE = path.join(ROOT, 'deploy/potwatch.service');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

/** The settings of a unit file, by section; a key given several times keeps every value. */
function readUnit(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const equals = line.indexOf('=');
    const key = `${section}.${line.slice(0, equals)}`;
    settings.set(key, [...(settings.get(key) ?? []), line.slice(equals + 1)]);
  }
  return settings;
}

const unit = readUnit(readFileSync(UNIT_FILE, 'utf8'));
const one = (key: string) => {
  const values = unit.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
};

describe('running Potwatch as a service', () => {
  it('stops the server it started when `npm start` is stopped, leaving nothing behind', async () => {
    const temp = makeTempDir();
    const npm = await startNpmStart({ DATABASE_PATH: path.join(temp.dir, 'potwatch.db'), POTWATCH_CONFIG: '' });
    closeAfterTest({
      close: async () => {
        // Should the server outlive npm (the failure this test looks for), it goes too.
        if (processExists(npm.serverPid)) process.kill(npm.serverPid, 'SIGKILL');
        await npm.kill();
        temp.remove();
      },
    });
    expect((await fetch(`${npm.url}/healthz`)).status).toBe(200);
    expect(npm.serverPid).not.toBe(npm.child.pid);

    npm.child.kill('SIGTERM');
    await npm.exited;
    await waitFor(() => !processExists(npm.serverPid), `server process ${npm.serverPid} to stop with npm`, 10_000);
    expect(npm.output()).toContain('"msg":"Potwatch stopped"');
  });

  it('ships a systemd unit that restarts the server itself, as its own user, writing only its database folder', () => {
    expect(one('Service.ExecStart')).toBe('/usr/bin/node --import tsx server/main.ts');
    expect(one('Service.Restart')).toBe('on-failure');
    expect(Number(one('Service.LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
    expect(one('Service.User')).toBe('potwatch');
    expect(one('Service.ProtectSystem')).toBe('strict');
    const databaseFolder = path.dirname(unit.get('Service.Environment')!.find((line) => line.startsWith('DATABASE_PATH='))!.slice('DATABASE_PATH='.length));
    expect(one('Service.ReadWritePaths')).toBe(databaseFolder);
    expect(`/var/lib/${one('Service.StateDirectory')}`).toBe(databaseFolder);
    expect(unit.get('Service.Environment')).toContain('TRUST_PROXY=loopback');
  });

  it('passes systemd-analyze verify where systemd is installed', () => {
    // Checked where the command exists (a systemd machine); elsewhere there is nothing to ask.
    if (!existsSync(SYSTEMD_ANALYZE)) return;
    const temp = makeTempDir();
    try {
      // Verification wants the command to exist: the unit as installed in this checkout.
      const installed = path.join(temp.dir, 'potwatch.service');
      writeFileSync(
        installed,
        readFileSync(UNIT_FILE, 'utf8')
          .replaceAll('/usr/bin/node', process.execPath)
          .replaceAll('/opt/potwatch', ROOT),
      );
      const verify = spawnSync(SYSTEMD_ANALYZE, ['verify', installed], { encoding: 'utf8' });
      expect(verify.stderr + verify.stdout).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      temp.remove();
    }
  });

  it('runs with the unit’s command and environment, and stops cleanly on the unit’s stop signal', async () => {
    const temp = makeTempDir();
    const [command, ...args] = one('Service.ExecStart').split(' ');
    const environment = Object.fromEntries(unit.get('Service.Environment')!.map((line) => line.split('=', 2) as [string, string]));
    const server = await startCommand(
      command === '/usr/bin/node' ? process.execPath : command!,
      args,
      { ...environment, PORT: '0', DATABASE_PATH: path.join(temp.dir, 'potwatch.db'), POTWATCH_CONFIG: '', LOG_LEVEL: 'info' },
      /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"Potwatch is listening"/,
    );
    closeAfterTest({ close: () => server.kill().then(temp.remove) });
    expect((await fetch(`${server.match[1]}/healthz`)).status).toBe(200);

    const signal = one('Service.KillSignal') as NodeJS.Signals;
    const stoppedWithin = Number(one('Service.TimeoutStopSec')) * 1000;
    const started = Date.now();
    server.child.kill(signal);
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(stoppedWithin);
  });
});
