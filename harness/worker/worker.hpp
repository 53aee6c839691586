// The worker: a small executor that runs inside the implementation under test. It applies a case's
// preconditions, makes its calls and reports raw observations. It judges nothing: every verdict is the
// host's. It links only libc and libcap so it can run statically under emulators, UML and as /init.
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <sstream>
#include <map>
#include <string>
#include <vector>
#include <sys/types.h>

#include "harness/common/signals.hpp"

namespace worker {

// Every line of the protocol starts with this tag, so console noise from a booting kernel is skipped.
inline constexpr const char* kTag = "@@sg ";

struct Caller {
    std::string name;
    long uid = -1, gid = -1, ruid = -1, rgid = -1;  // -1: keep
    std::vector<gid_t> groups;
    bool set_groups = false;
    std::string caps = "all";      // all | none | -ipc_owner
    long umask = -1;
    std::string userns = "none";   // none | unmapped | <inside>:<outside>
    bool newipc = false;
    std::string seccomp = "none";  // none | enosys | sigsys
};

struct Step {
    std::string name;
    std::string by = "leader";
    std::string op;
    std::map<std::string, std::string> args;
    bool setup = false;
    std::string arg(const std::string& k, const std::string& def = "") const {
        auto it = args.find(k);
        return it == args.end() ? def : it->second;
    }
};

struct Plan {
    int index = 0;
    long timeout_ms = 5000;
    std::string ns = "ipc";  // ipc | userns | none
    std::vector<Caller> callers;
    std::vector<Step> steps;
};

// Output of one case: records are appended to a per-case file so that a crash loses nothing written so far.
void record(const std::string& line);
void set_record_fd(int fd);
void set_spool_fd(int fd);
// The runner's name for this run, carried by what a case makes outside its namespaces (memory cgroups).
void set_token(const std::string& token);
const std::string& token();
bool spool(const std::string& line);  // false: the note could not be written
bool spooling();
void die_with_parent(pid_t parent);
// The processes and groups this process made: the only ones it may signal (harness/common/signals.hpp).
suite::Owned& owned();
[[noreturn]] void leave(int code);
void unload_impl();

// Entry points and the state a case's processes share.
struct CaseState {
    const Plan* plan = nullptr;
    std::map<std::string, key_t> keys;  // symbolic key -> key value
    std::map<std::string, int> ids;     // step or set name -> id it returned
    bool host_ns = false;               // no private IPC namespace: only remove what we created
    unsigned key_base = 0;
};

// The plans up to `go` (harness/PROTOCOL.md); false when the stream ends first or breaks a bound.
std::map<std::string, std::string> parse_kv(std::istringstream& in);
bool read_plans(std::istream& input, const std::string& mode, std::deque<Plan>& plans, int* jobs);

int run_case(const Plan& plan, unsigned key_base, pid_t worker);
key_t resolve_key(CaseState& st, const std::string& ref);
void run_step(CaseState& st, const Step& s);
bool apply_identity(const Caller& c, const std::string& ns);

// Limits and /proc helpers.
bool enter_namespace(const std::string& mode);
bool read_limits(long out[4]);
std::string read_file(const char* path);
bool write_file(const char* path, const std::string& text, int* err);

long eval_int(const std::string& expr);
std::string errno_name(int e);

}  // namespace worker
