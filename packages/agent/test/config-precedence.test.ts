import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ConfigError, loadAgentConfig } from '../src/config.ts';
import { hostAddresses } from '../src/transport/addresses.ts';

const base = ['-e', 'http://panel.example:25774', '-t', 'tok'];
const noFile = (_path: string): string => {
  throw new Error('no file expected');
};
const files = (map: Record<string, string>) => (p: string) => {
  const text = map[p];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${p}'`);
  return text;
};

function refused(argv: string[], env: NodeJS.ProcessEnv = {}, read: (path: string) => string = noFile): string {
  try {
    loadAgentConfig(argv, env, read);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('the configuration was accepted');
}

describe('agent config: the official flags, defaults and precedence (agent-protocol.md §14)', () => {
  it('has the official defaults', () => {
    const c = loadAgentConfig(base, {}, noFile);
    assert.equal(c.interval, 3);
    assert.equal(c.protocolVersion, 2);
    assert.equal(c.maxRetries, 3);
    assert.equal(c.reconnectInterval, 5);
    assert.equal(c.infoReportInterval, 5);
    assert.equal(c.disableCompression, false);
    assert.equal(c.disableWebSsh, false);
    assert.equal(c.monthRotate, 0);
    assert.deepEqual(c.includeNics, []);
  });

  it('reads long and short flags, --flag=value and bare booleans, and ignores unknown flags', () => {
    const c = loadAgentConfig(
      ['--endpoint=https://panel.example/komari/', '-t', 'tok', '-i', '1', '-r', '5', '-c', '2', '-u', '--disable-compression',
        '--disable-web-ssh=false', '--protocol-version', '1', '--include-nics', 'eth0, ens*', '--include-mountpoint', '/;/data',
        '--memory-exclude-bcf', '--month-rotate', '15', '--frobnicate', '--also-unknown=3', 'stray'],
      {},
      noFile,
    );
    assert.equal(c.endpoint, 'https://panel.example/komari');
    assert.deepEqual([c.interval, c.maxRetries, c.reconnectInterval, c.protocolVersion], [1, 5, 2, 1]);
    assert.deepEqual([c.ignoreUnsafeCert, c.disableCompression, c.disableWebSsh, c.memoryExcludeBcf], [true, true, false, true]);
    assert.deepEqual(c.includeNics, ['eth0', 'ens*']);
    assert.deepEqual(c.includeMountpoints, ['/', '/data']);
    assert.equal(c.monthRotate, 15);
  });

  it('lets AGENT_* variables override flags, and the JSON config file override both', () => {
    const env = { AGENT_INTERVAL: '2', AGENT_TOKEN: 'from-env', AGENT_MAX_RETRIES: '7', AGENT_DISABLE_WEB_SSH: 'true', AGENT_CONFIG_FILE: '/etc/agent.json' };
    const json = JSON.stringify({ interval: 10, max_retries: 1, memory_report_raw_used: true, unknown_key: 'ignored' });
    const c = loadAgentConfig([...base, '-i', '1', '-r', '2'], env, files({ '/etc/agent.json': json }));
    assert.equal(c.interval, 10, 'JSON beats env beats flag');
    assert.equal(c.maxRetries, 1);
    assert.equal(c.token, 'from-env', 'env beats flag');
    assert.equal(c.disableWebSsh, true);
    assert.equal(c.memoryExcludeBcf, true);
    assert.equal(c.configFile, '/etc/agent.json');
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadAgentConfig([...base, '-i', '4'], { AGENT_INTERVAL: '' }, noFile).interval, 4);
  });

  it('applies the official effective values: interval at least 1 s, protocol 0 or ≥2 is 2', () => {
    assert.equal(loadAgentConfig([...base, '-i', '0.2'], {}, noFile).interval, 1);
    assert.equal(loadAgentConfig([...base, '--protocol-version', '0'], {}, noFile).protocolVersion, 2);
    assert.equal(loadAgentConfig([...base, '--protocol-version', '3'], {}, noFile).protocolVersion, 2);
  });

  it('turns an IDN host into punycode and accepts a path prefix', () => {
    assert.equal(loadAgentConfig(['-e', 'http://bücher.example:8080/', '-t', 'x'], {}, noFile).endpoint, 'http://xn--bcher-kva.example:8080');
  });

  it('needs a token unless auto-discovery is set', () => {
    assert.match(refused(['-e', 'http://a.example']), /--token \(AGENT_TOKEN\): is required unless --auto-discovery/);
    assert.equal(loadAgentConfig(['-e', 'http://a.example', '--auto-discovery', 'k'.repeat(16)], {}, noFile).token, '');
  });
});

