// The one place koffi is loaded. Every C function tsshim calls is declared
// here once, so the cost of binding (a few microseconds each) is paid once per
// process and nothing above src/linux ever sees koffi.
import koffi = require('koffi');

const lib = koffi.load('libc.so.6');

export const errno = (): number => koffi.errno();

export const c = {
  // processes
  posix_spawn: lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)'),
  posix_spawn_file_actions_init: lib.func('int posix_spawn_file_actions_init(void *fa)'),
  posix_spawn_file_actions_destroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)'),
  posix_spawn_file_actions_adddup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
  posix_spawn_file_actions_addchdir_np: lib.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)'),
  posix_spawnattr_init: lib.func('int posix_spawnattr_init(void *attr)'),
  posix_spawnattr_destroy: lib.func('int posix_spawnattr_destroy(void *attr)'),
  posix_spawnattr_setflags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
  posix_spawnattr_setsigdefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
  posix_spawnattr_setsigmask: lib.func('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
  execve: lib.func('int execve(const char *path, const char **argv, const char **envp)'),
  waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
  kill: lib.func('int kill(int pid, int sig)'),
  prctl: lib.func('int prctl(int option, ...)'),
  setsid: lib.func('int setsid()'),
  signal: lib.func('void *signal(int sig, void *handler)'),
  sigprocmask: lib.func('int sigprocmask(int how, const void *set, void *oldset)'),
  syscall: lib.func('long syscall(long number, ...)'),

  // namespaces, mounts, identity
  unshare: lib.func('int unshare(int flags)'),
  setns: lib.func('int setns(int fd, int nstype)'),
  mount: lib.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)'),
  umount2: lib.func('int umount2(const char *target, int flags)'),
  sethostname: lib.func('int sethostname(const char *name, size_t len)'),
  setdomainname: lib.func('int setdomainname(const char *name, size_t len)'),
  chdir: lib.func('int chdir(const char *path)'),
  fchdir: lib.func('int fchdir(int fd)'),
  umask: lib.func('int umask(int mask)'),
  setresuid: lib.func('int setresuid(int ruid, int euid, int suid)'),
  setresgid: lib.func('int setresgid(int rgid, int egid, int sgid)'),
  setgroups: lib.func('int setgroups(size_t size, const uint32_t *list)'),
  setrlimit: lib.func('int setrlimit(int resource, const uint64_t *rlim)'),

  // file descriptors
  open: lib.func('int open(const char *path, int flags, ...)'),
  close: lib.func('int close(int fd)'),
  read: lib.func('long read(int fd, _Out_ uint8_t *buf, size_t count)'),
  write: lib.func('long write(int fd, const uint8_t *buf, size_t count)'),
  fcntl: lib.func('int fcntl(int fd, int cmd, ...)'),
  dup2: lib.func('int dup2(int oldfd, int newfd)'),
  dup3: lib.func('int dup3(int oldfd, int newfd, int flags)'),
  pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
  close_range: lib.func('int close_range(unsigned int first, unsigned int last, int flags)'),
  mkfifo: lib.func('int mkfifo(const char *path, uint32_t mode)'),
  mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
  flock: lib.func('int flock(int fd, int operation)'),
};
