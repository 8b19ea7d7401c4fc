/**
 * TESTS ONLY: what lets a test's local servers stand in for the internet. `buildApp` and
 * `startServer` take it from test code alone (BuildOptions.outboundForTests): no environment
 * variable, config file or setting can produce it, so the running server never has it, and every
 * outbound download refuses loopback and GitHub is GitHub.
 */
export interface OutboundTestHooks {
  /** 127.0.0.1 on exactly these ports passes the address check (resolve-target.ts) */
  loopbackPorts?: readonly number[];
  /** GitHub's API base (`https://api.github.com`) pointed at a local stand-in */
  githubApiBase?: string;
}
