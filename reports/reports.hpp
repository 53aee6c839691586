// Views of the results file. Each takes the results document (reports/results-schema.md) and renders it;
// none of them looks at anything else, so a report from saved results equals one written during the run.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace conformance::reports {

struct ResultsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads and checks a results file: JSON, this schema, this version, the fields the views rely on.
nlohmann::json load(const std::string& path);
void validate(const nlohmann::json& doc, const std::string& name);

// Combines results files into one document. Refuses targets that appear twice and files of different suite
// revisions: their rows would not mean the same thing.
nlohmann::json merge(const std::vector<nlohmann::json>& docs, const std::vector<std::string>& names);

std::string junit(const nlohmann::json& doc);
std::string html(const nlohmann::json& doc);
std::string markdown(const nlohmann::json& doc);
std::string call_log(const nlohmann::json& doc);  // JSON Lines shaped like Tracee's semget event

}  // namespace conformance::reports
