// Known divergences of a target, kept outside the cases: fixtures/expectations/<target>.yaml. A listed
// divergence that shows up is XFAIL, never a pass; one that no longer shows up is XPASS.
#pragma once

#include "plan.hpp"
#include "suite.hpp"

#include <string>
#include <vector>

namespace conformance {

struct Expectation {
    std::string id;       // a case id, a row id covering all its cases, or a glob of ids ("*", "D1*")
    std::vector<std::string> checks;  // for fail: the failing checks it explains (substrings of their names)
    std::string outcome;  // the outcome observed: fail, error, crash, timeout, unsupported
    std::string reason, link;
    std::string when_arch, when_kernel;  // conditions: an architecture; a kernel bound such as ">=6.1" or "<6.9"
    int line = 0;
};

struct Expectations {
    std::string file;  // empty when the target has none
    std::string hash;  // FNV-1a 64 of the file, for provenance
    std::vector<Expectation> entries;
};

// Loads dir/<target>.yaml if it exists; TableError (file, line, field) if it is malformed.
Expectations load_expectations(const std::string& dir, const std::string& target);

// Turns listed divergences into xfail, and listed ones that passed into xpass.
void apply(const Expectations& e, const Facts& facts, std::vector<Result>& results);

}  // namespace conformance
