// Operations that need many calls or many processes: races, signal storms, random arguments, entry-point
// agreement and memory-cgroup pressure. They report counts; the host decides what the counts mean.
#include "entry.hpp"
#include "worker.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <set>
#include <sstream>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace worker {

key_t fresh_key(CaseState& st, const std::string& name);

namespace {

std::string counts_line(const std::string& name, const std::map<std::string, long>& c) {
    std::string out = "counts " + name;
    for (auto& [k, v] : c) out += " " + k + "=" + std::to_string(v);
    return out;
}

struct Result {
    int ret;
    int err;
};

}  // namespace

// Racers start together on a closed pipe; each reports (ret, errno) through another pipe.
void op_race(CaseState& st, const Step& s) {
    int procs = std::clamp(atoi(s.arg("procs", "8").c_str()), 1, 64);
    int rounds = std::clamp(atoi(s.arg("rounds", "10").c_str()), 1, 1000);
    int flg = int(strtol(s.arg("flg", "0").c_str(), nullptr, 0));
    for (int round = 0; round < rounds; ++round) {
        key_t key = fresh_key(st, s.name + "#" + std::to_string(round));
        int go[2], res[2];
        if (pipe(go) || pipe(res)) {
            record("broken " + s.name + " pipe " + errno_name(errno));
            return;
        }
        const pid_t parent = getpid();
        bool forked_all = true;
        for (int p = 0; p < procs && forked_all; ++p) {
            pid_t racer = fork();
            if (racer < 0) {
                record("broken " + s.name + " fork " + errno_name(errno));
                forked_all = false;
            }
            if (racer == 0) {
                die_with_parent(parent);
                close(go[1]);
                char c;
                (void)!read(go[0], &c, 1);
                errno = 0;
                Result r{sem_get(key, 1, flg), 0};
                r.err = r.ret < 0 ? errno : 0;
                (void)!write(res[1], &r, sizeof r);
                leave(0);
            }
        }
        close(go[0]);
        close(res[1]);
        close(go[1]);  // start
        long ok = 0, eexist = 0, other = 0;
        std::set<int> ids;
        Result r;
        while (read(res[0], &r, sizeof r) == sizeof r) {
            if (r.ret >= 0) ++ok, ids.insert(r.ret);
            else if (r.err == EEXIST) ++eexist;
            else ++other;
        }
        close(res[0]);
        while (wait(nullptr) > 0 || errno == EINTR) {}
        for (int id : ids) sem_ctl(id, 0, IPC_RMID);
        if (!forked_all) return;  // the racers that did start were let go and collected
        record("race " + s.name + " round=" + std::to_string(round) + " ok=" + std::to_string(ok) +
               " eexist=" + std::to_string(eexist) + " other=" + std::to_string(other) +
               " ids=" + std::to_string(ids.size()) + " procs=" + std::to_string(procs));
    }
}

namespace {
volatile sig_atomic_t g_signals = 0;
void on_signal(int) { g_signals = g_signals + 1; }
}  // namespace

