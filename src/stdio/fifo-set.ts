// The shim's own handles on the FIFOs containerd's client made for a process.
//
// The init process opens the FIFOs itself (there is no copy through the shim:
// the program's writes go straight to the client). The shim's handles keep
// each FIFO usable across client restarts, as the runc shim's do:
//   stdin        O_RDWR, held until CloseIO: the program sees EOF only when
//                the client has closed its end and CloseIO arrived
//   stdout/err   O_RDWR while the init process opens its write end (so the
//                open never finds the FIFO without a reader), then O_RDONLY,
//                never read: the program never gets EPIPE if the client goes
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR } from '../linux/constants';
import { open, close } from '../linux/fd';

export class FifoSet {
  private stdinKeep: number | null = null;
  private outputs: number[] = [];
  private temporary: number[] = [];

  constructor(readonly stdin: string, readonly stdout: string, readonly stderr: string) {
    const unsupported = [stdin, stdout, stderr].find((p) => /^[a-z][a-z0-9+.-]*:/i.test(p));
    if (unsupported) throw new Error(`stdio ${unsupported}: only FIFO paths are supported yet (binary:// and file:// are not)`);
  }

  /** Paths for the init process to open; null where there is none. */
  get paths(): [string | null, string | null, string | null] {
    return [this.stdin || null, this.stdout || null, this.stderr || null];
  }

  /** Before the init process opens its ends. */
  prepare(): void {
    if (this.stdin) this.stdinKeep = openFifo(this.stdin, O_RDWR);
    for (const p of [this.stdout, this.stderr]) if (p) this.temporary.push(openFifo(p, O_RDWR));
  }

  /** After the init process has opened its ends. */
  settle(): void {
    for (const p of new Set([this.stdout, this.stderr])) if (p) this.outputs.push(openFifo(p, O_RDONLY | O_NONBLOCK));
    this.dropTemporary();
  }

  closeStdin(): void {
    if (this.stdinKeep !== null) close(this.stdinKeep);
    this.stdinKeep = null;
  }

  close(): void {
    this.closeStdin();
    this.dropTemporary();
    for (const fd of this.outputs) close(fd);
    this.outputs = [];
  }

  private dropTemporary(): void {
    for (const fd of this.temporary) close(fd);
    this.temporary = [];
  }
}

function openFifo(path: string, flags: number): number {
  return open(path, flags | O_CLOEXEC);
}
