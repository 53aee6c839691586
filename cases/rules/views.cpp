// The other ways Linux shows a set (D14, D15, A19): SEM_STAT by index, SEM_STAT_ANY, IPC_INFO, SEM_INFO,
// /proc/sysvipc/sem. Right after creation they must all say what IPC_STAT says.
#include "rules.hpp"

namespace conformance::rules {

void judge_views(Judge& j) {
    const std::string& ref = j.step.args.at("ref");
    const long long id = j.bound(ref);
    const Record& base = j.need("stat", j.step.name + ".ipc_stat");
    j.eq("IPC_STAT succeeds", "0", base.get("errno"));
    const Record* index = j.obs.find("index", j.step.name);
    j.that("SEM_STAT or SEM_STAT_ANY finds the set at some index", index != nullptr,
           "an index holding id " + std::to_string(id), "no index up to IPC_INFO's answer");
    if (!index) return;
    const char* fields[] = {"key", "uid", "gid", "cuid", "cgid", "mode", "seq", "nsems", "otime", "ctime"};
    if (j.step.expect.fields.count("agree")) {
        for (const char* view : {".sem_stat", ".sem_stat_any"}) {
            const Record& v = j.need("stat", j.step.name + view);
            const std::string cmd = std::string(view) == ".sem_stat" ? "SEM_STAT" : "SEM_STAT_ANY";
            j.eq(cmd + " returns the set's id", id, v.num("ret"));
            if (v.num("ret") != id) continue;  // its buffer holds nothing to compare
            for (const char* f : fields) j.eq(cmd + " " + f + " agrees with IPC_STAT", base.num(f), v.num(f));
        }
        const Record* ipc = nullptr;
        const Record* sem = nullptr;
        for (auto* r : j.obs.all("info", j.step.name)) (r->get("which") == "ipc" ? ipc : sem) = r;
        if (!ipc || !sem) throw Broken("no IPC_INFO/SEM_INFO observation");
        j.that("IPC_INFO returns an index at least the set's", ipc->num("ret") >= index->num("index"),
               ">= " + index->get("index"), ipc->get("ret"));
        j.that("SEM_INFO counts the set among those in use", sem->num("semusz") >= 1, ">= 1", sem->get("semusz"));
        j.that("SEM_INFO counts its semaphores", sem->num("semaem") >= base.num("nsems"), ">= " + base.get("nsems"),
               sem->get("semaem"));
        const Record& p = j.need("proc", j.step.name);
        j.that("/proc/sysvipc/sem lists the set", p.words.size() >= 10 && p.words[1] == std::to_string(id),
               "a row for id " + std::to_string(id), p.line);
    }
    if (j.step.expect.fields.count("id_layout")) {
        j.eq("id >> 15 is sem_perm.__seq (A19)", base.num("seq"), id >> 15);
        j.eq("id & 0x7fff is the SEM_STAT index (A19)", index->num("index"), id & 0x7fff);
        j.that("the id is not negative (A19)", id >= 0, ">= 0", std::to_string(id));
    }
}

}  // namespace conformance::rules
