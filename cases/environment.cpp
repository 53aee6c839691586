// How semget is reached: libc, the raw system call, the ipc(2) multiplexer; and a system without SysV IPC.
#include "area.hpp"
SEMGET_AREA("environment", "semget(2) VERSIONS/NOTES; syscall(2); ipc(2)");
