// hclog-style JSON lines on stderr. go-plugin on Terraform's side parses these lines and re-emits them in
// Terraform's own log (TF_LOG / TF_LOG_PROVIDER), so this is the provider's only log stream. stdout is reserved for
// the handshake line and must never be written to from here.

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export type Fields = Record<string, unknown>;

export interface Logger {
  trace(msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds these fields to every line (e.g. the resource type or the domain name). */
  with(fields: Fields): Logger;
}

function levelFromEnv(env: NodeJS.ProcessEnv): Level | 'off' {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || '').trim().toLowerCase();
  if (raw === '') return 'info';
  if (raw === 'off') return 'off';
  if (raw === 'json') return 'trace';
  return raw in ORDER ? (raw as Level) : 'info';
}

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  env: NodeJS.ProcessEnv = process.env,
  base: Fields = {},
): Logger {
  const min = levelFromEnv(env);
  const emit = (level: Level, msg: string, fields?: Fields) => {
    if (min === 'off' || ORDER[level] < ORDER[min]) return;
    // go-plugin parses @timestamp with exactly six fractional digits; with three, Terraform shows the raw JSON line.
    const line: Fields = {
      '@level': level,
      '@message': msg,
      '@module': 'xen',
      '@timestamp': new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
    };
    for (const [k, v] of Object.entries({ ...base, ...fields })) {
      line[k] = v instanceof Error ? v.message : v;
    }
    write(JSON.stringify(line) + '\n');
  };
  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    with: (fields) => createLogger(write, env, { ...base, ...fields }),
  };
}

/** The process-wide logger. Modules take a Logger parameter where tests need to capture lines. */
export const log: Logger = createLogger();
