// Runs one case: enter the case's namespace, start one process per caller, then walk the steps in order,
// each in the process of the caller it names. Ids a step binds travel with the next command.
#include "entry.hpp"
#include "worker.hpp"

#include <cerrno>
#include <csignal>
#include <sched.h>
#include <sstream>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace worker {

namespace {

struct CallerProc {
    pid_t pid = -1;
    int fd = -1;
    bool alive = false;
};

bool read_line(int fd, std::string& out) {
    out.clear();
    char c;
    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        if (c == '\n') return true;
        out += c;
    }
}

bool send_line(int fd, const std::string& line) {
    std::string s = line + "\n";
    return write(fd, s.data(), s.size()) == ssize_t(s.size());
}

std::string encode_ids(const CaseState& st) {
    std::string s;
    for (auto& [k, v] : st.ids) s += " " + k + "=" + std::to_string(v);
    return s;
}

void decode_ids(CaseState& st, std::istringstream& in) {
    std::string tok;
    while (in >> tok) {
        auto eq = tok.find('=');
        if (eq != std::string::npos) st.ids[tok.substr(0, eq)] = int(strtol(tok.c_str() + eq + 1, nullptr, 10));
    }
}

[[noreturn]] void caller_loop(CaseState st, const Caller& c, int fd, pid_t leader) {
    die_with_parent(leader);
    if (!apply_identity(c, st.plan->ns)) leave(0);
    std::string line;
    while (read_line(fd, line)) {
        std::istringstream in(line);
        size_t index;
        in >> index;
        decode_ids(st, in);
        run_step(st, st.plan->steps.at(index));
        if (!send_line(fd, "done" + encode_ids(st))) break;
    }
    leave(0);
}

void report_death(const std::string& name, pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) record("died " + name + " signal=" + std::to_string(WTERMSIG(status)));
    else record("died " + name + " exit=" + std::to_string(WEXITSTATUS(status)));
}

}  // namespace

int run_case(const Plan& plan, unsigned key_base, pid_t worker) {
    die_with_parent(worker);
    CaseState st;
    st.plan = &plan;
    st.key_base = key_base;
    st.host_ns = plan.ns == "none";
    if (!enter_namespace(plan.ns)) {
        record("broken leader namespace-" + plan.ns + " " + errno_name(errno));
        return 0;
    }
    record("identity leader ruid=" + std::to_string(getuid()) + " euid=" + std::to_string(geteuid()) +
           " rgid=" + std::to_string(getgid()) + " egid=" + std::to_string(getegid()));
    // Keys are chosen before any caller starts, so every process of the case means the same key by a name.
    for (const Step& s : plan.steps)
        if (s.args.count("key")) resolve_key(st, s.args.at("key"));
    std::map<std::string, CallerProc> procs;
    bool broken = false;
    for (const Caller& c : plan.callers) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
            record("broken leader socketpair " + errno_name(errno));
            return 0;
        }
        const pid_t leader = getpid();
        pid_t pid = fork();
        if (pid < 0) {
            record("broken " + c.name + " fork " + errno_name(errno));
            close(sv[0]);
            close(sv[1]);
            broken = true;
            break;
        }
        if (pid == 0) {
            close(sv[0]);
            for (auto& [other, p] : procs) close(p.fd);  // else a sibling keeps our leader's end open
            caller_loop(st, c, sv[1], leader);
        }
        close(sv[1]);
        procs[c.name] = {pid, sv[0], pid > 0};
    }
    for (size_t i = 0; i < plan.steps.size() && !broken; ++i) {
        const Step& s = plan.steps[i];
        if (s.by == "leader") {
            run_step(st, s);
            continue;
        }
        CallerProc& p = procs[s.by];
        std::string reply;
        if (!p.alive) continue;  // its death was reported; the host sees the missing observation
        if (!send_line(p.fd, std::to_string(i) + encode_ids(st)) || !read_line(p.fd, reply)) {
            p.alive = false;
            close(p.fd);
            report_death(s.by, p.pid);
            continue;
        }
        std::istringstream in(reply.substr(4));
        decode_ids(st, in);
    }
    for (auto& [name, p] : procs)
        if (p.alive) close(p.fd);
    for (auto& [name, p] : procs)
        if (p.alive) waitpid(p.pid, nullptr, 0);
    if (st.host_ns)  // no private namespace to take the sets away: remove exactly what this case made
        for (auto& [name, id] : st.ids) sem_ctl(id, 0, IPC_RMID);  // its ids are the implementation's, not the kernel's
    return 0;
}

}  // namespace worker
