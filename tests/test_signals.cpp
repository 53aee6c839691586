// The one signalling helper refuses everything the suite did not make.
#include <catch2/catch.hpp>

#include "harness/common/signals.hpp"

#include <sys/wait.h>
#include <unistd.h>

TEST_CASE("kill(-1), kill(0), kill(1) and foreign pids are refused", "[signals]") {
    suite::Owned own;
    for (pid_t target : {-1, 0, 1, -0, getpid(), getppid(), -getpgrp()}) {
        errno = 0;
        CHECK(own.signal(target, 0) == -1);
        CHECK(errno == EPERM);
    }
    own.add(-1, true);  // what a failed fork() returns: never remembered
    own.add(1, true);
    CHECK(own.signal(-1, 0) == -1);
    CHECK(own.signal(1, 0) == -1);
}

TEST_CASE("a child the process made can be signalled; its group only when it leads one", "[signals]") {
    suite::Owned own;
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    own.add(child, false);
    CHECK(own.signal(child, 0) == 0);
    CHECK(own.signal(-child, 0) == -1);  // not registered as a group
    own.forget(child);
    CHECK(own.signal(child, SIGKILL) == -1);
    own.add(child, false);
    CHECK(own.signal(child, SIGKILL) == 0);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
}
