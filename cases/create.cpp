// semget(2) DESCRIPTION: a key names a set; IPC_PRIVATE always makes a new one, IPC_CREAT makes one for a key
// that has none, IPC_EXCL insists on making it; ERRORS EEXIST and ENOENT.
#include "area.hpp"
SEMGET_AREA("create", "semget(2) DESCRIPTION, NOTES; ERRORS EEXIST, ENOENT");
