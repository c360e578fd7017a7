import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { fleetStoreContract } from './contract.js';
import { createFileFleetStore } from './file-fleet-store.js';
import { createMemoryFleetStore } from './memory-fleet-store.js';

const root = mkdtempSync(join(tmpdir(), 'dive-fleet-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const unique = (prefix: string): string => `${prefix}-${n++}`;

describe('memory fleet store', () => {
  for (const c of fleetStoreContract({ store: createMemoryFleetStore(), unique })) it(c.name, c.run);
});

describe('file fleet store', () => {
  for (const c of fleetStoreContract({ store: createFileFleetStore({ dir: root }), unique })) it(c.name, c.run);
});
