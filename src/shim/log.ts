// The shim's log: logrus-style text lines on stderr, which the start script
// points at the bundle's "log" FIFO so they appear in containerd's own log.

let fields = '';
let debugEnabled = false;

export function configureLog(context: Record<string, string>, debug: boolean): void {
  fields = Object.entries(context).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('');
  debugEnabled = debug;
  // containerd may be gone (restarting): never let a log write kill the shim.
  process.stderr.on('error', () => {});
}

function write(level: string, msg: string): void {
  process.stderr.write(`time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}${fields}\n`);
}

export const log = {
  debug: (msg: string) => debugEnabled && write('debug', msg),
  info: (msg: string) => write('info', msg),
  warn: (msg: string) => write('warning', msg),
  error: (msg: string) => write('error', msg),
};
