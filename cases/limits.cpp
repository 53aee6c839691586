// semget(2) NOTES and ERRORS ENOSPC/ENOMEM: SEMMNI, SEMMNS and SEMMSL, read from /proc/sys/kernel/sem of the
// caller's IPC namespace.
#include "area.hpp"
SEMGET_AREA("limits", "semget(2) NOTES (limits); ERRORS ENOSPC, ENOMEM; proc(5) /proc/sys/kernel/sem");
