#include "target.hpp"

#include <type_traits>
#include <boost/optional.hpp>
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <glob.h>
#include <unistd.h>
#include <sstream>
#include <yaml-cpp/yaml.h>
#include "yaml_load.hpp"

namespace conformance {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad(const std::string& file, const YAML::Node& n, const std::string& field, const std::string& why) {
    int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    throw TableError(file + ":" + std::to_string(line) + ": field '" + field + "': " + why);
}

void only(const std::string& file, const YAML::Node& n, const std::string& where, std::vector<std::string> allowed) {
    if (!n.IsMap()) bad(file, n, where, "must be a mapping");
    for (auto it : n) {
        auto k = it.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            bad(file, it.first, where.empty() ? k : where + "." + k, "unknown field");
    }
}

std::vector<std::string> strings(const std::string& file, const YAML::Node& n, const std::string& field) {
    if (!n.IsSequence()) bad(file, n, field, "must be a list");
    std::vector<std::string> out;
    for (auto v : n) out.push_back(v.as<std::string>());
    return out;
}

bool on_path(const std::string& cmd) {
    if (cmd.find('/') != std::string::npos) return access(cmd.c_str(), X_OK) == 0;
    std::istringstream path(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(path, dir, ':'))
        if (access((dir + "/" + cmd).c_str(), X_OK) == 0) return true;
    return false;
}

std::string first_match(const std::string& pattern) {
    glob_t g{};
    std::string out;
    if (glob(pattern.c_str(), 0, nullptr, &g) == 0 && g.gl_pathc > 0) out = g.gl_pathv[g.gl_pathc - 1];
    globfree(&g);
    return out;
}

Target load_one_unchecked(const std::string& file) {
    YAML::Node n;
    n = load_yaml(file);
    only(file, n, "", {"name", "description", "worker", "launch", "entry", "profile", "mode", "hosts", "needs"});
    Target t;
    t.file = file;
    auto req = [&](const char* k) {
        if (!n[k] || !n[k].IsScalar()) bad(file, n, k, "missing or not a scalar");
        return n[k].as<std::string>();
    };
    t.name = req("name");
    t.description = req("description");
    t.worker = req("worker");
    if (fs::path(file).stem() != t.name) bad(file, n["name"], "name", "must match the file name");
    if (n["entry"]) t.entry = n["entry"].as<std::string>();
    if (t.entry != "libc" && t.entry != "syscall" && t.entry != "ipc" && t.entry != "garbage")
        bad(file, n["entry"], "entry", "'" + t.entry + "' is not libc, syscall, ipc or garbage");
    if (n["profile"]) t.profile = n["profile"].as<std::string>();
    if (t.profile != "linux" && t.profile != "posix") bad(file, n["profile"], "profile", "must be posix or linux");
    if (n["mode"]) t.mode = n["mode"].as<std::string>();
    if (auto l = n["launch"]) {
        only(file, l, "launch", {"prefix", "boot", "kernel", "initramfs", "boot_ms", "cannot_run_if"});
        if (l["prefix"]) t.prefix = strings(file, l["prefix"], "launch.prefix");
        if (l["boot"]) t.boot = strings(file, l["boot"], "launch.boot");
        if (l["kernel"]) t.kernel = l["kernel"].as<std::string>();
        if (l["initramfs"]) t.initramfs = l["initramfs"].as<std::string>();
        if (l["boot_ms"]) t.boot_ms = l["boot_ms"].as<long>();
        if (l["cannot_run_if"])
            for (auto it : l["cannot_run_if"]) t.cannot_run_if[it.first.as<std::string>()] = it.second.as<std::string>();
        if (!t.prefix.empty() && !t.boot.empty()) bad(file, l, "launch", "prefix and boot exclude each other");
    }
    if (auto h = n["hosts"]) {  // true, or the reason the target cannot host it
        only(file, h, "hosts", {"namespaces", "limits", "uids", "user_namespaces", "seccomp"});
        for (auto it : h) {
            auto v = it.second.as<std::string>();
            if (v == "true") continue;
            if (v == "false" || v.empty()) bad(file, it.second, "hosts." + it.first.as<std::string>(), "give the reason instead of false");
            t.cannot_host[it.first.as<std::string>()] = v;
        }
    }
    if (auto d = n["needs"]) {
        only(file, d, "needs", {"commands", "packages"});
        if (d["commands"]) t.needs_commands = strings(file, d["commands"], "needs.commands");
        if (d["packages"]) t.needs_packages = strings(file, d["packages"], "needs.packages");
    }
    return t;
}

Target load_one(const std::string& file) {
    try {
        return load_one_unchecked(file);
    } catch (const YAML::Exception& e) {
        throw TableError(file + ":" + std::to_string(e.mark.line + 1) + ": field '(value)': " + e.msg);
    }
}

std::string packages_hint(const Target& t) {
    if (t.needs_packages.empty()) return "";
    std::string s = " (Debian: apt-get install";
    for (auto& p : t.needs_packages) s += " " + p;
    return s + ")";
}

}  // namespace

