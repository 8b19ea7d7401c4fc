/** The bounds of what the server prints for people: pretty log lines and the start banner. */
export const logLimits = {
  pretty: {
    /** key=value fields shown after a pretty line's message; the rest are counted as `+N` */
    maxFields: 8,
    /** characters of one field's value (and of an error's message) before it is cut with `…` */
    maxValueChars: 200,
    /** stack lines shown under an error-level line (the JSON format keeps the whole stack) */
    maxStackLines: 12,
  },
  banner: {
    /** this host's network addresses listed when the server listens on every address */
    maxNetworkUrls: 4,
  },
} as const;
