// What a run keeps outside its namespaces, and how the host is left as found even when a worker or the runner
// was killed. Each run has a private folder (mkdtemp, 0700) under /run/semget-conformance as root, or under
// $XDG_RUNTIME_DIR/semget-conformance; in it the spool, where a host-namespace worker notes every key it is
// about to create and every set it made, with the creator's euid. The runner holds a lock on its spool for its
// whole life, so a spool whose lock can be taken belongs to a runner that is gone. Nothing is read from
// anywhere else, nothing is trusted from a file's name, and a set is removed only when IPC_STAT shows the key,
// the creator and a change time inside the run's window.
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace conformance {

class RunDir {
public:
    // Makes the folder and the spool; on failure `error()` says why and the run has no spool.
    RunDir();
    ~RunDir();
    RunDir(const RunDir&) = delete;
    RunDir& operator=(const RunDir&) = delete;

    int spool_fd() const { return spool_fd_; }
    const std::string& error() const { return error_; }
    // A name for what the run makes outside its namespaces (memory cgroups): unique, known only to it.
    const std::string& token() const { return token_; }
    // After the worker's tree is gone: removes the sets the spool names and the run's memory cgroups.
    int undo();

private:
    std::string path_, token_, error_;
    int spool_fd_ = -1;
    std::time_t since_ = 0;
};

// The folder every run's private folder lives in, checked to be this user's own (made when missing).
std::optional<std::string> runs_root(std::string* why);

// Undoes the runs whose runner is gone (their lock is free). Returns how many sets it removed.
int undo_stale_runs();

// Removes the sets a spool names that still match its records. `text` is the spool's content.
int remove_spooled_sets(const std::string& text, std::time_t since);

// Removes /sys/fs/cgroup/memory/semget-conformance.<token>.* (every process of that run is gone).
int remove_cgroups(const std::string& token);

}  // namespace conformance
