// The area x target matrix every summary view shows: outcome counts per cell.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace conformance::reports {

using Counts = std::map<std::string, int>;  // outcome -> cases

struct Matrix {
    std::vector<std::string> areas, targets;
    std::map<std::pair<std::string, std::string>, Counts> cells;
    std::map<std::string, Counts> totals;
};

inline Matrix matrix(const nlohmann::json& doc) {
    Matrix m;
    for (const auto& tg : doc["targets"]) {
        const std::string t = tg["target"];
        m.targets.push_back(t);
        m.totals[t];
        for (const auto& c : tg["cases"]) {
            const std::string a = c["area"];
            if (std::find(m.areas.begin(), m.areas.end(), a) == m.areas.end()) m.areas.push_back(a);
            m.cells[{a, t}][c["outcome"]]++;
            m.totals[t][c["outcome"]]++;
        }
    }
    for (auto& a : m.areas)
        for (auto& t : m.targets) m.cells[{a, t}];
    return m;
}

// "12 pass, 1 fail, 2 xfail": outcomes in a fixed order, zeros left out.
inline std::string cell_text(const Counts& c) {
    static const char* order[] = {"pass", "fail", "error", "timeout", "crash", "xfail", "xpass", "unsupported", "skip"};
    std::string s;
    for (const char* o : order) {
        auto it = c.find(o);
        if (it == c.end() || it->second == 0) continue;
        s += (s.empty() ? "" : ", ") + std::to_string(it->second) + " " + o;
    }
    return s.empty() ? "-" : s;
}

}  // namespace conformance::reports