describe('agent config: a bad value is refused with a message naming where it came from', () => {
  it('names the flag, the variable or the JSON key', () => {
    assert.match(refused([...base, '-i', 'fast']), /--interval: must be a number/);
    assert.match(refused(base, { AGENT_MAX_RETRIES: '-1' }), /AGENT_MAX_RETRIES: /);
    assert.match(refused(base, { AGENT_DISABLE_COMPRESSION: 'maybe' }), /AGENT_DISABLE_COMPRESSION: must be a boolean/);
    assert.match(refused([...base, '--config', 'a.json'], {}, files({ 'a.json': '{"interval":"soon"}' })), /"interval" in a\.json: must be a number/);
    assert.match(refused([...base, '--custom-ipv4', '999.1.1.1']), /--custom-ipv4: must be an IPv4 address/);
    assert.match(refused([...base, '--protocol-version', '1.5']), /--protocol-version: must be 1 or 2/);
  });

  it('refuses a missing or non-http endpoint, a flag without its value, and an unreadable config file', () => {
    assert.match(refused(['-t', 'x']), /--endpoint: is required/);
    assert.match(refused(['-e', 'panel.example', '-t', 'x']), /--endpoint: must be an http\(s\) URL/);
    assert.match(refused(['-t', 'x', '-e']), /--endpoint: needs a value/);
    assert.match(refused([...base, '--config', 'missing.json'], {}, files({})), /config file missing\.json: ENOENT/);
    assert.match(refused([...base, '--config', 'bad.json'], {}, files({ 'bad.json': '[1]' })), /must be a JSON object/);
  });

  it('main.ts exits 2 and prints the message', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const r = spawnSync(process.execPath, [main, '-e', 'http://127.0.0.1:1', '-t', 'x', '-i', 'soon'], { encoding: 'utf8', env: {} });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid agent configuration:\n {2}--interval: must be a number/);
  });
});

describe('basic-info addresses: flags, else the first global NIC address (no external lookup)', () => {
  const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as never;
  const nics = {
    lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
    eth0: [nic('192.168.1.5', 'IPv4'), nic('fe80::1', 'IPv6'), nic('fd00::5', 'IPv6')],
    eth1: [nic('203.0.113.9', 'IPv4'), nic('2001:db8::9', 'IPv6')],
  };

  it('prefers public addresses, skips loopback and link-local', () => {
    assert.deepEqual(hostAddresses({ customIpv4: '', customIpv6: '' }, nics), { ipv4: '203.0.113.9', ipv6: '2001:db8::9' });
    assert.deepEqual(hostAddresses({ customIpv4: '', customIpv6: '' }, { eth0: nics.eth0 }), { ipv4: '192.168.1.5', ipv6: 'fd00::5' });
    assert.deepEqual(hostAddresses({ customIpv4: '', customIpv6: '' }, { lo: nics.lo }), { ipv4: '', ipv6: '' });
  });

  it('uses --custom-ipv4/6 when given', () => {
    assert.deepEqual(hostAddresses({ customIpv4: '198.51.100.1', customIpv6: '2001:db8::1' }, nics), { ipv4: '198.51.100.1', ipv6: '2001:db8::1' });
  });
});
