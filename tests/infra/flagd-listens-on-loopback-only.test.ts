// flagd has no option for the address it binds; our build gives it one
// (scripts/tools/flagd/bind-host.sh) and `make local` sets it to 127.0.0.1.
// Read from the kernel's own table of listening sockets: each of flagd's four
// ports listens, on 127.0.0.1 and nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LOCAL_ADDRESSES } from '@shop/contracts';

const LISTEN = '0A';

/** Every listening TCP socket as "address:port" (IPv4 dotted, IPv6 in hex groups). */
function listeners(): string[] {
  const found: string[] = [];
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 on this host
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== LISTEN || !local) continue;
      const [hexAddress, hexPort] = local.split(':') as [string, string];
      found.push(`${v6 ? `[${hexAddress}]` : ipv4(hexAddress)}:${Number.parseInt(hexPort, 16)}`);
    }
  }
  return found;
}

/** /proc/net/tcp writes an IPv4 address as one little-endian hex word. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
}

test("flagd's evaluation, management, sync and OFREP ports listen on 127.0.0.1 only", () => {
  const at = LOCAL_ADDRESSES;
  const all = listeners();
  for (const port of [at.flagdPort, at.flagdManagementPort, at.flagdSyncPort, at.flagdOfrepPort]) {
    const onPort = all.filter((l) => l.endsWith(`:${port}`));
    assert.deepEqual(onPort, [`127.0.0.1:${port}`], `listeners on port ${port}`);
  }
});
