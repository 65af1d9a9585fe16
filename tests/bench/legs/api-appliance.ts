// Child process of the API leg: the appliance on a temp data dir, port 0, serving the bench Assistant; prints its URL.
// Usage: node --import tsx tests/bench/legs/api-appliance.ts DATA_DIR OPTIONS_JSON
import { defaultConfig } from '../../../edge-config/config-schema.js';
import { startAppliance } from '../../../runtime/node/appliance/start-appliance.js';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { parseLegOptions } from '../leg-result.js';
import { benchAssistant, heldTokens } from './bench-assistant.js';

const dataDir = process.argv[2];
const options = parseLegOptions(process.argv);
const base = defaultConfig();
const assistant = await benchAssistant(options);
const config = { ...base, port: 0, adminPort: 0, dataDir, dtype: options.dtype, threads: options.threads, backend: 'wasm' as const, logs: { ...base.logs, level: 'error' as const } };
const handle = await startAppliance(config, { assistant, staticDir: null, logger: new ApplianceLogger({ level: 'error' }) });
process.stdout.write(`${JSON.stringify({ event: 'bench.ready', lanUrl: handle.lanUrl, held: heldTokens(assistant) })}\n`);
process.on('SIGTERM', () => void handle.close('SIGTERM').then(() => process.exit(0)));
