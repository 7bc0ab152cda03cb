import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { AppConfig, ConfigError } from './app-config.js';

describe('AppConfig.fromEnvironment', () => {
  it('applies the documented defaults', () => {
    const config = AppConfig.fromEnvironment({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve('data'));
    expect(config.eventStore).toEqual({ kind: 'sqlite', filename: resolve('data/events.db') });
    expect(config.readModelsFile).toBe(resolve('data/read-models.db'));
    expect(config.durability).toBe('full');
    expect(config.loadDemo).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('reads every variable', () => {
    const config = AppConfig.fromEnvironment({
      PORT: '8080',
      TRACKER_DATA_DIR: '/tmp/tracker',
      TRACKER_DURABILITY: 'normal',
      TRACKER_DEMO: '0',
      LOG_LEVEL: 'debug',
      EVENT_STORE_URL: 'esdb://localhost:2113?tls=false',
    });
    expect(config.port).toBe(8080);
    expect(config.readModelsFile).toBe('/tmp/tracker/read-models.db');
    expect(config.durability).toBe('normal');
    expect(config.loadDemo).toBe(false);
    expect(config.eventStore).toEqual({ kind: 'esdb', connectionString: 'esdb://localhost:2113?tls=false' });
  });

  it('reads the accounts settings, with defaults: accounts.db beside the read models, 5 sign-ins a minute', () => {
    const defaults = AppConfig.fromEnvironment({ TRACKER_DATA_DIR: '/tmp/tracker' });
    expect(defaults.adminEmail).toBe('admin@localhost');
    expect(defaults.accountsFile).toBe('/tmp/tracker/accounts.db');
    expect(defaults.secureCookies).toBe('auto');
    expect(defaults.loginAttemptsPerMinute).toBe(5);
    const config = AppConfig.fromEnvironment({
      TRACKER_ADMIN_EMAIL: 'Ops@Example.org',
      TRACKER_ACCOUNTS_FILE: '/srv/shared/accounts.db',
      TRACKER_SECURE_COOKIES: '1',
      TRACKER_LOGIN_ATTEMPTS_PER_MINUTE: '0',
    });
    expect([config.adminEmail, config.accountsFile, config.secureCookies, config.loginAttemptsPerMinute]).toEqual([
      'ops@example.org',
      '/srv/shared/accounts.db',
      'always',
      0,
    ]);
    let error: unknown;
    try {
      AppConfig.fromEnvironment({ TRACKER_ADMIN_EMAIL: 'admin', TRACKER_SECURE_COOKIES: 'yes', TRACKER_LOGIN_ATTEMPTS_PER_MINUTE: 'many' });
    } catch (e) {
      error = e;
    }
    for (const name of ['TRACKER_ADMIN_EMAIL', 'TRACKER_SECURE_COOKIES', 'TRACKER_LOGIN_ATTEMPTS_PER_MINUTE']) expect((error as ConfigError).message).toContain(name);
  });

  it('reads the personal-data key store: keys.db in the data directory unless TRACKER_KEYS_FILE says otherwise', () => {
    expect(AppConfig.fromEnvironment({ TRACKER_DATA_DIR: '/tmp/tracker' }).keysFile).toBe('/tmp/tracker/keys.db');
    expect(AppConfig.fromEnvironment({ TRACKER_KEYS_FILE: '/srv/shared/keys.db' }).keysFile).toBe('/srv/shared/keys.db');
    expect(AppConfig.fromEnvironment({ TRACKER_KEYS_FILE: 'relative/keys.db' }).keysFile).toBe(resolve('relative/keys.db'));
    expect(() => AppConfig.fromEnvironment({ TRACKER_KEYS_FILE: '  ' })).toThrow(/TRACKER_KEYS_FILE must not be empty/);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      AppConfig.fromEnvironment({ PORT: 'eighty', TRACKER_DURABILITY: 'sometimes', TRACKER_DEMO: 'yes', EVENT_STORE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'TRACKER_DURABILITY', 'TRACKER_DEMO', 'EVENT_STORE_URL']) expect(message).toContain(name);
  });
});
