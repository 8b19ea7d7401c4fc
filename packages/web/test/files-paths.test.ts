import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crumbsOf, joinPath, parentPath, resolvePath, validMode, validName } from '../src/admin/files/file-paths.ts';
import { decodeText, encodeText } from '../src/admin/files/file-text.ts';

describe('file manager paths and text', () => {
  it('joins, climbs and resolves typed destinations without ever going above /', () => {
    assert.equal(joinPath('/', 'etc'), '/etc');
    assert.equal(joinPath('/srv/www', 'a.txt'), '/srv/www/a.txt');
    assert.deepEqual(['/srv/www', '/srv/www/', '/srv', '/'].map(parentPath), ['/srv', '/srv', '/', '/']);
    assert.equal(resolvePath('/srv/www', 'b.txt'), '/srv/www/b.txt');
    assert.equal(resolvePath('/srv/www', ' ../old/./b.txt '), '/srv/old/b.txt');
    assert.equal(resolvePath('/srv/www', '/tmp//x/'), '/tmp/x');
    assert.equal(resolvePath('/srv', '../../../../etc'), '/etc');
  });

  it('accepts a plain name and an octal mode only', () => {
    assert.deepEqual(['a', 'a b.txt', '.env', '', ' ', '.', '..', 'a/b', 'a\\b', 'a\0'].map(validName), [true, true, true, false, false, false, false, false, false, false]);
    assert.deepEqual(['644', '0755', '1777', '88', '12345', '0x1', ''].map(validMode), [true, true, true, false, false, false, false]);
  });

  it('starts the breadcrumbs at the root that holds the path', () => {
    const roots = [{ path: '/srv/data', name: 'data' }];
    assert.deepEqual(crumbsOf('/srv/data/a/b', roots), [
      { label: 'data', path: '/srv/data' },
      { label: 'a', path: '/srv/data/a' },
      { label: 'b', path: '/srv/data/a/b' },
    ]);
    assert.deepEqual(crumbsOf('/C/Users', [{ path: '/C', name: 'C:' }, { path: '/D', name: 'D:' }]), [
      { label: 'C:', path: '/C' },
      { label: 'Users', path: '/C/Users' },
    ]);
    assert.deepEqual(crumbsOf('/etc', [{ path: '/', name: '/' }]), [
      { label: '/', path: '/' },
      { label: 'etc', path: '/etc' },
    ]);
  });

  it('round-trips UTF-8 text through base64 and refuses bytes that are not text', () => {
    const text = 'hello 你好 🌏\n';
    assert.equal(Buffer.from(encodeText(text), 'base64').toString('utf8'), text);
    assert.equal(decodeText(encodeText(text)), text);
    assert.equal(decodeText(Buffer.from([0xff, 0xfe, 0x41]).toString('base64')), undefined);
    assert.equal(decodeText(Buffer.from('a\0b').toString('base64')), undefined);
    const big = 'x'.repeat(200_000);
    assert.equal(decodeText(encodeText(big)), big);
  });
});
