// semget(2) DESCRIPTION and ERRORS/EINVAL: nsems must lie in 0..SEMMSL, may be 0 only to open an existing set,
// and may not exceed the size of the set it opens.
#include "area.hpp"
SEMGET_AREA("nsems", "semget(2) DESCRIPTION; ERRORS EINVAL; NOTES SEMMSL");
