// semget-reaper: contains one target's process tree (a worker, a wrapper, qemu, user-mode-linux).
//
//   semget-reaper [--no-pidns] -- COMMAND [ARG...]
//
// It starts a session of its own, so the caller's terminal and process group are out of reach. As root it
// then makes a PID namespace (and a mount namespace with its own /proc) whose init is a process of this
// program: nothing inside can name a process outside, so no signal sent from the tree, whatever its
// arguments, reaches the runner or its callers. When the command ends, or the reaper is told to stop, the init
// ends and the kernel ends every process left in the namespace. An ordinary user gets the same inside a user
// namespace that maps the user to itself. Where the kernel refuses that (or with --no-pidns) it is a child
// subreaper in a session of its own instead: orphans come back to it and it ends them itself.
//
// Stopping: SIGTERM, SIGINT, SIGHUP or SIGQUIT make it pass SIGTERM into the tree (so a host-namespace case
// can note the set it is making), wait a moment, then end the rest with SIGKILL. Its exit status is the
// command's: its exit code, or 128 + the signal that ended it.
#include "harness/common/signals.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

suite::Owned g_own;
volatile sig_atomic_t g_stop = 0;

void on_stop(int) { g_stop = 1; }

long long now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int status_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

void catch_stop_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop;
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) sigaction(s, &sa, nullptr);
}

[[noreturn]] void exec_command(char** argv) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD}) sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvp(argv[0], argv);
    fprintf(stderr, "semget-reaper: cannot start '%s': %s\n", argv[0], strerror(errno));
    _exit(127);
}

// The children this process has now (its own and the orphans it adopted), from /proc.
std::vector<pid_t> children() {
    std::vector<pid_t> out;
    std::string path = "/proc/self/task/" + std::to_string(getpid()) + "/children";
    FILE* f = fopen(path.c_str(), "re");
    if (!f) return out;
    long pid;
    while (fscanf(f, "%ld", &pid) == 1)
        if (pid > 1) out.push_back(pid_t(pid));
    fclose(f);
    return out;
}

// The children of this process now are ours to signal: it forked them, or, as init or subreaper, adopted them.
void signal_children(int sig) {
    for (pid_t c : children()) {
        g_own.add(c, false);
        g_own.signal(c, sig);
    }
}

// Reaps until the command has exited; then gives the rest SIGTERM and a moment (1 s as a namespace's init,
// 0.2 s as a subreaper) before they end: with this init's exit, or by SIGKILL from the subreaper.
int supervise(pid_t command, bool inside_pidns) {
    int code = -1;
    long long kill_at = -1;
    bool termed = false;
    for (;;) {
        if (g_stop && !termed) {
            termed = true;
            signal_children(SIGTERM);
            kill_at = now_ms() + 1000;
        }
        int status;
        pid_t p = waitpid(-1, &status, WNOHANG);
        if (p == command) {
            code = status_code(status);
            // The rest get SIGTERM and a moment: a host-namespace case holds it off until the set it is making
            // is noted, which this init's exit (SIGKILL to all) would not wait for.
            if (!termed) {
                termed = true;
                signal_children(SIGTERM);
            }
            if (kill_at < 0) kill_at = now_ms() + (inside_pidns ? 1000 : 200);
        } else if (p < 0 && errno == ECHILD) {
            return code < 0 ? 128 + SIGKILL : code;
        } else if (p > 0) {
            continue;
        }
        if (kill_at >= 0 && now_ms() >= kill_at) {
            if (inside_pidns) return code < 0 ? 128 + SIGTERM : code;
            signal_children(SIGKILL);  // orphans adopted by this subreaper: ours to end
        }
        usleep(2000);
    }
}

bool write_text(const char* path, const std::string& text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size());
    close(fd);
    return ok;
}

// Unprivileged: a user namespace that maps this user (and group) to itself, so the tree keeps its identity
// and gains no privilege outside, and in it the PID and mount namespaces.
bool own_user_namespace() {
    const std::string uid = std::to_string(geteuid()), gid = std::to_string(getegid());
    if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) != 0) return false;
    return write_text("/proc/self/uid_map", uid + " " + uid + " 1\n") && write_text("/proc/self/setgroups", "deny") &&
           write_text("/proc/self/gid_map", gid + " " + gid + " 1\n");
}

// The init of the new PID namespace: a private /proc, then the command as its only child.
[[noreturn]] void namespace_init(char** argv) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // the outer reaper gone: the whole namespace goes
    // A /proc of this namespace, so the tree sees its own pids; private, so the host's mounts stay as found.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0)
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    pid_t command = fork();
    if (command < 0) {
        fprintf(stderr, "semget-reaper: fork: %s\n", strerror(errno));
        _exit(126);
    }
    if (command == 0) exec_command(argv);
    g_own.add(command, false);
    _exit(supervise(command, true));
}

}  // namespace

int main(int argc, char** argv) {
    bool pidns = true;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
        if (strcmp(argv[i], "--no-pidns") == 0) pidns = false;
        else {
            fprintf(stderr, "semget-reaper: unknown option '%s'\nusage: semget-reaper [--no-pidns] -- COMMAND [ARG...]\n", argv[i]);
            return 2;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: semget-reaper [--no-pidns] -- COMMAND [ARG...]\n");
        return 2;
    }
    char** command = argv + i + 1;
    catch_stop_signals();
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // a runner that dies stops its targets
    setsid();
    if (pidns) pidns = geteuid() == 0 ? unshare(CLONE_NEWPID | CLONE_NEWNS) == 0 : own_user_namespace();
    if (!pidns) prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "semget-reaper: fork: %s\n", strerror(errno));
        return 126;
    }
    if (child == 0) {
        if (pidns) namespace_init(command);
        exec_command(command);
    }
    g_own.add(child, false);
    if (!pidns) return supervise(child, false);
    // Outside the namespace: pass a stop on to its init, and end it if it does not end in time.
    long long kill_at = -1;
    for (;;) {
        int status;
        pid_t p = waitpid(child, &status, WNOHANG);
        if (p == child) return status_code(status);
        if (g_stop && kill_at < 0) {
            g_own.signal(child, SIGTERM);
            kill_at = now_ms() + 3000;
        }
        if (kill_at >= 0 && now_ms() >= kill_at) g_own.signal(child, SIGKILL);
        usleep(2000);
    }
}
