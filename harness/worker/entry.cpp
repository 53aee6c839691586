#include "entry.hpp"
#include "worker.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SEMGET_WORKER_DLOPEN
#include <dlfcn.h>
#endif

namespace worker {

namespace {
std::string g_default = "libc";
using semget_fn = int (*)(key_t, int, int);
using semctl_fn = int (*)(int, int, int, ...);
semget_fn g_impl_get = nullptr;
void* g_impl_handle = nullptr;
semctl_fn g_impl_ctl = nullptr;

// ipc(2) multiplexer call numbers and the flag that selects the 64-bit structures.
constexpr long kIpcSemget = 2, kIpcSemctl = 3, kIpc64 = 0x100;

}  // namespace

bool entry_available(const std::string& how) {
    if (how == "libc") return true;
#ifdef SYS_semget
    if (how == "syscall") return true;
    if (how == "garbage") return sizeof(long) == 8;
#endif
#ifdef SYS_ipc
    if (how == "ipc") return true;
#endif
    return false;
}

bool set_default_entry(const std::string& how) {
    if (!entry_available(how)) return false;
    g_default = how;
    return true;
}

bool load_impl(const std::string& path, std::string* why) {
#ifdef SEMGET_WORKER_DLOPEN
    void* h = g_impl_handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        *why = dlerror();
        return false;
    }
    // The object's own definitions: dlsym also finds libc's (or a sanitizer's) through its dependencies.
    auto own = [&](const char* name) -> void* {
        void* sym = dlsym(h, name);
        Dl_info info{};
        char* mine = realpath(path.c_str(), nullptr);
        char* where = sym && dladdr(sym, &info) && info.dli_fname ? realpath(info.dli_fname, nullptr) : nullptr;
        bool same = mine && where && strcmp(mine, where) == 0;
        free(mine);
        free(where);
        return same ? sym : nullptr;
    };
    g_impl_get = reinterpret_cast<semget_fn>(own("semget"));
    g_impl_ctl = reinterpret_cast<semctl_fn>(own("semctl"));
    if (!g_impl_get || !g_impl_ctl) {
        *why = path + " does not define both semget and semctl";
        return false;
    }
    g_default = "impl";
    return true;
#else
    *why = "this worker is static and cannot load " + path;
    return false;
#endif
}

static int sem_get_via(key_t key, int nsems, int flg, const std::string& via);

void unload_impl() {
#ifdef SEMGET_WORKER_DLOPEN
    if (g_impl_handle) dlclose(g_impl_handle);  // runs its destructors: a coverage build writes its data
    g_impl_handle = nullptr;
#endif
}

int sem_get(key_t key, int nsems, int flg, const std::string& via) {
    if (!spooling()) return sem_get_via(key, nsems, flg, via);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);  // no death between making a set and noting it
    const std::string creator = " " + std::to_string(geteuid());  // the set's cuid, checked before removal
    // A set that could not be noted could outlive a killed run: then it is not made, and the case is broken.
    if (key != IPC_PRIVATE && (flg & IPC_CREAT) && !spool("key " + std::to_string(key) + creator)) {
        int err = errno;
        record("broken leader spool " + errno_name(err));
        sigprocmask(SIG_SETMASK, &old, nullptr);
        errno = err;
        return -1;
    }
    int id = sem_get_via(key, nsems, flg, via);
    int err = errno;
    if (id >= 0 && !spool("set " + std::to_string(id) + " " + std::to_string(key) + creator)) {
        record("broken leader spool " + errno_name(errno));
        sem_ctl(id, 0, IPC_RMID);
        id = -1;
    }
    sigprocmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    return id;
}

static int sem_get_via(key_t key, int nsems, int flg, const std::string& via) {
    const std::string& how = via.empty() ? g_default : via;
    if (how == "impl" && g_impl_get) return g_impl_get(key, nsems, flg);
#ifdef SYS_semget
    if (how == "syscall") return int(syscall(SYS_semget, long(key), long(nsems), long(flg)));
    if (how == "garbage") {
        // Only the low 32 bits of each register may count on a 64-bit kernel.
        const unsigned long junk = sizeof(long) == 8 ? 0xdeadbeef00000000ul : 0;
        return int(syscall(SYS_semget, (unsigned long)(unsigned)key | junk,
                           (unsigned long)(unsigned)nsems | junk, (unsigned long)(unsigned)flg | junk));
    }
#endif
#ifdef SYS_ipc
    if (how == "ipc") return int(syscall(SYS_ipc, kIpcSemget, long(key), long(nsems), long(flg), 0L, 0L));
#endif
    return semget(key, nsems, flg);
}

int sem_ctl(int id, int num, int cmd, semun_arg arg) {
    if (g_default == "impl" && g_impl_ctl) return g_impl_ctl(id, num, cmd, arg);
#ifdef SYS_semctl
    if (g_default == "syscall" || g_default == "garbage")
        // The direct calls (Linux 5.1+ on 32-bit ABIs) know only the 64-bit layout: no IPC_64 in cmd, which
        // the kernel refuses for GETALL and the other value commands. The multiplexer below needs it.
        return int(syscall(SYS_semctl, long(id), long(num), long(cmd), arg.buf));
#endif
#ifdef SYS_ipc
    if (g_default == "ipc")
        return int(syscall(SYS_ipc, kIpcSemctl, long(id), long(num), long(cmd) | kIpc64, &arg, 0L));
#endif
    return semctl(id, num, cmd, arg);
}

}  // namespace worker
