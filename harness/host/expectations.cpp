#include "expectations.hpp"

#include <filesystem>
#include <fnmatch.h>
#include <map>
#include <fstream>
#include <sstream>
#include <yaml-cpp/yaml.h>
#include "yaml_load.hpp"

namespace conformance {

namespace {

bool kernel_matches(const std::string& cond, const std::string& release) {
    if (cond.empty()) return true;
    const bool at_least = cond.rfind(">=", 0) == 0;
    int want[2] = {0, 0}, have[2] = {0, 0};
    sscanf(cond.c_str() + (at_least ? 2 : 1), "%d.%d", &want[0], &want[1]);
    sscanf(release.c_str(), "%d.%d", &have[0], &have[1]);
    const bool ge = have[0] > want[0] || (have[0] == want[0] && have[1] >= want[1]);
    return at_least ? ge : !ge;
}

// A content hash for provenance; the file is small.
std::string digest(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : ss.str()) h = (h ^ c) * 1099511628211ull;
    char b[17];
    snprintf(b, sizeof b, "%016llx", (unsigned long long)h);
    return b;
}

}  // namespace

static Expectations load_expectations_unchecked(const std::string& dir, const std::string& target) {
    Expectations e;
    const std::string path = dir + "/" + target + ".yaml";
    if (!std::filesystem::exists(path)) return e;
    e.file = path;
    e.hash = digest(path);
    auto bad = [&](const YAML::Node& n, const std::string& field, const std::string& why) {
        int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
        throw TableError(path + ":" + std::to_string(line) + ": field '" + field + "': " + why);
    };
    YAML::Node root;
    root = load_yaml(path);
    if (!root["target"] || root["target"].as<std::string>() != target) bad(root, "target", "must be " + target);
    size_t i = 0;
    for (auto n : root["expectations"]) {
        const std::string w = "expectations[" + std::to_string(i++) + "]";
        Expectation x;
        x.line = n.Mark().line + 1;
        for (auto it : n) {
            auto k = it.first.as<std::string>();
            if (k != "id" && k != "outcome" && k != "reason" && k != "link" && k != "when" && k != "checks")
                bad(it.first, w + "." + k, "unknown field");
        }
        for (const char* k : {"id", "outcome", "reason", "link"})
            if (!n[k] || n[k].as<std::string>().empty()) bad(n, w + "." + k, "missing: every divergence names its row, outcome, reason and link");
        x.id = n["id"].as<std::string>();
        x.outcome = n["outcome"].as<std::string>();
        x.reason = n["reason"].as<std::string>();
        x.link = n["link"].as<std::string>();
        if (x.outcome != "fail" && x.outcome != "error" && x.outcome != "crash" && x.outcome != "timeout" &&
            x.outcome != "unsupported")
            bad(n["outcome"], w + ".outcome", "'" + x.outcome + "' is not a failing outcome");
        if (n["checks"])
            for (auto c : n["checks"]) x.checks.push_back(c.as<std::string>());
        if (x.id.find_first_of("*?[") != std::string::npos && x.checks.empty())
            bad(n["id"], w + ".id", "a glob of ids needs `checks`, the failing checks it explains");
        if (n["when"]) {
            if (n["when"]["arch"]) x.when_arch = n["when"]["arch"].as<std::string>();
            if (n["when"]["kernel"]) x.when_kernel = n["when"]["kernel"].as<std::string>();
        }
        e.entries.push_back(x);
    }
    return e;
}

namespace {

bool explains(const Expectation& x, const Check& k) {
    for (auto& c : x.checks)
        if (k.what.find(c) != std::string::npos) return true;
    return false;
}

}  // namespace

// A case's divergence is expected when every failing check is explained by an entry that applies to it (or,
// for an entry without `checks`, when the outcome matches). An entry for named cases that ran its checks and
// held is XPASS at once; a glob entry is XPASS only when it explained nothing in the whole run, since a
// divergence may hide in some cases (a mode of 0000 reads the same however it is stored).
void apply(const Expectations& e, const Facts& facts, std::vector<Result>& results) {
    std::map<const Expectation*, int> used;
    std::map<const Expectation*, std::vector<Result*>> held;
    for (auto& r : results) {
        std::vector<const Expectation*> here;
        for (auto& x : e.entries) {
            const bool id_hit = x.id == r.c->id || x.id == r.c->row() || fnmatch(x.id.c_str(), r.c->id.c_str(), 0) == 0;
            if (id_hit && (x.when_arch.empty() || x.when_arch == facts.get("arch")) && kernel_matches(x.when_kernel, facts.get("release")))
                here.push_back(&x);
        }
        if (here.empty()) continue;
        std::string why;
        auto cite = [&](const Expectation* x) {
            ++used[x];
            if (why.find(x->reason) == std::string::npos) why += (why.empty() ? "" : "; ") + x->reason + " [" + x->link + "]";
        };
        if (r.outcome == "fail") {
            bool all = true;
            std::vector<const Expectation*> by_any;
            for (auto& k : r.checks) {
                if (k.ok) continue;
                const Expectation* by = nullptr;
                for (auto* x : here)
                    if (x->outcome == "fail" && (x->checks.empty() || explains(*x, k))) by = x;
                if (by) by_any.push_back(by);
                else all = false;
            }
            if (all && !by_any.empty()) {
                for (auto* x : by_any) cite(x);
                r.outcome = "xfail";
                r.reason = why + "; observed: " + r.reason;
            }
        } else if (r.outcome == "pass") {
            for (auto* x : here) {
                bool ran = x->checks.empty() && x->outcome == "fail";
                for (auto& k : r.checks) ran = ran || explains(*x, k);
                if (ran) held[x].push_back(&r);
            }
        } else {
            for (auto* x : here)
                if (x->outcome == r.outcome && x->checks.empty()) {
                    cite(x);
                    r.outcome = "xfail";
                    r.reason = why + "; observed: " + r.reason;
                    break;
                }
        }
    }
    for (auto& [x, passed] : held) {
        const bool glob = x->id.find_first_of("*?[") != std::string::npos;
        if (glob && used[x] > 0) continue;
        for (Result* r : passed) {
            if (r->outcome != "pass") continue;
            r->outcome = "xpass";
            r->reason = "listed as a known " + x->outcome + " (" + e.file + ":" + std::to_string(x->line) +
                        ") but it passed: remove the entry";
        }
    }
}

Expectations load_expectations(const std::string& dir, const std::string& target) {
    try {
        return load_expectations_unchecked(dir, target);
    } catch (const YAML::Exception& e) {
        throw TableError(dir + "/" + target + ".yaml:" + std::to_string(e.mark.line + 1) + ": field '(value)': " + e.msg);
    }
}

}  // namespace conformance
