// semget(2) DESCRIPTION: the low nine bits of semflg become the new set's permissions; nothing else does.
#include "area.hpp"
SEMGET_AREA("semflg", "semget(2) DESCRIPTION (semflg permissions)");
