#include "reports.hpp"

#include "harness/host/results.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace conformance::reports {

namespace {

void need(const nlohmann::json& j, const char* key, nlohmann::json::value_t type, const std::string& where) {
    if (!j.contains(key)) throw ResultsError(where + ": missing '" + key + "'");
    if (j.at(key).type() != type) throw ResultsError(where + ": '" + key + "' has the wrong type");
}

}  // namespace

void validate(const nlohmann::json& doc, const std::string& name) {
    using t = nlohmann::json::value_t;
    if (!doc.is_object()) throw ResultsError(name + ": not a results document (no JSON object at the top)");
    if (doc.value("schema", "") != "semget-conformance-results")
        throw ResultsError(name + ": not a semget-conformance results file (schema '" + doc.value("schema", "") + "')");
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        throw ResultsError(name + ": results file without a schema version");
    if (doc["version"].get<int>() != kResultsVersion)
        throw ResultsError(name + ": results schema version " + std::to_string(doc["version"].get<int>()) +
                           "; this suite reads version " + std::to_string(kResultsVersion));
    need(doc, "targets", t::array, name);
    for (size_t i = 0; i < doc["targets"].size(); ++i) {
        const auto& tg = doc["targets"][i];
        const std::string w = name + ": targets[" + std::to_string(i) + "]";
        need(tg, "target", t::string, w);
        need(tg, "provenance", t::object, w);
        need(tg, "cases", t::array, w);
        for (size_t k = 0; k < tg["cases"].size(); ++k) {
            const auto& c = tg["cases"][k];
            const std::string wc = w + ".cases[" + std::to_string(k) + "]";
            for (const char* f : {"id", "title", "area", "source", "outcome"}) need(c, f, t::string, wc);
            need(c, "checks", t::array, wc);
        }
    }
}

nlohmann::json load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ResultsError(path + ": cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw ResultsError(path + ": not valid JSON, truncated or corrupt (" + std::string(e.what()) + ")");
    }
    validate(doc, path);
    return doc;
}

nlohmann::json merge(const std::vector<nlohmann::json>& docs, const std::vector<std::string>& names) {
    nlohmann::json out = {{"schema", "semget-conformance-results"}, {"version", kResultsVersion},
                          {"targets", nlohmann::json::array()}};
    std::map<std::string, std::string> seen;  // target -> file
    std::string revision, revision_file;
    std::map<std::string, int> totals;
    for (size_t i = 0; i < docs.size(); ++i)
        for (const auto& tg : docs[i]["targets"]) {
            const std::string target = tg["target"], rev = tg["provenance"].value("suite_revision", "");
            if (seen.count(target))
                throw ResultsError("conflicting provenance: target " + target + " is in both " + seen[target] + " and " +
                                   names[i] + " (kernel " + tg["provenance"].value("kernel_release", "?") + ")");
            if (!revision_file.empty() && rev != revision)
                throw ResultsError("conflicting provenance: " + revision_file + " comes from suite revision " + revision +
                                   ", " + names[i] + " from " + rev + "; their rows are not comparable");
            seen[target] = names[i];
            revision = rev;
            revision_file = names[i];
            for (const auto& c : tg["cases"]) totals[c["outcome"]]++;
            out["targets"].push_back(tg);
        }
    out["totals"] = totals;
    return out;
}

}  // namespace conformance::reports
