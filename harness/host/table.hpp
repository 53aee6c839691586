// The spec tables: one YAML file per area under fixtures/tables, one entry per case. Loading validates every
// field; a bad table is a TableError naming the file, the line and the field.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace conformance {

struct TableError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Caller {
    std::string name;
    std::optional<long> uid, gid, ruid, rgid, umask;
    std::optional<std::vector<long>> groups;
    std::string caps = "all";     // all | none | -ipc_owner
    std::string userns = "none";  // none | unmapped | <inside>:<outside>
    bool newipc = false;
    std::string seccomp = "none";  // none | enosys | sigsys
    bool switches_uid() const {
        auto nz = [](const std::optional<long>& v) { return v && *v != 0; };
        return nz(uid) || nz(gid) || nz(ruid) || nz(rgid) || (groups && !groups->empty());
    }
};

// What a step must observe. Only the fields a table sets are judged, plus the rules every new set obeys.
struct Expect {
    std::optional<std::string> error;       // errno name the call must fail with
    bool created = false;                    // a new set, judged field by field
    std::optional<long> id;                  // the exact id (A14)
    std::vector<std::string> differs_from;   // ids that must differ
    bool distinct = false;                   // every repetition got its own id
    std::optional<std::string> same_as;      // returns the id of an earlier set
    bool unsupported = false;                // the call reports SysV IPC as missing (H1)
    std::map<std::string, std::string> fields;  // named observations (stat fields, limits, counters...)
    bool any() const {
        return error || created || id || !differs_from.empty() || same_as || unsupported || !fields.empty();
    }
};

struct Step {
    std::string name;  // binds the id it returns
    std::string by = "leader";
    std::string op;
    std::map<std::string, std::string> args;
    Expect expect;
    bool setup = false;  // a precondition: if it fails the case is an error, never a fail
    int line = 0;
};

struct Case {
    std::string id, title, source, profile, area, file;
    int line = 0;
    std::vector<std::string> requires_;
    std::vector<Caller> callers;
    std::vector<Step> steps;
    std::vector<std::string> errnos;  // every errno the case involves, for labels and filters
    long timeout_ms = 10000;
    std::string row() const { return id.substr(0, id.find('.')); }
    const Caller* caller(const std::string& name) const {
        for (auto& c : callers)
            if (c.name == name) return &c;
        return nullptr;
    }
};

// Loads every *.yaml under dir, in name order.
std::vector<Case> load_tables(const std::string& dir);
std::vector<Case> load_table_file(const std::string& path);

// semflg in table syntax: "IPC_CREAT|IPC_EXCL|0600".
long parse_flags(const std::string& text);

}  // namespace conformance