// semget under a storm of signals while another process removes the set under it.
void op_storm(CaseState& st, const Step& s) {
    long calls = std::clamp(atol(s.arg("calls", "2000").c_str()), 1L, 1000000L);
    key_t key = fresh_key(st, s.name);
    struct sigaction sa {};
    sa.sa_handler = on_signal;  // no SA_RESTART: an interruptible call would show EINTR
    sigaction(SIGUSR1, &sa, nullptr);
    pid_t self = getpid();
    pid_t sender = fork();
    if (sender < 0) {
        record("broken " + s.name + " fork " + errno_name(errno));
        return;
    }
    if (sender == 0) {
        die_with_parent(self);
        owned().add(self, false);  // the one process the sender is there to signal
        while (owned().signal(self, SIGUSR1) == 0) {}
        leave(0);
    }
    owned().add(sender, false);
    pid_t remover = fork();
    if (remover < 0) {
        int err = errno;
        owned().signal(sender, SIGKILL);
        while (waitpid(sender, nullptr, 0) < 0 && errno == EINTR) {}
        errno = err;
        record("broken " + s.name + " fork " + errno_name(errno));
        signal(SIGUSR1, SIG_IGN);
        return;
    }
    owned().add(remover, false);
    if (remover == 0) {
        die_with_parent(self);
        while (getppid() == self) {
            int id = sem_get(key, 1, IPC_CREAT | 0600);
            if (id >= 0) sem_ctl(id, 0, IPC_RMID);
        }
        leave(0);
    }
    for (int spin = 0; g_signals == 0 && spin < 2000; ++spin) usleep(1000);  // the storm has begun
    std::map<std::string, long> c;
    for (long i = 0; i < calls; ++i) {
        errno = 0;
        int r = sem_get(key, i % 2 ? 0 : 1, i % 2 ? 0 : (IPC_CREAT | 0600));
        c[r >= 0 ? "ok" : errno_name(errno)]++;
        if (r >= 0 && i % 7 == 0) sem_ctl(r, 0, IPC_RMID);
    }
    owned().signal(sender, SIGKILL);
    owned().signal(remover, SIGKILL);
    // Signals still in flight would cut these waits short and let the remover outlive the cleanup below.
    while (waitpid(sender, nullptr, 0) < 0 && errno == EINTR) {}
    while (waitpid(remover, nullptr, 0) < 0 && errno == EINTR) {}
    signal(SIGUSR1, SIG_IGN);
    int left = sem_get(key, 0, 0);  // the remover may have died holding a set
    if (left >= 0) sem_ctl(left, 0, IPC_RMID);
    c["signals"] = g_signals;
    record(counts_line(s.name, c));
}

// Random and extreme arguments; every set it gets back is removed at once.
void op_fuzz(CaseState& st, const Step& s) {
    long calls = std::clamp(atol(s.arg("calls", "2000").c_str()), 1L, 1000000L);
    unsigned long long x = strtoull(s.arg("seed", "1").c_str(), nullptr, 0) | 1;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    long lim[4];
    read_limits(lim);
    const long keys[] = {IPC_PRIVATE, -1, INT_MIN, INT_MAX, 1, fresh_key(st, s.name + ".a"), fresh_key(st, s.name + ".b")};
    const long sizes[] = {0, 1, -1, INT_MIN, INT_MAX, lim[0], lim[0] + 1, 2, 250};
    std::map<std::string, long> c;
    int reported = 0;
    for (long i = 0; i < calls; ++i) {
        key_t key = key_t(next() % 3 == 0 ? long(next()) : keys[next() % 7]);
        long nsems = next() % 4 == 0 ? long(int(next())) : sizes[next() % 9];
        if (nsems > 4096 && nsems <= lim[0]) nsems = 4096;  // real allocations stay small; above SEMMSL is refused
        int flg = int(next() % 2 ? next() : (next() & 03777));
        errno = 0;
        int r = sem_get(key, int(nsems), flg);
        int err = r < 0 ? errno : 0;
        c[r >= 0 ? "ok" : errno_name(err)]++;
        if (r >= 0) sem_ctl(r, 0, IPC_RMID);
        bool documented = r >= 0 || err == EACCES || err == EEXIST || err == EINVAL || err == ENOENT ||
                          err == ENOMEM || err == ENOSPC;
        if (!documented && reported++ < 5)
            record("bad " + s.name + " key=" + std::to_string(key) + " nsems=" + std::to_string(nsems) +
                   " flg=" + std::to_string(flg) + " ret=" + std::to_string(r) + " errno=" + errno_name(err));
    }
    record(counts_line(s.name, c));
}

