import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, DataDirLock } from './data-dir-lock';

let parent: string;
let dataDir: string;
const held: DataDirLock[] = [];
const acquire = (mode: 'shared' | 'exclusive') => {
  const lock = DataDirLock.acquire(dataDir, mode);
  held.push(lock);
  return lock;
};

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'ecf-lock-'));
  dataDir = join(parent, 'data');
});

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  rmSync(parent, { recursive: true, force: true });
});

describe('data directory lock', () => {
  it('any number of processes hold it shared (API and projector side by side), creating the directory', () => {
    acquire('shared');
    expect(() => acquire('shared')).not.toThrow();
  });

  it('an exclusive holder (ecf seed) is refused while a shared holder runs, with the way out in the message', () => {
    acquire('shared');
    expect(() => acquire('exclusive')).toThrow(DataDirInUseError);
    expect(() => acquire('exclusive')).toThrow(/in use by a running API or projector.*--force/);
  });

  it('a shared holder (the API starting) is refused while the directory is held exclusively', () => {
    acquire('exclusive');
    expect(() => acquire('shared')).toThrow(/locked by a command that must not share it/);
  });

  it('released, the directory can be taken in any mode again', () => {
    acquire('shared').release();
    const exclusive = acquire('exclusive');
    exclusive.release();
    expect(() => acquire('shared')).not.toThrow();
  });
});
