// The yardstick for per-case overhead: fork, unshare(CLONE_NEWIPC), one semget and exit, N times in a row.
// Prints the mean microseconds per iteration.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    const int n = argc > 1 ? atoi(argv[1]) : 500;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        pid_t p = fork();
        if (p == 0) {
            if (unshare(CLONE_NEWIPC) != 0) _exit(1);
            _exit(semget(IPC_PRIVATE, 1, 0600) < 0);
        }
        int status = 0;
        waitpid(p, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bare loop: iteration %d failed (needs root for unshare)\n", i);
            return 1;
        }
    }
    auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    printf("%.1f\n", us / n);
}