std::vector<Target> load_targets(const std::string& dir) {
    std::vector<std::string> files;
    for (auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::vector<Target> out;
    for (auto& f : files) out.push_back(load_one(f));
    return out;
}

Target impl_target(const std::string& so_path) {
    Target t;
    t.name = "impl:" + fs::path(so_path).stem().string();
    t.description = "the shared object " + so_path + ", loaded by the worker for every semget and semctl";
    t.worker = "semget-worker-dyn";
    t.impl = fs::absolute(so_path).string();
    return t;
}

Target wrap_target(const std::string& command_line) {
    Target t;
    std::istringstream in(command_line);
    std::string w;
    while (in >> w) t.prefix.push_back(w);
    t.name = "wrap:" + (t.prefix.empty() ? std::string("?") : fs::path(t.prefix[0]).filename().string());
    t.description = "the native worker behind '" + command_line + "'";
    if (!t.prefix.empty()) t.needs_commands = {t.prefix[0]};
    return t;
}

std::optional<std::string> unavailable(const Target& t, const std::string& build_dir) {
    const fs::path worker = fs::path(build_dir) / t.worker;
    if (!fs::exists(worker)) return "its worker " + t.worker + " was not built" + packages_hint(t);
    for (auto& c : t.needs_commands)
        if (!on_path(c)) return c + " is not installed" + packages_hint(t);
    if (!t.boot.empty() && !on_path(t.boot[0])) return t.boot[0] + " is not installed" + packages_hint(t);
    if (!t.prefix.empty() && !on_path(t.prefix[0])) return "cannot start '" + t.prefix[0] + "': not found";
    if (!t.kernel.empty() && first_match(t.kernel).empty()) return "no kernel matches " + t.kernel + packages_hint(t);
    if (!t.initramfs.empty() && !fs::exists(fs::path(build_dir) / t.initramfs))
        return "its initramfs " + t.initramfs + " was not built (needs cpio)";
    if (!t.impl.empty() && !fs::exists(t.impl)) return "no shared object at " + t.impl;
    return std::nullopt;
}

SessionOptions session_options(const Target& t, const std::string& build_dir, const std::string& tmp) {
    SessionOptions o;
    const std::string worker = (fs::path(build_dir) / t.worker).string();
    o.worker = worker;
    o.entry = t.entry;
    o.mode = t.mode;
    o.impl = t.impl;
    o.hello_ms = std::max<long>(o.hello_ms, t.boot_ms);
    if (!t.boot.empty()) {
        for (auto arg : t.boot) {
            auto put = [&](const std::string& var, const std::string& value) {
                for (size_t p; (p = arg.find(var)) != std::string::npos;) arg.replace(p, var.size(), value);
            };
            put("{worker}", worker);
            put("{tmp}", tmp);
            put("{kernel}", first_match(t.kernel));
            put("{initramfs}", (fs::path(build_dir) / t.initramfs).string());
            o.command.push_back(arg);
        }
    } else {
        o.wrap = t.prefix;
    }
    return o;
}

std::string target_version(const Target& t, const std::string& build_dir) {
    const std::vector<std::string>& cmd = t.boot.empty() ? t.prefix : t.boot;
    const std::string reaper = (fs::path(build_dir) / "semget-reaper").string();
    if (cmd.empty() || !on_path(cmd[0]) || access(reaper.c_str(), X_OK) != 0) return "";
    namespace bp = boost::process::v2;
    namespace asio = boost::asio;
    asio::io_context ctx;
    asio::readable_pipe out(ctx);
    try {
        bp::process p(ctx, reaper, {"--", cmd[0], "--version"}, bp::process_stdio{nullptr, out, nullptr});
        std::string text;
        asio::steady_timer timer(ctx, std::chrono::seconds(5));
        timer.async_wait([&](auto ec) {
            if (!ec) out.close();
        });
        std::function<void()> more;
        char buf[4096];
        more = [&] {
            out.async_read_some(asio::buffer(buf), [&](auto ec, size_t n) {
                text.append(buf, n);
                if (ec || text.size() > 65536) return (void)timer.cancel();
                more();
            });
        };
        more();
        ctx.run();
        boost::system::error_code ec;
        if (p.running(ec)) p.request_exit(ec);
        for (int i = 0; i < 500 && p.running(ec); ++i) usleep(2000);
        if (p.running(ec)) p.terminate(ec);
        p.wait(ec);
        return text.substr(0, text.find('\n'));
    } catch (const std::exception&) {
        return "";
    }
}

std::optional<std::string> cannot_run(const Target& t, const std::string& boot_output) {
    for (auto& [signature, why] : t.cannot_run_if)
        if (boot_output.find(signature) != std::string::npos) return why;
    return std::nullopt;
}

}  // namespace conformance
