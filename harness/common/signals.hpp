// The one way the suite sends a signal, used by the runner, the reaper and the worker alike. A process may
// signal only what it made itself: a child it forked, or a process group it created. A target of 0, 1, -1
// (every process it may signal) or -1's like can never be signalled, so a failed fork() (pid -1) or a zero
// left in a table cannot turn into a signal to every process the suite can see.
#pragma once

#include <cerrno>
#include <csignal>
#include <sys/types.h>

namespace suite {

class Owned {
public:
    // Remembers a child this process forked; a group is remembered when the child leads its own.
    void add(pid_t pid, bool group) {
        if (pid <= 1) return;
        for (auto& e : entries_)
            if (e.pid == 0) {
                e = {pid, group};
                return;
            }
    }
    void forget(pid_t pid) {
        for (auto& e : entries_)
            if (e.pid == pid) e = {0, false};
    }
    // Signals the process (target > 1) or the group (target < -1) when it is one of ours; EPERM otherwise.
    int signal(pid_t target, int sig) const {
        const pid_t pid = target < 0 ? -target : target;
        if (pid <= 1) return refuse();
        for (auto& e : entries_)
            if (e.pid == pid && (target > 0 || e.group)) return ::kill(target, sig);
        return refuse();
    }

private:
    static int refuse() {
        errno = EPERM;
        return -1;
    }
    struct Entry {
        pid_t pid = 0;
        bool group = false;
    };
    Entry entries_[512];  // fixed: usable between fork and exec, and in a signal handler
};

}  // namespace suite
