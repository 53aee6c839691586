// semget(2) DESCRIPTION, "the data structure semid_ds ... is initialized": every field a new set gets,
// plus the values and counters of its semaphores, and its row in /proc/sysvipc/sem. Buffers were filled with
// a pattern before each call, so a field the implementation never wrote cannot match by chance.
#include "rules.hpp"

namespace conformance::rules {

namespace {

void judge_values(Judge& j, const std::string& ref) {
    const Record& v = j.need("vals", ref);
    if (v.has("skipped")) throw Broken("set " + ref + " too large to read back");
    j.eq("GETALL succeeds", 0, v.num("getall_ret"));
    j.eq("semaphores holding a non-zero value (D11)", 0, v.num("nonzero"));
    j.eq("semaphores with a non-zero GETPID (D12)", 0, v.num("pid_nonzero"));
    j.eq("semaphores with a non-zero GETNCNT (D12)", 0, v.num("ncnt_nonzero"));
    j.eq("semaphores with a non-zero GETZCNT (D12)", 0, v.num("zcnt_nonzero"));
    j.eq("failed per-semaphore semctl calls", 0, v.num("ctl_errors"));
}

// proc(5) /proc/sysvipc/sem: key semid perms nsems uid gid cuid cgid otime ctime, each held against what the
// call should have produced (not against IPC_STAT, which may itself be wrong).
void judge_proc_row(Judge& j, const std::string& ref, const Record& ret) {
    const Record& p = j.need("proc", ref);
    const long long id = ret.num("ret");
    if (p.words.size() < 10) {
        j.that("the set has a row in /proc/sysvipc/sem (D15)", false, "a row for id " + std::to_string(id), p.line);
        return;
    }
    auto col = [&](size_t i, int base = 10) { return strtoll(p.words[i].c_str(), nullptr, base); };
    j.eq("/proc/sysvipc/sem key (D15)", ret.num("key"), col(0));
    j.eq("/proc/sysvipc/sem semid (D15)", id, col(1));
    j.eq("/proc/sysvipc/sem perms (D15)", octal(ret.num("flg") & 0777), octal(col(2, 8)));
    j.eq("/proc/sysvipc/sem nsems (D15)", ret.num("nsems"), col(3));
    j.eq("/proc/sysvipc/sem uid (D15)", j.euid(), col(4));
    j.eq("/proc/sysvipc/sem gid (D15)", j.egid(), col(5));
    j.eq("/proc/sysvipc/sem cuid (D15)", j.euid(), col(6));
    j.eq("/proc/sysvipc/sem cgid (D15)", j.egid(), col(7));
    j.eq("/proc/sysvipc/sem otime (D15)", 0, col(8));
    const long long t0 = ret.num("t0") / 1000000000, t1 = ret.num("t1") / 1000000000;
    j.that("/proc/sysvipc/sem ctime (D15)", col(9) >= t0 && col(9) <= t1,
           "in [" + std::to_string(t0) + ", " + std::to_string(t1) + "]", p.words[9]);
}

}  // namespace

void judge_new_set(Judge& j, const std::string& ref, const Record& ret) {
    const Record& st = j.need("stat", ref);
    j.eq("IPC_STAT on the new set succeeds", "0", st.get("errno"));
    if (st.num("ret") != 0) return;
    j.eq("sem_perm.__key is the key it was created with (D6)", ret.num("key"), st.num("key"));
    j.eq("sem_perm.cuid is the caller's effective uid (D1)", j.euid(), st.num("cuid"));
    j.eq("sem_perm.uid is the caller's effective uid (D2)", j.euid(), st.num("uid"));
    j.eq("sem_perm.cgid is the caller's effective gid (D3)", j.egid(), st.num("cgid"));
    j.eq("sem_perm.gid is the caller's effective gid (D4)", j.egid(), st.num("gid"));
    j.eq("sem_perm.mode is the low 9 bits of semflg (C1)", octal(ret.num("flg") & 0777), octal(st.num("mode")));
    j.eq("sem_nsems is nsems (D7)", ret.num("nsems"), st.num("nsems"));
    j.eq("sem_otime is 0 (D8)", 0, st.num("otime"));
    const long long t0 = ret.num("t0") / 1000000000, t1 = ret.num("t1") / 1000000000, ct = st.num("ctime");
    j.that("sem_ctime is not before the call (D9)", ct >= t0, ">= " + std::to_string(t0), std::to_string(ct));
    j.that("sem_ctime is not after the call (D10)", ct <= t1, "<= " + std::to_string(t1), std::to_string(ct));
    judge_values(j, ref);
    judge_proc_row(j, ref, ret);
}

}  // namespace conformance::rules
