// One worker session: start the worker (behind a wrapper command if any), read its hello, stream the plans
// in and the framed observations out. Everything the worker prints outside the protocol is skipped.
#pragma once

#include "frames.hpp"
#include "plan.hpp"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace conformance {

struct SessionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SessionOptions {
    std::string worker;              // path of the worker executable
    std::vector<std::string> wrap;   // command placed in front of the worker (emulator, valgrind, ssh...)
    std::vector<std::string> command;  // or a whole command that boots a kernel running the worker
    std::string mode = "auto";       // auto | ipc | userns | none
    std::string entry = "libc";      // libc | syscall | ipc | garbage
    std::string impl;                // shared object routing semget/semctl
    int spool_fd = -1;               // the run's spool, open for appending, handed to the worker as fd 3
    std::string token;               // names what the worker makes outside its namespaces (memory cgroups)
    std::string reaper;              // semget-reaper; default: beside this executable
    int jobs = 1;
    long hello_ms = 20000;           // a booting kernel may take a while before the worker speaks
    long silence_ms = 0;             // no finished case for this long: hung (0: 30 s or the longest case + 5 s)
};


class Session {
public:
    explicit Session(SessionOptions o);
    ~Session();
    // Starts the worker and returns its hello; SessionError says why it could not.
    Facts start();
    // Sends the plans, then reports every case's frame. Cases the worker never reports come back "lost".
    // `longest_ms`: the longest case timeout among the plans, so the hang deadline is never shorter.
    void run(const std::vector<std::pair<int, std::string>>& plans, long longest_ms,
             const std::function<void(const Frame&)>& on_frame);

    // The signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) that stopped the run, or 0.
    int interrupted() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace conformance
