#include <climits>
#include <cctype>
#include "table.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <yaml-cpp/yaml.h>
#include "yaml_load.hpp"

namespace conformance {

namespace {

// Which argument and expectation fields each operation accepts; anything else is a table error.
struct OpSpec {
    std::set<std::string> args;
    std::set<std::string> expect;
};

const std::map<std::string, OpSpec>& ops() {
    static const std::map<std::string, OpSpec> m = {
        {"semget", {{"key", "nsems", "flags", "repeat", "via"}, {"errno", "created", "same_as", "unsupported"}}},
        {"stat", {{"ref"}, {"errno", "stat"}}},
        {"rmid", {{"ref"}, {"errno"}}},
        {"ipcset", {{"ref", "uid", "gid", "mode"}, {"errno"}}},
        {"limits", {{"SEMMSL", "SEMMNS", "SEMOPM", "SEMMNI", "text"}, {"errno", "then"}}},
        {"read_limits", {{}, {"values", "format", "defaults"}}},
        {"info", {{}, {"info", "match_limits", "grew"}}},
        {"views", {{"ref"}, {"agree", "id_layout"}}},
        {"sysctl", {{"name", "write"}, {"errno", "value"}}},
        {"race", {{"procs", "rounds", "flags"}, {"winners"}}},
        {"storm", {{"calls"}, {"never"}}},
        {"fuzz", {{"calls", "seed"}, {"documented"}}},
        {"agree", {{"calls", "via"}, {"same"}}},
        {"memcg", {{"limit"}, {"errno"}}},
    };
    return m;
}

const std::set<std::string> kErrnos = {"EACCES", "EEXIST", "EINVAL", "ENOENT", "ENOMEM", "ENOSPC", "ERANGE",
                                       "EPERM",  "EIDRM",  "EFAULT", "EINTR",  "ENOSYS"};
const std::set<std::string> kAreas = {"create",      "nsems",  "semflg",     "semid_ds",
                                      "permissions", "limits", "precedence", "environment"};
const std::set<std::string> kRequires = {"ipcns",     "sem_next_id", "no_ipcmni_extend", "ipc_syscall",
                                         "64bit",     "memcg_v1",    "kernel>=4.13",     "limits"};

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    // A missing node has no position: name the line of the entry it is missing from.
    [[noreturn]] void fail(const YAML::Node& n, const std::string& field, const std::string& msg) const {
        int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : context_;
        throw TableError(file_ + ":" + std::to_string(line) + ": field '" + field + "': " + msg);
    }

    void only(const YAML::Node& n, const std::string& where, const std::set<std::string>& allowed) const {
        if (!n.IsMap()) fail(n, where, "must be a mapping");
        for (auto it : n) {
            auto k = it.first.as<std::string>();
            if (!allowed.count(k)) fail(it.first, where.empty() ? k : where + "." + k, "unknown field");
        }
    }

    std::string str(const YAML::Node& n, const std::string& field) const {
        if (!n.IsDefined() || !n.IsScalar()) fail(n, field, "missing or not a scalar");
        auto s = n.as<std::string>();
        if (s.empty()) fail(n, field, "must not be empty");
        return s;
    }

    long bounded(const YAML::Node& n, const std::string& field, long least, long most) const {
        long v = num(n, field);
        if (v < least || v > most)
            fail(n, field, std::to_string(v) + " is outside " + std::to_string(least) + ".." + std::to_string(most));
        return v;
    }

    long num(const YAML::Node& n, const std::string& field) const {
        auto s = str(n, field);
        char* end;
        errno = 0;
        long v = strtol(s.c_str(), &end, 0);
        if (*end || errno) fail(n, field, "'" + s + "' is not an integer");
        return v;
    }

    bool flag(const YAML::Node& n, const std::string& field) const {
        auto s = str(n, field);
        if (s == "true") return true;
        if (s == "false") return false;
        fail(n, field, "'" + s + "' is not true or false");
    }

    std::string errno_name(const YAML::Node& n, const std::string& field) const {
        auto s = str(n, field);
        if (!kErrnos.count(s)) fail(n, field, "'" + s + "' is not a known errno name");
        return s;
    }

