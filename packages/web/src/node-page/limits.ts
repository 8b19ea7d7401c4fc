// The node page's bounds, as data: how far back the live range looks, how much of it is kept in
// memory, and how often it asks.

export const nodePageLimits = {
  /** the range a first visit opens on: an hour, so a new install's first minutes already show */
  defaultHours: 1,
  live: {
    /** the live charts show this much of the past (the server's /api/recent holds 60 s of it) */
    windowSeconds: 300,
    /** reports kept at most, whatever the agent's cadence: the figures' lines and live charts */
    maxReports: 600,
    /** how often the socket is asked for the newest report while the live range is shown */
    pollMs: 1000,
    /** pings come in one-minute buckets, too coarse for minutes: the live range shows their last hour */
    pingHours: 1,
  },
  /** how often it is asked otherwise: the live figures at the top of the page */
  idlePollMs: 2000,
} as const;
