#include "cleanup.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/sem.h>
#include <unistd.h>

namespace conformance {

int remove_spooled_sets(const std::string& spool, std::time_t since) {
    std::ifstream in(spool);
    std::string line;
    int removed = 0;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string kind, name, id_kv, key_kv;
        f >> kind >> name >> id_kv >> key_kv;
        if (kind != "bind" || id_kv.rfind("id=", 0) || key_kv.rfind("key=", 0)) continue;
        int id = std::atoi(id_kv.c_str() + 3);
        long key = std::atol(key_kv.c_str() + 4);
        semid_ds ds{};
        if (semctl(id, 0, IPC_STAT, &ds) != 0) continue;  // already gone
        if (ds.sem_perm.__key != key || ds.sem_ctime < since) continue;  // not ours: leave it alone
        removed += semctl(id, 0, IPC_RMID) == 0;
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
        if (fs::exists("/proc/" + pid)) continue;  // its worker is still running
        removed += rmdir(e.path().c_str()) == 0;
    }
    return removed;
}

}  // namespace conformance
