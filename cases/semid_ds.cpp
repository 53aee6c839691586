// semget(2) DESCRIPTION: how a new set's semid_ds is initialised, and every other view Linux gives of it.
#include "area.hpp"
SEMGET_AREA("semid_ds", "semget(2) DESCRIPTION (semid_ds initialisation); NOTES (initial values)");
