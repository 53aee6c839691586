#include "cleanup.hpp"

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>
#include <sys/sem.h>
#include <unistd.h>

namespace conformance {

namespace {

// Removes the set `id` if it still carries `key` and was made during this run; anything else is not ours.
bool remove_if_ours(int id, long key, std::time_t since) {
    semid_ds ds{};
    if (semctl(id, 0, IPC_STAT, &ds) != 0) return false;  // already gone
    if (ds.sem_perm.__key != key || ds.sem_ctime < since) return false;
    return semctl(id, 0, IPC_RMID) == 0;
}

}  // namespace

int remove_spooled_sets(const std::string& spool, std::time_t since) {
    std::set<long> running;
    {
        std::ifstream in(spool);
        std::string kind;
        long pid;
        while (in >> kind) {
            if (kind == "case" && in >> pid) running.insert(pid);
            else if (kind == "done" && in >> pid) running.erase(pid);
            else in.ignore(1 << 20, '\n');
        }
    }
    // Only wait, never kill: a process group number may have been reused by now.
    for (long pgid : running)
        for (int i = 0; i < 300 && kill(pid_t(-pgid), 0) == 0; ++i) usleep(10000);
    std::ifstream in(spool);
    std::string kind;
    int removed = 0;
    while (in >> kind) {
        long id = -1, key = 0;
        if (kind == "set") in >> id >> key;
        else if (kind == "key") {  // a creation that may have happened after its worker could note the id
            in >> key;
            id = semget(key_t(key), 0, 0);
        }
        else in.ignore(1 << 20, '\n');
        if (id >= 0) removed += remove_if_ours(int(id), key, since);
    }
    return removed;
}

namespace {
const std::string kSpoolPrefix = "/tmp/semget-conformance.spool.";
}

std::string new_spool_path() {
    return kSpoolPrefix + std::to_string(getpid()) + "." + std::to_string(std::time(nullptr));
}

int undo_stale_spools() {
    namespace fs = std::filesystem;
    std::error_code ec;
    int removed = 0;
    for (auto& e : fs::directory_iterator("/tmp", ec)) {
        const std::string path = e.path().string();
        if (path.rfind(kSpoolPrefix, 0) != 0) continue;
        long pid = 0, since = 0;
        if (sscanf(path.c_str() + kSpoolPrefix.size(), "%ld.%ld", &pid, &since) != 2) continue;
        if (pid == getpid() || fs::exists("/proc/" + std::to_string(pid))) continue;
        removed += remove_spooled_sets(path, std::time_t(since));
        fs::remove(e.path(), ec);
    }
    return removed;
}

int sweep_cgroups() {
    namespace fs = std::filesystem;
    const fs::path root = "/sys/fs/cgroup/memory";
    std::error_code ec;
    int removed = 0;
    for (auto& e : fs::directory_iterator(root, ec)) {
        const std::string name = e.path().filename().string();
        const std::string prefix = "semget-conformance.";
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string pid = name.substr(prefix.size());
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
        // Its case process may still be dying from its worker's death: give it a moment before deciding.
        for (int i = 0; i < 300 && fs::exists("/proc/" + pid); ++i) usleep(10000);
        if (fs::exists("/proc/" + pid)) continue;  // alive: its own worker will remove it
        for (int i = 0; i < 300 && rmdir(e.path().c_str()) != 0 && errno == EBUSY; ++i) usleep(10000);
        removed += !fs::exists(e.path());
    }
    return removed;
}

}  // namespace conformance
