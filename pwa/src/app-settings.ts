// The user's settings (backend, appliance URL, engine), kept in localStorage with defaults in one place.
import type { ApplianceTarget } from './appliance-fetch.js';
import type { EngineChoice, ModelChoice, TeacherTarget } from './protocol/worker-protocol.js';

/** Where chat goes and which engine runs on the device. */
export interface AppSettings {
  backend: 'device' | 'appliance';
  /** Appliance base URL, e.g. `https://pi.local:8080`; also the teacher when set. */
  applianceUrl: string;
  /** Sent as a bearer token on every call to the appliance (one on the LAN needs a key with the chat scope). */
  applianceKey: string;
  engine: EngineChoice;
  /** Registry id of the on-device model. */
  model: string;
  dtype: ModelChoice['dtype'];
  /** Where models that are not built in are pulled from (Hugging Face layout). */
  modelMirror: string;
}

const KEY = 'nexus-settings';
const defaults: AppSettings = { backend: 'device', applianceUrl: '', applianceKey: '', engine: 'auto', model: 'lexicon-tiny', dtype: 'q8', modelMirror: '' };

/** The saved settings, with defaults for anything missing. */
export function loadSettings(): AppSettings {
  try {
    return { ...defaults, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<AppSettings>) };
  } catch {
    return { ...defaults };
  }
}

/** Saves the settings. */
export function saveSettings(settings: AppSettings): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

/** The appliance URL without a trailing slash, or undefined when none is set. */
export function applianceBase(settings: AppSettings): string | undefined {
  const url = settings.applianceUrl.trim().replace(/\/+$/, '');
  return url || undefined;
}

/** The appliance and its key, or undefined when no appliance URL is set. */
export function applianceTarget(settings: AppSettings): ApplianceTarget | undefined {
  const base = applianceBase(settings);
  return base ? { base, key: settings.applianceKey } : undefined;
}

/** The appliance the on-device assistant asks when its gate abstains, with the key it wants. */
export function teacherOf(settings: AppSettings): TeacherTarget | undefined {
  const target = applianceTarget(settings);
  return target && { url: target.base, key: target.key || undefined };
}

/** The on-device model the settings ask for. */
export function modelChoiceOf(settings: AppSettings): ModelChoice {
  return { model: settings.model, dtype: settings.dtype, mirror: settings.modelMirror.trim() || undefined };
}
