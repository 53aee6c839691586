// The worker's session: read the configuration, say hello with the facts of this system, read the plans,
// run each case in its own process group (a fresh IPC namespace where the platform allows) and send its
// records back as one framed, checksummed block. See harness/PROTOCOL.md.
#include "entry.hpp"
#include "worker.hpp"
#include "harness/common/signals.hpp"

#include <climits>
#include <cstdint>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <iostream>
#include <sched.h>
#include <sstream>
#include <fcntl.h>
#include <sys/mman.h>
#include <termios.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace worker {
namespace {

struct Config {
    std::string mode = "auto", entry = "libc", impl;
    int jobs = 1;
    bool spool_given = false;
};

int g_protocol_fd = 1;  // stdout until main() moves it out of reach of case processes and --impl objects

// Runs fn in a child and tells whether it exited 0: probes must not change this process.
int g_probe_errno = 0;  // a probe that could not even fork: the facts would be wrong, so hello refuses

template <class F>
bool in_child(F fn) {
    pid_t p = fork();
    if (p < 0) {
        g_probe_errno = errno;
        return false;
    }
    if (p == 0) leave(fn() ? 0 : 1);
    int status = 0;
    while (waitpid(p, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string trimmed(const char* path) {
    std::string s = read_file(path);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s.empty() ? "none" : s;
}

std::string hello(Config& cfg) {
    if (cfg.mode == "auto") {
        if (geteuid() == 0 && in_child([] { return enter_namespace("ipc"); })) cfg.mode = "ipc";
        else if (in_child([] { return enter_namespace("userns"); })) cfg.mode = "userns";
        else cfg.mode = "none";
    } else if (!in_child([&] { return enter_namespace(cfg.mode); })) {
        return "hello v=1 error=cannot-enter-mode-" + cfg.mode;
    }
    const std::string mode = cfg.mode;
    bool writable = mode != "none" && in_child([&] {
        int err;
        return enter_namespace(mode) && write_file("/proc/sys/kernel/sem", read_file("/proc/sys/kernel/sem"), &err);
    });
    bool sysv = in_child([&] {
        errno = 0;
        return enter_namespace(mode) && !(sem_get(IPC_PRIVATE, -1, 0) < 0 && errno == ENOSYS);
    });
    if (g_probe_errno) return "hello v=1 error=probe-fork-failed-" + errno_name(g_probe_errno);
    utsname u{};
    uname(&u);
    std::string cmdline = read_file("/proc/cmdline");
    std::string entries;
    for (const char* e : {"libc", "syscall", "ipc", "garbage"})
        if (entry_available(e)) entries += std::string(entries.empty() ? "" : ",") + e;
    std::ostringstream h;
    h << "hello v=1 arch=" << u.machine << " release=" << u.release << " euid=" << geteuid() << " mode=" << mode
      << " limits_writable=" << writable << " sysv=" << sysv
      << " sem_next_id=" << (access("/proc/sys/kernel/sem_next_id", F_OK) == 0)
      << " ipcmni_extend=" << (cmdline.find("ipcmni_extend") != std::string::npos)
      << " overflowuid=" << trimmed("/proc/sys/kernel/overflowuid")
      << " overflowgid=" << trimmed("/proc/sys/kernel/overflowgid")
      << " memcg_v1=" << (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", W_OK) == 0)
      << " entries=" << entries << " entry=" << cfg.entry << " long_bits=" << sizeof(long) * 8
#ifdef SYS_semget
      << " sys_semget=" << SYS_semget  // the event id a tracer gives semget on this ABI
#endif
      << " pid1=" << (getpid() == 1);
    return h.str();
}

void emit(const std::string& text) {
    const char* p = text.data();
    size_t left = text.size();
    while (left) {
        ssize_t n = write(g_protocol_fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        left -= size_t(n);
    }
}

uint64_t fnv1a(const std::string& s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

struct Running {
    pid_t pid;
    int fd;
    long long deadline_ms;
    int index;
    long long started_ms;
    bool timed_out = false;
};

long long now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// After a case died abnormally: remove its memory cgroup and, without a private namespace, its sets.
void clean_after(const std::string& records, bool host_ns) {
    std::istringstream in(records);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line.substr(std::min(line.size(), strlen(kTag))));
        std::string kind, name;
        f >> kind >> name;
        if (kind == "cgroup" && name.rfind("/sys/fs/cgroup/memory/semget-conformance.", 0) == 0) rmdir(name.c_str());
        if (kind == "bind" && host_ns) {  // a record the case wrote itself: parse it without trusting it
            auto m = parse_kv(f);
            char *end1 = nullptr, *end2 = nullptr;
            long id = strtol(m["id"].c_str(), &end1, 10), key = strtol(m["key"].c_str(), &end2, 10);
            if (m["id"].empty() || *end1 || m["key"].empty() || *end2 || id < 0 || id > INT32_MAX) continue;
            semid_ds ds{};
            if (semctl(int(id), 0, IPC_STAT, &ds) == 0 && ds.sem_perm.__key == key && ds.sem_perm.cuid == geteuid())
                semctl(int(id), 0, IPC_RMID);
        }
    }
}

void send_frame(int index, const std::string& body, const std::string& status, long long ms) {
    size_t lines = size_t(std::count(body.begin(), body.end(), '\n'));
    emit(std::string(kTag) + "begin " + std::to_string(index) + "\n" + body + kTag + "done " +
         std::to_string(index) + " status=" + status + " lines=" + std::to_string(lines) +
         " fnv=" + std::to_string(fnv1a(body)) + " ms=" + std::to_string(ms) + "\n");
}

void finish(Running& r, int status, bool host_ns) {
    owned().signal(-r.pid, spooling() ? SIGTERM : SIGKILL);  // callers and racers of a case that ended early
    owned().forget(r.pid);
    std::string body;
    char buf[65536];
    lseek(r.fd, 0, SEEK_SET);
    ssize_t n;
    while ((n = read(r.fd, buf, sizeof buf)) > 0) body.append(buf, size_t(n));
    close(r.fd);
    std::string st = r.timed_out ? "timeout"
                     : WIFSIGNALED(status) ? "signal:" + std::to_string(WTERMSIG(status))
                                           : "exit:" + std::to_string(WEXITSTATUS(status));
    if (st != "exit:0") clean_after(body, host_ns);
    send_frame(r.index, body, st, now_ms() - r.started_ms);
}

// A case that could not even be started is reported as a broken setup, never as a result.
void send_broken(int index, const std::string& what) {
    send_frame(index, std::string(kTag) + "broken leader " + what + " " + errno_name(errno) + "\n", "exit:0", 0);
}

void run_all(const std::deque<Plan>& plans, int jobs, const std::string& mode) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, nullptr);
    std::vector<Running> running;
    size_t next = 0;
    const unsigned host_base = 0x5e000000u + unsigned(getpid() % 1024) * 0x4000u;
    while (next < plans.size() || !running.empty()) {
        while (next < plans.size() && int(running.size()) < jobs) {
            const Plan& p = plans[next++];
            int fd = memfd_create("semget-case", MFD_CLOEXEC);
            // A memfd's offset is not serialised between processes: O_APPEND keeps every record whole.
            if (fd < 0 || fcntl(fd, F_SETFL, O_APPEND) != 0) {
                send_broken(p.index, "memfd_create");
                if (fd >= 0) close(fd);
                continue;
            }
            unsigned base = p.ns == "none" ? host_base + unsigned(p.index % 64) * 0x100u : 0x5e5e0000u;
            const pid_t self = getpid();
            pid_t pid = fork();
            if (pid < 0) {
                send_broken(p.index, "fork");
                close(fd);
                continue;
            }
            if (pid == 0) {
                setpgid(0, 0);
                sigprocmask(SIG_UNBLOCK, &chld, nullptr);
                if (int n = open("/dev/null", O_RDONLY); n >= 0) dup2(n, 0), close(n);  // the plans are not theirs
                set_record_fd(fd);
                leave(run_case(p, base, self));
            }
            setpgid(pid, pid);
            owned().add(pid, true);
            running.push_back({pid, fd, now_ms() + p.timeout_ms, p.index, now_ms()});
        }
        if (running.empty()) continue;  // every case so far could not start
        long long soonest = running.front().deadline_ms;
        for (auto& r : running) soonest = std::min(soonest, r.deadline_ms);
        long long wait_ms = std::max(0LL, soonest - now_ms());
        timespec ts{time_t(wait_ms / 1000), long(wait_ms % 1000) * 1000000L};
        sigtimedwait(&chld, nullptr, &ts);
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (size_t i = 0; i < running.size(); ++i)
                if (running[i].pid == pid) {
                    finish(running[i], status, mode == "none");
                    running.erase(running.begin() + long(i));
                    break;
                }
        }
        for (auto& r : running)
            if (!r.timed_out && now_ms() >= r.deadline_ms) {
                // SIGTERM first: in the host namespace a case holds it off until its sets are noted.
                r.timed_out = true;
                owned().signal(-r.pid, spooling() ? SIGTERM : SIGKILL);
                r.deadline_ms = now_ms() + 500;
            } else if (r.timed_out && now_ms() >= r.deadline_ms) {
                owned().signal(-r.pid, SIGKILL);
                r.deadline_ms = now_ms() + 60000;
            }
    }
}

}  // namespace
}  // namespace worker

