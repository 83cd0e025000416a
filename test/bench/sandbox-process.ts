/**
 * The sandbox in a process of its own (`propensity sandbox`), driven through its admin API over HTTP:
 * a benchmark's memory, CPU and garbage-collection pauses are then the app's alone, as they are
 * against the real HubSpot. (In process, a 100,000-contact portal is 1.5 GB of the app's heap.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AppRegistration, PortalOptions, PortalSummary } from '../../src/sandbox/admin/sandbox-admin.ts';
import type { RequestCounters } from '../../src/sandbox/sandbox-state.ts';
import type { SandboxObjectType } from '../../src/sandbox/sandbox-store.ts';
import { cliPath } from '../helpers/cli.ts';

export interface SandboxProcess {
  url: string;
  registerApp(app: AppRegistration): Promise<unknown>;
  createPortal(options: PortalOptions): Promise<PortalSummary>;
  counters(): Promise<RequestCounters>;
  /** Every live id of a type, in id order. */
  ids(portalId: number, type: SandboxObjectType): Promise<number[]>;
  simulateActivity(portalId: number, options: { contactIds: number[]; seed?: number }): Promise<number[]>;
  /** The sandbox process's resident memory, from /proc. */
  rssMb(): number;
  close(): Promise<void>;
}

export async function startSandboxProcess(seed: number): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [cliPath, 'sandbox', '--port', '0', '--portals', '0', '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${url}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!answer.ok) throw new Error(`sandbox ${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  return {
    url,
    registerApp: (app) => admin('POST', '/apps', app),
    createPortal: (options) => admin('POST', '/portals', options),
    counters: () => admin('GET', '/counters'),
    async ids(portalId, type) {
      const ids: number[] = [];
      for (let after = 0; ; ) {
        const page = await admin<{ results: { id: string }[]; next?: number }>('GET', `/portals/${portalId}/objects/${type}?limit=1000&after=${after}&properties=hs_object_id`);
        ids.push(...page.results.map((o) => Number(o.id)));
        if (page.next === undefined || page.results.length === 0) return ids;
        after = ids[ids.length - 1];
      }
    },
    async simulateActivity(portalId, options) {
      return (await admin<{ contactIds: number[] }>('POST', `/portals/${portalId}/activity`, options)).contactIds;
    },
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
