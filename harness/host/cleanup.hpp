// What the host does after a session so that the machine is left as found even when a worker was killed:
// remove the sets a host-namespace run noted in its spool, and memory cgroups of workers that are gone.
#pragma once

#include <ctime>
#include <string>

namespace conformance {

// Removes every set listed in the spool that still has the key it was created with and was created since
// `since`. Returns how many were removed.
int remove_spooled_sets(const std::string& spool, std::time_t since);

// Removes /sys/fs/cgroup/memory/semget-conformance.<pid> folders whose process no longer exists.
int sweep_cgroups();

}  // namespace conformance