// The same calls through each entry point, each on a fresh key, compared by result and resulting mode.
void op_agree(CaseState& st, const Step& s) {
    std::istringstream list(s.arg("calls"));
    std::string item;
    int i = 0;
    while (std::getline(list, item, ';')) {
        long nsems;
        int flg;
        std::string keyref;
        std::istringstream f(item);
        std::getline(f, keyref, ':');
        std::string ns, fl;
        std::getline(f, ns, ':');
        std::getline(f, fl, ':');
        nsems = eval_int(ns);
        flg = int(strtol(fl.c_str(), nullptr, 0));
        std::istringstream vias(s.arg("via"));
        std::string via;
        while (std::getline(vias, via, ',')) {
            if (!entry_available(via)) {
                record("agree " + s.name + " i=" + std::to_string(i) + " via=" + via + " unavailable");
                continue;
            }
            key_t key = keyref == "private" ? IPC_PRIVATE : fresh_key(st, s.name + "." + via + "." + std::to_string(i));
            if (keyref == "existing") {  // a set of 2 made through libc, then opened through `via`
                sem_get(key, 2, IPC_CREAT | 0644, "libc");
            }
            errno = 0;
            int r = sem_get(key, int(nsems), flg, via);
            int err = r < 0 ? errno : 0;
            semid_ds ds{};
            semun_arg a;
            a.buf = &ds;
            if (r >= 0) sem_ctl(r, 0, IPC_STAT, a);
            int existing = keyref == "existing" ? semget(key, 0, 0) : -1;
            record("agree " + s.name + " i=" + std::to_string(i) + " via=" + via + " result=" +
                   (r >= 0 ? "ok" : errno_name(err)) + " mode=" + std::to_string(r >= 0 ? ds.sem_perm.mode : -1) +
                   " nsems=" + std::to_string(r >= 0 ? long(ds.sem_nsems) : -1) +
                   " same=" + std::to_string(existing >= 0 && existing == r));
            if (r >= 0) sem_ctl(r, 0, IPC_RMID);
            if (existing >= 0 && existing != r) semctl(existing, 0, IPC_RMID);
        }
        ++i;
    }
}

// Memory-cgroup pressure (cgroup v1): big sets in a small memory cgroup until allocation fails.
void op_memcg(CaseState&, const Step& s) {
    const std::string root = "/sys/fs/cgroup/memory";
    std::string dir = root + "/semget-conformance." + token() + "." + std::to_string(getpid());
    if (access((root + "/memory.limit_in_bytes").c_str(), W_OK) != 0 || mkdir(dir.c_str(), 0700) != 0) {
        record("memcg " + s.name + " available=0 errno=" + errno_name(errno));
        return;
    }
    record("cgroup " + dir);  // lets the session remove it if this case dies
    int err = 0;
    bool ok = write_file((dir + "/memory.limit_in_bytes").c_str(), s.arg("limit", "8388608"), &err) &&
              write_file((dir + "/memory.oom_control").c_str(), "1", &err);
    pid_t child = ok ? fork() : -1;
    if (ok && child < 0) record("broken " + s.name + " fork " + errno_name(errno));
    if (child == 0) {
        mlockall(MCL_CURRENT | MCL_FUTURE);  // our own pages must not be what runs out
        write_file((dir + "/cgroup.procs").c_str(), std::to_string(getpid()), &err);
        int made = 0, last = 0;
        std::vector<int> ids;
        for (int i = 0; i < 200; ++i) {
            errno = 0;
            int id = sem_get(IPC_PRIVATE, int(eval_int("SEMMSL")), 0600);
            if (id < 0) {
                last = errno;
                break;
            }
            ids.push_back(id);
            ++made;
        }
        for (int id : ids) sem_ctl(id, 0, IPC_RMID);
        record("memcg " + s.name + " available=1 made=" + std::to_string(made) + " errno=" + errno_name(last));
        write_file((root + "/cgroup.procs").c_str(), std::to_string(getpid()), &err);
        leave(0);
    }
    if (child > 0) waitpid(child, nullptr, 0);
    else record("memcg " + s.name + " available=0 errno=" + errno_name(err));
    for (int tries = 0; rmdir(dir.c_str()) != 0 && errno == EBUSY && tries < 100; ++tries) usleep(1000);
}

}  // namespace worker
