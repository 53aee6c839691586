// What the host does after a session so that the machine is left as found even when a worker was killed:
// remove the sets a host-namespace run noted in its spool, and memory cgroups of workers that are gone.
#pragma once

#include <ctime>
#include <string>

namespace conformance {

// Waits for the case processes the spool lists as unfinished to be gone (they die with their worker), then
// removes every set listed that still has its key and was created since `since`. Returns how many.
int remove_spooled_sets(const std::string& spool, std::time_t since);

// A spool file for this run; its name carries the runner's pid and start time so that a later run can undo
// what a runner killed outright (SIGKILL) left behind.
std::string new_spool_path();
// Undoes the spools of runners that no longer exist. Returns how many sets it removed.
int undo_stale_spools();

// Removes /sys/fs/cgroup/memory/semget-conformance.<pid> folders whose process no longer exists.
int sweep_cgroups();

}  // namespace conformance
