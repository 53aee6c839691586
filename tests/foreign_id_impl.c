/* An --impl object with an id space of its own: the first set it makes is given the id named by
 * SEMGET_TEST_FOREIGN_ID (a kernel set that belongs to someone else), and every semctl on that id is sent to
 * the set it really made. A run that removes by id through the kernel, not through the implementation,
 * would destroy the other set. */
#include "impl.h"

static int fake = -1, real = -1;

int semget(key_t key, int nsems, int semflg) {
    int id = sys_semget(key, nsems, semflg);
    const char *foreign = getenv("SEMGET_TEST_FOREIGN_ID");
    if (id >= 0 && fake < 0 && foreign) {
        fake = atoi(foreign);
        real = id;
        return fake;
    }
    return id == real ? fake : id;
}

int semctl(int semid, int semnum, int cmd, ...) {
    IMPL_SEMCTL_ARG(cmd, arg);
    return sys_semctl(semid == fake ? real : semid, semnum, cmd, arg);
}
