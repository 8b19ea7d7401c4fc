import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Remote control per node (issue 18): NULL follows the server-wide switch (remote_*_enabled),
  // 0/1 forces it off/on for this node. A node's row goes with the node.
  id: '2026-12-20-client-remote-control',
  sql: `
    CREATE TABLE client_remote_control (
      client TEXT PRIMARY KEY REFERENCES clients(uuid) ON DELETE CASCADE,
      exec INTEGER,
      terminal INTEGER,
      files INTEGER
    );
  `,
};
