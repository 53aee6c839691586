// A Markdown summary for a CI job's summary page: the area x target matrix, then what did not pass.
#include "reports.hpp"

#include "matrix.hpp"

#include <sstream>

namespace conformance::reports {

std::string markdown(const nlohmann::json& doc) {
    const Matrix m = matrix(doc);
    std::ostringstream o;
    o << "# semget conformance\n\n| area |";
    for (auto& t : m.targets) o << " " << t << " |";
    o << "\n|---|";
    for (size_t i = 0; i < m.targets.size(); ++i) o << "---|";
    o << "\n";
    for (auto& area : m.areas) {
        o << "| " << area << " |";
        for (auto& t : m.targets) o << " " << cell_text(m.cells.at({area, t})) << " |";
        o << "\n";
    }
    o << "| **total** |";
    for (auto& t : m.targets) o << " **" << cell_text(m.totals.at(t)) << "** |";
    o << "\n\n";
    bool any = false;
    for (const auto& tg : doc["targets"])
        for (const auto& c : tg["cases"]) {
            const std::string outcome = c["outcome"];
            if (outcome == "pass" || outcome == "skip" || outcome == "xfail") continue;
            if (!any) o << "## Not passing\n\n| target | case | outcome | reason |\n|---|---|---|---|\n";
            any = true;
            std::string reason = c.value("reason", "");
            for (auto& ch : reason)
                if (ch == '|' || ch == '\n') ch = ' ';
            o << "| " << tg["target"].get<std::string>() << " | " << c["id"].get<std::string>() << " | " << outcome
              << " | " << reason << " |\n";
        }
    if (!any) o << "Every case passed, was skipped with its reason, or is a listed known divergence.\n";
    o << "\n## Provenance\n\n| target | version | kernel | arch | mode | suite |\n|---|---|---|---|---|---|\n";
    for (const auto& tg : doc["targets"]) {
        const auto& p = tg["provenance"];
        o << "| " << tg["target"].get<std::string>() << " | " << p.value("target_version", "") << " | "
          << p.value("kernel_release", "") << " | " << p.value("arch", "") << " | " << p.value("namespace_mode", "")
          << " | " << p.value("suite_revision", "") << " |\n";
    }
    return o.str();
}

}  // namespace conformance::reports
