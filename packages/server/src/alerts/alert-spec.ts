import type { ChannelChoice, DeliveryResult, QuietWindow } from './store/types.ts';

/** What a rule (or a test, or a login) asks the alert service to send and record. */
export interface AlertSpec {
  /** history kind: `offline`, `load`, `ping`, `traffic`, `expire`, `renew`, `login`, `test`, `custom` */
  kind: string;
  /** Komari's event name */
  event: string;
  emoji: string;
  message: string;
  /** node uuids; unknown ones are dropped */
  nodes: readonly string[];
  ruleId?: number | null;
  /** an incident: its record stays open until `resolve(recordId)` */
  incidentOf?: string;
  /** an existing record the results are added to (a resolve or a reminder) */
  recordId?: number;
  state?: 'firing' | 'resolved' | 'reminder';
  /** default: every enabled channel */
  channels?: ChannelChoice;
  /** the rule's own quiet hours; null or absent = the global ones */
  quiet?: QuietWindow | null;
  /** goes out even inside quiet hours (a summary) */
  ignoreQuiet?: boolean;
  /**
   * a send someone asked for now (the test send, `admin:sendNotification`): it ignores quiet
   * hours and, with nothing configured, fails with Komari's empty-sender message
   */
  direct?: boolean;
}

/** What became of an alert. */
export interface AlertOutcome {
  recordId: number;
  /** false when notifications are off or it was held for quiet hours */
  sent: boolean;
  held: boolean;
  results: DeliveryResult[];
}
