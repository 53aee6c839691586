// Rows that take many processes or many calls: the create race (A18), signals and removals during calls
// (A20), random arguments (H2), agreement of entry points (H3-H5) and memory-cgroup pressure (F12).
#include "rules.hpp"

#include <map>

namespace conformance::rules {

namespace {

void judge_race(Judge& j) {
    const auto rounds = j.obs.all("race", j.step.name);
    const long long want_rounds = std::stoll(j.step.args.count("rounds") ? j.step.args.at("rounds") : "10");
    j.eq("race rounds observed", want_rounds, (long long)rounds.size());
    const bool one = j.step.expect.fields.at("winners") == "one";
    for (auto* r : rounds) {
        const std::string round = "round " + r->get("round") + ": ";
        const long long procs = r->num("procs");
        if (one) {
            j.eq(round + "racers that created the set", 1, r->num("ok"));
            j.eq(round + "racers that got EEXIST", procs - 1, r->num("eexist"));
        } else {
            j.eq(round + "racers that got an id", procs, r->num("ok"));
            j.eq(round + "distinct ids among them", 1, r->num("ids"));
        }
        j.eq(round + "racers with any other result", 0, r->num("other"));
    }
}

void judge_counts(Judge& j) {
    const Record& c = j.need("counts", j.step.name);
    long long total = 0;
    for (auto& [k, v] : c.kv)
        if (k != "signals") total += c.num(k);
    j.eq("calls observed", std::stoll(j.step.args.at("calls")), total);
    if (j.step.op == "storm") {
        if (c.num("signals") == 0) throw Broken("no signal arrived during the calls: the storm did not happen");
        const std::string& never = j.step.expect.fields.at("never");
        for (size_t p = 0, q; p < never.size(); p = q + 1) {
            q = never.find(',', p);
            if (q == std::string::npos) q = never.size();
            const std::string e = never.substr(p, q - p);
            j.eq("calls that failed with " + e, 0, c.has(e) ? c.num(e) : 0);
        }
    } else {  // fuzz
        std::string bad;
        for (auto* b : j.obs.all("bad", j.step.name)) bad += (bad.empty() ? "" : "; ") + b->line;
        j.that("every result is an id or a documented errno", bad.empty(), "ok, EACCES, EEXIST, EINVAL, ENOENT, ENOMEM, ENOSPC",
               bad);
    }
}

void judge_agree(Judge& j) {
    std::map<std::string, std::vector<const Record*>> by_call;
    for (auto* r : j.obs.all("agree", j.step.name))
        if (r->line.find("unavailable") == std::string::npos) by_call[r->get("i")].push_back(r);
    j.that("calls compared", !by_call.empty(), "at least one", "none");
    for (auto& [i, rs] : by_call) {
        const Record* first = rs.front();
        for (auto* r : rs)
            for (const char* f : {"result", "mode", "nsems", "same"})
                j.eq("call " + i + " " + f + " through " + r->get("via") + " as through " + first->get("via"),
                     first->get(f), r->get(f));
    }
}

void judge_memcg(Judge& j) {
    const Record& m = j.need("memcg", j.step.name);
    if (m.get("available") != "1") throw Broken("memory cgroup could not be set up: " + m.get("errno"));
    j.eq("creation under memory pressure fails with", *j.step.expect.error, m.get("errno"));
}

}  // namespace

void judge_processes(Judge& j) {
    const std::string& op = j.step.op;
    if (op == "race") judge_race(j);
    else if (op == "storm" || op == "fuzz") judge_counts(j);
    else if (op == "agree") judge_agree(j);
    else if (op == "memcg") judge_memcg(j);
    else throw Broken("no rule for operation " + op);
}

}  // namespace conformance::rules