    std::string key(const YAML::Node& n, const std::string& field) const {
        auto s = str(n, field);
        if (s == "IPC_PRIVATE") return "private";
        char* end;
        long long v = strtoll(s.c_str(), &end, 0);
        if (!*end) {
            if (v < INT32_MIN || v > UINT32_MAX) fail(n, field, "key out of range of key_t");
            return "#" + std::to_string(v);
        }
        if (!isalpha((unsigned char)s[0])) fail(n, field, "'" + s + "' is not a key name, IPC_PRIVATE or an integer");
        return s;
    }

    std::string flags(const YAML::Node& n, const std::string& field) const {
        try {
            return std::to_string(parse_flags(str(n, field)));
        } catch (const std::invalid_argument& e) {
            fail(n, field, e.what());
        }
    }

    Caller caller(const std::string& name, const YAML::Node& n, const std::string& where) const {
        only(n, where, {"uid", "gid", "ruid", "rgid", "groups", "caps", "umask", "userns", "newipc", "seccomp"});
        Caller c;
        c.name = name;
        auto opt = [&](const char* k, std::optional<long>& out) {
            if (n[k]) out = num(n[k], where + "." + k);
        };
        opt("uid", c.uid), opt("gid", c.gid), opt("ruid", c.ruid), opt("rgid", c.rgid), opt("umask", c.umask);
        if (n["groups"]) {
            if (!n["groups"].IsSequence()) fail(n["groups"], where + ".groups", "must be a list of gids");
            c.groups.emplace();
            for (auto g : n["groups"]) c.groups->push_back(num(g, where + ".groups"));
        }
        auto choice = [&](const char* k, std::string& out, std::set<std::string> allowed) {
            if (!n[k]) return;
            out = str(n[k], where + "." + k);
            if (!allowed.count(out) && !(std::string(k) == "userns" && out.find(':') != std::string::npos))
                fail(n[k], where + "." + k, "'" + out + "' is not one of the allowed values");
        };
        choice("caps", c.caps, {"all", "none", "-ipc_owner"});
        choice("userns", c.userns, {"none", "unmapped"});
        choice("seccomp", c.seccomp, {"none", "enosys", "sigsys"});
        if (n["newipc"]) c.newipc = flag(n["newipc"], where + ".newipc");
        return c;
    }

    // Nested expectation maps flatten to "stat.uid" -> "65534"; lists join with commas.
    void flatten(const YAML::Node& n, const std::string& prefix, const std::string& where,
                 std::map<std::string, std::string>& out) const {
        if (n.IsMap()) {
            for (auto it : n) flatten(it.second, prefix + "." + it.first.as<std::string>(), where, out);
        } else if (n.IsSequence()) {
            std::string joined;
            for (auto v : n) joined += (joined.empty() ? "" : ",") + str(v, where + prefix);
            out[prefix.substr(1)] = joined;
        } else {
            out[prefix.substr(1)] = str(n, where + prefix);
        }
    }

