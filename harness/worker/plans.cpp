// The worker's side of the protocol before `go`: the runner's plans, read strictly and within bounds, so a
// garbled or hostile stream can make the worker refuse, never crash or exhaust memory.
#include "worker.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <istream>
#include <sstream>

namespace worker {

namespace {

constexpr size_t kMaxPlans = 100000, kMaxCallers = 64, kMaxSteps = 10000, kMaxLine = 1 << 20;

// 64-bit arithmetic on every ABI: a 32-bit long cannot hold the bounds themselves.
long clamp_num(const std::string& s, long long least, long long most, long fallback) {
    char* end = nullptr;
    long long v = strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end) return fallback;
    return long(std::clamp(v, least, most));
}

}  // namespace

std::map<std::string, std::string> parse_kv(std::istringstream& in) {
    std::map<std::string, std::string> m;
    std::string tok;
    while (in >> tok) {
        auto eq = tok.find('=');
        if (eq != std::string::npos) m[tok.substr(0, eq)] = tok.substr(eq + 1);
    }
    return m;
}

bool read_plans(std::istream& input, const std::string& mode, std::deque<Plan>& plans, int* jobs) {
    std::string line;
    Plan* cur = nullptr;
    while (std::getline(input, line)) {
        if (line.size() > kMaxLine) return false;
        size_t at = line.find(kTag);
        if (at == std::string::npos) continue;  // noise
        std::istringstream in(line.substr(at + strlen(kTag)));
        std::string kind;
        in >> kind;
        if (kind == "go") {
            *jobs = int(clamp_num(parse_kv(in)["jobs"], 1, 256, 1));
            return true;
        }
        if (kind == "case") {
            if (plans.size() >= kMaxPlans) return false;
            std::string index;
            in >> index;
            plans.emplace_back();
            cur = &plans.back();
            cur->index = int(clamp_num(index, 0, INT32_MAX, -1));
            if (cur->index < 0) return false;
            auto m = parse_kv(in);
            cur->timeout_ms = clamp_num(m["timeout_ms"], 1, 600000, 5000);
            cur->ns = mode;
        } else if (kind == "caller" && cur) {
            if (cur->callers.size() >= kMaxCallers) return false;
            Caller c;
            in >> c.name;
            auto m = parse_kv(in);
            auto num = [&](const char* k) { return m.count(k) ? clamp_num(m[k], -1, INT32_MAX, -1) : -1L; };
            c.uid = num("uid"), c.gid = num("gid"), c.ruid = num("ruid"), c.rgid = num("rgid");
            c.umask = m.count("umask") ? strtol(m["umask"].c_str(), nullptr, 8) & 0777 : -1;
            if (m.count("groups")) {
                c.set_groups = true;
                std::istringstream g(m["groups"]);
                std::string v;
                while (std::getline(g, v, ',') && c.groups.size() < 64)
                    if (!v.empty()) c.groups.push_back(gid_t(clamp_num(v, 0, INT32_MAX, 0)));
            }
            if (m.count("caps")) c.caps = m["caps"];
            if (m.count("userns")) c.userns = m["userns"];
            if (m.count("seccomp")) c.seccomp = m["seccomp"];
            c.newipc = m["newipc"] == "1";
            cur->callers.push_back(c);
        } else if (kind == "step" && cur) {
            if (cur->steps.size() >= kMaxSteps) return false;
            Step s;
            in >> s.name;
            s.args = parse_kv(in);
            s.op = s.args["op"];
            if (s.args.count("by")) s.by = s.args["by"];
            cur->steps.push_back(s);
        }
    }
    return false;
}

}  // namespace worker
