import { createHash, randomUUID } from 'node:crypto';
import type { BootConfig } from '../config/boot-config.ts';
import { isPostgresUrl } from '../store/postgres/connection.ts';
import { soloCluster, type Cluster } from './cluster.ts';
import { LeaderLock } from './leader.ts';
import type { ClusterLimits } from './limits.ts';
import { NatsCluster } from './nats-cluster.ts';
import { NatsLink } from './nats-link.ts';

/** The database and schema the replicas share, without user or password: what makes them one cluster. */
function scopeOf(db: string, schema: string): string {
  const u = new URL(db);
  return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}#${schema}`;
}

/** The NATS subject prefix of the replicas on this database and schema. */
export function clusterPrefixOf(db: string, schema: string): string {
  return `komari.${createHash('sha256').update(scopeOf(db, schema)).digest('hex').slice(0, 16)}`;
}

/**
 * Joins the replicas of KOMARI_CLUSTER, or stays alone when it is empty. Replicas on the same
 * database and schema are one cluster: their NATS subjects and their leader lock derive from it.
 */
export async function openCluster(config: BootConfig, schema: string, limits: ClusterLimits): Promise<Cluster> {
  if (!config.cluster) return soloCluster;
  if (!isPostgresUrl(config.db)) {
    throw new Error('KOMARI_CLUSTER needs KOMARI_DB to be a postgres:// URL: replicas share one PostgreSQL database (README "Several replicas")');
  }
  const scope = scopeOf(config.db, schema);
  const prefix = clusterPrefixOf(config.db, schema);
  const replicaId = randomUUID();
  let link: NatsLink;
  try {
    link = await NatsLink.open(config.cluster, prefix, `komari-ts ${replicaId}`);
  } catch (err) {
    // the URL holds no secret of ours (nats://host:port), but a NATS user:password may sit in it
    const where = config.cluster.replace(/\/\/[^@/]*@/, '//');
    throw new Error(`cannot reach NATS at ${where} (KOMARI_CLUSTER): ${(err as Error).message}`, { cause: err });
  }
  const cluster = new NatsCluster(replicaId, link, new LeaderLock(config.db, scope), limits);
  await cluster.checkLeadership();
  return cluster;
}
