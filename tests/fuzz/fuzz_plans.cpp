// The worker's plan reader on arbitrary runner input: bounded, and never a crash.
#include "harness/worker/worker.hpp"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::deque<worker::Plan> plans;
    int jobs = 1;
    worker::read_plans(in, "ipc", plans, &jobs);
    if (jobs < 1 || jobs > 256) __builtin_trap();
    for (auto& p : plans)
        if (p.timeout_ms < 1 || p.timeout_ms > 600000 || p.callers.size() > 64) __builtin_trap();
    return 0;
}
