import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const available = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!available) process.stderr.write('SKIPPED: docker-compose.yml validation — docker-compose is not installed\n');

(available ? describe : describe.skip)('docker-compose.yml', () => {
  it('is a valid compose file (docker-compose config -q)', () => {
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });

  it('runs EventStoreDB and two API instances on the same store', () => {
    const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
    expect(config).toContain('eventstore/eventstore:24.10');
    expect(config.match(/EVENT_STORE_URL: esdb:\/\/eventstore:2113\?tls=false/g)?.length).toBe(2);
    expect(readFileSync('docker-compose.yml', 'utf8')).not.toMatch(/^name:/m);
  });

  it('gives both API instances one accounts database and one key store, in a volume they both mount', () => {
    const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
    expect(config.match(/TRACKER_ACCOUNTS_FILE: \/shared\/accounts\.db/g)?.length).toBe(2);
    expect(config.match(/TRACKER_KEYS_FILE: \/shared\/keys\.db/g)?.length).toBe(2);
    expect(config.match(/- shared-data:\/shared\b/g)?.length).toBe(2);
  });
});
