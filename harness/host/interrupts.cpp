#include "interrupts.hpp"

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace conformance::interrupts {

namespace {
std::atomic<int> g_first{0};
int g_pipe[2] = {-1, -1};

void on_signal(int sig) {
    int none = 0;
    g_first.compare_exchange_strong(none, sig);
    const char c = 1;
    (void)!write(g_pipe[1], &c, 1);
}
}  // namespace

void install() {
    if (g_pipe[0] >= 0) return;
    if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(s, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);  // a worker that dies while we write must be an error, not our death
}

int received() { return g_first.load(); }

int fd() { return g_pipe[0]; }

}  // namespace conformance::interrupts
