// The runner's side of the worker protocol after hello: tagged lines in, whole checked frames out. Pure (no
// I/O), so it can be tested and fuzzed on its own. Anything that breaks the protocol is told in `fatal`;
// from then on the stream is not trusted and the cases still pending are errors.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>

namespace conformance {

inline constexpr size_t kMaxLine = 1 << 20;        // a longer line is not the protocol
inline constexpr size_t kMaxFrameBytes = 8 << 20;  // one case's records
inline constexpr size_t kMaxFrameLines = 100000;

struct Frame {
    int index = -1;
    std::string body;
    std::string status;  // exit:N, signal:N or timeout from the worker; garbled:/lost:/hung: from this side
    double ms = 0;       // the case's wall time in its worker
};

class FrameReader {
public:
    explicit FrameReader(std::set<int> pending) : pending_(std::move(pending)) {}
    // One line as received, without its newline. A completed frame of a pending case comes back.
    std::optional<Frame> line(const std::string& text);
    const std::set<int>& pending() const { return pending_; }
    bool bye() const { return bye_; }
    const std::string& fatal() const { return fatal_; }

private:
    std::optional<Frame> done(const std::string& msg);
    void fail(const std::string& why);
    std::set<int> pending_;
    std::optional<Frame> cur_;
    size_t lines_ = 0;
    bool bye_ = false;
    std::string fatal_;
};

// Strict parts of the protocol, shared with the tests.
std::optional<long long> parse_int(const std::string& s);
bool valid_status(const std::string& s);
std::string field(const std::string& line, const std::string& key);
uint64_t fnv1a(const std::string& s);

}  // namespace conformance
