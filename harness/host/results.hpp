// The results file: every case of every target with its outcome, expected and observed values, the calls
// it made and the facts of the system it ran on. Schema: reports/results-schema.md.
#pragma once

#include "suite.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace conformance {

inline constexpr int kResultsVersion = 1;

nlohmann::json to_json(const Run& run);
nlohmann::json results_document(const std::vector<Run>& runs);

struct Counts {
    std::map<std::string, int> by_outcome;
    int get(const std::string& o) const {
        auto it = by_outcome.find(o);
        return it == by_outcome.end() ? 0 : it->second;
    }
    bool failed() const { return get("fail") + get("error") + get("timeout") + get("crash") + get("xpass") > 0; }
    std::string summary() const;  // "N passed, N failed, N skipped" and the rest on a second line
};

Counts count(const std::vector<Run>& runs);

}  // namespace conformance
