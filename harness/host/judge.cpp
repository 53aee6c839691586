#include "judge.hpp"

#include "../../cases/rules/rules.hpp"
#include "frames.hpp"

namespace conformance {

const Record& Judge::need(const std::string& kind, const std::string& name) const {
    if (const Record* r = obs.find(kind, name)) return *r;
    throw Broken("no '" + kind + "' observation for " + name);
}

void Judge::that(const std::string& what, bool ok, const std::string& exp, const std::string& got) {
    checks.push_back({step.name, what, exp, got, ok});
}

void Judge::eq(const std::string& what, long long exp, long long got) {
    that(what, exp == got, std::to_string(exp), std::to_string(got));
}

void Judge::eq(const std::string& what, const std::string& exp, const std::string& got) { that(what, exp == got, exp, got); }

long long Judge::euid() const {
    const Record* id = obs.find("identity", step.by);
    if (!id) throw Broken("no identity observed for caller " + step.by);
    return id->num("euid");
}

long long Judge::egid() const {
    const Record* id = obs.find("identity", step.by);
    if (!id) throw Broken("no identity observed for caller " + step.by);
    return id->num("egid");
}

long long Judge::bound(const std::string& name) const {
    const Record* b = obs.find("bind", name);
    if (!b) throw Broken("'" + name + "' never bound an id");
    return b->num("id");
}

std::string Judge::expected(const std::string& field) const {
    std::string v = step.expect.fields.at(field);
    std::string fact = facts.get(v);  // e.g. "overflowuid"
    return fact.empty() ? v : fact;
}

namespace {

std::string caller_death(const Observation& obs, const std::string& by) {
    if (const Record* d = obs.find("died", by)) return "caller " + by + " died (" + d->line.substr(d->line.find(' ', 5) + 1) + ")";
    return "";
}

bool died_of_sigsys(const Observation& obs, const std::string& by) {
    const Record* d = obs.find("died", by);
    return d && d->get("signal") == "31";
}

void judge_setup(Judge& j) {
    const Record* r = j.obs.find("ret", j.step.name);
    if (!r) throw Broken("setup step " + j.step.name + " left no observation" + caller_death(j.obs, j.step.by));
    if (r->num("ret") < 0)
        throw Broken("setup step " + j.step.name + " (" + j.step.op + ") failed with " + r->get("errno"));
}

}  // namespace

Verdict judge(const Case& c, const Observation& obs, const Facts& facts) {
    Verdict v;
    const std::string& st = obs.status;
    if (st == "timeout") return {"timeout", "the case did not finish within " + std::to_string(c.timeout_ms) + " ms", {}};
    if (st.rfind("hung: ", 0) == 0) return {"timeout", st.substr(6), {}};
    if (st.rfind("garbled: ", 0) == 0 || st.rfind("lost: ", 0) == 0) return {"error", st, {}};
    if (!valid_status(st)) return {"error", "garbled: the case's status '" + st.substr(0, 40) + "' is not one the protocol has", {}};
    if (st == "signal:31") return {"unsupported", "the case's process was killed by SIGSYS (SysV IPC filtered)", {}};
    if (st.rfind("signal:", 0) == 0) return {"crash", "the case's process died of signal " + st.substr(7), {}};
    for (auto& r : obs.records)
        if (r.kind == "broken") return {"error", "setup broke: " + r.line.substr(std::min<size_t>(r.line.size(), 7)), {}};
    try {
        for (auto& k : c.callers) {  // a caller that is not who the plan says would make every verdict wrong
            const Record* id = obs.find("identity", k.name);
            auto differs = [&](const std::optional<long>& want, const char* field) {
                return id && want && id->num(field) != *want;
            };
            if (differs(k.uid, "euid") || differs(k.gid, "egid") || differs(k.ruid ? k.ruid : k.uid, "ruid") ||
                differs(k.rgid ? k.rgid : k.gid, "rgid"))
                throw Broken("caller " + k.name + " runs as " + id->line.substr(9) + ", not as the table says");
        }
        for (auto& s : c.steps) {
            Judge j{c, s, obs, facts, v.checks};
            const bool expects_missing = s.expect.unsupported;
            if (!expects_missing && died_of_sigsys(obs, s.by))
                return {"unsupported", "caller " + s.by + " was killed by SIGSYS: SysV IPC is filtered", v.checks};
            for (auto* r : obs.all("ret", s.name))
                if (r->get("errno") == "ENOSYS" && !expects_missing)
                    return {"unsupported", "step " + s.name + ": semget reported ENOSYS", v.checks};
            if (s.setup) {
                judge_setup(j);
                continue;
            }
            if (!expects_missing && !caller_death(obs, s.by).empty() && !obs.find("ret", s.name) &&
                s.op == "semget")
                throw Broken("step " + s.name + ": " + caller_death(obs, s.by));
            rules::judge_step(j);
        }
    } catch (const Broken& e) {
        return {"error", e.what(), v.checks};
    } catch (const std::invalid_argument& e) {
        return {"error", std::string("garbage from the worker: ") + e.what(), v.checks};
    }
    for (auto& k : v.checks)
        if (!k.ok) {
            v.outcome = "fail";
            v.reason = k.step + ": " + k.what + ": expected " + k.expected + ", observed " + k.observed;
            return v;
        }
    if (v.checks.empty()) return {"error", "the case made no checks", v.checks};
    v.outcome = "pass";
    return v;
}

}  // namespace conformance