    Step step(const YAML::Node& n, const std::string& prefix, size_t index, Case& c) const {
        const std::string where = prefix + ".steps[" + std::to_string(index) + "]";
        if (!n.IsMap()) fail(n, where, "must be a mapping with one operation");
        Step s;
        s.line = context_ = n.Mark().line + 1;
        s.name = n["name"] ? str(n["name"], where + ".name") : "s" + std::to_string(index + 1);
        if (n["by"]) {
            s.by = str(n["by"], where + ".by");
            if (!c.caller(s.by)) fail(n["by"], where + ".by", "no caller named '" + s.by + "'");
        }
        const OpSpec* spec = nullptr;
        YAML::Node body;
        for (auto it : n) {
            auto k = it.first.as<std::string>();
            if (k == "name" || k == "by" || k == "expect") continue;
            if (!ops().count(k)) fail(it.first, where + "." + k, "unknown operation or field");
            if (spec) fail(it.first, where + "." + k, "a step has exactly one operation");
            spec = &ops().at(k);
            s.op = k;
            body = it.second;
        }
        if (!spec) fail(n, where, "no operation");
        const std::string ow = where + "." + s.op;
        if (body.IsScalar()) {
            s.args["ref"] = str(body, ow);  // shorthand: `rmid: k1`
        } else if (body.IsMap()) {
            only(body, ow, spec->args);
            for (auto it : body) {
                auto k = it.first.as<std::string>();
                const std::string f = ow + "." + k;
                if (k == "key") s.args[k] = key(it.second, f);
                else if (k == "flags" || k == "mode") s.args[k] = flags(it.second, f);
                else if (k == "calls" && it.second.IsSequence()) s.args[k] = agree_calls(it.second, f);
                else if (it.second.IsSequence()) {
                    std::string joined;
                    for (auto v : it.second) joined += (joined.empty() ? "" : ",") + str(v, f);
                    s.args[k] = joined;
                } else s.args[k] = str(it.second, f);
            }
        } else if (!body.IsNull()) {
            fail(body, ow, "must be a mapping");
        }
        if (s.op == "semget" && !s.args.count("flags")) fail(body, ow + ".flags", "missing");
        // Counts that become processes, calls or loops are bounded, so a table cannot exhaust the machine.
        static const std::map<std::string, long> kMost = {{"repeat", 100000}, {"procs", 64}, {"rounds", 1000}};
        for (auto& [k, most] : kMost)
            if (s.args.count(k)) bounded(body[k], ow + "." + k, 1, most);
        if (s.args.count("calls") && s.op != "agree") bounded(body["calls"], ow + ".calls", 1, 1000000);
        if (n["expect"]) expect(n["expect"], where + ".expect", *spec, s, c);
        return s;
    }

    std::string agree_calls(const YAML::Node& n, const std::string& f) const {
        std::string out;
        for (auto call : n) {
            if (!call.IsSequence() || call.size() != 3) fail(call, f, "each call is [key, nsems, flags]");
            std::string k = str(call[0], f);
            if (k != "private" && k != "new" && k != "existing") fail(call[0], f, "key must be private, new or existing");
            out += (out.empty() ? "" : ";") + k + ":" + str(call[1], f) + ":" + flags(call[2], f);
        }
        return out;
    }

    void expect(const YAML::Node& n, const std::string& where, const OpSpec& spec, Step& s, Case& c) const {
        only(n, where, spec.expect);
        Expect& e = s.expect;
        for (auto it : n) {
            auto k = it.first.as<std::string>();
            const YAML::Node& v = it.second;
            const std::string f = where + "." + k;
            if (k == "errno") {
                e.error = errno_name(v, f);
                c.errnos.push_back(*e.error);
            } else if (k == "created") {
                e.created = true;
                if (v.IsScalar()) {
                    if (!flag(v, f)) fail(v, f, "use errno or same_as for a call that does not create");
                    continue;
                }
                only(v, f, {"id", "differs_from", "distinct"});
                if (v["id"]) e.id = num(v["id"], f + ".id");
                if (v["distinct"]) e.distinct = flag(v["distinct"], f + ".distinct");
                if (v["differs_from"]) {
                    if (v["differs_from"].IsSequence())
                        for (auto d : v["differs_from"]) e.differs_from.push_back(str(d, f + ".differs_from"));
                    else e.differs_from.push_back(str(v["differs_from"], f + ".differs_from"));
                }
            } else if (k == "same_as") {
                e.same_as = str(v, f);
            } else if (k == "unsupported") {
                e.unsupported = flag(v, f);
            } else {
                flatten(v, "." + k, where, e.fields);
            }
        }
        if (e.fields.count("never"))
            for (size_t p = 0, q; p < e.fields["never"].size(); p = q + 1) {
                q = e.fields["never"].find(',', p);
                if (q == std::string::npos) q = e.fields["never"].size();
                c.errnos.push_back(e.fields["never"].substr(p, q - p));
            }
    }

