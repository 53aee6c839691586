// Which error wins when several apply: the order Linux checks them in (ipc/sem.c, ipc/util.c).
#include "area.hpp"
SEMGET_AREA("precedence", "semget(2) ERRORS; Linux ipc/util.c ipcget order");