int main() {
    using namespace worker;
    std::ios::sync_with_stdio(false);
    const bool pid1 = getpid() == 1;
    if (pid1) {  // as /init or UML's init: nobody else mounts /proc, gives us a console or powers off
        mkdir("/proc", 0555);
        mount("proc", "/proc", "proc", 0, nullptr);
        if (fcntl(0, F_GETFD) < 0) {
            mkdir("/dev", 0755);
            mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr);
            int fd = open("/dev/console", O_RDWR);
            for (int i = 0; i < 3 && fd >= 0; ++i) dup2(fd, i);
        }
    }
    if (isatty(0)) {  // a console: no echo of the plans, no newline translation
        termios t{};
        tcgetattr(0, &t);
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
    }
    // The protocol goes to a descriptor of its own; fds 1 and 2 (both the runner's pipe) become /dev/null, so
    // neither a case process nor an --impl object can write a line the runner would read as the worker's.
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    g_protocol_fd = fcntl(1, F_DUPFD_CLOEXEC, 10);
    if (g_protocol_fd < 0 || null < 0) g_protocol_fd = 1;
    else dup2(null, 1), dup2(null, 2);  // the worker itself never writes to stderr
    // Tell the runner we are listening: input sent before a booting kernel opened its console is lost.
    emit(std::string(kTag) + "ready v=1\n");
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (!pid1) prctl(PR_SET_PDEATHSIG, SIGKILL);  // a runner that dies takes the session, and its cases, with it
    Config cfg;
    std::string line;
    while (std::getline(std::cin, line)) {
        size_t at = line.find(kTag);
        if (at == std::string::npos) continue;
        std::istringstream in(line.substr(at + strlen(kTag)));
        std::string kind;
        in >> kind;
        if (kind != "config") continue;
        auto m = parse_kv(in);
        if (m.count("mode")) cfg.mode = m["mode"];
        if (m.count("entry")) cfg.entry = m["entry"];
        if (m.count("impl")) cfg.impl = m["impl"];
        if (m.count("token")) set_token(m["token"]);
        if (m["spool_fd"] == "3") {
            cfg.spool_given = true;
            if (fcntl(3, F_SETFD, FD_CLOEXEC) == 0) set_spool_fd(3);
        }
        break;
    }
    std::string why;
    if (!cfg.impl.empty() && !load_impl(cfg.impl, &why)) {
        emit(std::string(kTag) + "hello v=1 error=impl " + why + "\n");
        return 2;
    }
    if (cfg.impl.empty() && !set_default_entry(cfg.entry)) {
        emit(std::string(kTag) + "hello v=1 error=entry-unavailable-" + cfg.entry + "\n");
        return 2;
    }
    const std::string facts = hello(cfg);
    if (cfg.mode == "none" && cfg.spool_given && !spooling()) {
        emit(std::string(kTag) + "hello v=1 error=spool-unusable (the spool the runner passed as fd 3 is not open)\n");
        return 2;
    }
    if (cfg.mode != "none") set_spool_fd(-1);  // a private namespace takes its sets with it
    emit(std::string(kTag) + facts + "\n");
    std::deque<Plan> plans;
    if (read_plans(std::cin, cfg.mode, plans, &cfg.jobs)) run_all(plans, cfg.jobs, cfg.mode);
    emit(std::string(kTag) + "bye\n");
    if (pid1) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