    Case one(const YAML::Node& n, const std::string& area, size_t index) const {
        const std::string where = "cases[" + std::to_string(index) + "]";
        only(n, where, {"id", "title", "source", "profile", "requires", "given", "callers", "steps", "timeout_ms"});
        Case c;
        c.file = file_;
        c.area = area;
        c.line = context_ = n.Mark().line + 1;
        c.id = str(n["id"], where + ".id");
        c.title = str(n["title"], where + ".title");
        c.source = str(n["source"], where + ".source");
        c.profile = str(n["profile"], where + ".profile");
        if (c.profile != "posix" && c.profile != "linux") fail(n["profile"], where + ".profile", "must be posix or linux");
        if (n["timeout_ms"]) c.timeout_ms = bounded(n["timeout_ms"], where + ".timeout_ms", 1, 600000);
        if (n["requires"]) {
            for (auto r : n["requires"]) {
                auto v = str(r, where + ".requires");
                if (!kRequires.count(v)) fail(r, where + ".requires", "'" + v + "' is not a known requirement");
                c.requires_.push_back(v);
            }
        }
        if (n["callers"] && !n["callers"].IsMap()) fail(n["callers"], where + ".callers", "must map names to identities");
        return c;
    }

    std::string file_;
    mutable int context_ = 0;
};

// A set a case starts with becomes setup steps: create it (as its creator), then IPC_SET its owner or mode.
void given(const Reader& r, const YAML::Node& n, const std::string& where, Case& c) {
    r.only(n, where, {"limits", "sets"});
    if (n["limits"]) {
        r.only(n["limits"], where + ".limits", {"SEMMSL", "SEMMNS", "SEMOPM", "SEMMNI"});
        Step s;
        s.name = "given.limits";
        s.op = "limits";
        s.setup = true;
        for (auto it : n["limits"])
            s.args[it.first.as<std::string>()] =
                std::to_string(r.bounded(it.second, where + ".limits." + it.first.as<std::string>(), 0, INT_MAX));
        c.steps.push_back(s);
    }
    if (!n["sets"]) return;
    if (!n["sets"].IsMap()) r.fail(n["sets"], where + ".sets", "must map set names to their nsems, mode and owner");
    for (auto it : n["sets"]) {
        auto name = it.first.as<std::string>();
        const std::string f = where + ".sets." + name;
        r.only(it.second, f, {"nsems", "mode", "by", "uid", "gid", "set_mode", "key"});
        Step s;
        s.name = name;
        s.op = "semget";
        s.setup = true;
        s.args["key"] = it.second["key"] ? r.key(it.second["key"], f + ".key") : name;
        s.args["nsems"] = it.second["nsems"] ? r.str(it.second["nsems"], f + ".nsems") : "1";
        if (std::isdigit((unsigned char)s.args["nsems"][0]))  // a set made before the case stays small
            r.bounded(it.second["nsems"], f + ".nsems", 1, 32000);
        long mode = it.second["mode"] ? std::stol(r.flags(it.second["mode"], f + ".mode")) : 0600;
        s.args["flags"] = std::to_string(01000 | 02000 | mode);
        if (it.second["by"]) {
            s.by = r.str(it.second["by"], f + ".by");
            if (!c.caller(s.by)) r.fail(it.second["by"], f + ".by", "no caller named '" + s.by + "'");
        }
        s.expect.created = true;
        c.steps.push_back(s);
        if (it.second["uid"] || it.second["gid"] || it.second["set_mode"]) {
            Step set;
            set.name = name + ".ipcset";
            set.op = "ipcset";
            set.setup = true;
            set.args["ref"] = name;
            if (it.second["uid"]) set.args["uid"] = std::to_string(r.num(it.second["uid"], f + ".uid"));
            if (it.second["gid"]) set.args["gid"] = std::to_string(r.num(it.second["gid"], f + ".gid"));
            if (it.second["set_mode"]) set.args["mode"] = r.flags(it.second["set_mode"], f + ".set_mode");
            c.steps.push_back(set);
        }
    }
}

}  // namespace

