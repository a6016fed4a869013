import type { Database } from 'better-sqlite3';

export type HeadPosition = () => number;

export function prepareHeadPosition(db: Database): HeadPosition {
  // MAX over the INTEGER PRIMARY KEY is answered from the end of the b-tree, not by a scan.
  const select = db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events');
  return () => select.get()?.position ?? 0;
}
