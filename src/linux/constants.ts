// Kernel ABI numbers for x86_64 Linux (include/uapi/linux/sched.h, mount.h,
// fcntl.h). Kept as plain numbers so callers above src/linux can name them
// without importing koffi.

export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_NEWTIME = 0x00000080;
export const CLONE_FS = 0x00000200;

export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_SYNCHRONOUS = 0x10;
export const MS_REMOUNT = 0x20;
export const MS_MANDLOCK = 0x40;
export const MS_DIRSYNC = 0x80;
export const MS_NOSYMFOLLOW = 0x100;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_MOVE = 0x2000;
export const MS_REC = 0x4000;
export const MS_SILENT = 0x8000;
export const MS_UNBINDABLE = 0x20000;
export const MS_PRIVATE = 0x40000;
export const MS_SLAVE = 0x80000;
export const MS_SHARED = 0x100000;
export const MS_RELATIME = 0x200000;
export const MS_STRICTATIME = 0x1000000;
export const MS_LAZYTIME = 0x2000000;

export const MNT_DETACH = 0x2;

export const O_RDONLY = 0x0;
export const O_WRONLY = 0x1;
export const O_RDWR = 0x2;
export const O_CREAT = 0x40;
export const O_APPEND = 0x400;
export const O_NOCTTY = 0x100;
export const O_NONBLOCK = 0x800;
export const O_DIRECTORY = 0x10000;
export const O_NOFOLLOW = 0x20000;
export const O_CLOEXEC = 0x80000;
export const O_PATH = 0x200000;

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;

export const CLOSE_RANGE_CLOEXEC = 1 << 2;

export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

export const PR_SET_PDEATHSIG = 1;
export const PR_SET_NAME = 15;
export const PR_CAPBSET_DROP = 24;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_SET_NO_NEW_PRIVS = 38;

export const SYS_pivot_root = 155;
export const SYS_capset = 126;

export const WNOHANG = 1;
export const F_DUPFD_CLOEXEC = 1030;
