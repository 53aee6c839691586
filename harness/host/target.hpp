// A target is one implementation of semget the suite can judge, described by a file under
// fixtures/targets: which worker it runs, how it starts, what it can host and what it needs installed.
#pragma once

#include "session.hpp"
#include "table.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace conformance {

struct Target {
    std::string name, description, file;
    std::string worker = "semget-worker";  // an executable in the build folder
    std::string entry = "libc";            // libc | syscall | ipc | garbage
    std::string profile = "linux";
    std::string mode = "auto";
    std::vector<std::string> prefix;       // a command placed before the worker
    std::vector<std::string> boot;         // a whole command line that boots a kernel running the worker
    std::string kernel, initramfs;         // for boot: a kernel glob and an initramfs in the build folder
    long boot_ms = 0;  // how long its worker may take to say ready (a booting kernel)
    std::map<std::string, std::string> cannot_run_if;  // boot output -> why this machine cannot run it
    // What the target cannot host, each with the reason: namespaces, limits, uids, user_namespaces, seccomp.
    std::map<std::string, std::string> cannot_host;
    std::vector<std::string> needs_commands, needs_packages;
    std::string impl;                      // --impl: a shared object the worker loads
};

std::vector<Target> load_targets(const std::string& dir);

// Ad-hoc targets from the command line.
Target impl_target(const std::string& so_path);
Target wrap_target(const std::string& command_line);

// Why the target cannot run here (a missing worker build, emulator, kernel or shared object), or nothing.
std::optional<std::string> unavailable(const Target& t, const std::string& build_dir);

// The session options that start this target's worker; `tmp` is a private folder for the session.
SessionOptions session_options(const Target& t, const std::string& build_dir, const std::string& tmp);

// The emulator's or wrapper's own version (first line of `CMD --version`), or "" for the native worker. The
// probe runs under the reaper like any target and is given 5 seconds.
std::string target_version(const Target& t, const std::string& build_dir);

// Whether a boot's output matches one of the target's known cannot-run signatures.
std::optional<std::string> cannot_run(const Target& t, const std::string& boot_output);

}  // namespace conformance
