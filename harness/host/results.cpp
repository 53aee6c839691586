#include "results.hpp"

#include <fstream>
#include <unistd.h>

#ifndef SEMGET_REVISION
#define SEMGET_REVISION "unknown"
#endif

namespace conformance {

namespace {

nlohmann::json calls(const Observation& obs) {
    auto out = nlohmann::json::array();
    for (auto& r : obs.records)
        if (r.kind == "ret" && r.has("key"))
            out.push_back({{"step", r.name}, {"key", r.num("key")}, {"nsems", r.num("nsems")},
                           {"semflg", r.num("flg")}, {"ret", r.num("ret")}, {"errno", r.get("errno")},
                           {"pid", r.has("pid") ? r.num("pid") : 0}, {"time_ns", r.num("t0")}});
    return out;
}

std::string first_line(const std::string& path, const std::string& prefix) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    return "";
}

// Where and how a run happened, so that results from many machines can be told apart and merged safely.
nlohmann::json provenance(const Run& run) {
    auto fact = [&](const char* k) { return run.facts.get(k); };
    std::string caps = first_line("/proc/self/status", "CapEff:");
    caps.erase(0, caps.find_first_not_of(" \t"));
    return {{"suite_revision", SEMGET_REVISION},
            {"target", run.target},
            {"target_version", run.target_version},
            {"kernel_release", fact("release")},
            {"arch", fact("arch")},
            {"namespace_mode", fact("mode")},
            {"worker_euid", fact("euid")},
            {"runner_euid", std::to_string(geteuid())},
            {"runner_capabilities", caps},
            {"limits_before", run.limits_before},
            {"limits_after", run.limits_after},
            {"expectations_file", run.expectations_file},
            {"expectations_hash", run.expectations_hash},
            {"started", run.started},
            {"finished", run.finished}};
}

}  // namespace

nlohmann::json to_json(const Run& run) {
    nlohmann::json facts = nlohmann::json::object();
    for (auto& [k, v] : run.facts.kv) facts[k] = v;
    auto cases = nlohmann::json::array();
    for (auto& r : run.results) {
        nlohmann::json checks = nlohmann::json::array(), expected = nlohmann::json::object(),
                       observed = nlohmann::json::object();
        for (auto& k : r.checks) {
            checks.push_back({{"step", k.step}, {"what", k.what}, {"expected", k.expected}, {"observed", k.observed}, {"ok", k.ok}});
            const std::string key = k.step + ": " + k.what;
            expected[key] = k.expected;
            observed[key] = k.observed;
        }
        nlohmann::json c = {{"id", r.c->id},           {"row", r.c->row()},       {"title", r.c->title},
                            {"area", r.c->area},       {"source", r.c->source},   {"profile", r.c->profile},
                            {"target", r.target},      {"outcome", r.outcome},    {"duration_ms", r.ms},
                            {"expected", expected},    {"observed", observed},    {"checks", checks},
                            {"calls", calls(r.obs)},   {"errnos", r.c->errnos}};
        if (!r.reason.empty()) c["reason"] = r.reason;
        cases.push_back(std::move(c));
    }
    return {{"target", run.target}, {"description", run.description}, {"facts", facts},
            {"provenance", provenance(run)}, {"cases", cases}};
}

nlohmann::json results_document(const std::vector<Run>& runs) {
    auto targets = nlohmann::json::array();
    for (auto& r : runs) targets.push_back(to_json(r));
    Counts c = count(runs);
    nlohmann::json totals = nlohmann::json::object();
    for (auto& [k, v] : c.by_outcome) totals[k] = v;
    return {{"schema", "semget-conformance-results"}, {"version", kResultsVersion}, {"targets", targets}, {"totals", totals}};
}

Counts count(const std::vector<Run>& runs) {
    Counts c;
    for (auto& run : runs)
        for (auto& r : run.results) c.by_outcome[r.outcome]++;
    return c;
}

std::string Counts::summary() const {
    return std::to_string(get("pass")) + " passed, " + std::to_string(get("fail")) + " failed, " +
           std::to_string(get("skip")) + " skipped\n" + std::to_string(get("error")) + " errors, " +
           std::to_string(get("timeout")) + " timeouts, " + std::to_string(get("crash")) + " crashes, " +
           std::to_string(get("unsupported")) + " unsupported, " + std::to_string(get("xfail")) + " xfail, " +
           std::to_string(get("xpass")) + " xpass";
}

}  // namespace conformance
