// Turns a table case into the worker's plan, and decides from the worker's hello whether the case can run
// on this target at all. A case that cannot is skipped with the reason; it never reaches the worker.
#pragma once

#include "table.hpp"

#include <map>
#include <optional>
#include <string>

namespace conformance {

// What the worker reported about the system it runs on (its hello line).
struct Facts {
    std::map<std::string, std::string> kv;
    std::string get(const std::string& k) const {
        auto it = kv.find(k);
        return it == kv.end() ? "" : it->second;
    }
    bool on(const std::string& k) const { return get(k) == "1"; }
    static Facts parse(const std::string& hello_line);
};

std::optional<std::string> skip_reason(const Case& c, const Facts& f);

// The plan in protocol form (harness/PROTOCOL.md), with an inspect step after every step that expects a new
// set, so the judge sees every field of it.
std::string plan_text(const Case& c, int index);

}  // namespace conformance
