// The operations a plan's steps name. Each records what it observed; none decides whether that is right.
#include "entry.hpp"
#include "worker.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>
#include <set>
#include <sstream>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

namespace worker {

namespace {

constexpr unsigned char kPattern = 0xA5;  // output buffers start as this, so unwritten fields show

// The kernel stamps sem_ctime from the coarse clock, which may lag the fine one by a tick: bracketing the
// call with the fine clock would misjudge a correct ctime by a second.
long long now_ns() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

std::string kv(const std::string& k, long long v) { return " " + k + "=" + std::to_string(v); }

}  // namespace

key_t resolve_key(CaseState& st, const std::string& ref) {
    if (ref == "private") return IPC_PRIVATE;
    if (!ref.empty() && ref[0] == '#') return key_t(strtoll(ref.c_str() + 1, nullptr, 0));
    auto it = st.keys.find(ref);
    if (it != st.keys.end()) return it->second;
    key_t k = key_t(st.key_base + st.keys.size() + 1);
    if (st.host_ns)  // never borrow a key some other program already uses
        while (semget(k, 0, 0) >= 0 || errno != ENOENT) ++k;
    st.keys[ref] = k;
    return k;
}

namespace {

int resolve_id(CaseState& st, const std::string& ref) {
    auto it = st.ids.find(ref);
    return it == st.ids.end() ? -1 : it->second;
}

void bind(CaseState& st, const std::string& name, int id, key_t key) {
    st.ids[name] = id;
    record("bind " + name + kv("id", id) + kv("key", key));
}

std::string stat_fields(const semid_ds& ds) {
    return kv("key", ds.sem_perm.__key) + kv("uid", ds.sem_perm.uid) + kv("gid", ds.sem_perm.gid) +
           kv("cuid", ds.sem_perm.cuid) + kv("cgid", ds.sem_perm.cgid) + kv("mode", ds.sem_perm.mode) +
           kv("seq", ds.sem_perm.__seq) + kv("nsems", (long long)ds.sem_nsems) +
           kv("otime", (long long)ds.sem_otime) + kv("ctime", (long long)ds.sem_ctime);
}

void record_stat(const std::string& name, int id, int cmd) {
    semid_ds ds;
    memset(&ds, kPattern, sizeof ds);
    semun_arg a;
    a.buf = &ds;
    errno = 0;
    int r = sem_ctl(id, 0, cmd, a);
    record("stat " + name + kv("ret", r) + " errno=" + errno_name(r < 0 ? errno : 0) + stat_fields(ds));
}

// Values and per-semaphore counters of a new set. Large sets are sampled at both ends to stay fast.
void record_values(const std::string& name, int id, long nsems) {
    semid_ds ds;
    memset(&ds, kPattern, sizeof ds);
    semun_arg a;
    a.buf = &ds;
    long actual = sem_ctl(id, 0, IPC_STAT, a) == 0 ? long(ds.sem_nsems) : nsems;
    long n = std::max(actual, nsems);
    if (n <= 0 || n > (1L << 22)) {
        record("vals " + name + " skipped=size");
        return;
    }
    std::vector<unsigned short> v(size_t(n) + 8, 0xA5A5);
    a.array = v.data();
    errno = 0;
    int r = sem_ctl(id, 0, GETALL, a);
    int err = r < 0 ? errno : 0;
    long nonzero = 0, first = -1;
    for (long i = 0; i < nsems; ++i)
        if (v[size_t(i)] != 0) {
            if (first < 0) first = i;
            ++nonzero;
        }
    long pid_nz = 0, ncnt_nz = 0, zcnt_nz = 0, errors = 0, sampled = 0;
    for (long i = 0; i < nsems; ++i) {
        if (nsems > 256 && i == 128) i = nsems - 128;
        ++sampled;
        int p = sem_ctl(id, int(i), GETPID), nc = sem_ctl(id, int(i), GETNCNT), zc = sem_ctl(id, int(i), GETZCNT);
        if (p < 0 || nc < 0 || zc < 0) ++errors;
        pid_nz += p != 0;
        ncnt_nz += nc != 0;
        zcnt_nz += zc != 0;
    }
    record("vals " + name + kv("getall_ret", r) + " getall_errno=" + errno_name(err) + kv("n", nsems) +
           kv("nonzero", nonzero) + kv("first_nonzero", first) + kv("sampled", sampled) + kv("pid_nonzero", pid_nz) +
           kv("ncnt_nonzero", ncnt_nz) + kv("zcnt_nonzero", zcnt_nz) + kv("ctl_errors", errors));
}

void record_proc_row(const std::string& name, int id) {
    std::istringstream in(read_file("/proc/sysvipc/sem"));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream cols(line);
        std::string key, semid;
        cols >> key >> semid;
        if (semid == std::to_string(id)) {
            std::string out, w;
            std::istringstream all(line);
            while (all >> w) out += " " + w;
            record("proc " + name + out);
            return;
        }
    }
    record("proc " + name + " missing");
}

void inspect(const std::string& name, int id, long nsems) {
    record_stat(name, id, IPC_STAT);
    record_values(name, id, nsems);
    record_proc_row(name, id);
}

void op_semget(CaseState& st, const Step& s) {
    key_t key = resolve_key(st, s.arg("key", "private"));
    long nsems = eval_int(s.arg("nsems", "1"));
    int flg = int(strtol(s.arg("flg", "0").c_str(), nullptr, 0));
    int repeat = std::clamp(atoi(s.arg("repeat", "1").c_str()), 1, 100000);
    std::string via = s.arg("via");
    for (int i = 0; i < repeat; ++i) {
        std::string name = repeat == 1 ? s.name : s.name + "#" + std::to_string(i);
        long long t0 = now_ns();
        errno = 0;
        int r = sem_get(key, int(nsems), flg, via);
        int err = r < 0 ? errno : 0;
        long long t1 = now_ns();
        record("ret " + name + kv("ret", r) + " errno=" + errno_name(err) + kv("t0", t0) + kv("t1", t1) +
               kv("key", key) + kv("nsems", nsems) + kv("flg", flg) + kv("pid", getpid()));
        if (r >= 0) bind(st, name, r, key);
    }
}

void op_inspect(CaseState& st, const Step& s) {
    inspect(s.arg("ref"), resolve_id(st, s.arg("ref")), eval_int(s.arg("nsems", "1")));
}

void op_simple_ctl(CaseState& st, const Step& s) {
    int id = resolve_id(st, s.arg("ref"));
    errno = 0;
    int r;
    if (s.op == "rmid") {
        r = sem_ctl(id, 0, IPC_RMID);
    } else {  // ipcset: change owner and mode, leaving the creator as it was
        semid_ds ds;
        memset(&ds, 0, sizeof ds);
        semun_arg a;
        a.buf = &ds;
        r = sem_ctl(id, 0, IPC_STAT, a);
        if (r == 0) {
            if (!s.arg("uid").empty()) ds.sem_perm.uid = uid_t(atol(s.arg("uid").c_str()));
            if (!s.arg("gid").empty()) ds.sem_perm.gid = gid_t(atol(s.arg("gid").c_str()));
            if (!s.arg("mode").empty()) ds.sem_perm.mode = (unsigned short)strtol(s.arg("mode").c_str(), nullptr, 0);
            r = sem_ctl(id, 0, IPC_SET, a);
        }
    }
    record("ret " + s.name + kv("ret", r) + " errno=" + errno_name(r < 0 ? errno : 0));
}

std::string hex(const std::string& raw) {
    static const char* d = "0123456789abcdef";
    std::string h;
    for (unsigned char c : raw) {
        h += d[c >> 4];
        h += d[c & 15];
    }
    return h;
}

void record_limits(const std::string& name) {
    std::string raw = read_file("/proc/sys/kernel/sem");
    long l[4] = {0, 0, 0, 0};
    bool ok = read_limits(l);
    record("limits " + name + kv("ok", ok) + kv("SEMMSL", l[0]) + kv("SEMMNS", l[1]) + kv("SEMOPM", l[2]) +
           kv("SEMMNI", l[3]) + " raw=" + hex(raw));
}

void op_limits(CaseState&, const Step& s) {
    if (s.op == "limits") {
        // "=" keeps a field as it is: a table names only the limits it cares about.
        long now[4] = {0, 0, 0, 0};
        read_limits(now);
        std::istringstream in(s.arg("text"));
        std::string tok, text;
        for (int i = 0; std::getline(in, tok, ','); ++i)
            text += (i ? " " : "") + (tok == "=" && i < 4 ? std::to_string(now[i]) : tok);
        int err = 0;
        bool ok = write_file("/proc/sys/kernel/sem", text, &err);
        record("ret " + s.name + kv("ret", ok ? 0 : -1) + " errno=" + errno_name(ok ? 0 : err));
    }
    record_limits(s.name);
}

void record_seminfo(const std::string& name, const char* which, int cmd) {
    seminfo si;
    memset(&si, kPattern, sizeof si);
    semun_arg a;
    a.info = &si;
    errno = 0;
    int r = sem_ctl(0, 0, cmd, a);
    record(std::string("info ") + name + " which=" + which + kv("ret", r) + " errno=" + errno_name(r < 0 ? errno : 0) +
           kv("semmap", si.semmap) + kv("semmni", si.semmni) + kv("semmns", si.semmns) + kv("semmnu", si.semmnu) +
           kv("semmsl", si.semmsl) + kv("semopm", si.semopm) + kv("semume", si.semume) + kv("semusz", si.semusz) +
           kv("semvmx", si.semvmx) + kv("semaem", si.semaem));
}

void op_info(CaseState&, const Step& s) {
    record_seminfo(s.name, "ipc", IPC_INFO);
    record_seminfo(s.name, "sem", SEM_INFO);
    record_limits(s.name);
}

// SEM_STAT takes an index, not an id: find the index whose entry is our set, then read it both ways.
void op_views(CaseState& st, const Step& s) {
    int id = resolve_id(st, s.arg("ref"));
    record_stat(s.name + ".ipc_stat", id, IPC_STAT);
    seminfo si;
    semun_arg a;
    a.info = &si;
    int max_index = sem_ctl(0, 0, IPC_INFO, a);
    // SEM_STAT finds the index even where SEM_STAT_ANY is missing, so both views are still compared.
    for (int idx = 0; idx <= max_index && idx < 65536; ++idx) {
        semid_ds ds;
        a.buf = &ds;
        if (sem_ctl(idx, 0, SEM_STAT, a) == id || sem_ctl(idx, 0, SEM_STAT_ANY, a) == id) {
            record("index " + s.name + kv("index", idx) + kv("max_index", max_index));
            record_stat(s.name + ".sem_stat", idx, SEM_STAT);
            record_stat(s.name + ".sem_stat_any", idx, SEM_STAT_ANY);
            break;
        }
    }
    op_info(st, s);
    record_proc_row(s.name, id);
}

void op_stat(CaseState& st, const Step& s) { record_stat(s.name, resolve_id(st, s.arg("ref")), IPC_STAT); }

void op_sysctl(CaseState&, const Step& s) {
    std::string path = "/proc/sys/kernel/" + s.arg("name");
    int err = 0;
    if (!s.arg("write").empty()) {
        bool ok = write_file(path.c_str(), s.arg("write"), &err);
        record("ret " + s.name + kv("ret", ok ? 0 : -1) + " errno=" + errno_name(ok ? 0 : err));
    }
    std::string v = read_file(path.c_str());
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    record("sysctl " + s.name + " present=" + (access(path.c_str(), F_OK) == 0 ? "1" : "0") + " value=" +
           (v.empty() ? "none" : v));
}

}  // namespace

