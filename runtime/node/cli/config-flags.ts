// The config flags `serve`, `start` and `restart` accept, and how `start` forwards them to `serve`.
import { Option, type Command } from 'commander';
import { configOverrides } from '../config/load-config.js';

const descriptions: Record<string, string> = {
  '--host': 'LAN API bind address',
  '--port': 'LAN API port',
  '--admin-port': 'admin API port (loopback)',
  '--data-dir': 'data directory (checkpoints, keys, logs, PID file)',
  '--model': 'registry id or model directory',
  '--config': 'config file (default <data-dir>/config.json)',
  '--dtype': 'q4 | q8 | fp32',
  '--backend': 'wasm | native | auto',
  '--threads': 'inference threads',
  '--profile': 'pi4-4gb | pi5-8gb | desktop',
  '--teacher-url': 'OpenAI-compatible teacher base URL',
  '--model-mirror': 'base URL for model downloads',
  '--log-level': 'debug | info | warn | error',
};

const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Adds every config flag (each also settable as its NEXUS_* variable); loadConfig validates values. */
export function withConfigFlags(command: Command): Command {
  for (const setting of configOverrides) command.addOption(new Option(`${setting.flag} <value>`, `${descriptions[setting.flag] ?? setting.path} (env ${setting.env})`));
  return command;
}

/** The config flags given in `options`, camelCase as commander names them, values as text. */
export function configFlagValues(options: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    configOverrides.flatMap((setting) => {
      const value = options[camel(setting.flag)];
      return value === undefined ? [] : [[camel(setting.flag), String(value)]];
    }),
  );
}

/** The config flags that the NEXUS_* variables set in `env` stand for, camelCase as commander names them (an empty variable sets nothing). */
export function configEnvValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    configOverrides.flatMap((setting) => {
      const value = env[setting.env];
      return value === undefined || value === '' ? [] : [[camel(setting.flag), value]];
    }),
  );
}

/** The config flags given in `options`, back as an argv for a child `serve`. */
export function configFlagArgs(options: Readonly<Record<string, unknown>>): string[] {
  return configOverrides.flatMap((setting) => {
    const value = options[camel(setting.flag)];
    return value === undefined ? [] : [setting.flag, String(value)];
  });
}
