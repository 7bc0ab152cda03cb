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
