// JUnit XML, as Jenkins and GitLab read it: one testsuite per target, classname = area, one testcase per
// case; properties carry the provenance. A known divergence (xfail) is a skip with its reason; an
// unexpected pass (xpass) is a failure, because the expectations file is then out of date.
#include "reports.hpp"

#include <map>
#include <sstream>

namespace conformance::reports {

namespace {

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default:
                if ((unsigned char)c < 0x20 && c != '\n' && c != '\t') o += ' ';
                else o += c;
        }
    }
    return o;
}

std::string seconds(double ms) {
    char b[32];
    snprintf(b, sizeof b, "%.6f", ms / 1000.0);
    return b;
}

std::string failed_checks(const nlohmann::json& c) {
    std::string body;
    for (auto& k : c["checks"])
        if (!k.value("ok", true))
            body += k.value("step", "") + ": " + k.value("what", "") + "\n  expected: " + k.value("expected", "") +
                    "\n  observed: " + k.value("observed", "") + "\n";
    return body;
}

}  // namespace

std::string junit(const nlohmann::json& doc) {
    std::ostringstream suites;
    int all = 0, all_fail = 0, all_err = 0;
    for (const auto& tg : doc["targets"]) {
        std::ostringstream cases;
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        double total_ms = 0;
        for (const auto& c : tg["cases"]) {
            const std::string outcome = c["outcome"], reason = c.value("reason", "");
            const double ms = c.value("duration_ms", 0.0);
            total_ms += ms;
            ++tests;
            cases << "    <testcase name=\"" << esc(c["id"].get<std::string>() + " " + c["title"].get<std::string>())
                  << "\" classname=\"" << esc(c["area"]) << "\" time=\"" << seconds(ms) << "\"";
            if (outcome == "pass") {
                cases << "/>\n";
                continue;
            }
            cases << ">\n";
            if (outcome == "fail" || outcome == "xpass") {
                ++failures;
                cases << "      <failure type=\"" << outcome << "\" message=\"" << esc(reason) << "\">"
                      << esc(outcome == "fail" ? failed_checks(c) : reason) << "</failure>\n";
            } else if (outcome == "error" || outcome == "timeout" || outcome == "crash") {
                ++errors;
                cases << "      <error type=\"" << outcome << "\" message=\"" << esc(reason) << "\">" << esc(reason)
                      << "</error>\n";
            } else {  // skip, unsupported, xfail
                ++skipped;
                cases << "      <skipped message=\"" << esc(outcome + ": " + reason) << "\"/>\n";
            }
            cases << "      <system-out>" << esc("source: " + c["source"].get<std::string>()) << "</system-out>\n";
            cases << "    </testcase>\n";
        }
        all += tests, all_fail += failures, all_err += errors;
        suites << "  <testsuite name=\"" << esc(tg["target"]) << "\" tests=\"" << tests << "\" failures=\"" << failures
               << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << seconds(total_ms)
               << "\" timestamp=\"" << esc(tg["provenance"].value("started", "")) << "\">\n    <properties>\n";
        for (auto& [k, v] : tg["provenance"].items())
            suites << "      <property name=\"" << esc(k) << "\" value=\"" << esc(v.is_string() ? v.get<std::string>() : v.dump())
                   << "\"/>\n";
        suites << "    </properties>\n" << cases.str() << "  </testsuite>\n";
    }
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"semget-conformance\" tests=\"" << all
        << "\" failures=\"" << all_fail << "\" errors=\"" << all_err << "\">\n" << suites.str() << "</testsuites>\n";
    return out.str();
}

}  // namespace conformance::reports
