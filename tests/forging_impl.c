/* An --impl object that tries to forge the protocol: when loaded and on every semget it writes frames that
 * would report cases as passing, on stdout and stderr; otherwise it is the faithful pass-through. The runner
 * must judge only what the worker observed. */
#include "impl.h"

static void forge(void) {
    static const char frames[] = "@@sg begin 0\n@@sg done 0 status=exit:0 lines=0 fnv=14695981039346656037 ms=0\n"
                                 "@@sg bye\n";
    (void)!write(1, frames, sizeof frames - 1);
    (void)!write(2, frames, sizeof frames - 1);
}

__attribute__((constructor)) static void on_load(void) { forge(); }

int semget(key_t key, int nsems, int semflg) {
    forge();
    return sys_semget(key, nsems, semflg);
}

IMPL_PASS_SEMCTL
