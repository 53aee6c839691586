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

constexpr size_t kMaxResultsBytes = 256u << 20;
constexpr int kMaxDepth = 16;

bool is_outcome(const std::string& o) {
    for (const char* k : {"pass", "fail", "skip", "error", "timeout", "crash", "unsupported", "xfail", "xpass"})
        if (o == k) return true;
    return false;
}

// Every field a view reads has the type the views take for granted; an absent optional one is fine.
void optional(const nlohmann::json& j, const char* key, std::initializer_list<nlohmann::json::value_t> types,
              const std::string& where) {
    if (!j.contains(key)) return;
    for (auto t : types)
        if (j.at(key).type() == t) return;
    throw ResultsError(where + ": '" + key + "' has the wrong type");
}

void all_strings(const nlohmann::json& j, const char* key, const std::string& where) {
    if (!j.contains(key)) return;
    if (!j[key].is_object()) throw ResultsError(where + ": '" + key + "' must be an object");
    for (auto& [k, v] : j[key].items())
        if (!v.is_string() && !v.is_number() && !v.is_boolean())
            throw ResultsError(where + ": '" + key + "." + k + "' must be a string or a number");
}

void validate_case(const nlohmann::json& c, const std::string& wc) {
    using t = nlohmann::json::value_t;
    if (!c.is_object()) throw ResultsError(wc + ": must be an object");
    for (const char* f : {"id", "title", "area", "source", "outcome"}) need(c, f, t::string, wc);
    if (!is_outcome(c["outcome"])) throw ResultsError(wc + ": outcome '" + c["outcome"].get<std::string>() + "' is not one the schema has");
    for (const char* f : {"row", "profile", "reason", "target"}) optional(c, f, {t::string}, wc);
    optional(c, "duration_ms", {t::number_integer, t::number_unsigned, t::number_float}, wc);
    all_strings(c, "expected", wc);
    all_strings(c, "observed", wc);
    optional(c, "errnos", {t::array}, wc);
    need(c, "checks", t::array, wc);
    for (auto& k : c["checks"]) {
        if (!k.is_object()) throw ResultsError(wc + ": a check must be an object");
        for (const char* f : {"step", "what", "expected", "observed", "id"}) optional(k, f, {t::string}, wc + ".checks");
        optional(k, "ok", {t::boolean}, wc + ".checks");
    }
    optional(c, "calls", {t::array}, wc);
    if (c.contains("calls"))
        for (auto& call : c["calls"]) {
            if (!call.is_object()) throw ResultsError(wc + ": a call must be an object");
            for (const char* f : {"key", "nsems", "semflg", "ret", "pid", "time_ns"})
                optional(call, f, {t::number_integer, t::number_unsigned}, wc + ".calls");
            for (const char* f : {"step", "errno"}) optional(call, f, {t::string}, wc + ".calls");
        }
}

}  // namespace

void validate(const nlohmann::json& doc, const std::string& name) {
    using t = nlohmann::json::value_t;
    if (!doc.is_object()) throw ResultsError(name + ": not a results document (no JSON object at the top)");
    if (doc.value("schema", "") != "semget-conformance-results")
        throw ResultsError(name + ": not a semget-conformance results file (schema '" + doc.value("schema", "") + "')");
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        throw ResultsError(name + ": results file without a schema version");
    if (doc["version"].get<long long>() != kResultsVersion)
        throw ResultsError(name + ": results schema version " + std::to_string(doc["version"].get<long long>()) +
                           "; this suite reads version " + std::to_string(kResultsVersion));
    need(doc, "targets", t::array, name);
    for (size_t i = 0; i < doc["targets"].size(); ++i) {
        const auto& tg = doc["targets"][i];
        const std::string w = name + ": targets[" + std::to_string(i) + "]";
        if (!tg.is_object()) throw ResultsError(w + ": must be an object");
        need(tg, "target", t::string, w);
        need(tg, "provenance", t::object, w);
        all_strings(tg, "provenance", w);
        all_strings(tg, "facts", w);
        optional(tg, "description", {t::string}, w);
        need(tg, "cases", t::array, w);
        for (size_t k = 0; k < tg["cases"].size(); ++k)
            validate_case(tg["cases"][k], w + ".cases[" + std::to_string(k) + "]");
    }
}

nlohmann::json load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ResultsError(path + ": cannot be read");
    std::string text;
    char buf[1 << 16];
    while (text.size() <= kMaxResultsBytes && in.read(buf, sizeof buf).gcount() > 0) text.append(buf, size_t(in.gcount()));
    if (text.size() > kMaxResultsBytes) throw ResultsError(path + ": larger than " + std::to_string(kMaxResultsBytes) + " bytes");
    nlohmann::json doc;
    bool too_deep = false;
    try {  // nesting is bounded while parsing, so a crafted file cannot exhaust the stack
        doc = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxDepth) too_deep = true;
            return !too_deep;
        });
    } catch (const nlohmann::json::exception& e) {
        throw ResultsError(path + ": not valid JSON, truncated or corrupt (" + std::string(e.what()) + ")");
    }
    if (too_deep) throw ResultsError(path + ": nested deeper than " + std::to_string(kMaxDepth) + " levels");
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
