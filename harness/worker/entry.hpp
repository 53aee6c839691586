// The entry points a worker can route semget and semctl through: libc, the raw system call, the ipc(2)
// multiplexer, the raw call with garbage in the upper register halves, or a shared object under test.
#pragma once

#include <string>
#include <sys/types.h>

namespace worker {

union semun_arg {
    int val;
    void* buf;
    unsigned short* array;
    void* info;
};

// Chooses the route for every call of the session; `how` is libc | syscall | ipc | garbage.
bool set_default_entry(const std::string& how);
// Routes every call through a shared object's semget/semctl (libc signatures, errno on failure).
bool load_impl(const std::string& path, std::string* why);
bool entry_available(const std::string& how);

int sem_get(key_t key, int nsems, int flg, const std::string& via = "");
int sem_ctl(int id, int num, int cmd, semun_arg arg = {});

}  // namespace worker
