#include "cleanup.hpp"

#include "frames.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <sstream>
#include <sys/file.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace conformance {

namespace {

constexpr size_t kMaxSpool = 4 << 20;
const char* kSpool = "spool";
const char* kCgroups = "/sys/fs/cgroup/memory";

// A folder that is this user's alone: a real directory (no symlink), owned by the euid, mode 0700.
bool private_dir(const std::string& path, std::string* why) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        *why = path + ": " + strerror(errno);
        return false;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 07777) != 0700) {
        *why = path + " is not a folder of uid " + std::to_string(geteuid()) + " with mode 0700";
        return false;
    }
    return true;
}

// Removes the set `id` if IPC_STAT shows exactly what the spool recorded; anything else is not ours.
bool remove_if_ours(int id, long key, long cuid, std::time_t since) {
    semid_ds ds{};
    if (semctl(id, 0, IPC_STAT, &ds) != 0) return false;  // already gone
    if (ds.sem_perm.__key != key || long(ds.sem_perm.cuid) != cuid) return false;
    if (ds.sem_ctime < since || ds.sem_ctime > std::time(nullptr) + 1) return false;
    return semctl(id, 0, IPC_RMID) == 0;
}

std::string read_bounded(int fd) {
    std::string s;
    char buf[65536];
    ssize_t n;
    while (s.size() <= kMaxSpool && (n = read(fd, buf, sizeof buf)) > 0) s.append(buf, size_t(n));
    return s.size() > kMaxSpool ? "" : s;
}

}  // namespace

std::optional<std::string> runs_root(std::string* why) {
    std::string base;
    if (geteuid() == 0) base = "/run";
    else if (const char* x = getenv("XDG_RUNTIME_DIR"); x && *x == '/') base = x;
    else {
        *why = "no private place for a run's files: not root, and XDG_RUNTIME_DIR is not set";
        return std::nullopt;
    }
    const std::string root = base + "/semget-conformance";
    if (mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) {
        *why = root + ": " + strerror(errno);
        return std::nullopt;
    }
    if (!private_dir(root, why)) return std::nullopt;
    return root;
}

int remove_spooled_sets(const std::string& text, std::time_t since) {
    std::istringstream in(text);
    std::string line;
    int removed = 0;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string kind, a, b, c;
        f >> kind >> a >> b >> c;
        std::optional<long long> id, key, cuid;
        if (kind == "set") id = parse_int(a), key = parse_int(b), cuid = parse_int(c);
        else if (kind == "key") key = parse_int(a), cuid = parse_int(b);
        else continue;
        if (!key || !cuid || *key != long(key_t(*key))) continue;
        if (kind == "key") {  // a creation that may have happened after its worker could note the id
            int found = semget(key_t(*key), 0, 0);
            if (found < 0) continue;
            id = found;
        }
        if (id && *id >= 0 && *id <= INT32_MAX) removed += remove_if_ours(int(*id), long(*key), long(*cuid), since);
    }
    return removed;
}

int remove_cgroups(const std::string& token) {
    namespace fs = std::filesystem;
    if (token.empty()) return 0;
    const std::string prefix = "semget-conformance." + token + ".";
    std::error_code ec;
    int removed = 0;
    for (auto& e : fs::directory_iterator(kCgroups, ec)) {
        if (e.path().filename().string().rfind(prefix, 0) != 0) continue;
        for (int i = 0; i < 300 && rmdir(e.path().c_str()) != 0 && errno == EBUSY; ++i) usleep(10000);
        removed += !fs::exists(e.path());
    }
    return removed;
}

RunDir::RunDir() {
    since_ = std::time(nullptr) - 1;
    auto root = runs_root(&error_);
    if (!root) return;
    std::string tmpl = *root + "/run.XXXXXX";
    if (!mkdtemp(tmpl.data())) {
        error_ = *root + ": cannot make a run folder: " + strerror(errno);
        return;
    }
    path_ = tmpl;
    token_ = path_.substr(path_.rfind('.') + 1);
    const std::string spool = path_ + "/" + kSpool;
    int fd = open(spool.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0 && fd <= 3) {  // dup2(fd, 3) in the child must make a new, inheritable descriptor
        int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
        close(fd);
        fd = high;
    }
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        error_ = spool + ": " + strerror(errno);
        if (fd >= 0) close(fd);
        return;
    }
    const std::string head = "run since=" + std::to_string(since_) + " token=" + token_ + "\n";
    if (write(fd, head.data(), head.size()) != ssize_t(head.size())) {
        error_ = spool + ": cannot write: " + strerror(errno);
        close(fd);
        return;
    }
    spool_fd_ = fd;
}

int RunDir::undo() {
    if (path_.empty()) return 0;
    int removed = 0;
    int fd = open((path_ + "/" + kSpool).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        removed = remove_spooled_sets(read_bounded(fd), since_);
        close(fd);
    }
    remove_cgroups(token_);
    return removed;
}

RunDir::~RunDir() {
    undo();
    if (spool_fd_ >= 0) close(spool_fd_);
    if (!path_.empty()) {
        unlink((path_ + "/" + kSpool).c_str());
        rmdir(path_.c_str());
    }
}

int undo_stale_runs() {
    std::string why;
    auto root = runs_root(&why);
    if (!root) return 0;
    DIR* d = opendir(root->c_str());
    if (!d) return 0;
    std::vector<std::string> names;
    while (dirent* e = readdir(d))
        if (strncmp(e->d_name, "run.", 4) == 0 && names.size() < 4096) names.push_back(e->d_name);
    closedir(d);
    int removed = 0;
    for (auto& name : names) {
        const std::string dir = *root + "/" + name, spool = dir + "/" + kSpool;
        if (!private_dir(dir, &why)) continue;
        int fd = open(spool.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st {};
        bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
                  (st.st_mode & 07777) == 0600 && size_t(st.st_size) <= kMaxSpool;
        if (ok && flock(fd, LOCK_EX | LOCK_NB) == 0) {  // free: its runner is gone
            std::string text = read_bounded(fd);
            std::istringstream head(text.substr(0, text.find('\n')));
            std::string run, since, token;
            head >> run >> since >> token;
            auto t = since.rfind("since=", 0) == 0 ? parse_int(since.substr(6)) : std::nullopt;
            if (run == "run" && t) {
                removed += remove_spooled_sets(text, std::time_t(*t));
                if (token.rfind("token=", 0) == 0 && token.size() == 12) remove_cgroups(token.substr(6));
            }
            unlink(spool.c_str());
            rmdir(dir.c_str());
        } else if (fd < 0 && errno == ENOENT) {  // a run killed before its spool existed (not one starting now)
            struct stat ds {};
            if (stat(dir.c_str(), &ds) == 0 && ds.st_mtime < std::time(nullptr) - 60) rmdir(dir.c_str());
        }
        if (fd >= 0) close(fd);
    }
    return removed;
}

}  // namespace conformance