long parse_flags(const std::string& text) {
    static const std::map<std::string, long> names = {
        {"IPC_CREAT", 01000}, {"IPC_EXCL", 02000}, {"IPC_NOWAIT", 04000}, {"0", 0}};
    long v = 0;
    size_t p = 0;
    while (p <= text.size()) {
        size_t q = text.find('|', p);
        if (q == std::string::npos) q = text.size();
        std::string tok = text.substr(p, q - p);
        tok.erase(0, tok.find_first_not_of(' '));
        tok.erase(tok.find_last_not_of(' ') + 1);
        if (names.count(tok)) v |= names.at(tok);
        else {
            char* end;
            long n = strtol(tok.c_str(), &end, 0);
            if (tok.empty() || *end) throw std::invalid_argument("'" + tok + "' is not IPC_CREAT, IPC_EXCL, IPC_NOWAIT or a number");
            v |= n;
        }
        p = q + 1;
    }
    return v;
}

static std::vector<Case> load_table_file_unchecked(const std::string& path) {
    Reader r(path);
    YAML::Node root;
    root = load_yaml(path);
    r.only(root, "", {"area", "cases"});
    std::string area = r.str(root["area"], "area");
    if (!kAreas.count(area)) r.fail(root["area"], "area", "'" + area + "' is not one of the catalogue's areas");
    if (!root["cases"] || !root["cases"].IsSequence()) r.fail(root, "cases", "missing or not a list");
    std::vector<Case> out;
    size_t i = 0;
    for (auto n : root["cases"]) {
        const std::string where = "cases[" + std::to_string(i) + "]";
        Case c = r.one(n, area, i);
        if (n["callers"]) {
            for (auto it : n["callers"]) {
                auto name = it.first.as<std::string>();
                if (name == "leader") r.fail(it.first, where + ".callers.leader", "'leader' is the case's own process");
                c.callers.push_back(r.caller(name, it.second, where + ".callers." + name));
            }
        }
        if (n["given"]) given(r, n["given"], where + ".given", c);
        if (!n["steps"] || !n["steps"].IsSequence() || n["steps"].size() == 0)
            r.fail(n["steps"] ? n["steps"] : n, where + ".steps", "missing or empty");
        size_t k = 0;
        for (auto s : n["steps"]) {
            Step step = r.step(s, where, k++, c);
            // An action with nothing to expect must simply succeed; if it does not, the case is broken.
            if (!step.expect.any()) {
                if (step.op == "rmid" || step.op == "ipcset" || step.op == "limits" || step.op == "sysctl") step.setup = true;
                else r.fail(s, where + ".steps[" + std::to_string(k - 1) + "].expect", "missing: a step must expect something");
            }
            c.steps.push_back(std::move(step));
        }
        for (auto& prev : out)
            if (prev.id == c.id) r.fail(n["id"], where + ".id", "duplicate id '" + c.id + "'");
        std::sort(c.errnos.begin(), c.errnos.end());
        c.errnos.erase(std::unique(c.errnos.begin(), c.errnos.end()), c.errnos.end());
        out.push_back(std::move(c));
        ++i;
    }
    return out;
}

std::vector<Case> load_tables(const std::string& dir) {
    std::vector<std::string> files;
    for (auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    if (files.empty()) throw TableError(dir + ":0: field '(directory)': no *.yaml tables");
    std::sort(files.begin(), files.end());
    std::vector<Case> all;
    for (auto& f : files) {
        auto cs = load_table_file(f);
        for (auto& c : cs)
            for (auto& prev : all)
                if (prev.id == c.id)
                    throw TableError(c.file + ":" + std::to_string(c.line) + ": field 'id': duplicate of " + prev.file);
        all.insert(all.end(), cs.begin(), cs.end());
    }
    return all;
}

// A value of the wrong YAML kind (a list where a name belongs) is a table error too, never an abort.
std::vector<Case> load_table_file(const std::string& path) {
    try {
        return load_table_file_unchecked(path);
    } catch (const YAML::Exception& e) {
        throw TableError(path + ":" + std::to_string(e.mark.line + 1) + ": field '(value)': " + e.msg);
    }
}

}  // namespace conformance
