#include "observe.hpp"

#include <sstream>
#include <stdexcept>

namespace conformance {

long long Record::num(const std::string& k) const {
    auto it = kv.find(k);
    if (it == kv.end()) throw std::invalid_argument("worker record '" + kind + " " + name + "' lacks " + k);
    char* end;
    long long v = strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end)
        throw std::invalid_argument("worker record '" + kind + " " + name + "' has garbage in " + k + ": '" + it->second + "'");
    return v;
}

const Record* Observation::find(const std::string& kind, const std::string& name) const {
    for (auto& r : records)
        if (r.kind == kind && r.name == name) return &r;
    return nullptr;
}

std::vector<const Record*> Observation::all(const std::string& kind, const std::string& name) const {
    std::vector<const Record*> out;
    for (auto& r : records)
        if (r.kind == kind && r.name == name) out.push_back(&r);
    return out;
}

Observation Observation::parse(const std::string& body, const std::string& status) {
    Observation o;
    o.status = status;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) {
        const std::string tag = "@@sg ";
        if (line.compare(0, tag.size(), tag) == 0) line.erase(0, tag.size());
        Record r;
        r.line = line;
        std::istringstream f(line);
        f >> r.kind >> r.name;
        std::string tok;
        while (f >> tok) {
            r.words.push_back(tok);
            auto eq = tok.find('=');
            if (eq != std::string::npos) r.kv[tok.substr(0, eq)] = tok.substr(eq + 1);
        }
        if (!r.kind.empty()) o.records.push_back(std::move(r));
    }
    return o;
}

}  // namespace conformance
