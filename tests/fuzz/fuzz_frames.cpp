// The runner's frame reader on arbitrary worker output: it must never crash, grow without bound, or hand on a
// frame whose checksum does not hold.
#include "harness/host/frames.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    conformance::FrameReader reader({0, 1, 2, 3});
    size_t p = 0;
    while (p <= text.size()) {
        size_t nl = text.find('\n', p);
        if (nl == std::string::npos) nl = text.size();
        if (auto f = reader.line(text.substr(p, nl - p))) {
            if (f->status.rfind("exit:", 0) == 0 && f->body.size() > conformance::kMaxFrameBytes + conformance::kMaxLine) __builtin_trap();
        }
        p = nl + 1;
    }
    return 0;
}
