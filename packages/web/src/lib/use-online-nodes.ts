import { useEffect, useState } from 'react';
import { openClientsFeed } from './clients-feed.ts';

/** The uuids online right now (asked every 2 s); undefined until the first answer. */
export function useOnlineNodes(): ReadonlySet<string> | undefined {
  const [online, setOnline] = useState<ReadonlySet<string>>();
  useEffect(() => openClientsFeed({ everyMs: 2000, onData: (d) => setOnline(new Set(d.online)) }), []);
  return online;
}
