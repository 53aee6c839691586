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

// Outcomes that make a run fail: a divergence, a broken setup, a hang, a crash, or a stale expectation.
inline bool is_failing(const std::string& outcome) {
    return outcome == "fail" || outcome == "error" || outcome == "timeout" || outcome == "crash" || outcome == "xpass";
}

struct Counts {
    std::map<std::string, int> by_outcome;
    int get(const std::string& o) const {
        auto it = by_outcome.find(o);
        return it == by_outcome.end() ? 0 : it->second;
    }
    bool failed() const {
        for (auto& [outcome, n] : by_outcome)
            if (n > 0 && is_failing(outcome)) return true;
        return false;
    }
    std::string summary() const;  // "N passed, N failed, N skipped" and the rest on a second line
};

Counts count(const std::vector<Run>& runs);

}  // namespace conformance
