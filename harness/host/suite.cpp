#include "suite.hpp"

#include "cleanup.hpp"

#include <chrono>
#include <ctime>
#include <fnmatch.h>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace conformance {

namespace {

std::string utc_now() {
    char b[32];
    std::time_t t = std::time(nullptr);
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return b;
}

std::string host_limits() {
    std::ifstream f("/proc/sys/kernel/sem");
    std::string s;
    std::getline(f, s);
    return s;
}

}  // namespace

Run run_cases(const std::vector<const Case*>& cases, const RunOptions& opt) {
    Run run;
    run.target = opt.target;
    run.started = utc_now();
    run.limits_before = host_limits();
    std::vector<Result> results(cases.size());
    std::vector<std::pair<int, std::string>> plans;
    size_t done = 0;
    auto finish = [&](size_t i) {
        results[i].target = opt.target;
        if (opt.on_result) opt.on_result(results[i], ++done, cases.size());
    };
    // A worker on this machine notes its sets in a spool, so a killed host-namespace run can still be undone.
    SessionOptions so = opt.session;
    struct Undo {
        std::string path;
        std::time_t since = std::time(nullptr) - 1;
        bool host_ns = false;
        ~Undo() {
            if (host_ns) remove_spooled_sets(path, since);
            if (!path.empty()) unlink(path.c_str());
            sweep_cgroups();
        }
    } undo;
    if (so.wrap.empty() && so.command.empty() && so.spool.empty()) {
        undo_stale_spools();
        undo.path = so.spool = new_spool_path();
        if (FILE* f = fopen(so.spool.c_str(), "w")) fclose(f);
    }
    Session session(so);
    run.facts = session.start();
    for (auto& [what, why] : opt.cannot_host) run.facts.kv["cannot_host." + what] = why;
    undo.host_ns = run.facts.get("mode") == "none";
    for (size_t i = 0; i < cases.size(); ++i) {
        results[i].c = cases[i];
        if (opt.profile == "posix" && cases[i]->profile != "posix") {
            results[i].outcome = "skip";
            results[i].reason = "a linux-profile row; this run judges the posix profile";
        } else if (!run.facts.on("sysv")) {
            results[i].outcome = "unsupported";
            results[i].reason = "semget reports ENOSYS on this target: SysV IPC is not available";
        } else if (auto why = skip_reason(*cases[i], run.facts)) {
            results[i].outcome = "skip";
            results[i].reason = *why;
        } else {
            plans.emplace_back(int(i), plan_text(*cases[i], int(i)));
            continue;
        }
        finish(i);
    }
    if (!plans.empty())
        session.run(plans, [&](const Frame& f) {
            Result& r = results[size_t(f.index)];
            r.obs = Observation::parse(f.body, f.status);
            r.ms = f.ms;
            Verdict v = judge(*r.c, r.obs, run.facts);
            r.outcome = v.outcome;
            r.reason = v.reason;
            r.checks = std::move(v.checks);
            finish(size_t(f.index));
        });
    run.interrupted = session.interrupted();
    run.results = std::move(results);
    run.finished = utc_now();
    run.limits_after = host_limits();
    return run;
}

std::vector<const Case*> select(const std::vector<Case>& all, const std::vector<std::string>& filters,
                                std::string* unmatched) {
    std::vector<const Case*> out;
    std::map<std::string, bool> used;
    for (auto& c : all) {
        bool take = filters.empty();
        for (auto& f : filters) {
            bool hit = fnmatch(f.c_str(), c.id.c_str(), 0) == 0 || f == c.row() || f == c.area;
            for (auto& e : c.errnos) hit = hit || f == e;
            if (hit) used[f] = take = true;
        }
        if (take) out.push_back(&c);
    }
    for (auto& f : filters)
        if (!used[f] && unmatched) *unmatched = f;
    return out;
}

std::vector<std::string> labels(const Case& c) {
    std::vector<std::string> l = {c.area, c.profile};
    l.insert(l.end(), c.errnos.begin(), c.errnos.end());
    return l;
}

}  // namespace conformance
