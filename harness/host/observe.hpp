// The worker's raw observations for one case, as parsed from its frame.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace conformance {

struct Record {
    std::string kind, name;
    std::map<std::string, std::string> kv;
    std::vector<std::string> words;  // positional fields (the /proc/sysvipc/sem row)
    std::string line;
    bool has(const std::string& k) const { return kv.count(k) > 0; }
    std::string get(const std::string& k) const {
        auto it = kv.find(k);
        return it == kv.end() ? "" : it->second;
    }
    long long num(const std::string& k) const;  // throws std::invalid_argument on garbage
};

struct Observation {
    std::string status;  // exit:N | signal:N | timeout | garbled: why | lost: why
    std::vector<Record> records;
    const Record* find(const std::string& kind, const std::string& name) const;
    std::vector<const Record*> all(const std::string& kind, const std::string& name) const;
    static Observation parse(const std::string& body, const std::string& status);
};

}  // namespace conformance
