import type { MethodDef } from '../../rpc/registry.ts';
import { channelMethods } from './channels.ts';
import { historyMethods } from './history.ts';
import { loadMethods } from './load.ts';
import { offlineMethods } from './offline.ts';
import { pingRuleMethods } from './ping-rules.ts';
import { sendMethods } from './send.ts';
import { senderMethods } from './senders.ts';
import { trafficReportMethods } from './traffic-reports.ts';

export const alertMethods: MethodDef[] = [
  ...senderMethods,
  ...offlineMethods,
  ...loadMethods,
  ...trafficReportMethods,
  ...sendMethods,
  ...channelMethods,
  ...pingRuleMethods,
  ...historyMethods,
];
