/**
 * What alerting keeps: Komari's tables (message-sender configs, offline and load rules) with the
 * columns komari-ts adds beside Komari's, and komari-ts's own (channels, latency/loss rules, the
 * alert history, per-node traffic steps). Every engine of the store implements `AlertStore`.
 * Times are Unix milliseconds.
 */

/** `null` sends to every enabled channel; a list sends to those channels only. */
export type ChannelChoice = number[] | null;

/** A daily window in server local time ("23:00" to "07:00" wraps midnight). */
export interface QuietWindow {
  start: string;
  end: string;
  /** what fired inside: one summary when the window ends, or nothing */
  after: 'summary' | 'drop';
}

export interface SenderConfigRow {
  name: string;
  /** a JSON-encoded object, as Komari stores it */
  addition: string;
}

export interface OfflineRule {
  client: string;
  enable: boolean;
  /** seconds */
  gracePeriod: number;
  lastNotified: number | null;
  channels: ChannelChoice;
  quiet: QuietWindow | null;
}

/** Where a node stands for the offline watcher; kept so a restart neither storms nor forgets. */
export interface OfflineState {
  client: string;
  /** `up`; `pending` (disconnected, inside its grace); `down` (Offline sent) */
  state: 'up' | 'pending' | 'down';
  since: number;
}

/** Komari's traffic reports (deprecated in Komari 1.5): per node, which periods are reported. */
export interface TrafficReportRule {
  client: string;
  enable: boolean;
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
}

export interface LoadRule {
  id: number;
  name: string;
  clients: string[];
  metric: string;
  threshold: number;
  ratio: number;
  /** minutes: window length and evaluation period (Komari) */
  interval: number;
  lastNotified: number | null;
  /** evaluations in a row a node must breach before it fires (Komari: 1) */
  consecutive: number;
  /** minutes between reminders while firing; 0 = none */
  reminderMinutes: number;
  /** send a resolve message when the condition clears */
  notifyResolved: boolean;
  channels: ChannelChoice;
  quiet: QuietWindow | null;
}

export type LoadRuleFields = Omit<LoadRule, 'id' | 'lastNotified'>;

/** Loss or latency of one ping task over a window, on chosen nodes (komari-ts; Komari has none). */
export interface PingRule {
  id: number;
  name: string;
  enabled: boolean;
  taskId: number;
  /** empty = every node of the task */
  clients: string[];
  /** fires at loss ≥ this %, 0 = loss not checked */
  lossPercent: number;
  /** fires at median latency ≥ this many ms, 0 = latency not checked */
  latencyMs: number;
  windowMinutes: number;
  reminderMinutes: number;
  notifyResolved: boolean;
  channels: ChannelChoice;
  quiet: QuietWindow | null;
}

export type PingRuleFields = Omit<PingRule, 'id'>;

export interface ChannelRow {
  id: number;
  kind: string;
  name: string;
  /** the kind's config object */
  config: Record<string, unknown>;
  enabled: boolean;
  /** "" = the global `notification_template` */
  template: string;
  createdAt: number;
}

export type ChannelFields = Omit<ChannelRow, 'id' | 'createdAt'>;

export interface DeliveryResult {
  /** 0 = Komari's active sender (`notification_method`) */
  channelId: number;
  channel: string;
  kind: string;
  ok: boolean;
  error: string;
  attempts: number;
  at: number;
}

/** One alert: an incident of a rule (fires, later resolves) or a one-off event (login, test, expiry). */
export interface AlertRecord {
  id: number;
  /** `offline`, `load`, `ping`, `traffic`, `expire`, `renew`, `login`, `test`, `custom` */
  kind: string;
  ruleId: number | null;
  /** the node an incident is about; "" for events about several or none */
  node: string;
  nodes: Array<{ uuid: string; name: string }>;
  event: string;
  message: string;
  firedAt: number;
  resolvedAt: number | null;
  /** still firing (incidents only) */
  open: boolean;
  results: DeliveryResult[];
}

export type NewAlertRecord = Omit<AlertRecord, 'id' | 'resolvedAt' | 'results'>;

export interface AlertStore {
  senderConfig(name: string): Promise<SenderConfigRow | undefined>;
  setSenderConfig(row: SenderConfigRow): Promise<void>;
  /** Inserts the rows that are missing, leaving existing ones alone (Komari's boot step). */
  insertMissingSenderConfigs(rows: readonly SenderConfigRow[]): Promise<void>;

  offlineRules(): Promise<OfflineRule[]>;
  /** Upserts rules in one transaction; only the given fields of an existing rule change. */
  upsertOfflineRules(rules: ReadonlyArray<Partial<OfflineRule> & { client: string }>): Promise<void>;
  offlineStates(): Promise<OfflineState[]>;
  setOfflineState(state: OfflineState): Promise<void>;

  trafficReportRules(): Promise<TrafficReportRule[]>;
  /** Upserts in one transaction; only the given fields of an existing row change. */
  upsertTrafficReportRules(rules: ReadonlyArray<Partial<TrafficReportRule> & { client: string }>): Promise<void>;

  loadRules(): Promise<LoadRule[]>;
  addLoadRule(rule: LoadRuleFields): Promise<number>;
  /** Applies each patch by id in one transaction; returns ids that match no rule (nothing changed then). */
  editLoadRules(patches: ReadonlyArray<Partial<LoadRuleFields> & { id: number }>): Promise<number[]>;
  /** Deletes the rules; returns how many there were. */
  deleteLoadRules(ids: readonly number[]): Promise<number>;
  setLoadRuleNotified(id: number, at: number): Promise<void>;

  pingRules(): Promise<PingRule[]>;
  addPingRule(rule: PingRuleFields): Promise<number>;
  editPingRules(patches: ReadonlyArray<Partial<PingRuleFields> & { id: number }>): Promise<number[]>;
  deletePingRules(ids: readonly number[]): Promise<number>;

  channels(): Promise<ChannelRow[]>;
  addChannel(channel: ChannelFields, at: number): Promise<number>;
  /** false when no channel has this id */
  editChannel(id: number, patch: Partial<ChannelFields>): Promise<boolean>;
  deleteChannel(id: number): Promise<boolean>;

  addRecord(record: NewAlertRecord): Promise<number>;
  appendResults(id: number, results: readonly DeliveryResult[]): Promise<void>;
  resolveRecord(id: number, at: number): Promise<void>;
  openRecords(): Promise<AlertRecord[]>;
  /** Newest first. */
  records(query: { limit: number; offset: number }): Promise<{ items: AlertRecord[]; total: number }>;
  /** Keeps the newest `keep` records that are not open; returns how many went. */
  pruneRecords(keep: number): Promise<number>;

  /** The traffic step last alerted per node, with the billing cycle it belongs to. */
  trafficSteps(): Promise<Array<{ client: string; cycleStart: number; step: number }>>;
  setTrafficStep(client: string, cycleStart: number, step: number): Promise<void>;

  /** A deleted node leaves every rule and state (rules that name only it stay, naming nobody). */
  forgetNode(uuid: string): Promise<void>;
}
