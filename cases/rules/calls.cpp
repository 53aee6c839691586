// semget(2) DESCRIPTION and ERRORS: what a call returns, and which set it returns.
#include "rules.hpp"

#include <set>

namespace conformance::rules {

namespace {

std::string result_text(const Record& r) {
    return r.num("ret") >= 0 ? "id " + r.get("ret") : "-1 with " + r.get("errno");
}

// H1: missing SysV IPC shows as ENOSYS, or as death by SIGSYS under a seccomp filter.
void judge_missing(Judge& j, const std::string& name) {
    if (const Record* r = j.obs.find("ret", name)) {
        j.eq("SysV IPC reports itself missing", "ENOSYS", r->get("errno"));
        return;
    }
    const Record* died = j.obs.find("died", j.step.by);
    j.that("SysV IPC reports itself missing", died && died->get("signal") == "31", "ENOSYS or SIGSYS",
           died ? died->line : "no call observed");
}

}  // namespace

void judge_semget(Judge& j) {
    const Expect& e = j.step.expect;
    const int repeat = j.step.args.count("repeat") ? std::stoi(j.step.args.at("repeat")) : 1;
    std::set<long long> ids;
    for (int i = 0; i < repeat; ++i) {
        const std::string name = repeat == 1 ? j.step.name : j.step.name + "#" + std::to_string(i);
        if (e.unsupported) {
            judge_missing(j, name);
            continue;
        }
        const Record& r = j.need("ret", name);
        const long long ret = r.num("ret");
        if (e.error) {
            j.that("fails with " + *e.error, ret == -1 && r.get("errno") == *e.error, "-1 with " + *e.error,
                   result_text(r));
        }
        if (e.same_as) {
            const long long want = j.bound(*e.same_as);
            j.that("returns the id of " + *e.same_as, ret == want, "id " + std::to_string(want), result_text(r));
        }
        if (!e.created) continue;
        j.that("creates a set", ret >= 0, "a new id", result_text(r));
        if (ret < 0) continue;
        ids.insert(ret);
        if (e.id) j.eq("the id", *e.id, ret);
        for (auto& other : e.differs_from) {
            const long long old = j.bound(other);
            j.that("its id differs from " + other + "'s", ret != old, "not " + std::to_string(old), std::to_string(ret));
        }
        judge_new_set(j, name, r);
    }
    if (e.distinct) j.eq("distinct ids among the live sets", repeat, (long long)ids.size());
}

void judge_stat(Judge& j) {
    const Record& st = j.need("stat", j.step.name);
    if (j.step.expect.error) {
        j.that("IPC_STAT fails with " + *j.step.expect.error,
               st.num("ret") == -1 && st.get("errno") == *j.step.expect.error, "-1 with " + *j.step.expect.error,
               st.get("ret") + " with " + st.get("errno"));
        return;
    }
    j.eq("IPC_STAT succeeds", "0", st.get("errno"));
    for (auto& [field, value] : j.step.expect.fields) {
        if (field.rfind("stat.", 0) != 0) continue;
        const std::string name = field.substr(5);
        j.eq("sem_perm." + name + " as this caller sees it", j.expected(field), st.get(name));
    }
}

void judge_action(Judge& j) {
    const Record& r = j.need("ret", j.step.name);
    if (j.step.expect.error)
        j.that(j.step.op + " fails with " + *j.step.expect.error, r.get("errno") == *j.step.expect.error,
               *j.step.expect.error, r.get("errno"));
}

}  // namespace conformance::rules
