#include "plan.hpp"

#include <sstream>

namespace conformance {

Facts Facts::parse(const std::string& line) {
    Facts f;
    std::istringstream in(line);
    std::string tok;
    while (in >> tok) {
        auto eq = tok.find('=');
        if (eq != std::string::npos) f.kv[tok.substr(0, eq)] = tok.substr(eq + 1);
    }
    auto err = line.find("error=");
    if (err != std::string::npos) f.kv["error"] = line.substr(err + 6);  // may contain spaces
    return f;
}

namespace {

bool kernel_at_least(const std::string& release, int major, int minor) {
    int a = 0, b = 0;
    if (sscanf(release.c_str(), "%d.%d", &a, &b) != 2) return true;  // unknown: let the case speak
    return a > major || (a == major && b >= minor);
}

bool writes_limits(const Case& c) {
    for (auto& s : c.steps)
        if (s.op == "limits" || s.op == "memcg" || (s.op == "sysctl" && s.args.count("write"))) return true;
    for (auto& r : c.requires_)
        if (r == "limits") return true;
    return false;
}

bool needs_private_ns(const Case& c) {
    for (auto& r : c.requires_)
        if (r == "ipcns") return true;
    for (auto& s : c.steps)
        if ((s.args.count("key") && s.args.at("key")[0] == '#') || s.op == "fuzz") return true;
    for (auto& k : c.callers)
        if (k.newipc || k.userns != "none") return true;
    return writes_limits(c);
}

}  // namespace

std::optional<std::string> skip_reason(const Case& c, const Facts& f) {
    const std::string mode = f.get("mode");
    auto cannot = [&](const char* what) -> std::optional<std::string> {
        std::string why = f.get(std::string("cannot_host.") + what);
        if (why.empty()) return std::nullopt;
        return "the target cannot host " + std::string(what) + ": " + why;
    };
    std::optional<std::string> why;
    if (needs_private_ns(c) && (why = cannot("namespaces"))) return why;
    if (writes_limits(c) && (why = cannot("limits"))) return why;
    for (auto& k : c.callers) {
        if (k.switches_uid() && (why = cannot("uids"))) return why;
        if (k.userns != "none" && (why = cannot("user_namespaces"))) return why;
        if (k.seccomp != "none" && (why = cannot("seccomp"))) return why;
    }
    if (mode == "none" && needs_private_ns(c))
        return "needs a private IPC namespace, and this system gives none (running in the host namespace)";
    if (writes_limits(c) && !f.on("limits_writable"))
        return "needs a writable /proc/sys/kernel/sem inside a private IPC namespace, which this kernel refuses";
    for (auto& k : c.callers)
        if (k.switches_uid() && mode == "userns")
            return "needs a second real uid; unprivileged runs have only uid 0 mapped in their user namespace";
    for (auto& r : c.requires_) {
        if (r == "sem_next_id" && !f.on("sem_next_id"))
            return "kernel has no /proc/sys/kernel/sem_next_id (CONFIG_CHECKPOINT_RESTORE is off)";
        if (r == "no_ipcmni_extend" && f.on("ipcmni_extend"))
            return "booted with ipcmni_extend, which changes how ids encode the index";
        if (r == "ipc_syscall" && f.get("entries").find("ipc") == std::string::npos)
            return "architecture " + f.get("arch") + " has no ipc(2) multiplexer";
        if (r == "64bit" && f.get("long_bits") != "64") return "needs 64-bit argument registers";
        if (r == "memcg_v1" && !f.on("memcg_v1"))
            return "needs a writable cgroup v1 memory controller (/sys/fs/cgroup/memory)";
        if (r == "memcg_v1" && mode != "ipc") return "memory cgroups need root in the initial user namespace";
        if (r == "kernel>=4.13" && !kernel_at_least(f.get("release"), 4, 13))
            return "kernel " + f.get("release") + " predates the allocation size guard (4.13)";
    }
    return std::nullopt;
}

std::string plan_text(const Case& c, int index) {
    std::ostringstream o;
    const char* tag = "@@sg ";
    o << tag << "case " << index << " timeout_ms=" << c.timeout_ms << " id=" << c.id << "\n";
    for (auto& k : c.callers) {
        o << tag << "caller " << k.name;
        auto put = [&](const char* name, const std::optional<long>& v) {
            if (v) o << " " << name << "=" << *v;
        };
        put("uid", k.uid), put("gid", k.gid), put("ruid", k.ruid), put("rgid", k.rgid);
        if (k.umask) o << " umask=" << std::oct << *k.umask << std::dec;
        if (k.groups) {
            o << " groups=";
            for (size_t i = 0; i < k.groups->size(); ++i) o << (i ? "," : "") << (*k.groups)[i];
        } else if (k.uid || k.gid) {
            o << " groups=";  // a switched identity starts with no supplementary groups
        }
        o << " caps=" << k.caps << " userns=" << k.userns << " newipc=" << (k.newipc ? 1 : 0)
          << " seccomp=" << k.seccomp << "\n";
    }
    for (auto& s : c.steps) {
        o << tag << "step " << s.name << " op=" << s.op << " by=" << s.by;
        for (auto& [k, v] : s.args) {
            if (k == "flags") o << " flg=" << v;
            else if (k == "SEMMSL" || k == "SEMMNS" || k == "SEMOPM" || k == "SEMMNI") continue;
            else o << " " << k << "=" << v;
        }
        if (s.op == "limits" && !s.args.count("text")) {
            auto field = [&](const char* k) { return s.args.count(k) ? s.args.at(k) : std::string("="); };
            o << " text=" << field("SEMMSL") << "," << field("SEMMNS") << "," << field("SEMOPM") << "," << field("SEMMNI");
        }
        o << "\n";
        if (s.op == "semget" && s.expect.created) {
            const Caller* k = c.caller(s.by);
            // Inspect from a process that can read any set: the leader, or the caller inside its own namespace.
            std::string by = k && k->newipc ? s.by : "leader";
            int repeat = s.args.count("repeat") ? std::stoi(s.args.at("repeat")) : 1;
            for (int i = 0; i < repeat; ++i) {
                std::string ref = repeat == 1 ? s.name : s.name + "#" + std::to_string(i);
                o << tag << "step " << ref << ".inspect op=inspect by=" << by << " ref=" << ref
                  << " nsems=" << (s.args.count("nsems") ? s.args.at("nsems") : "1") << "\n";
            }
        }
    }
    return o.str();
}

}  // namespace conformance
