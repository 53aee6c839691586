// Puts a caller process into the identity a case asks for: user and IPC namespaces, ids, groups,
// capabilities, umask and a seccomp filter. Any step that fails is reported as "broken", never as a verdict.
#include "worker.hpp"

#include <cerrno>
#include <cstddef>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#if SEMGET_WORKER_LIBCAP
#include <sys/capability.h>
#else
#include <linux/capability.h>
#endif
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace worker {

namespace {

bool broken(const Caller& c, const std::string& what, int e = errno) {
    record("broken " + c.name + " " + what + " " + errno_name(e));
    return false;
}

bool map_self(const std::string& inside_outside) {
    auto colon = inside_outside.find(':');
    std::string line = inside_outside.substr(0, colon) + " " + inside_outside.substr(colon + 1) + " 1";
    int err = 0;
    write_file("/proc/self/setgroups", "deny", &err);
    return write_file("/proc/self/uid_map", line, &err) && write_file("/proc/self/gid_map", line, &err);
}

#if SEMGET_WORKER_LIBCAP
bool drop_caps(const std::string& which) {
    cap_t caps = which == "none" ? cap_init() : cap_get_proc();
    if (!caps) return false;
    if (which == "-ipc_owner") {
        cap_value_t v[] = {CAP_IPC_OWNER};
        cap_set_flag(caps, CAP_EFFECTIVE, 1, v, CAP_CLEAR);
        cap_set_flag(caps, CAP_PERMITTED, 1, v, CAP_CLEAR);
        cap_set_flag(caps, CAP_INHERITABLE, 1, v, CAP_CLEAR);
    }
    int r = cap_set_proc(caps);
    cap_free(caps);
    return r == 0;
}
#else
// Cross-built workers have no libcap for their architecture: the same two calls, made directly.
bool drop_caps(const std::string& which) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d[2] = {};
    if (which != "none" && syscall(SYS_capget, &h, d) != 0) return false;
    if (which == "-ipc_owner")
        for (auto* set : {&d[0].effective, &d[0].permitted, &d[0].inheritable}) *set &= ~(1u << CAP_IPC_OWNER);
    return syscall(SYS_capset, &h, d) == 0;
}
#endif

// Makes every semget/semctl (and the ipc multiplexer) fail the way a system without SysV IPC does.
bool install_seccomp(const std::string& how) {
    const unsigned action = how == "sigsys" ? SECCOMP_RET_TRAP : SECCOMP_RET_ERRNO | ENOSYS;
    std::vector<sock_filter> f = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr))};
    std::vector<long> nrs;
#ifdef SYS_semget
    nrs.push_back(SYS_semget);
    nrs.push_back(SYS_semctl);
#endif
#ifdef SYS_ipc
    nrs.push_back(SYS_ipc);
#endif
    for (long nr : nrs) {
        f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, unsigned(nr), 0, 1));
        f.push_back(BPF_STMT(BPF_RET | BPF_K, action));
    }
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

}  // namespace

bool apply_identity(const Caller& c, const std::string& ns) {
    if (c.userns != "none") {
        if (unshare(CLONE_NEWUSER) != 0) return broken(c, "unshare(CLONE_NEWUSER)");
        if (c.userns != "unmapped" && !map_self(c.userns)) return broken(c, "uid_map");
    }
    if (c.newipc && unshare(CLONE_NEWIPC) != 0) return broken(c, "unshare(CLONE_NEWIPC)");
    if (c.umask >= 0) umask(mode_t(c.umask));
    if (ns == "userns") {
        // Only uid 0 is mapped in the case's user namespace; the host skips plans that need more.
        bool other = c.uid > 0 || c.gid > 0 || c.ruid > 0 || c.rgid > 0 || !c.groups.empty();
        if (other) return broken(c, "second-uid-in-user-namespace", EPERM);
    } else if (c.set_groups || c.gid >= 0) {
        if (setgroups(c.groups.size(), c.groups.data()) != 0) return broken(c, "setgroups");
    }
    if (c.gid >= 0) {
        gid_t r = gid_t(c.rgid >= 0 ? c.rgid : c.gid);
        if (setresgid(r, gid_t(c.gid), gid_t(c.gid)) != 0) return broken(c, "setresgid");
    }
    if (c.uid >= 0) {
        uid_t r = uid_t(c.ruid >= 0 ? c.ruid : c.uid);
        if (setresuid(r, uid_t(c.uid), uid_t(c.uid)) != 0) return broken(c, "setresuid");
    }
    if (c.caps != "all" && !drop_caps(c.caps)) return broken(c, "capset");
    if (c.seccomp != "none" && !install_seccomp(c.seccomp)) return broken(c, "seccomp");
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    getresuid(&ru, &eu, &su);
    getresgid(&rg, &eg, &sg);
    // The host checks this against the plan and uses it as the caller's effective ids.
    record("identity " + c.name + " ruid=" + std::to_string(ru) + " euid=" + std::to_string(eu) +
           " rgid=" + std::to_string(rg) + " egid=" + std::to_string(eg));
    return true;
}

}  // namespace worker
