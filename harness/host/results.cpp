#include "results.hpp"

namespace conformance {

namespace {

nlohmann::json calls(const Observation& obs) {
    auto out = nlohmann::json::array();
    for (auto& r : obs.records)
        if (r.kind == "ret" && r.has("key"))
            out.push_back({{"step", r.name}, {"key", r.get("key")}, {"nsems", r.get("nsems")},
                           {"semflg", r.get("flg")}, {"ret", r.get("ret")}, {"errno", r.get("errno")}});
    return out;
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
            {"expectations", {{"file", run.expectations_file}, {"hash", run.expectations_hash}}}, {"started", run.started}, {"finished", run.finished},
            {"limits_before", run.limits_before}, {"limits_after", run.limits_after}, {"cases", cases}};
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
