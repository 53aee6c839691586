#include "suite.hpp"

#include "cleanup.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fnmatch.h>
#include <fstream>
#include <map>
#include <optional>
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
    // The run's folder goes (and what its spool names is removed) on every way out of this function.
    SessionOptions so = opt.session;
    const bool local = so.command.empty();  // the worker runs on this machine (not in a booted kernel)
    std::optional<RunDir> dir;
    if (local) {
        undo_stale_runs();
        dir.emplace();
        so.spool_fd = dir->spool_fd();
    }
    if (dir) so.token = dir->token();
    Session session(so);
    run.facts = session.start();
    if (run.facts.get("mode") == "none" && local && dir->spool_fd() < 0)
        throw SessionError("a host-namespace run needs its spool, which could not be made: " + dir->error());
    for (auto& [what, why] : opt.cannot_host) run.facts.kv["cannot_host." + what] = why;
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
    long longest = 0;
    for (auto& [i, text] : plans) longest = std::max(longest, cases[size_t(i)]->timeout_ms);
    if (!plans.empty())
        session.run(plans, longest, [&](const Frame& f) {
            Result& r = results[size_t(f.index)];
            r.obs = Observation::parse(f.body, f.status);
            r.ms = f.ms;
            Verdict v;
            try {  // whatever the worker sent, the judge's trouble with it is this case's error, never the run's end
                v = judge(*r.c, r.obs, run.facts);
            } catch (const std::exception& e) {
                v = {"error", std::string("the worker's records could not be judged: ") + e.what(), {}};
            }
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
