// One JSON line per semget call made, shaped like Tracee's semget event (eventName, eventId = the ABI's
// system call number, processId, timestamp, argsNum, returnValue, args key/nsems/semflg as int32), so a
// tracer's capture can be diffed against what the suite really called. Suite fields are added under "suite".
#include "reports.hpp"

#include <sstream>

namespace conformance::reports {

std::string call_log(const nlohmann::json& doc) {
    std::ostringstream o;
    for (const auto& tg : doc["targets"]) {
        const std::string event_id = tg.value("facts", nlohmann::json::object()).value("sys_semget", "");
        for (const auto& c : tg["cases"])
            for (const auto& call : c.value("calls", nlohmann::json::array())) {
                auto arg = [&](const char* name, const char* field) {
                    return nlohmann::json{{"name", name}, {"type", "int"}, {"value", int(call.value(field, 0LL))}};
                };
                nlohmann::json line = {
                    {"timestamp", call.value("time_ns", 0LL)},
                    {"processId", call.value("pid", 0)},
                    {"eventId", event_id},
                    {"eventName", "semget"},
                    {"argsNum", 3},
                    {"returnValue", call.value("ret", 0)},
                    {"args", {arg("key", "key"), arg("nsems", "nsems"), arg("semflg", "semflg")}},
                    {"suite", {{"target", tg["target"]}, {"case", c["id"]}, {"step", call.value("step", "")},
                               {"errno", call.value("errno", "")}}}};
                o << line.dump() << "\n";
            }
    }
    return o.str();
}

}  // namespace conformance::reports
