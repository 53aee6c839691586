// semget(2) DESCRIPTION and ERRORS/EACCES: opening an existing set checks the requested permission bits
// against the caller's class, unless the caller has CAP_IPC_OWNER in the namespace that owns the set.
#include "area.hpp"
SEMGET_AREA("permissions", "semget(2) ERRORS EACCES; sysvipc(7)");