void op_race(CaseState& st, const Step& s);
void op_storm(CaseState& st, const Step& s);
void op_fuzz(CaseState& st, const Step& s);
void op_agree(CaseState& st, const Step& s);
void op_memcg(CaseState& st, const Step& s);
key_t fresh_key(CaseState& st, const std::string& name) { return resolve_key(st, name); }

void run_step(CaseState& st, const Step& s) {
    if (s.op == "semget") op_semget(st, s);
    else if (s.op == "inspect") op_inspect(st, s);
    else if (s.op == "rmid" || s.op == "ipcset") op_simple_ctl(st, s);
    else if (s.op == "stat") op_stat(st, s);
    else if (s.op == "limits" || s.op == "read_limits") op_limits(st, s);
    else if (s.op == "info") op_info(st, s);
    else if (s.op == "views") op_views(st, s);
    else if (s.op == "sysctl") op_sysctl(st, s);
    else if (s.op == "race") op_race(st, s);
    else if (s.op == "storm") op_storm(st, s);
    else if (s.op == "fuzz") op_fuzz(st, s);
    else if (s.op == "agree") op_agree(st, s);
    else if (s.op == "memcg") op_memcg(st, s);
    else record("broken " + s.name + " unknown-op " + s.op);
}

}  // namespace worker
