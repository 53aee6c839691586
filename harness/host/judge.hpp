// Judges one case's observations against its table entry and classifies the outcome.
#pragma once

#include "observe.hpp"
#include "plan.hpp"
#include "table.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace conformance {

struct Check {
    std::string step, what, expected, observed;
    bool ok = false;
};

struct Verdict {
    std::string outcome;  // pass fail skip error timeout crash unsupported
    std::string reason;
    std::vector<Check> checks;
};

// An observation the judge needs is missing or malformed: the case is an error, not a fail.
struct Broken : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the spec rules (cases/rules) see of one step.
struct Judge {
    const Case& c;
    const Step& step;
    const Observation& obs;
    const Facts& facts;
    std::vector<Check>& checks;

    const Record& need(const std::string& kind, const std::string& name) const;
    void eq(const std::string& what, long long expected, long long observed);
    void eq(const std::string& what, const std::string& expected, const std::string& observed);
    void that(const std::string& what, bool ok, const std::string& expected, const std::string& observed);
    // The caller's effective ids as the worker measured them, for "cuid is the effective uid".
    long long euid() const;
    long long egid() const;
    // The id an earlier step or set bound.
    long long bound(const std::string& name) const;
    std::string expected(const std::string& field) const;  // from the table, with facts resolved
};

Verdict judge(const Case& c, const Observation& obs, const Facts& facts);

}  // namespace conformance
