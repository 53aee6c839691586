// Runs a selection of cases against one target and collects a result per case.
#pragma once

#include "judge.hpp"
#include "session.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace conformance {

struct Result {
    const Case* c = nullptr;
    std::string target, outcome, reason;
    std::vector<Check> checks;
    Observation obs;
    double ms = 0;
};

struct RunOptions {
    std::string target = "native";
    SessionOptions session;
    std::string profile = "linux";  // posix leaves out the linux-only rows
    std::function<void(const Result&, size_t done, size_t total)> on_result;
    std::map<std::string, std::string> cannot_host;  // from the target: what it cannot host, and why
};

struct Run {
    std::string target, description, target_version;
    std::string expectations_file, expectations_hash;
    Facts facts;
    std::vector<Result> results;
    std::string started, finished;  // UTC, ISO 8601
    std::string limits_before, limits_after;
    int interrupted = 0;  // the signal that stopped the run early, or 0
};

// Starts one worker session and runs every case through it. SessionError if the worker cannot start.
Run run_cases(const std::vector<const Case*>& cases, const RunOptions& opt);

// Selection: each filter is an id glob (A8, E2.*, E*), an area name, or an errno name; a case matches any.
std::vector<const Case*> select(const std::vector<Case>& all, const std::vector<std::string>& filters,
                                std::string* unmatched);

// The labels ctest attaches to a case: its area, its profile and every errno it involves.
std::vector<std::string> labels(const Case& c);

}  // namespace conformance
