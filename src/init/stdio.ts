// Opens the paths the init process uses as its stdio. containerd's client has
// made FIFOs and the runtime holds extra handles on them (so an open for
// writing always finds a reader); a FIFO opened O_NONBLOCK never waits, and
// the flag is cleared again so the program sees ordinary blocking stdio.
import { O_APPEND, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, O_CREAT } from '../linux/constants';
import { open, setNonBlocking } from '../linux/fd';

export function openStdio(paths: [string | null, string | null, string | null]): number[] {
  return paths.map((path, i) => {
    if (path === null) return open('/dev/null', O_RDWR | O_CLOEXEC);
    const fd = open(path, (i === 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_APPEND) | O_NONBLOCK | O_CLOEXEC, 0o644);
    setNonBlocking(fd, false);
    return fd;
  });
}
