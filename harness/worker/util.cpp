#include "worker.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace worker {

static int g_record_fd = 1;
static int g_spool_fd = -1;

void set_record_fd(int fd) { g_record_fd = fd; }
void set_spool_fd(int fd) { g_spool_fd = fd; }
bool spooling() { return g_spool_fd >= 0; }

suite::Owned& owned() {
    static suite::Owned o;
    return o;
}

static std::string g_token = "local";
void set_token(const std::string& t) {
    if (!t.empty() && t.size() <= 16 && t.find_first_of("/. ") == std::string::npos) g_token = t;
}
const std::string& token() { return g_token; }

// With a spool (host namespace) a dying parent sends SIGTERM, which sem_get holds off until the set it
// made is noted; SIGKILL could land between the two and leave an IPC_PRIVATE set nobody can find.
#if SEMGET_WORKER_COVERAGE
extern "C" void __gcov_dump(void);
#endif

// Every process of the worker ends here. _exit keeps a forked child from running its parent's exit work,
// but coverage data must still be written: the worker's own (a coverage build), and that of a shared object
// under test, which writes it when unloaded.
void leave(int code) {
#if SEMGET_WORKER_COVERAGE
    __gcov_dump();
#endif
    unload_impl();
    _exit(code);
}

// A parent that died before the prctl would never send the signal: check that it is still ours.
void die_with_parent(pid_t parent) {
    prctl(PR_SET_PDEATHSIG, spooling() ? SIGTERM : SIGKILL);
    if (getppid() != parent) leave(0);
}

// The host's spool file: every key about to be created and every set made is noted there first, so the
// host can remove exactly the sets of a host-namespace run whose worker was killed before it cleaned up.
bool spool(const std::string& line) {
    if (g_spool_fd < 0) return true;
    std::string out = line + "\n";
    return write(g_spool_fd, out.data(), out.size()) == ssize_t(out.size());
}

void record(const std::string& line) {
    std::string out = kTag + line + "\n";
    const char* p = out.data();
    size_t left = out.size();
    while (left > 0) {  // one write per record keeps records of concurrent processes whole
        ssize_t n = write(g_record_fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        left -= size_t(n);
    }
}

std::string read_file(const char* path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, size_t(n));
    close(fd);
    return s;
}

// One write() at offset 0: the kernel parses the four sem limits from a single write only.
bool write_file(const char* path, const std::string& text, int* err) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return false;
    }
    ssize_t n = write(fd, text.data(), text.size());
    *err = n < 0 ? errno : 0;
    close(fd);
    return n == ssize_t(text.size());
}

// A case's isolation: a fresh IPC namespace (root), a user namespace with uid 0 mapped to the caller and a
// fresh IPC namespace (unprivileged), or none (the host's, with private keys).
bool enter_namespace(const std::string& mode) {
    if (mode == "ipc") return unshare(CLONE_NEWIPC) == 0;
    if (mode == "userns") {
        std::string u = "0 " + std::to_string(geteuid()) + " 1", g = "0 " + std::to_string(getegid()) + " 1";
        int err;
        if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) != 0) return false;
        write_file("/proc/self/setgroups", "deny", &err);
        return write_file("/proc/self/uid_map", u, &err) && write_file("/proc/self/gid_map", g, &err);
    }
    return mode == "none";
}

bool read_limits(long out[4]) {
    std::string s = read_file("/proc/sys/kernel/sem");
    char* p = s.data();
    for (int i = 0; i < 4; ++i) {
        char* end;
        errno = 0;
        out[i] = strtol(p, &end, 10);
        if (end == p || errno) return false;
        p = end;
    }
    return true;
}

// Sizes are symbolic in the tables ("SEMMSL+1") because limits are read from the running system.
long eval_int(const std::string& expr) {
    static const char* names[] = {"SEMMSL", "SEMMNS", "SEMOPM", "SEMMNI"};
    std::string base = expr;
    long delta = 0;
    size_t op = expr.find_first_of("+-", 1);
    if (op != std::string::npos && !isdigit((unsigned char)expr[0]) && expr[0] != '-') {
        base = expr.substr(0, op);
        delta = strtol(expr.c_str() + op, nullptr, 0);
    }
    for (int i = 0; i < 4; ++i)
        if (base == names[i]) {
            long lim[4];
            if (!read_limits(lim)) return LONG_MIN;
            return lim[i] + delta;
        }
    if (base == "INT_MAX") return long(INT_MAX) + delta;
    if (base == "INT_MIN") return long(INT_MIN) + delta;
    return strtol(expr.c_str(), nullptr, 0);
}

std::string errno_name(int e) {
    switch (e) {
        case 0: return "0";
        case EACCES: return "EACCES";
        case EEXIST: return "EEXIST";
        case EINVAL: return "EINVAL";
        case EAGAIN: return "EAGAIN";
        case ENOENT: return "ENOENT";
        case ENOMEM: return "ENOMEM";
        case ENOSPC: return "ENOSPC";
        case EPERM: return "EPERM";
        case EIDRM: return "EIDRM";
        case EFAULT: return "EFAULT";
        case EINTR: return "EINTR";
        case ENOSYS: return "ENOSYS";
        case ERANGE: return "ERANGE";
        case EBUSY: return "EBUSY";
        default: return "E" + std::to_string(e);
    }
}

}  // namespace worker
